"""Reading the Home Office police recorded crime (PRC) tables, in each form they come in.

The real long parquet copy is the reference; the official-layout workbooks and CSVs are
built here from a slice of it (West Mercia in full, plus a few rows for the Met, the City,
BTP and the national fraud bodies) so every form can be checked against the same figures.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from scorecard.errors import InputError, UnknownForce
from scorecard.sources.home_office import looks_like_home_office, read_home_office
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

PRC_PARQUET = Path(__file__).resolve().parents[3] / "shared" / "data" / "home-office" / "prc_pfa_long.parquet"
needs_real_data = pytest.mark.skipif(not PRC_PARQUET.exists(), reason="needs ../shared/data")

HEADER: Row = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description",
          "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences"]
NOTES: list[Row] = [["Police recorded crime by police force area: open data tables"], [],
         ["Source: Home Office. [Note 6] The Metropolitan Police figures exclude ..."]]
Row = list[Any]


# --- helpers: the real figures, and the official layout written three ways ------------------

def official_rows(fy: str) -> list[Row]:
    """One financial year of the slice, as rows of the published tables (file order kept)."""
    t = pq.read_table(PRC_PARQUET, filters=[("FY", "=", fy)])
    extras = pc.and_(pc.is_in(t["Force"], pa.array(["Metropolitan Police", "London, City of",
                                                     "British Transport Police"])),
                     pc.equal(t["Offence Subgroup"], "Homicide"))
    national = pc.is_in(t["Force"], pa.array(["Action Fraud", "CIFAS", "UK Finance"]))
    keep = pc.or_(pc.or_(pc.equal(t["Force"], "West Mercia"), extras), national)
    rows = []
    for r in t.filter(keep).to_pylist():
        name = "Metropolitan Police [Note 6]" if r["Force"] == "Metropolitan Police" else r["Force"]
        rows.append([r["FY"], int(r["Financial Quarter"]), name, r["Offence Description"], r["Group"],
                     r["Offence Subgroup"], r["Offence Code"], int(r["n"])])
    return rows


def write_xlsx(path: Path, sheets: dict[str, list[Row]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[Row]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell())
                    continue
                numeric = isinstance(value, int | float)
                cell = TableCell(valuetype="float", value=value) if numeric else TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_csv(path: Path, rows: Sequence[Row], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def observations(parsed: ParsedFile) -> list[dict[str, Any]]:
    """The observations without provenance, in a fixed order, for comparing forms."""
    rows = parsed.table.drop_columns(["source_line", "source_sheet"]).to_pylist()
    return sorted(rows, key=lambda r: (r["force_id"], r["first_month"], r["series"]))


def total(parsed: ParsedFile, force_id: str, first: date, last: date, **match: str) -> float:
    """Sum of a force's counts over whole quarters, filtered on e.g. series_subgroup=..."""
    t = parsed.table
    mask = pc.and_(pc.equal(t["force_id"], force_id),
                   pc.and_(pc.greater_equal(t["first_month"], first), pc.less_equal(t["last_month"], last)))
    for column, value in match.items():
        mask = pc.and_(mask, pc.equal(t[column], value))
    return float(pc.sum(t.filter(mask)["value"]).as_py() or 0)


@pytest.fixture(scope="module")
def prc() -> ParsedFile:
    return read_home_office(PRC_PARQUET)


@pytest.fixture(scope="module")
def sheets() -> dict[str, list[Row]]:
    """A workbook as published: a notes sheet, then one sheet per financial year."""
    return {"Notes": NOTES,
            "2018_19": [HEADER, *official_rows("2018/19")],
            "2019_20": [HEADER, *official_rows("2019/20")]}


@pytest.fixture(scope="module")
def parquet_slice(prc: ParsedFile) -> list[dict[str, Any]]:
    """What the workbook built in ``sheets`` should read as."""
    t = prc.table
    years = pc.and_(pc.greater_equal(t["first_month"], date(2018, 4, 1)),
                    pc.less_equal(t["first_month"], date(2020, 1, 1)))
    homicide = pc.and_(pc.equal(t["series_subgroup"], "Homicide"),
                       pc.is_in(t["force_id"], pa.array(["metropolitan", "city-of-london", "btp"])))
    areas = pc.or_(pc.or_(pc.equal(t["force_id"], "west-mercia"), pc.equal(t["area_type"], "national_body")),
                   homicide)
    slice_ = observations(ParsedFile("slice", "", "", t.filter(pc.and_(years, areas))))
    assert len(slice_) > 1000
    return slice_


