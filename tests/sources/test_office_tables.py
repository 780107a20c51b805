"""Table files (docs/tables.md): the office's and partners' tables, read exactly and checked.

The demo's table files hold seed 003's tables (the West Midlands PCC's annual report 2023-24)
figure for figure.  The expected figures here are read from the seed itself — the tab-separated
table lines of ../shared/seeds/003_*.txt — never from our own output, and the findings are the
inconsistencies a reader finds in the seed by hand: two months of third-party reporting whose
outcome rates do not make 100% (January 2024: 90% + 5%; March 2024: 86% + 11%), the advocates'
funding total labelled "Total Victims Fund Budget" like the table before it, and the Arrest Referral
(Drug Interventions Programme) given £500,000 in one table and £503,000 in another.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scorecard.documents.office_table import office_table
from scorecard.sources.office_table_load import held_tables
from scorecard.sources.office_tables import OfficeTable, cross_check, read_office_tables
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "demo" / "annual" / "tables"
SEED = next((ROOT.parent / "shared" / "seeds").glob("003_*.txt"))

#: Where each table is in seed 003: the line of its headings and of its last row (1-based).
SEED_LINES = {
    "treatment": (365, 367), "new_presentations": (371, 373), "arrest_referral": (391, 395),
    "divert_engagement": (443, 445), "third_party_reporting": (502, 511), "helping_communities": (792, 801),
    "prevention_intervention": (807, 813), "community_safety": (819, 840), "victims_fund": (846, 858),
    "idva_isva": (864, 867),
}
#: The seed prints these two tables with local authorities across and years down; the file has them down.
TRANSPOSED = {"treatment", "new_presentations"}


def seed_table(table_id: str) -> list[list[str]]:
    first, last = SEED_LINES[table_id]
    lines = SEED.read_text("utf-8").splitlines()[first - 1:last]
    rows = [line.split("\t") for line in lines]
    if table_id in TRANSPOSED:
        rows = [list(column) for column in zip(*rows, strict=True)]
    return rows[1:]  # the rows below the headings


def number_in(text: str) -> Decimal | None:
    digits = re.sub(r"[£,%\s]", "", text)
    return Decimal(digits) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", digits) else None


def demo_tables() -> list[OfficeTable]:
    return [t for path in sorted(TABLES.glob("*.csv")) for t in read_office_tables(path)]


@pytest.mark.parametrize("table_id", list(SEED_LINES))
def test_every_supplied_table_prints_the_figures_seed_003_prints(table_id: str) -> None:
    table = office_table(next(t for t in demo_tables() if t.id == table_id))
    printed = [[c.text for c in row.cells] for row in table.rows]
    seed = seed_table(table_id)
    assert len(printed) == len(seed)
    for ours, theirs in zip(printed, seed, strict=True):
        assert [number_in(c) for c in ours[1:]] == [number_in(c) for c in theirs[1:len(ours)]] + [None] * (
            len(ours) - len(theirs)), (ours, theirs)
    # The seed's own text where it is a figure with a unit: "£745,271", "4%", "89.6%".
    seed_cells = {c for row in seed for c in row[1:] if "£" in c or "%" in c}
    assert seed_cells <= {c for row in printed for c in row}


def test_percentages_keep_the_places_they_were_written_with() -> None:
    table = office_table(next(t for t in demo_tables() if t.id == "third_party_reporting"))
    assert [c.text for c in table.rows[0].cells] == ["Jul 2023", "325", "4%", "96%"]
    divert = office_table(next(t for t in demo_tables() if t.id == "divert_engagement"))
    assert divert.rows[1].cells[7].text == "63.0%"  # as the seed prints it, not "63%"


def test_total_subtotal_and_heading_rows_are_marked_for_every_renderer() -> None:
    funds = next(t for t in demo_tables() if t.id == "community_safety")
    kinds = dict(zip((str(r[0]) for r in funds.rows), funds.row_kinds, strict=True))
    assert kinds["Force Wide Commissioning Allocations"] == "heading"
    assert kinds["Sub-Total"] == kinds["7 Local CSP's"] == "subtotal"
    assert kinds["Total Community Safety Funding"] == "total"
    assert funds.findings == ()  # £2,331,893 + £1,500,000 = £3,831,893, and each subtotal adds up


def test_the_seed_s_own_inconsistencies_are_found() -> None:
    tables = demo_tables()
    found = [f for t in tables for f in t.findings] + cross_check(tables)
    said = [(f.file, f.row, f.column, f.problem) for f in found]
    assert said == [
        ("05-third-party-reporting.csv", 18, "C (Positive outcome rate)",
         "Jan 2024: 'Positive outcome rate' and 'NFA' add up to 90% + 5% = 95%, not 100%"),
        ("05-third-party-reporting.csv", 20, "C (Positive outcome rate)",
         "Mar 2024: 'Positive outcome rate' and 'NFA' add up to 86% + 11% = 97%, not 100%"),
        ("08-community-safety.csv", 16, "B (2023/24)",
         "'Arrest Referral (Drug Interventions Programme)', 2023/24: £500,000 here but £503,000 in table "
         "'prevention_intervention' (Prevention and Intervention Fund 2023-24, row 12): is it the same item?"),
        ("10-idva-isva.csv", 14, "A (Priority)",
         "The total is labelled 'Total Victims Fund Budget', as in table 'victims_fund' (Victims Fund Budget "
         "2023-24): is it this table's total?"),
    ]


def _edited(tmp_path: Path, source: str, line: int, column: int, value: str) -> OfficeTable:
    rows = list(csv.reader(io.StringIO((TABLES / source).read_text("utf-8"), newline="")))
    rows[line - 1][column] = value
    path = tmp_path / source
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (table,) = read_office_tables(path)
    return table


@pytest.mark.parametrize(("source", "line", "column", "value", "says"), [
    ("09-victims-fund.csv", 11, 1, "£745,217", ["the stated total £3,605,815 differs from the sum of the rows above "
                                                "it, £3,605,761 (a difference of £54)"]),
    ("08-community-safety.csv", 14, 1, "£452,000", [
        "the stated total £3,831,893 differs from the sum of the rows above it, £3,829,893 (a difference of £2,000)",
        "the stated subtotal £2,331,893 differs from the sum of the 8 rows since the last subtotal, £2,329,893"]),
    ("03-arrest-referral.csv", 11, 2, "526", ["the row's total 2,500 differs from the sum of its 4 columns, 2,464"]),
    ("06-helping-communities.csv", 11, 2, "31", ["the stated total 92 differs from the sum of the rows above it, 91 "
                                                 "(a difference of 1)"]),
    ("09-victims-fund.csv", 12, 0, "Domestic Abuse", ["'Domestic Abuse' is given twice with different values: "
                                                      "745271 on row 11, 150000 here"]),
])
def test_a_figure_that_disagrees_with_its_table_is_a_finding(tmp_path: Path, source: str, line: int, column: int,
                                                             value: str, says: list[str]) -> None:
    table = _edited(tmp_path, source, line, column, value)
    assert [f.problem for f in table.findings] == says


def test_a_share_and_a_rate_are_checked_against_their_count_and_base(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    # Seed 003, figure 11, with the positive outcomes counted: July 2023, 13 of 325 is 4.0%; August, 295 of 557
    # is 53.0%. The third column states each month's share of the reports; the fourth the outcome rate.
    path.write_text("table,outcomes\ncaption,Outcomes\nsource,Third-Party Reporting Team\nforce,West Midlands\n"
                    "year,2023-24\n\nMonth,Reports,Share of reports,Positive outcomes,Positive outcome rate\n"
                    "period,count,share of Reports,count,percent = Positive outcomes / Reports\n"
                    "July 2023,325,36.8%,13,4%\nAugust 2023,557,63.2%,295,55%\n", "utf-8")
    (table,) = read_office_tables(path)
    assert [(f.row, f.problem) for f in table.findings] == [
        (10, "55% disagrees with 295 of 557, which is 53.0%")]
    path.write_text(path.read_text("utf-8").replace("36.8%", "38.6%"), "utf-8")
    (table,) = read_office_tables(path)
    assert (9, "38.6% disagrees with 325 of the column's 882, which is 36.85%") in [(f.row, f.problem)
                                                                                   for f in table.findings]


def test_an_xlsx_workbook_of_one_table_a_sheet_reads_as_the_csv_files_do(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(TABLES.glob("*.csv")):
        sheet = book.create_sheet(path.stem[:31])
        for row in csv.reader(io.StringIO(path.read_text("utf-8"), newline="")):
            # Figures as a spreadsheet holds them: numbers, not text (a percentage is left as "4%" text).
            sheet.append([_spreadsheet_value(v) for v in row])
    workbook = tmp_path / "tables-2023-24.xlsx"
    book.save(workbook)
    from_xlsx = read_office_tables(workbook)
    from_csv = demo_tables()
    assert [t.id for t in from_xlsx] == [t.id for t in from_csv]
    for a, b in zip(from_xlsx, from_csv, strict=True):
        assert a.rows == b.rows and a.row_kinds == b.row_kinds and [f.problem for f in a.findings] == [
            f.problem for f in b.findings]
        assert a.sheet is not None and a.file == workbook.name


def _spreadsheet_value(text: str) -> object:
    plain = text.replace(",", "").removeprefix("£")
    if re.fullmatch(r"[0-9]+", plain):
        return int(plain)
    if re.fullmatch(r"[0-9]+\.[0-9]+", plain):
        return float(plain)
    return text


def test_the_store_keeps_each_table_whole_and_records_a_revised_one(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store.duckdb") as store:
        from scorecard.ingest import ingest_path

        first = ingest_path(store, TABLES / "09-victims-fund.csv")
        assert first["status"] == "loaded" and first["rows"] == 12
        (held,) = held_tables(store, "west-midlands", "2023-24")
        assert held == read_office_tables(TABLES / "09-victims-fund.csv")[0]  # nothing lost or changed
        revised = tmp_path / "09-victims-fund.csv"
        revised.write_text((TABLES / "09-victims-fund.csv").read_text("utf-8").replace("£76,517", "£76,571"), "utf-8")
        second = ingest_path(store, revised)
        assert any("differs from the sum of the rows" in w for w in second["warnings"])
        (held,) = held_tables(store, "west-midlands", "2023-24")
        assert held.rows[5][1] == Decimal("76571")
        assert [(r["what"], r["old_load_id"], r["new_load_id"]) for r in store.revisions()] == [
            ("2023-24 table victims_fund", first["load_id"], second["load_id"])]
