"""An annual report's configuration (``scorecard annual-report --config annual.yaml``).

The PCC office writes the chapters (Markdown files in ``chapters_dir``) and configures the
tables the report computes: the precept by council tax band from the Band D amounts, and the
PEEL grades as the inspectorate published them.  Read strictly, like every configuration
(``scorecard.config_files``): an unknown key, a key given twice, a value of the wrong type, an
amount of money with more than two places of pence, or a grade given for the same area twice is
an error naming the key and line.  Every key is in docs/annual-report.md.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.census import BUNDLED
from scorecard.documents.model import Status
from scorecard.periods import FinancialYear, MonthRange, PeriodError, parse, parse_month
from scorecard.precept import pounds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class PreceptFile(_Strict):
    band_d: dict[str, float | int | str] = Field(description="The Band D precept by financial year, "
                                                             "e.g. {'2022-23': 187.55, '2023-24': 202.55}.")
    source: str = Field(min_length=1, description="Where the Band D amounts are published.")


class PeelFile(_Strict):
    inspection: str = Field(min_length=1, description="The inspection, e.g. 'PEEL 2021/22, published 2022'.")
    source: str = Field(min_length=1)
    grades: dict[str, list[str]] = Field(min_length=1, description="Grade → the areas inspected at that grade.")


class FiguresTableFile(_Strict):
    """A table of measures' figures for the report's year, computed from the store."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="What a chapter places: {table:<id>}.")
    caption: str = Field(min_length=1)
    measures: list[str] = Field(min_length=1, description="Measure ids (`scorecard catalogue list --held`).")
    notes: list[str] = Field(default_factory=list, description="Notes printed under the table, such as the "
                                                                "service level a call-handling figure is held to.")


class StopSearchFile(_Strict):
    """The stop-and-search tables: the months the store's data.police.uk files cover, and the census."""

    months: str = Field(min_length=1, description="The months, e.g. 'Dec 2019 to Feb 2020' or '2019-20'; every "
                                                   "one must be held for the force.")
    census: int = Field(2011, description="The census year of the population by ethnic group.")


class WorkforceFile(_Strict):
    """The workforce table: the force's headcount (or FTE) at a census date, against an earlier one."""

    at: str = Field(min_length=1, description="The census month, e.g. 'Mar 2019' (31 March 2019).")
    earlier: str | None = Field(None, description="The month compared with; default twelve months before.")
    basis: Literal["headcount", "fte"] = "headcount"


class AnnualReportFile(_Strict):
    """The keys an annual report configuration may hold (see docs/annual-report.md)."""

    status: Status = "draft"
    title: str | None = None
    chapters_dir: str = Field(min_length=1, description="The folder of chapter files, relative to this file.")
    precept: PreceptFile | None = None
    peel: PeelFile | None = None
    figures: list[FiguresTableFile] = Field(default_factory=list)
    stop_search: StopSearchFile | None = None
    workforce: WorkforceFile | None = None
    office_tables: list[str] = Field(default_factory=list, description="Ids of tables loaded from table files "
                                                                       "(`scorecard ingest tables.xlsx`).")
    notes: list[str] = Field(default_factory=list)

    def stop_search_months(self) -> MonthRange:
        return stop_search_months(self.stop_search.months if self.stop_search else "")


#: The tables ``stop_search:`` configures.
STOP_SEARCH_TABLES = ("stop_search", "stop_search_ethnicity")


def stop_search_months(label: str) -> MonthRange:
    """The months a stop-and-search table covers, from any period label ("Dec 2019 to Feb 2020")."""
    period = parse(label)
    return MonthRange(period.first, period.last)


@dataclass(frozen=True)
class Precept:
    previous: tuple[FinancialYear, Decimal]
    current: tuple[FinancialYear, Decimal]
    source: str