def bad_csv(tmp_path: Path, *rows: Row) -> Path:
    return write_csv(tmp_path / "prc.csv", [HEADER, *rows])


GOOD: Row = ["2018/19", 2, "West Midlands", "Murder", "Violence against the person", "Homicide", "1", 12]


def with_(**changes: Any) -> Row:
    """GOOD with some columns replaced, by position name: fy, q, force, desc, group, sub, code, n."""
    names = ["fy", "q", "force", "desc", "group", "sub", "code", "n"]
    return [changes.get(name, value) for name, value in zip(names, GOOD, strict=True)]


def assert_names_file_and_line(err: InputError, path: Path, line: int, sheet: str | None = None) -> None:
    assert err.file == str(path)
    assert err.line == line
    where = f", sheet {sheet!r}" if sheet else ""
    assert str(err).startswith(f"{path}{where}, line {line}: ")


# --- the real parquet ---------------------------------------------------------------------

@needs_real_data
def test_west_midlands_baseline_year_matches_the_published_figures(prc: ParsedFile) -> None:
    # The national baseline is the year ending June 2019: 2018-19 Q2..Q4 and 2019-20 Q1.
    first, last = date(2018, 7, 1), date(2019, 6, 1)
    assert total(prc, "west-midlands", first, last, series_subgroup="Homicide") == 52
    burglary = sum(total(prc, "west-midlands", first, last, series_subgroup=s)
                   for s in ("Residential burglary", "Non-residential burglary",
                             "Domestic burglary", "Non-domestic burglary"))
    assert burglary == 28_681
    assert total(prc, "west-midlands", first, last, series_group="Robbery") == 8_935


@needs_real_data
def test_parquet_reads_every_force_and_national_body(prc: ParsedFile) -> None:
    assert prc.kind == "home_office_prc_parquet"
    assert prc.dataset == "home_office_prc"
    assert prc.table.schema == OBSERVATION_SCHEMA
    assert prc.table.num_rows == 321_893
    assert prc.covers == "2012-13 Q1 to 2025-26 Q3, 43 forces + 5 other bodies"

    areas = {(r["force_id"], r["area_type"], r["area_code"], r["area_name"])
             for r in prc.table.select(["force_id", "area_type", "area_code", "area_name"]).to_pylist()}
    assert ("city-of-london", "force", "E23000034", "City of London") in areas  # "London, City of"
    assert ("metropolitan", "force", "E23000001", "Metropolitan Police") in areas
    assert ("btp", "force", "btp", "British Transport Police") in areas
    national = {a for a in areas if a[1] == "national_body"}
    # "CIFAS" and "Cifas" are one body.
    assert national == {("action-fraud", "national_body", "action-fraud", "Action Fraud"),
                        ("cifas", "national_body", "cifas", "CIFAS"),
                        ("uk-finance", "national_body", "uk-finance", "UK Finance"),
                        ("financial-fraud-action-uk", "national_body", "financial-fraud-action-uk",
                         "Financial Fraud Action UK")}


@needs_real_data
def test_parquet_keeps_codes_as_text_and_cleans_labels(prc: ParsedFile) -> None:
    codes = set(pc.unique(prc.table["series"]).to_pylist())
    assert {"1/4.1/4.10/4.2", "4.1", "4.10", "37.2", "28E", "AF"} <= codes
    labels = set(pc.unique(prc.table["series_label"]).to_pylist())
    assert "Residential burglary of a unconnected building" in labels  # was "a\xa0unconnected"
    assert "Preserved other fraud and repealed fraud offences (pre Fraud Act 2006)" in labels
    assert all(label == " ".join(label.split()) for label in labels)


@needs_real_data
def test_parquet_quarters_become_months(prc: ParsedFile) -> None:
    row = prc.table.slice(0, 1).to_pylist()[0]  # Action Fraud, 2012/13 Q1
    assert (row["first_month"], row["last_month"]) == (date(2012, 4, 1), date(2012, 6, 1))
    assert (row["unit"], row["source_line"], row["source_sheet"]) == ("count", 1, None)
    q4 = prc.table.filter(pc.equal(prc.table["first_month"], date(2019, 1, 1)))
    assert set(q4["last_month"].to_pylist()) == {date(2019, 3, 1)}


