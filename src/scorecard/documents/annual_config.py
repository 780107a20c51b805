"""An annual report's configuration (``scorecard annual-report --config annual.yaml``).

The PCC office writes the chapters (Markdown files in ``chapters_dir``) and configures the
tables the report computes: the precept by council tax band from the Band D amounts, and the
PEEL grades as the inspectorate published them.  Read strictly, like every configuration
(``scorecard.config_files``): an unknown key, a key given twice, a value of the wrong type, an
amount of money with more than two places of pence, or a grade given for the same area twice is
an error naming the key and line.  Every key is in docs/annual-report.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from scorecard import config_files
from scorecard.documents.model import Status
from scorecard.periods import FinancialYear, PeriodError, parse
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


class AnnualReportFile(_Strict):
    """The keys an annual report configuration may hold (see docs/annual-report.md)."""

    status: Status = "draft"
    title: str | None = None
    chapters_dir: str = Field(min_length=1, description="The folder of chapter files, relative to this file.")
    precept: PreceptFile | None = None
    peel: PeelFile | None = None
    notes: list[str] = Field(default_factory=list)


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

    def as_published(self) -> dict[str, object]:
        """What report.json records of it: no local paths."""
        return {
            "document": "annual_report", "status": self.status, "title": self.title,
            "precept": None if self.precept is None else {
                "band_d": {self.precept.previous[0].label: str(self.precept.previous[1]),
                           self.precept.current[0].label: str(self.precept.current[1])},
                "source": self.precept.source},
            "peel": self.peel.model_dump() if self.peel else None, "notes": list(self.notes),
        }

    @classmethod
    def load(cls, path: Path, year: FinancialYear) -> AnnualReportConfig:
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
        return cls(spec.status, spec.title, folder, precept, spec.peel, tuple(spec.notes), str(path), lines)


__all__ = ["AnnualReportConfig", "AnnualReportFile", "PeelFile", "Precept", "PreceptFile"]