@dataclass(frozen=True)
class AnnualReportConfig:
    status: Status
    title: str | None
    chapters_dir: Path
    precept: Precept | None
    peel: PeelFile | None
    notes: tuple[str, ...]
    source: str
    lines: dict[str, int | None] = field(default_factory=dict)  # line of each table's key, for errors
    figures: tuple[FiguresTableFile, ...] = ()
    year: str = ""  # the financial year it was loaded for, "2023-24"
    office_tables: tuple[str, ...] = ()  # ids of tables the store holds from table files
    stop_search: StopSearchFile | None = None
    workforce: WorkforceFile | None = None

    def as_published(self) -> dict[str, object]:
        """What report.json records of it: no local paths."""
        return {
            "document": "annual_report", "year": self.year, "status": self.status, "title": self.title,
            "precept": None if self.precept is None else {
                "band_d": {self.precept.previous[0].label: str(self.precept.previous[1]),
                           self.precept.current[0].label: str(self.precept.current[1])},
                "source": self.precept.source},
            "peel": self.peel.model_dump() if self.peel else None, "notes": list(self.notes),
            "figures": [t.model_dump() for t in self.figures], "office_tables": list(self.office_tables),
            "stop_search": self.stop_search.model_dump() if self.stop_search else None,
            "workforce": self.workforce.model_dump() if self.workforce else None,
        }

    @classmethod
    def load(cls, path: Path, year: FinancialYear, measure_ids: Collection[str] = ()) -> AnnualReportConfig:
        """The configuration at ``path`` for ``year``; a figures table's measures must be among
        ``measure_ids`` (the catalogue's, with the series the store holds)."""
        doc = config_files.load_yaml(path, what="annual report configuration")
        spec = config_files.validate(AnnualReportFile, doc)
        folder = path.parent / spec.chapters_dir
        if not folder.is_dir():
            raise doc.error(("chapters_dir",), f"{folder} is not a folder (chapters_dir is read relative to "
                                               "this file's folder)")
        precept = None
        if spec.precept is not None:
            amounts: dict[FinancialYear, Decimal] = {}
            for label, amount in spec.precept.band_d.items():
                key = ("precept", "band_d", label)
                try:
                    fy = parse(label)
                except PeriodError as exc:
                    raise doc.error(key, f"{exc} (give a financial year, e.g. '2023-24')") from None
                if not isinstance(fy, FinancialYear):
                    raise doc.error(key, f"{label!r} is not a financial year (e.g. '2023-24')")
                if fy in amounts:
                    first = next(other for other in spec.precept.band_d if other != label and parse(other) == fy)
                    raise doc.error(key, f"{label!r} and {first!r} are the same year, {fy.label}: give it once")
                try:
                    amounts[fy] = pounds(amount)
                except ValueError as exc:
                    raise doc.error(key, str(exc)) from None
            before = FinancialYear(year.start_year - 1)
            for needed in (before, year):
                if needed not in amounts:
                    raise doc.error(("precept", "band_d"), f"no Band D amount for {needed.label}: the table "
                                                          f"compares {year.label} with {before.label}")
            precept = Precept((before, amounts[before]), (year, amounts[year]), spec.precept.source)
        if spec.peel is not None:
            seen: dict[str, str] = {}
            for grade, areas in spec.peel.grades.items():
                for i, area in enumerate(areas):
                    if area in seen:
                        raise doc.error(("peel", "grades", grade, i),
                                        f"{area!r} is graded twice ({seen[area]!r} and {grade!r})")
                    seen[area] = grade
        lines = {key: doc.line_of((key,)) for key in ("precept", "peel")}
        ids = {"precept", "peel"}
        for i, table in enumerate(spec.figures):
            if table.id in ids:
                raise doc.error(("figures", i, "id"), f"table id {table.id!r} is taken: give each table its own id")
            ids.add(table.id)
            lines[table.id] = doc.line_of(("figures", i))
            for j, mid in enumerate(table.measures):
                if mid not in measure_ids:
                    raise doc.error(("figures", i, "measures", j),
                                    f"no measure {mid!r} in the catalogue or the store"
                                    f"{config_files.suggest(mid, list(measure_ids))}; `scorecard catalogue list "
                                    "--held` lists them")
        if spec.stop_search is not None:
            try:
                spec.stop_search_months()
            except (PeriodError, ValueError) as exc:
                raise doc.error(("stop_search", "months"), str(exc)) from None
            if spec.stop_search.census not in BUNDLED:
                raise doc.error(("stop_search", "census"), f"no census {spec.stop_search.census} is bundled; the "
                                                           f"census years are {', '.join(map(str, BUNDLED))}")
            for table_id in STOP_SEARCH_TABLES:
                lines[table_id] = doc.line_of(("stop_search",))
                ids.add(table_id)
        if spec.workforce is not None:
            months: tuple[tuple[str, str | None], ...] = (("at", spec.workforce.at),
                                                          ("earlier", spec.workforce.earlier))
            for name, written in months:
                if written is not None:
                    try:
                        parse_month(written)
                    except PeriodError as exc:
                        raise doc.error(("workforce", name), f"{exc} (give a month, e.g. 'Mar 2019')") from None
            lines["workforce"] = doc.line_of(("workforce",))
            ids.add("workforce")
        for i, table_id in enumerate(spec.office_tables):
            if table_id in ids:
                raise doc.error(("office_tables", i), f"table id {table_id!r} is taken: give each table its own id")
            ids.add(table_id)
            lines[table_id] = doc.line_of(("office_tables", i))
        return cls(spec.status, spec.title, folder, precept, spec.peel, tuple(spec.notes), str(path), lines,
                   tuple(spec.figures), year.label, tuple(spec.office_tables), spec.stop_search, spec.workforce)


__all__ = ["STOP_SEARCH_TABLES", "AnnualReportConfig", "AnnualReportFile", "FiguresTableFile", "PeelFile", "Precept",
           "PreceptFile", "StopSearchFile", "WorkforceFile", "stop_search_months"]
