"""Hostile Home Office police workforce tables, through ``scorecard ingest``.

Every input is the real September 2019 workbook (``police-workforce-sep19-tables.ods``) with one
thing wrong in its ``content.xml``, saved under its published name.  Each must be refused with one
line naming the file, the sheet, the row and the cell, exit code 3, no traceback, and the store -
which already holds the September 2018 and 2019 tables as published - exactly as it was: a
damaged copy read as if it were good would replace every force's figures for its three dates.

The cell most cases break is West Midlands' headcount of police officers at 31 March 2019, 6,641:
sheet ``Table_7``, row 32, cell B32 (tests/golden/workforce).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from harness import SHARED, Case, Make, Outcome, check, run_all

from scorecard.errors import EXIT_INPUT
from scorecard.ingest import ingest

SEP19 = SHARED / "workforce" / "police-workforce-sep19-tables.ods"
SEP18 = SHARED / "workforce" / "police-workforce-sep18-tables.ods"
Edit = Callable[[bytes], bytes]

WM_OFFICERS = b'office:value-type="float" office:value="6641" table:style-name="ce394"><text:p>6,641</text:p>'
MAR19 = b'office:value-type="date" office:date-value="2019-03-31T00:00:00" table:style-name="ce26"><text:p>Mar-19'
SEP19_DATE = b'office:value-type="date" office:date-value="2019-09-30T00:00:00" table:style-name="ce26"><text:p>Sep-19'


def in_sheet(sheet: str, old: bytes, new: bytes) -> Edit:
    """Replace ``old`` (which must occur exactly once in the sheet) with ``new``, in that sheet only."""

    def edit(xml: bytes) -> bytes:
        start = xml.index(b'<table:table table:name="' + sheet.encode() + b'"')
        end = xml.index(b"</table:table>", start)
        part = xml[start:end]
        assert part.count(old) == 1, (sheet, old)
        return xml[:start] + part.replace(old, new) + xml[end:]

    return edit


def wm_officers(cell: bytes) -> Edit:
    """West Midlands' officers at 31 March 2019 (Table_7, B32) written as ``cell`` (attributes and body)."""
    return in_sheet("Table_7", WM_OFFICERS, cell)


def without_total_row(xml: bytes) -> bytes:
    start = xml.index(b'<table:table table:name="Table_7"')
    name = xml.index(b"<text:p>Total</text:p>", start)
    row = xml.rindex(b"<table:table-row", start, name)
    end = xml.index(b"</table:table-row>", name) + len(b"</table:table-row>")
    return xml[:row] + xml[end:]


def cut_short(xml: bytes) -> bytes:
    """Table_7 without its rows from "Total 43 forces" on, as if the sheet had been cut off there."""
    start = xml.index(b'<table:table table:name="Table_7"')
    name = xml.index(b"<text:p>Total 43 forces</text:p>", start)
    row = xml.rindex(b"<table:table-row", start, name)
    return xml[:row] + xml[xml.index(b"</table:table>", name):]


