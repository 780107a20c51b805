"""The measure catalogue's schema, and loading it with errors an analyst can act on.

Measures are data: each one names the dataset it is counted from and a filter on that
dataset's columns, so a force adds a local KPI by adding a few lines of YAML.  The schema
is strict (unknown keys are errors) because a misspelt ``direction`` or filter column
would otherwise silently change a published figure.
"""

from __future__ import annotations

import os
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scorecard.errors import CatalogueError, UsageError
from scorecard.periods import Period, PeriodError, parse

#: Datasets a measure can be counted from, and the columns its filter may use.
DATASETS: dict[str, tuple[str, ...]] = {
    "home_office_prc": ("series", "series_group", "series_subgroup"),
    "ons_pfa_tables": ("series", "series_group"),
    "local_series": ("series",),
    "police_uk_street": ("crime_type", "last_outcome_category"),
    "police_uk_outcomes": ("outcome_type",),
    "police_uk_stop_search": ("type", "object_of_search", "outcome", "legislation", "gender",
                              "age_range", "self_defined_ethnicity", "officer_defined_ethnicity"),
}

Unit = Literal["count", "percentage", "rate", "seconds", "minutes", "score"]
Direction = Literal["increase", "decrease", "neutral"]
Role = Literal["national", "proxy", "context", "local"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NationalMetric(_Strict):
    name: str
    source: str = Field(description="Data source as the national measure is published, e.g. 'NHS'.")
    force_level: bool = Field(description="Whether the metric is published for each force area.")
    note: str = ""


class Priority(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int
    title: str
    national_metrics: list[NationalMetric]
    summary: str = ""


class Target(_Strict):
    """A target for a KPI: a fixed value, or a % change on the baseline."""

    value: float | None = None
    change_pct_vs_baseline: float | None = None
    description: str = ""

    @model_validator(mode="after")
    def _one_kind(self) -> Target:
        if (self.value is None) == (self.change_pct_vs_baseline is None):
            raise ValueError("give exactly one of 'value' or 'change_pct_vs_baseline'")
        return self


class Measure(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id used in commentary and files.")
    title: str
    priority: str
    role: Role = Field(description="national metric, force-level proxy for one, context, or local KPI")
    national_metric: str | None = Field(
        default=None, description="Name of the national metric it measures or stands in for.")
    description: str = ""
    dataset: str
    filter: dict[str, list[str]] = Field(default_factory=dict)
    unit: Unit = "count"
    direction: Direction
    baseline: str | None = Field(default=None, description="Baseline period label; default: the catalogue's.")
    target: Target | None = None
    source_text: str = Field(description="Source as printed under figures, e.g. 'Home Office police recorded crime'.")
    caveats: list[str] = Field(default_factory=list)

    @field_validator("dataset")
    @classmethod
    def _known_dataset(cls, v: str) -> str:
        if v not in DATASETS:
            raise ValueError(f"unknown dataset {v!r}; known: {', '.join(DATASETS)}")
        return v

    @model_validator(mode="after")
    def _filter_columns(self) -> Measure:
        allowed = DATASETS[self.dataset]
        for col, values in self.filter.items():
            if col not in allowed:
                raise ValueError(f"filter column {col!r} is not a column of {self.dataset} (use {', '.join(allowed)})")
            if not values:
                raise ValueError(f"filter {col!r} lists no values")
        if self.baseline is not None:
            try:
                parse(self.baseline)
            except PeriodError as exc:
                raise ValueError(f"baseline: {exc}") from exc
        return self


class Catalogue(_Strict):
    version: str
    baseline: str = "YE Jun 2019"
    priorities: list[Priority]
    measures: list[Measure]

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        parse(self.baseline)
        ids = [p.id for p in self.priorities]
        seen: set[str] = set()
        for m in self.measures:
            if m.priority not in ids:
                raise ValueError(f"measure {m.id!r}: unknown priority {m.priority!r} (known: {', '.join(ids)})")
            if m.id in seen:
                raise ValueError(f"measure id {m.id!r} appears twice")
            seen.add(m.id)
        return self

    @cached_property
    def by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def measure(self, measure_id: str) -> Measure:
        try:
            return self.by_id[measure_id]
        except KeyError:
            raise UsageError(f"no measure {measure_id!r} in the catalogue") from None

    def baseline_for(self, measure: Measure) -> Period:
        return parse(measure.baseline or self.baseline)

    def for_priority(self, priority_id: str) -> list[Measure]:
        return [m for m in self.measures if m.priority == priority_id]


def default_catalogue_text() -> str:
    return resources.files("scorecard.catalogue").joinpath("measures.yaml").read_text("utf-8")


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """The packaged catalogue, or ``path`` / ``SCORECARD_CATALOGUE`` when given."""
    chosen = path or os.environ.get("SCORECARD_CATALOGUE")
    name = str(chosen) if chosen else "measures.yaml (built in)"
    try:
        text = Path(chosen).read_text("utf-8") if chosen else default_catalogue_text()
    except OSError as exc:
        raise CatalogueError(name, f"cannot read the catalogue: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(name, f"not valid YAML: {exc}") from exc
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and loc[0] == "measures" and isinstance(loc[1], int):
                measures = data.get("measures", []) if isinstance(data, dict) else []
                mid = measures[loc[1]].get("id", loc[1]) if loc[1] < len(measures) else loc[1]
                loc = ["measure", mid, *loc[2:]]
            problems.append(f"{'.'.join(str(p) for p in loc)}: {err['msg']}")
        raise CatalogueError(name, "; ".join(problems)) from None


def json_schema() -> dict[str, object]:
    return Catalogue.model_json_schema()