@needs_real_data
def test_negative_published_counts_are_kept_with_a_warning(prc: ParsedFile) -> None:
    assert pc.min(prc.table["value"]).as_py() == -268  # BTP violent disorder, 2012/13 Q3
    assert len(prc.warnings) == 1
    assert "426 row(s) have a negative Number of Offences, kept as published" in prc.warnings[0]


# --- the official layout: ODS, XLSX and CSV give what the parquet gives ---------------------

@needs_real_data
@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_official_workbook_matches_the_parquet(
    tmp_path: Path, sheets: dict[str, list[Row]], parquet_slice: list[dict[str, Any]], suffix: str,
) -> None:
    write = write_xlsx if suffix == "xlsx" else write_ods
    path = write(tmp_path / f"prc-pfa-mar2013-onwards-tables.{suffix}", sheets)

    parsed = read_home_office(path)

    assert parsed.kind == f"home_office_prc_{suffix}"
    assert parsed.covers == "2018-19 Q1 to 2019-20 Q4, 3 forces + 4 other bodies"
    assert parsed.warnings == []
    assert observations(parsed) == parquet_slice
    # Provenance: the first data row of each year sheet is row 2, under the header.
    first = parsed.table.filter(pc.equal(parsed.table["source_line"], 2)).to_pylist()
    assert [r["source_sheet"] for r in first] == ["2018_19", "2019_20"]


@needs_real_data
def test_csv_export_matches_the_parquet(
    tmp_path: Path, sheets: dict[str, list[Row]], parquet_slice: list[dict[str, Any]],
) -> None:
    rows = [HEADER, *sheets["2018_19"][1:], *sheets["2019_20"][1:]]
    parsed = read_home_office(write_csv(tmp_path / "prc.csv", rows))

    assert parsed.kind == "home_office_prc_csv"
    assert observations(parsed) == parquet_slice
    assert parsed.table["source_line"][0].as_py() == 2
    assert parsed.table["source_sheet"].null_count == parsed.table.num_rows


def test_parquet_style_column_names_are_read_in_a_csv_too(tmp_path: Path) -> None:
    header = ["FY", "Financial Quarter", "Force", "Offence Description", "Group", "Offence Subgroup",
              "Offence Code", "n", "territorial"]
    path = write_csv(tmp_path / "long.csv", [header, [*GOOD, "True"]])
    assert looks_like_home_office(path)
    assert read_home_office(path).table["value"].to_pylist() == [12.0]


def test_title_rows_above_the_header_keep_sheet_row_numbers(tmp_path: Path) -> None:
    sheet: list[Row] = [[None], ["Police recorded crime, 2018/19"], [None], [None, *HEADER], [None, *GOOD]]
    for path in (write_xlsx(tmp_path / "prc.xlsx", {"2018_19": sheet}),
                 write_ods(tmp_path / "prc.ods", {"2018_19": sheet})):
        parsed = read_home_office(path)
        assert parsed.table["source_line"].to_pylist() == [5]
        assert parsed.table["source_sheet"].to_pylist() == ["2018_19"]


def test_numeric_offence_codes_are_read_but_warned_about(tmp_path: Path) -> None:
    # Excel turns "8" into 8.0 and "37.2" into 37.2; "4.10" would become 4.1.
    path = write_xlsx(tmp_path / "prc.xlsx", {"2018_19": [
        HEADER, with_(code=8), with_(code=37.2, q=3),
    ]})
    parsed = read_home_office(path)
    assert parsed.table["series"].to_pylist() == ["8", "37.2"]
    [warning] = parsed.warnings
    assert "2 Offence Code cell(s) are stored as numbers (first at sheet '2018_19' line 2)" in warning


def test_a_quarter_of_a_financial_year_is_three_months_from_april(tmp_path: Path) -> None:
    rows = [with_(fy="2024/25", q=q, code=str(q)) for q in (1, 2, 3, 4)]
    parsed = read_home_office(bad_csv(tmp_path, *rows))
    months = list(zip(parsed.table["first_month"].to_pylist(), parsed.table["last_month"].to_pylist(),
                      strict=True))
    assert months == [(date(2024, 4, 1), date(2024, 6, 1)), (date(2024, 7, 1), date(2024, 9, 1)),
                      (date(2024, 10, 1), date(2024, 12, 1)), (date(2025, 1, 1), date(2025, 3, 1))]
    assert parsed.covers == "2024-25 Q1 to 2024-25 Q4, 1 force"


