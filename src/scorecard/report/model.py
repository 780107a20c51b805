"""The report model: a statement and scorecard as plain, immutable data.

Everything a published document shows is decided here, once — which figures, which
sentences, which caveats — and every renderer (HTML, Word, PDF, JSON/CSV) draws the same
model.  So the Word paper cannot say 34% where the web page says 33%.  Numbers are kept
unrounded; renderers format them with ``scorecard.numbers`` and nothing else.  Text
fields that come from people (commentary, applicability reasons) are untrusted: renderers
escape them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CaveatKind = Literal["proxy", "incomplete", "revised", "measure", "local", "baseline"]
ScorecardStatus = Literal["target_met", "target_missed", "better_than_baseline", "worse_than_baseline",
                          "similar_to_baseline", "no_comparison", "no_data"]


@dataclass(frozen=True)
class Provenance:
    load_id: int
    file: str
    sha256: str
    loaded_at: str
    kind: str
    covers: str


@dataclass(frozen=True)
class Figure:
    """One row of a priority's table of figures."""

    measure_id: str
    title: str
    role: str
    unit: str
    direction: str
    source_text: str
    period_label: str
    value: float | None
    status: str
    baseline_label: str
    baseline_value: float | None
    change: float | None
    change_pct: float | None
    previous_label: str
    previous_value: float | None
    change_pct_vs_previous: float | None
    last_year_label: str
    last_year_value: float | None
    change_pct_vs_last_year: float | None
    rate_per_1000: float | None
    note: str
    load_ids: tuple[int, ...]


@dataclass(frozen=True)
class ChartPoint:
    label: str  # e.g. "2021-22 Q3" or "Jan 2024"
    first_month: str  # ISO "2021-10"
    last_month: str
    value: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    point_type: str  # NHSRplotthedots vocabulary: common_cause, special_cause_improvement, ...


@dataclass(frozen=True)
class Chart:
    """An SPC chart of a measure's series; ``summary`` is its text alternative."""

    measure_id: str
    title: str
    unit: str
    points: tuple[ChartPoint, ...]
    variation_type: str | None
    variation_icon: str | None
    assurance_type: str | None
    assurance_icon: str | None
    target: float | None
    summary: str


@dataclass(frozen=True)
class Caveat:
    kind: CaveatKind
    text: str
    measure_id: str | None = None


@dataclass(frozen=True)
class NationalMetric:
    name: str
    source: str
    force_level: bool
    note: str = ""


@dataclass(frozen=True)
class Applicability:
    applicable: bool
    reason: str


@dataclass(frozen=True)
class Commentary:
    """Analyst's text for a priority, with figure references already resolved."""

    markdown: str
    source_file: str | None
    references: tuple[tuple[str, str], ...] = ()  # (reference, value as inserted)


@dataclass(frozen=True)
class PrioritySection:
    priority_id: str
    number: int
    title: str
    summary: str
    national_metrics: tuple[NationalMetric, ...]
    applicability: Applicability
    figures: tuple[Figure, ...]
    sentences: tuple[str, ...]
    charts: tuple[Chart, ...]
    caveats: tuple[Caveat, ...]
    commentary: Commentary | None


@dataclass(frozen=True)
class ScorecardRow:
    measure_id: str
    title: str
    priority_id: str
    unit: str
    direction: str
    period_label: str
    value: float | None
    baseline_value: float | None
    change: float | None
    change_pct: float | None
    target: float | None
    target_description: str
    status: ScorecardStatus
    status_text: str
    variation_type: str | None
    variation_icon: str | None
    assurance_type: str | None
    assurance_icon: str | None
    trend: tuple[float | None, ...]
    trend_labels: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    force_id: str
    area_name: str
    period_label: str
    period_long_label: str
    period_first: str
    period_last: str
    baseline_label: str
    baseline_long_label: str
    generated_at: str
    catalogue_version: str
    software_version: str
    title: str
    introduction: tuple[str, ...]
    sections: tuple[PrioritySection, ...]
    scorecard: tuple[ScorecardRow, ...]
    provenance: tuple[Provenance, ...]
    store_path: str
    licence: str = "Contains public sector information licensed under the Open Government Licence v3.0."
    rules: dict[str, str] = field(default_factory=dict)  # documented rules applied (status, rounding)
