"""The measure catalogue's schema, and loading it with errors an analyst can act on.

Measures are data: each one names the dataset it is counted from and a filter on that
dataset's columns, so a force adds a local KPI by adding a few lines of YAML.  The schema
is strict because a mistake would otherwise silently change a published figure: unknown
keys, a key written twice, a value of the wrong type (``"5"`` for a number), an unknown
priority, dataset or filter column, and a measure id used twice are all errors naming the
key and its line.  The file is read by ``scorecard.config_files`` (bounded size and depth,
no YAML aliases), the one reader every configuration file goes through.
"""

from __future__ import annotations

import os
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scorecard import config_files
from scorecard.config_files import KeyProblem
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
    """Unknown keys are errors and nothing is coerced: ``"5"`` is not a number, ``"false"`` not a boolean."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


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
            raise ValueError(f"unknown dataset {v!r}{config_files.suggest(v, DATASETS)}; known: {', '.join(DATASETS)}")
        return v

    @model_validator(mode="after")
    def _filter_columns(self) -> Measure:
        allowed = DATASETS[self.dataset]
        for col, values in self.filter.items():
            if col not in allowed:
                raise KeyProblem(("filter", col), f"filter column {col!r} is not a column of {self.dataset}"
                                                  f"{config_files.suggest(col, allowed)}; use {', '.join(allowed)}")
            if not values:
                raise KeyProblem(("filter", col), f"filter {col!r} lists no values")
        if self.baseline is not None:
            try:
                parse(self.baseline)
            except PeriodError as exc:
                raise KeyProblem(("baseline",), f"baseline: {exc}") from exc
        return self


class Catalogue(_Strict):
    version: str = Field(min_length=1)
    baseline: str = "YE Jun 2019"
    priorities: list[Priority] = Field(min_length=1)
    measures: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        try:
            parse(self.baseline)
        except PeriodError as exc:
            raise KeyProblem(("baseline",), f"baseline: {exc}") from exc
        first_priority: dict[str, int] = {}
        for i, p in enumerate(self.priorities):
            if p.id in first_priority:
                raise KeyProblem(("priorities", i, "id"), f"priority id {p.id!r} appears twice "
                                                          f"(priorities[{first_priority[p.id]}] and [{i}])")
            first_priority[p.id] = i
        first_measure: dict[str, int] = {}
        for i, m in enumerate(self.measures):
            if m.priority not in first_priority:
                raise KeyProblem(("measures", i, "priority"),
                                 f"unknown priority {m.priority!r}{config_files.suggest(m.priority, first_priority)}"
                                 f"; known: {', '.join(first_priority)}")
            if m.id in first_measure:
                raise KeyProblem(("measures", i, "id"), f"measure id {m.id!r} appears twice "
                                                        f"(measures[{first_measure[m.id]}] and [{i}])")
            first_measure[m.id] = i
        return self

    @cached_property
    def by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id; an unknown id (a command-line mistake) suggests the closest."""
        try:
            return self.by_id[measure_id]
        except KeyError:
            hint = config_files.suggest(measure_id, self.by_id)
            raise UsageError(f"no measure {measure_id!r} in the catalogue{hint}; "
                             "`scorecard catalogue list` shows every measure") from None

    def baseline_for(self, measure: Measure) -> Period:
        return parse(measure.baseline or self.baseline)

    def for_priority(self, priority_id: str) -> list[Measure]:
        return [m for m in self.measures if m.priority == priority_id]


def default_catalogue_text() -> str:
    return resources.files("scorecard.catalogue").joinpath("measures.yaml").read_text("utf-8")


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """The packaged catalogue, or ``path`` / ``SCORECARD_CATALOGUE`` when given.

    Every problem is a ``CatalogueError`` naming the file, key and line.
    """
    chosen = path or os.environ.get("SCORECARD_CATALOGUE")
    if chosen:
        doc = config_files.load_yaml(Path(chosen), what="catalogue", error=CatalogueError)
    else:
        doc = config_files.parse_yaml(default_catalogue_text(), "measures.yaml (built in)", what="catalogue",
                                      error=CatalogueError)
    return parse_catalogue(doc)


def parse_catalogue(doc: config_files.Document) -> Catalogue:
    """A catalogue from a document already read by ``config_files``."""
    return config_files.validate(Catalogue, doc, error=CatalogueError)


def json_schema() -> dict[str, object]:
    return Catalogue.model_json_schema()