def test_windows_1252_csv_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prc.csv", [HEADER, with_(desc="Murder – £ test")], encoding="cp1252")
    parsed = read_home_office(path)
    assert parsed.table["series_label"].to_pylist() == ["Murder – £ test"]
    [warning] = parsed.warnings
    assert warning.startswith(f"{path}: not valid UTF-8 (first at line 2); read as Windows-1252")


# --- sniffing --------------------------------------------------------------------------------

@needs_real_data
def test_looks_like_home_office_recognises_each_form(tmp_path: Path, sheets: dict[str, list[Row]]) -> None:
    assert looks_like_home_office(PRC_PARQUET)
    assert looks_like_home_office(write_xlsx(tmp_path / "a.xlsx", sheets))
    assert looks_like_home_office(write_ods(tmp_path / "a.ods", {"Notes": NOTES, "2018_19": [HEADER, GOOD]}))
    assert looks_like_home_office(bad_csv(tmp_path, GOOD))


def test_looks_like_home_office_rejects_other_files(tmp_path: Path) -> None:
    assert not looks_like_home_office(write_xlsx(tmp_path / "notes.xlsx", {"Notes": NOTES}))
    street = write_csv(tmp_path / "street.csv", [["Crime ID", "Month", "Reported by"]])
    assert not looks_like_home_office(street)
    pq.write_table(pa.table({"FY": ["2018/19"], "n": [1.0]}), tmp_path / "other.parquet")
    assert not looks_like_home_office(tmp_path / "other.parquet")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert not looks_like_home_office(tmp_path / "broken.xlsx")
    assert not looks_like_home_office(tmp_path / "missing.csv")


# --- bad input: every error names the file and the line ---------------------------------------

@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (with_(q=5), "Financial Quarter must be 1, 2, 3 or 4, got 5"),
        (with_(q="Q5"), "Financial Quarter must be 1, 2, 3 or 4, got 5"),
        (with_(q="second"), "Financial Quarter must be 1, 2, 3 or 4, got 'second'"),
        (with_(q=""), "Financial Quarter is blank"),
        (with_(fy="2018/20"), "Financial Year '2018/20' does not span two consecutive years"),
        (with_(fy="18-19"), "Financial Year must be written like 2018/19, got '18-19'"),
        (with_(n=""), "Number of Offences is blank"),
        (with_(n="[x]"), "Number of Offences: '[x]' is not a number"),
        (with_(n="2.5"), "Number of Offences: 2.5 is not a whole number"),
        (with_(n="inf"), "Number of Offences: 'inf' is not a number"),
        (with_(n="1,2"), "Number of Offences: '1,2' is not a number (commas separate thousands in groups "
                         "of three, as in 1,234; decimals take a full stop)"),
        (with_(n="1e5"), "Number of Offences: '1e5' is not a number (write the figure in full, without an exponent)"),
        (with_(n="12%"), "Number of Offences: '12%' is a percentage, not a count"),
        (with_(n="1 234"), "Number of Offences: '1 234' is not a number (a number has no spaces inside it)"),
        (with_(n="1" + "0" * 15),
         "Number of Offences: 1000000000000000 is too large to be a figure (the limit is 10^15)"),
        (with_(force="West\x00Midlands"), "Force Name holds the control character U+0000 (character 5); "
                                          "a cell holds only printable text"),
        (with_(desc="Murder\x1b[31m"), "Offence Description holds the control character U+001B (character 7); "
                                        "a cell holds only printable text"),
        (with_(fy="0000/01"), "Financial Year '0000/01' is not a year the tables cover"),
        (with_(code=" "), "Offence Code is blank"),
        (with_(desc=""), "Offence Description is blank"),
    ],
)
def test_a_bad_cell_is_reported_with_its_line(tmp_path: Path, row: Row, problem: str) -> None:
    path = bad_csv(tmp_path, GOOD, row)
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 3)
    assert exc.value.problem == problem


def test_an_unknown_force_is_reported_with_its_line(tmp_path: Path) -> None:
    path = bad_csv(tmp_path, GOOD, with_(force="Mercia West"))
    with pytest.raises(UnknownForce) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 3)
    assert exc.value.problem == "unknown police force 'Mercia West'"


