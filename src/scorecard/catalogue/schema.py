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
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from scorecard import config_files
from scorecard.config_files import KeyProblem
from scorecard.errors import CatalogueError, UsageError
from scorecard.periods import Period, PeriodError, parse
from scorecard.units import RATE_BASES, UNITS, Aggregation, Direction, Unit

Grain = Literal["month", "quarter", "year"]
GRAIN_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Dataset:
    """A family of stored figures a measure can be counted from."""

    columns: tuple[str, ...]  # the columns a measure's filter may use
    grain: Grain | None  # the periods its figures are kept in; None: each series says (local series)
    sub_areas: tuple[str, ...] = ()  # sub-area breakdowns it can give ("local_authority", "csp")


#: Datasets a measure can be counted from: the columns its filter may use, the grain its
#: figures are kept in, and the sub-areas it can be broken down by.
DATASETS: dict[str, Dataset] = {
    "home_office_prc": Dataset(("series", "series_group", "series_subgroup"), "quarter"),
    "ons_pfa_tables": Dataset(("series", "series_group"), "year"),
    "local_series": Dataset(("series",), None, ("local_authority", "csp")),
    "police_uk_street": Dataset(("crime_type", "last_outcome_category"), "month", ("local_authority", "csp")),
    "police_uk_outcomes": Dataset(("outcome_type",), "month", ("local_authority", "csp")),
    "police_uk_stop_search": Dataset(("type", "object_of_search", "outcome", "legislation", "gender", "age_range",
                                      "self_defined_ethnicity", "officer_defined_ethnicity"), "month"),
}

Role = Literal["national", "proxy", "context", "local", "series"]
#: Which of several measures sharing a name ("burglary": Home Office recorded crime, the ONS
#: tables, data.police.uk's street count) text most likely means: the first role here.
ROLE_PREFERENCE: tuple[Role, ...] = ("national", "proxy", "local", "context")


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


