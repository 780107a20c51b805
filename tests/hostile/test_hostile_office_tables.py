"""Bad table files (docs/tables.md) through ``scorecard ingest``: refused, naming where, store unchanged.

Each case starts from one of the demo's table files — figures quoted from seed 003, the West
Midlands PCC's annual report 2023-24 — with one thing wrong, as CSV or as an XLSX workbook of
one table per sheet.  Every one must be refused with exit code 3, one line naming the file and
its row (and sheet and column where there is one), no traceback, and the store exactly as it
was: a table file is loaded whole or not at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from harness import ROOT, Case, Make, Outcome, check, run_all, write

from scorecard.errors import EXIT_INPUT

TABLES = ROOT / "demo" / "annual" / "tables"
VICTIMS = TABLES / "09-victims-fund.csv"  # seed 003, Victims Fund Budget 2023-24
REPORTING = TABLES / "05-third-party-reporting.csv"  # seed 003, figure 11
TREATMENT = TABLES / "01-treatment.csv"  # seed 003, figure 1, by local authority
ASSESSMENTS = TABLES / "03-arrest-referral.csv"  # seed 003, figure 3


def rows_of(path: Path) -> list[list[str]]:
    return [list(r) for r in csv.reader(io.StringIO(path.read_text("utf-8"), newline=""))]


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def csv_with(source: Path, change: Callable[[list[list[str]]], None], name: str | None = None) -> Make:
    def make(folder: Path) -> Path:
        rows = rows_of(source)
        change(rows)
        return write(folder, name or source.name, as_csv(rows))

    return make


def cell(row: int, column: int, value: str) -> Callable[[list[list[str]]], None]:
    """Set the cell on 1-based ``row`` (the file's line) and 0-based ``column``."""

    def change(rows: list[list[str]]) -> None:
        while len(rows[row - 1]) <= column:
            rows[row - 1].append("")
        rows[row - 1][column] = value

    return change


def drop_row(row: int) -> Callable[[list[list[str]]], None]:
    return lambda rows: rows.__delitem__(row - 1)


def workbook(sheets: dict[str, list[list[object]]], name: str = "tables.xlsx") -> Make:
    def make(folder: Path) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for r in rows:
                sheet.append(r)
        path = folder / name
        book.save(path)
        return path

    return make


def sheet_of(path: Path, change: Callable[[list[list[str]]], None] = lambda rows: None) -> list[list[object]]:
    rows = rows_of(path)
    change(rows)
    return [list(r) for r in rows]


# Line numbers in the demo files: 09-victims-fund.csv has its headings on line 9, types on 10, rows 11-22
# (the total on 22); 05-third-party-reporting.csv has its rows on lines 12-20.
CASES = [
    Case("office-count-with-a-fraction", "a count of 325.5 reports is refused, naming its row and column",
         csv_with(REPORTING, cell(12, 1, "325.5")), line=12, says=r"column B.*not a whole number"),
    Case("office-money-beyond-pence", "£745,271.125 has a fraction of a penny: refused",
         csv_with(VICTIMS, cell(11, 1, "£745,271.125")), line=11, says="more than two decimal places"),
    Case("office-text-in-a-money-column", "'tbc' in a money column is refused, naming the cell",
         csv_with(VICTIMS, cell(12, 1, "tbc")), line=12, says=r"B12 \(2023/24, money\).*not a number"),
    Case("office-percent-in-a-count-column", "a percentage where a count belongs is refused",
         csv_with(REPORTING, cell(13, 1, "55%")), line=13, says="is a percentage in a count column"),
    Case("office-missing-type", "a column with a heading but no type is refused",
         csv_with(REPORTING, cell(11, 3, "")), line=11, says=r"column D \(NFA\) has no type"),
    Case("office-unknown-type", "a type nobody defined ('percentage') is refused with the types listed",
         csv_with(REPORTING, cell(11, 2, "percentge")), line=11, says="unknown column type 'percentge'"),
    Case("office-missing-heading", "a column without a heading is refused",
         csv_with(REPORTING, cell(10, 2, "")), line=10, says="column C has no heading"),
    Case("office-value-beyond-the-columns", "a figure to the right of the last column is refused",
         csv_with(VICTIMS, cell(13, 3, "99")), line=13, says="a value in a column with no heading"),
    Case("office-no-force", "a table that says whose it is not is refused",
         csv_with(VICTIMS, drop_row(4)), says="no 'force' row"),
    Case("office-unknown-force", "a force that does not exist is refused", csv_with(VICTIMS, cell(4, 1, "Mercia")),
         line=4, says="unknown police force 'Mercia'"),
    Case("office-bad-year", "a year that is not a financial year is refused", csv_with(VICTIMS, cell(5, 1, "2023")),
         line=5, says="not a financial year"),
    Case("office-unknown-key", "a misspelt key is refused with a suggestion",
         csv_with(VICTIMS, cell(7, 0, "totl row")), line=7, says="did you mean 'total row'"),
    Case("office-key-twice", "a caption given twice is refused", csv_with(VICTIMS, cell(3, 0, "caption")), line=3,
         says="'caption' is given twice"),
    Case("office-total-row-missing", "a total row the table does not have is refused",
         csv_with(VICTIMS, cell(7, 1, "Total Victim Fund Budget")), line=7,
         says="did you mean 'Total Victims Fund Budget'"),
    Case("office-bad-id", "a table id a chapter cannot place is refused", csv_with(VICTIMS, cell(1, 1, "Victims Fund")),
         line=1, says="lower-case letters"),
    Case("office-bad-period", "a month nobody can read is refused", csv_with(REPORTING, cell(12, 0, "Julember 2023")),
         line=12, says="not a period"),
    Case("office-unknown-local-authority", "a local authority outside the force area is refused with a suggestion",
         csv_with(TREATMENT, cell(12, 0, "Dudly")), line=12, says="did you mean 'Dudley'"),
    Case("office-ratio-names-no-column", "'percent = A / B' naming a column the table lacks is refused",
         csv_with(REPORTING, cell(11, 2, "percent = Reports / Total")), line=11, says="names no column"),
    Case("office-excel-fractions", "percentages saved as Excel fractions (0.04 for 4%) are refused, not printed "
         "as 0.04%", csv_with(REPORTING, lambda rows: [r.__setitem__(2, str(int(r[2].rstrip('%')) / 100))
                                                        for r in rows[11:]]),
         says="all between 0 and 1"),
    Case("office-no-rows", "a table with headings and types but no rows is refused",
         csv_with(ASSESSMENTS, lambda rows: rows.__delitem__(slice(10, None))), says="no rows below"),
    Case("office-xlsx-sheet-not-a-table", "a workbook with a notes sheet among its tables is refused, naming the sheet",
         workbook({"Victims Fund": sheet_of(VICTIMS), "Notes": [["These figures are provisional."]]}),
         says=r"sheet 'Notes'.*not a table"),
    Case("office-xlsx-wrong-type", "a workbook cell of the wrong type names the sheet, row and column",
         workbook({"Victims Fund": sheet_of(VICTIMS), "Reporting": sheet_of(REPORTING, cell(14, 1, "lots"))}),
         line=14, says=r"sheet 'Reporting'.*column B"),
    Case("office-xlsx-same-id-twice", "two sheets holding the same table id are refused",
         workbook({"One": sheet_of(VICTIMS), "Two": sheet_of(VICTIMS)}), says="given twice"),
]


@pytest.fixture(scope="module")
def outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return run_all(CASES, hostile_store, tmp_path_factory.mktemp("office-tables"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


def test_every_case_is_a_bad_file() -> None:
    assert len(CASES) >= 20 and {c.exit for c in CASES} == {EXIT_INPUT}


# With --refuse-findings, what is otherwise a finding (loaded, warned, listed in the draft) is refused.
STRICT = ("ingest", "--refuse-findings", "{input}")
STRICT_CASES = [
    Case("office-strict-total-does-not-add-up", "a stated total £54 off the sum of its rows is refused under "
         "--refuse-findings, naming row and column", csv_with(VICTIMS, cell(11, 1, "£745,217")), args=STRICT,
         line=22, says=r"column B \(2023/24\).*stated total £3,605,815 differs.*£3,605,761.*nothing was loaded"),
    Case("office-strict-percentages-do-not-make-100", "seed 003's own third-party reporting (90% + 5% in January "
         "2024) is refused under --refuse-findings", csv_with(REPORTING, lambda rows: None), args=STRICT, line=18,
         says=r"add up to 90% \+ 5% = 95%.*1 more finding"),
    Case("office-strict-xlsx-subtotal", "a subtotal that does not add up, in a workbook, names the sheet",
         workbook({"Community safety": sheet_of(TABLES / "08-community-safety.csv", cell(14, 1, "£452,000"))}),
         args=STRICT, says=r"sheet 'Community safety'.*differs"),
]


@pytest.fixture(scope="module")
def strict_outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return run_all(STRICT_CASES, hostile_store, tmp_path_factory.mktemp("office-tables-strict"))


@pytest.mark.parametrize("case", STRICT_CASES, ids=[c.id for c in STRICT_CASES])
def test_refused_cleanly_under_refuse_findings(case: Case, strict_outcomes: dict[str, Outcome]) -> None:
    check(case, strict_outcomes[case.id])