def test_a_repeated_force_quarter_and_code_names_both_lines(tmp_path: Path) -> None:
    path = bad_csv(tmp_path, GOOD, with_(code="28E"), with_(n=13))
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 4)
    assert exc.value.problem == "West Midlands 2018-19 Q2 offence code '1' is given twice: also at line 2"


def test_a_repeat_across_sheets_names_both_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prc.xlsx", {"2018_19": [HEADER, GOOD], "2019_20": [HEADER, GOOD]})
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 2, "2019_20")
    assert exc.value.problem == ("West Midlands 2018-19 Q2 offence code '1' is given "
                                 "twice: also at sheet '2018_19' line 2")


def test_a_bad_cell_in_a_workbook_names_its_sheet(tmp_path: Path) -> None:
    sheet: list[Row] = [HEADER, GOOD, with_(code="28E"), with_(force="Narnia")]
    path = write_ods(tmp_path / "prc.ods", {"Notes": NOTES, "2019_20": sheet})
    with pytest.raises(UnknownForce) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 4, "2019_20")
    assert exc.value.problem == "unknown police force 'Narnia'"


def test_a_csv_row_with_the_wrong_number_of_columns(tmp_path: Path) -> None:
    path = bad_csv(tmp_path, GOOD, GOOD[:7])
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 3)
    assert exc.value.problem == "row has 7 fields but the header has 8"


def test_a_csv_without_the_header_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prc.csv", [GOOD, GOOD])
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert str(exc.value) == (
        f"{path}: no header row with Financial Year, Financial Quarter, Force Name, Offence Description, "
        "Offence Group, Offence Subgroup, Offence Code, Number of Offences found in the first 20 lines")


def test_a_header_missing_a_column_is_reported_at_the_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prc.csv", [[h for h in HEADER if h != "Offence Subgroup"]])
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 1)
    assert exc.value.problem == "the header row lacks column(s) Offence Subgroup"


def test_a_workbook_with_only_a_notes_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prc.xlsx", {"Cover": NOTES})
    with pytest.raises(InputError, match=r"no header row with Financial Year, .* in any sheet \('Cover'\)"):
        read_home_office(path)


def test_a_header_without_data(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data rows below the header"):
        read_home_office(write_csv(tmp_path / "prc.csv", [HEADER]))


@pytest.mark.parametrize("name", ["prc.csv", "prc.xlsx", "prc.ods", "prc.parquet"])
def test_an_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        read_home_office(path)


def test_a_csv_in_neither_utf8_nor_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "prc.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n2018/19,2,West Midlands,Murder \x81\x9d,x,y,1,1\n")
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 2)
    assert "neither UTF-8 nor Windows-1252" in exc.value.problem


def test_a_utf16_csv_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prc.csv", [HEADER, GOOD], encoding="utf-16")
    assert read_home_office(path).table["value"].to_pylist() == [12.0]


def test_a_utf16_csv_without_its_byte_order_mark_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prc.csv", [HEADER, GOOD], encoding="utf-16-le")
    with pytest.raises(InputError, match="UTF-16 saved without its byte-order mark") as exc:
        read_home_office(path)
    assert exc.value.line == 1


def test_a_parquet_without_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "prc.parquet"
    pq.write_table(pa.table({"FY": ["2018/19"], "n": [1.0]}), path)
    with pytest.raises(InputError, match="parquet file lacks column"):
        read_home_office(path)


def test_a_negative_count_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = bad_csv(tmp_path, GOOD, with_(code="62A", n=-3))
    parsed = read_home_office(path)
    assert parsed.table["value"].to_pylist() == [12.0, -3.0]
    assert parsed.warnings == [f"{path}: 1 row(s) have a negative Number of Offences, kept as published "
                               "(first at line 3: West Midlands 2018/19 Q2 offence 62A = -3)"]


def test_thousands_separators_and_blank_lines_in_a_csv(tmp_path: Path) -> None:
    path = bad_csv(tmp_path, with_(n="1,234"), [""] * 8, with_(code="28E", n=" 7 "))
    parsed = read_home_office(path)
    assert parsed.table["value"].to_pylist() == [1234.0, 7.0]
    assert parsed.table["source_line"].to_pylist() == [2, 4]