class Noun(_Strict):
    """What a count counts, for sentences: "There were 19,018 burglaries" (plural given, never guessed)."""

    singular: str = Field(min_length=1)
    plural: str = Field(min_length=1)

    def form(self, n: float) -> str:
        return self.singular if n == 1 else self.plural


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
    unit: str = Field(default="count", description=f"One of: {', '.join(UNITS)} (scorecard.units).")
    aggregation: Aggregation | None = Field(
        default=None, description="How figures combine over a window: sum, mean, ratio (of summed numerator and "
                                  "denominator) or latest (a stock); default: the unit's.")
    grain: Grain | None = Field(default=None, description="Periods the series is charted in; default: the dataset's.")
    noun: Noun | None = Field(default=None, description="What a count counts, singular and plural, for sentences.")
    aliases: list[str] = Field(default_factory=list,
                               description="Other names for it in text, for `scorecard check` (e.g. 'vehicle crime').")
    rate_per: int | None = Field(default=None, description="Population base a count's rate is published per: 1000, "
                                                           "100000 or 1000000 (none: no rate is shown).")
    phrase: str | None = Field(default=None, description="How a sentence states the figure, with {value} and "
                                                         "{period}: '{value} of calls to 999 were answered within 10 "
                                                         "seconds {period}'.")
    direction: Direction
    baseline: str | None = Field(default=None, description="Baseline period label; default: the catalogue's.")
    target: Target | None = None
    source_text: str = Field(description="Source as printed under figures, e.g. 'Home Office police recorded crime'.")
    caveats: list[str] = Field(default_factory=list)

    @field_validator("dataset", "unit")
    @classmethod
    def _registered(cls, v: str, info: ValidationInfo) -> str:
        """A dataset of ``DATASETS`` and a unit of ``UNITS``, else the closest and the list."""
        known = DATASETS if info.field_name == "dataset" else UNITS
        if v not in known:
            raise ValueError(f"unknown {info.field_name} {v!r}{config_files.suggest(v, known)}; "
                             f"known: {', '.join(known)}")
        return v

    @property
    def unit_info(self) -> Unit:
        return UNITS[self.unit]

    @property
    def combine(self) -> Aggregation:
        """How this measure's figures combine over a window (its own choice, else its unit's)."""
        return self.aggregation or self.unit_info.aggregation

    @property
    def series_grain(self) -> Grain | None:
        """The periods its series is kept in: its own, else its dataset's (None: as each series holds)."""
        return self.grain or DATASETS[self.dataset].grain

    @property
    def short_title(self) -> str:
        """Its title without a bracketed qualifier, lowercased: "Robbery (all)" is "robbery"."""
        return " ".join(re.sub(r"\s*\([^)]*\)\s*$", "", self.title).lower().split())

    @property
    def names(self) -> set[str]:
        """Every name text may call it by, lowercased with single spaces: its short title, its
        aliases and its noun, singular and plural (``scorecard check`` finds measures by these)."""
        written = [self.short_title, *self.aliases]
        if self.noun is not None:
            written += [self.noun.singular, self.noun.plural]
        return {" ".join(n.lower().split()) for n in written if n.strip()}

    @property
    def rate_base(self) -> int | None:
        """The population base its rate is shown per, where the catalogue gives one (counts only):
        a rate per head of the whole population means little for, say, admissions of under-25s."""
        return self.rate_per if self.unit == "count" else None

    @model_validator(mode="after")
    def _semantics(self) -> Measure:
        u = self.unit_info
        if self.aggregation == "sum" and not u.additive:
            raise KeyProblem(("aggregation",), f"a {u.id} cannot be summed over time; use mean, ratio or latest")
        if self.aggregation == "ratio" and u.kind not in ("percentage", "rate", "duration", "score"):
            raise KeyProblem(("aggregation",), f"a {u.id} is not a ratio; use sum or latest")
        if self.rate_per is not None and (self.unit != "count" or self.rate_per not in RATE_BASES):
            raise KeyProblem(("rate_per",), "rate_per is for counts, and is 1000, 100000 or 1000000")
        if self.noun is not None and self.unit != "count":
            raise KeyProblem(("noun",), f"a noun counts things; a {u.id} is named by its title")
        if self.phrase is not None and ("{value}" not in self.phrase or "{period}" not in self.phrase):
            raise KeyProblem(("phrase",), "a phrase says where the figure and its period go: {value} and {period}")
        return self

    @model_validator(mode="after")
    def _filter_columns(self) -> Measure:
        allowed = DATASETS[self.dataset].columns
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

    def with_held_series(self, held: list[HeldSeries]) -> Catalogue:
        """This catalogue and a measure for every series the store holds that no curated measure
        counts on its own — every Table P1 column of an ONS workbook, every series id of a local
        series file — so any of them can be asked for (``--measure ons.residential_burglary``,
        ``--measure local.nrm_referrals_county_lines``) without writing an entry.  Their title and
        unit are the file's; they are not judged (direction neutral) and belong to no priority, so
        no document states them unless a catalogue curates them.  The catalogue curates; it does
        not gatekeep."""
        curated = {(m.dataset, v) for m in self.measures if set(m.filter) == {"series"}
                   for v in m.filter["series"]}
        extra = [Measure.model_construct(
            id=f"{_PREFIX[h.dataset]}.{h.series}", title=h.label, priority="", role="series",
            national_metric=None, description=f"Held in the store; not a curated measure ({h.dataset}).",
            dataset=h.dataset, filter={"series": [h.series]}, unit=h.unit if h.unit in UNITS else "score",
            aggregation=None, grain=None, noun=None, aliases=[], rate_per=None, phrase=None, direction="neutral",
            baseline=None, target=None, source_text=_SOURCE[h.dataset], caveats=[])
            for h in held if h.dataset in _PREFIX and (h.dataset, h.series) not in curated]
        if not extra:
            return self
        wider = self.model_copy(update={"measures": [*self.measures, *extra]})
        wider.__dict__.pop("by_id", None)  # model_copy copies a cached by_id of the narrower catalogue
        return wider


@dataclass(frozen=True)
class HeldSeries:
    """A series the store holds (``Store.series_held``): what the file calls it and its unit."""

    dataset: str
    series: str
    label: str
    unit: str


_PREFIX = {"ons_pfa_tables": "ons", "local_series": "local"}
_SOURCE = {"ons_pfa_tables": "ONS Police Force Area data tables, Table P1", "local_series": "Local series file"}


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