def sep19_with(*edits: Edit) -> Make:
    """The real September 2019 workbook with ``edits`` applied to its content.xml (the rest as published)."""

    def make(folder: Path) -> Path:
        path = folder / SEP19.name
        with zipfile.ZipFile(SEP19) as zin, zipfile.ZipFile(path, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "content.xml":
                    for edit in edits:
                        data = edit(data)
                zout.writestr(info, data)  # keeps each part's compression: the mimetype stays stored
        return path

    return make


def case(id: str, intent: str, *edits: Edit, line: int | None = None, says: str) -> Case:
    return Case(id, intent, sep19_with(*edits), line=line, says=says)


CASES = [
    case("wf-text-figure", "a figure typed as the word 'six' is refused naming sheet and cell",
         wm_officers(b'office:value-type="string" table:style-name="ce394"><text:p>six</text:p>'), line=32,
         says=r"sheet 'Table_7', cell B32, line 32: the figure for 31 March 2019: 'six' is not a number"),
    case("wf-one-comma-two", "a figure written '1,2' is refused, not read as 12",
         wm_officers(b'office:value-type="string" table:style-name="ce394"><text:p>1,2</text:p>'), line=32,
         says=r"cell B32.*'1,2' is not a number"),
    case("wf-negative", "a negative headcount is refused",
         wm_officers(WM_OFFICERS.replace(b'"6641"', b'"-6641"')), line=32, says=r"cell B32.*is negative \(-6641\)"),
    case("wf-percent", "a percentage where a headcount belongs is refused",
         wm_officers(b'office:value-type="string" table:style-name="ce394"><text:p>92%</text:p>'), line=32,
         says=r"cell B32.*a percentage, not a number of people"),
    case("wf-blank", "a blank figure in a force row is refused: the Home Office writes '..' for a gap",
         wm_officers(b'table:style-name="ce394">'), line=32, says=r"cell B32.*is blank.*'\.\.'"),
    case("wf-date-figure", "a date where a figure belongs is refused",
         wm_officers(b'office:value-type="date" office:date-value="2019-03-31" table:style-name="ce394">'
                     b"<text:p>31/03/2019</text:p>"), line=32, says=r"cell B32.*is a date, not a number"),
    case("wf-boolean-figure", "TRUE where a figure belongs is refused",
         wm_officers(b'office:value-type="boolean" office:boolean-value="true" table:style-name="ce394">'
                     b"<text:p>TRUE</text:p>"), line=32, says=r"cell B32.*true/false value, not a number"),
    case("wf-formula-without-value", "a figure that is a formula with no saved value is refused, not read as blank",
         wm_officers(b'table:formula="of:=[.B29]+1" table:style-name="ce394"><text:p>6,641</text:p>'),
         line=32, says=r"sheet 'Table_7'.*cell B32 holds a formula with no saved value"),
    case("wf-unknown-force", "a force nobody knows is refused naming its cell",
         in_sheet("Table_7", b"<text:p>Kent</text:p>", b"<text:p>Kentish Town</text:p>"), line=45,
         says=r"sheet 'Table_7', cell A45, line 45: unknown police force, region or total 'Kentish Town'"),
    case("wf-force-twice", "a force given twice (and another missing) is refused naming both rows",
         in_sheet("Table_7", b"<text:p>Kent</text:p>", b"<text:p>Surrey</text:p>"), line=46,
         says=r"cell A46, line 46: Surrey appears twice \(also row 45\)"),
    case("wf-sum-broken", "a figure that no longer adds up to its region's total is refused at the region",
         wm_officers(WM_OFFICERS.replace(b'"6641"', b'"6642"')), line=28,
         says=r"cell B28, line 28: 'West Midlands' is 11,069 at 31 March 2019, but the rows it totals add up to "
              r"11,070: a row is missing, repeated or misread"),
    case("wf-date-as-text", "a census date typed as text is refused, not read as the end of the dates",
         in_sheet("Table_7", SEP19_DATE, b'office:value-type="string" table:style-name="ce26"><text:p>Sep-19'),
         line=6, says=r"cell C6, line 6: 'Sep-19' in the header row is neither a census date nor a change column"),
    case("wf-not-month-end", "a census date that is not the last day of a month is refused",
         in_sheet("Table_7", MAR19, MAR19.replace(b"2019-03-31", b"2019-03-30")), line=6,
         says=r"cell B6, line 6: census date 2019-03-30 is not the last day of a month"),
    case("wf-no-unit-label", "a table that does not say whether it counts heads or FTE is refused",
         in_sheet("Table_7", b"<text:p>Headcount</text:p>", b"<text:p>Number</text:p>"),
         says=r"sheet 'Table_7': the unit label above the table .* is missing"),
    case("wf-unit-disagrees-with-title", "a '(headcount)' title over a 'Full-time equivalents' label is refused",
         in_sheet("Table_7", b"<text:p>Headcount</text:p>", b"<text:p>Full-time equivalents</text:p>"), line=1,
         says=r"sheet 'Table_7', line 1: the title ends '\(headcount\)' but the unit label .* 'Full-time"),
    case("wf-sheet-not-a-table", "a sheet titled as a table that holds no table (the Index) is refused",
         in_sheet("Index", b"<text:p>Police Workforce, England and Wales, 30 September 2019</text:p>",
                  b"<text:p>Table 0: Police officers by police force area, England and Wales (headcount)</text:p>"),
         says=r"sheet 'Index': no header row of census dates"),
    case("wf-two-tables-one-role", "two sheets of officers' headcount are refused rather than one chosen",
         in_sheet("Table_13", b"<text:p>Table 13: Police support volunteers by",
                  b"<text:p>Table 13: Police officers by"),
         says=r"sheet 'Table_13': two tables of Police officers \(headcount\): sheets 'Table_7' and 'Table_13'"),
    case("wf-no-total", "a table whose 'Total' row was deleted is refused at the first row that is no force",
         without_total_row, line=65, says=r"cell A65, line 65: unknown police force, region or total 'Notes'"),
    case("wf-cut-short", "a table that ends before its totals is refused", cut_short,
         says=r"sheet 'Table_7': the table has no 'Total' row after its forces: it is cut short"),
    case("wf-unnamed-figures", "figures in a row whose name was deleted are refused",
         in_sheet("Table_7", b"<text:p>Total</text:p>", b"<text:p></text:p>"), line=63,
         says=r"cell B63, line 63: a figure in a row with no name in column A"),
]


@pytest.fixture(scope="module")
def workforce_store(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile template store with the September 2018 and 2019 workforce tables loaded as published."""
    from scorecard.store import Store

    path = tmp_path_factory.mktemp("workforce-template") / "store.duckdb"
    shutil.copyfile(hostile_store, path)
    with Store.open(path) as store:
        ingest(store, [SEP18, SEP19])
    return path


@pytest.fixture(scope="module")
def outcomes(workforce_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return run_all(CASES, workforce_store, tmp_path_factory.mktemp("workforce"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


def test_every_case_is_a_bad_file_and_the_real_one_loads(tmp_path: Path) -> None:
    assert {c.exit for c in CASES} == {EXIT_INPUT}
    assert len(CASES) >= 15
    from scorecard.sources.workforce import read_workforce

    unchanged = sep19_with()(tmp_path)  # rezipped with no edit: still the published figures
    assert read_workforce(unchanged).table.num_rows == 1162