def test_a_true_false_cell_is_not_a_count(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prc.xlsx", {"2018_19": [HEADER, GOOD, with_(code="28E", n=True)]})
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert_names_file_and_line(exc.value, path, 3, "2018_19")
    assert exc.value.problem == "Number of Offences: TRUE is a true/false value, not a number"


# --- the parquet copy: types, size and damage are checked before it is decoded ----------------

def real_parquet_columns() -> dict[str, pa.Array]:
    t = pq.read_table(PRC_PARQUET).slice(0, 1000)
    return {name: t.column(name).combine_chunks() for name in t.column_names}


@needs_real_data
@pytest.mark.parametrize(("column", "values", "problem"), [
    ("n", lambda a: pc.cast(a, pa.string()), "column 'n' holds text, but Number of Offences must be numbers"),
    ("n", lambda a: pc.greater(a, 5), "column 'n' holds bool, but Number of Offences must be numbers"),
    ("Financial Quarter", lambda a: pa.array([date(2018, 4, 1)] * len(a)),
     "column 'Financial Quarter' holds date32[day], but Financial Quarter must be numbers"),
    ("Offence Code", lambda a: pa.array(range(len(a))),
     "column 'Offence Code' holds number, but Offence Code must be text"),
], ids=["n-as-text", "n-as-bool", "quarter-as-date", "code-as-int"])
def test_a_parquet_column_of_the_wrong_type_is_refused(tmp_path: Path, column: str, values: Any, problem: str) -> None:
    columns = real_parquet_columns()
    columns[column] = values(columns[column])
    path = tmp_path / "prc.parquet"
    pq.write_table(pa.table(columns), path)
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert exc.value.problem == problem


@needs_real_data
def test_a_truncated_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prc.parquet"
    data = PRC_PARQUET.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cannot open as parquet"):
        read_home_office(path)


@needs_real_data
def test_a_parquet_whose_text_would_decode_to_gigabytes_is_refused_before_decoding(tmp_path: Path) -> None:
    # One 2,000-character description repeated for 400,000 rows: a small file (dictionary
    # encoded, and built that way here too), 800 MB once written out.
    rows = 400_000

    def repeated(value: str) -> pa.Array:
        return pa.DictionaryArray.from_arrays(pa.repeat(pa.scalar(0, pa.int32()), rows), pa.array([value]))

    columns = {"FY": repeated("2018/19"), "Financial Quarter": pa.repeat(pa.scalar(1.0), rows),
               "Force": repeated("West Mercia"), "Offence Description": repeated("x" * 2000),
               "Group": repeated("g"), "Offence Subgroup": repeated("s"),
               "Offence Code": pc.cast(pa.array(range(rows)), pa.string()), "n": pa.repeat(pa.scalar(1.0), rows)}
    path = tmp_path / "prc.parquet"
    pq.write_table(pa.table(columns), path)
    assert path.stat().st_size < 10 * 1024 * 1024
    with pytest.raises(InputError, match=r"text would take 810,288,890 bytes once decoded"):
        read_home_office(path)


@needs_real_data
def test_a_parquet_control_character_names_its_row(tmp_path: Path) -> None:
    columns = real_parquet_columns()
    labels = columns["Offence Description"].to_pylist()
    labels[41] = "Arson\x1b[2J"
    columns["Offence Description"] = pa.array(labels)
    path = tmp_path / "prc.parquet"
    pq.write_table(pa.table(columns), path)
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert exc.value.line == 42
    assert exc.value.problem == ("Offence Description holds the control character U+001B (character 6); "
                                 "a cell holds only printable text")


# --- workbooks: formulas and far-away cells --------------------------------------------------

def test_a_formula_without_a_saved_value_in_a_workbook_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "prc.xlsx", {"2018_19": [HEADER, GOOD, with_(code="28E", n="=6*2")]})
    with pytest.raises(InputError) as exc:
        read_home_office(path)
    assert str(exc.value) == (f"{path}, sheet '2018_19', line 3: cell H3 holds a formula with no saved value "
                              "(=6*2): open the workbook in Excel and save it again")


def test_a_workbook_that_claims_a_million_rows_is_read_as_the_rows_it_holds(tmp_path: Path) -> None:
    import zipfile

    path = write_xlsx(tmp_path / "prc.xlsx", {"2018_19": [HEADER, GOOD]})
    claimed = tmp_path / "claimed.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(claimed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:H2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            zout.writestr(info, data)
    parsed = read_home_office(claimed)
    assert parsed.table["value"].to_pylist() == [12.0]
    assert parsed.table["source_line"].to_pylist() == [2]
