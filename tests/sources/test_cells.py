"""The one cell grammar, as a table of examples: what a cell holds, and what it reads as.

Every table reader (Home Office, ONS, local series) takes its numbers, text, decoding and
workbook opening from ``scorecard.sources.cells``; the last tests here feed the same text to
all three readers and check that "1,2" is refused by each.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from scorecard.errors import InputError
from scorecard.sources import cells
from scorecard.sources.home_office import read_home_office
from scorecard.sources.local_series import read_local_series
from scorecard.sources.ons import read_ons_workbook

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"
ONS_JUNE_2019 = DEMO / "policeforceareatablesyearendingjune2019.xlsx"

GROUPING = " (commas separate thousands in groups of three, as in 1,234; decimals take a full stop)"

# --- numbers written as text -------------------------------------------------------------

NUMBERS = [
    # written,      value,     decimals, percent sign
    ("1234",        1234.0,    0, False),
    ("1,234",       1234.0,    0, False),
    ("12,345.6",    12345.6,   1, False),
    ("1,234,567",   1234567.0, 0, False),
    ("1234.5",      1234.5,    1, False),
    (" 7 ",         7.0,       0, False),
    ("+5",          5.0,       0, False),
    ("-5",          -5.0,      0, False),
    ("-0",          0.0,       0, False),
    (".5",          0.5,       1, False),
    ("007",         7.0,       0, False),
    ("76.04",       76.04,     2, False),
    ("92%",         92.0,      0, True),
    ("92 %",        92.0,      0, True),
    ("1,087",       1087.0,    0, False),
]


@pytest.mark.parametrize(("written", "value", "decimals", "percent"), NUMBERS, ids=[n[0] for n in NUMBERS])
def test_a_number_written_as_published_tables_write_it(written: str, value: float, decimals: int,
                                                       percent: bool) -> None:
    assert cells.number(written) == cells.Number(value, decimals, percent, False)


NOT_NUMBERS = [
    ("1,2",       "'1,2' is not a number" + GROUPING),
    ("12,34",     "'12,34' is not a number" + GROUPING),
    ("1,2345",    "'1,2345' is not a number" + GROUPING),
    ("0,123",     "'0,123' is not a number" + GROUPING),
    ("1.2.3",     "'1.2.3' is not a number"),
    ("5.",        "'5.' is not a number"),
    ("1e5",       "'1e5' is not a number (write the figure in full, without an exponent)"),
    ("2.5E-3",    "'2.5E-3' is not a number (write the figure in full, without an exponent)"),
    ("1 234",     "'1 234' is not a number (a number has no spaces inside it)"),
    ("five",      "'five' is not a number"),
    ("n/a",       "'n/a' is not a number"),
    ("..",        "'..' is not a number"),
    ("∞",         "'∞' is not a number"),
    ("inf",       "'inf' is not a number"),
    ("-Infinity", "'-Infinity' is not a number"),
    ("NaN",       "'NaN' is not a number"),
    ("١٢",        "'١٢' is not a number"),  # Arabic-Indic digits: only 0-9 are digits
    ("12-",       "'12-' is not a number"),
    ("--5",       "'--5' is not a number"),
    ("%",         "'%' is not a number"),
    ("",          "is blank"),
    ("1" + "0" * 15, "1000000000000000 is too large to be a figure (the limit is 10^15)"),
    ("9" * 400,   "'" + "9" * 39 + "…' is not a number"),  # too large for a float at all; quoted short
    ("1\x002",    "holds the control character U+0000 (character 2); a cell holds only printable text"),
]


@pytest.mark.parametrize(("written", "problem"), NOT_NUMBERS, ids=[n[0][:12] or "blank" for n in NOT_NUMBERS])
def test_what_is_not_a_number(written: str, problem: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.number(written)
    assert caught.value.problem == problem


# --- spreadsheet cells ---------------------------------------------------------------------

CELLS = [
    # cell,                     number read (None: a gap)
    (None,                      None),
    ("",                        None),
    ("   ",                     None),
    ("\u00a0",                  None),
    (12,                        12.0),
    (12.0,                      12.0),
    (21542.5,                   21542.5),
    (-268.0,                    -268.0),
    ("1,234",                   1234.0),
]


@pytest.mark.parametrize(("cell", "value"), CELLS, ids=[repr(c[0]) for c in CELLS])
def test_a_spreadsheet_cell_as_a_number(cell: object, value: float | None) -> None:
    number = cells.number_cell(cell)
    assert (number.value if number else None) == value


NOT_NUMBER_CELLS = [
    (True,                      "TRUE is a true/false value, not a number"),
    (False,                     "FALSE is a true/false value, not a number"),
    (date(2024, 6, 1),          "2024-06-01 is a date, not a number"),
    (datetime(2024, 6, 1, 9),   "2024-06-01 09:00:00 is a date, not a number"),
    (time(9, 30),               "09:30:00 is a time of day, not a number"),
    (timedelta(hours=25),       "1 day, 1:00:00 is a duration, not a number"),
    (float("inf"),              "inf is not a number"),
    (float("nan"),              "nan is not a number"),
    (1e16,                      "10000000000000000 is too large to be a figure (the limit is 10^15)"),
    (10**400,                   "'" + "1" + "0" * 38 + "…' is too large to be a figure (the limit is 10^15)"),
    ("\x00",                    "holds the control character U+0000 (character 1); a cell holds only printable text"),
]


@pytest.mark.parametrize(("cell", "problem"), NOT_NUMBER_CELLS, ids=[repr(c[0])[:24] for c in NOT_NUMBER_CELLS])
def test_what_a_spreadsheet_cell_holds_that_is_not_a_number(cell: object, problem: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.number_cell(cell)
    assert caught.value.problem == problem


COUNTS = [
    (21542,      21542.0),
    ("21,542",   21542.0),
    (0,          0.0),
    (None,       None),
]


@pytest.mark.parametrize(("cell", "value"), COUNTS, ids=[repr(c[0]) for c in COUNTS])
def test_a_count(cell: object, value: float | None) -> None:
    assert cells.count(cell) == value


NOT_COUNTS = [
    (21542.5,    "21542.5 is not a whole number"),
    ("21,542.5", "21542.5 is not a whole number"),
    (-3,         "-3 is negative"),
    ("12%",      "'12%' is a percentage, not a count"),
]


@pytest.mark.parametrize(("cell", "problem"), NOT_COUNTS, ids=[repr(c[0]) for c in NOT_COUNTS])
def test_what_is_not_a_count(cell: object, problem: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.count(cell)
    assert caught.value.problem == problem


def test_a_negative_count_where_the_caller_keeps_them() -> None:
    assert cells.count(-268, negative_allowed=True) == -268.0


# --- text cells --------------------------------------------------------------------------

TEXT = [
    ("  West Midlands  ",                  "West Midlands"),
    ("a\u00a0unconnected building",        "a unconnected building"),
    ("two\tword\r\nlabel",                 "two word label"),
    ("Ynys Môn – Gwynedd",                 "Ynys Môn – Gwynedd"),
    ("שלום",                               "שלום"),
    ("\u200fmarked\u200e",                 "\u200fmarked\u200e"),  # direction marks are ordinary text
    ('<script>alert("x")</script>',        '<script>alert("x")</script>'),
]


@pytest.mark.parametrize(("cell", "text"), TEXT, ids=[t[1][:16] for t in TEXT])
def test_text_is_tidied_but_kept(cell: str, text: str) -> None:
    assert cells.text(cell) == text


CONTROLS = ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_control_character_in_text_is_an_error_not_dropped(control: str) -> None:
    with pytest.raises(cells.CellError) as caught:
        cells.text(f"West{control}Midlands")
    assert caught.value.problem == (f"holds the control character U+{ord(control):04X} (character 5); "
                                    "a cell holds only printable text")


def test_a_text_cell_has_a_length_limit() -> None:
    with pytest.raises(cells.CellError, match="holds 10,001 characters; the limit is 10,000"):
        cells.text("x" * 10_001)
    assert cells.text("x" * 20, max_chars=20) == "x" * 20


@pytest.mark.parametrize(("cell", "text"), [
    (8.0, "8"), (37.2, "37.2"), (True, "TRUE"), (date(2024, 6, 1), "2024-06-01"), (None, ""),
])
def test_any_cell_as_text(cell: object, text: str) -> None:
    assert cells.text_of(cell) == text


# --- dates and cell names ------------------------------------------------------------------

def test_a_date_cell_stands_for_its_month() -> None:
    assert cells.month_of(date(2024, 6, 17)) == date(2024, 6, 1)
    assert cells.month_of(datetime(2019, 6, 30, 23, 59)) == date(2019, 6, 1)
    assert cells.month_of("Jun 2024") is None  # text is the period parser's
    with pytest.raises(cells.CellError, match="is a time, not a month"):
        cells.month_of(time(12, 0))


@pytest.mark.parametrize(("row", "column", "name"), [(0, 0, "A1"), (33, 14, "O34"), (0, 26, "AA1"),
                                                      (1_048_575, 16_383, "XFD1048576")])
def test_cell_names(row: int, column: int, name: str) -> None:
    assert cells.cell_ref(row, column) == name


# --- decoding CSV bytes ------------------------------------------------------------------------

DECODED = [
    (b"force,value\n",                          "force,value\n", False),
    (b"\xef\xbb\xbfforce,value\n",              "force,value\n", False),
    ("force,value\n".encode("utf-16"),          "force,value\n", False),
    ("Ynys Môn,£5\n".encode(),                  "Ynys Môn,£5\n", False),
    ("Ynys Môn,£5\n".encode("cp1252"),          "Ynys Môn,£5\n", True),
]


@pytest.mark.parametrize(("data", "text", "warned"), DECODED, ids=["ascii", "utf8-bom", "utf16-bom", "utf8", "cp1252"])
def test_csv_bytes_are_decoded(data: bytes, text: str, warned: bool) -> None:
    warnings: list[str] = []
    assert cells.decode_text(Path("x.csv"), data, warnings) == text
    assert bool(warnings) == warned


UNDECODABLE = [
    ("force,value\n".encode("utf-16-le"),       "UTF-16 saved without its byte-order mark", 1),
    ("force,value\n".encode("utf-32"),          "UTF-32 text", None),
    (b"PK\x03\x04rest of a zip",                "this is a zip file", None),
    (b"\xd0\xcf\x11\xe0rest of an xls",         "old Excel workbook", None),
    (b"force,value\nCaf\xc3\xa9,\xa3 5\n",      "two encodings are mixed in one file", 2),
    (b"force,value\nA,\x81\n",                  "neither UTF-8 nor Windows-1252", 2),
    (b"\xff\xfe\x00\xd8",                       "not UTF-16 throughout", None),
]


@pytest.mark.parametrize(("data", "problem", "line"), UNDECODABLE,
                         ids=["utf16-no-bom", "utf32", "zip", "xls", "mixed", "not-cp1252", "bad-utf16"])
def test_csv_bytes_that_are_refused(data: bytes, problem: str, line: int | None) -> None:
    with pytest.raises(InputError) as caught:
        cells.decode_text(Path("x.csv"), data, [])
    assert problem in caught.value.problem
    assert caught.value.line == line


def test_a_stray_nul_is_left_to_the_cell_grammar_which_names_the_cell() -> None:
    assert cells.decode_text(Path("x.csv"), b"force,value\nWest\x00Midlands,1\n" + b"x" * 100, []).count("\x00") == 1


def test_a_sparse_three_gigabyte_file_is_refused_by_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.truncate(3 * 1024**3)
    with pytest.raises(InputError, match=r"the file is 3,072\.0 MiB, larger than any local series file \(16\.0 MiB"):
        cells.read_text_file(path, [], limit=16 * 1024 * 1024, what="local series file")


# --- workbooks -----------------------------------------------------------------------------

def rewritten(source: Path, target: Path, edit: dict[str, bytes | None]) -> Path:
    """A copy of a workbook with some parts replaced (``None`` removes a part)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in edit:
                if edit[info.filename] is not None:
                    zout.writestr(info.filename, edit[info.filename])  # type: ignore[arg-type]
            else:
                zout.writestr(info, zin.read(info))
    return target


def table_p1_xml() -> bytes:
    with zipfile.ZipFile(ONS_JUNE_2019) as zf:
        return zf.read("xl/worksheets/sheet2.xml")


WM_RESIDENTIAL_BURGLARY = b'<c r="O34" s="24"><v>21542</v></c>'


def test_the_real_ons_workbook_opens_with_its_sheets() -> None:
    with cells.open_workbook(ONS_JUNE_2019) as book:
        assert book.format == "xlsx"
        assert book.sheet_names == ["Notes", "Table P1", "Table P2", "Table P3", "Table P4 ", "Table P5"]
        assert book.rows("Table P1")[33][14] == 21542.0  # West Midlands, residential burglary
        assert book.unsaved_formulas("Table P1") == []


def test_a_formula_without_a_saved_value_is_found_in_the_sheet_xml(tmp_path: Path) -> None:
    xml = table_p1_xml().replace(WM_RESIDENTIAL_BURGLARY, b'<c r="O34" s="24"><f>N34-P34</f></c>')
    path = rewritten(ONS_JUNE_2019, tmp_path / "ons.xlsx", {"xl/worksheets/sheet2.xml": xml})
    with cells.open_workbook(path) as book:
        assert book.rows("Table P1")[33][14] == ""  # what calamine alone would say: a blank
        assert book.unsaved_formulas("Table P1") == [(33, 14, "N34-P34")]
        with pytest.raises(InputError) as caught:
            book.refuse_unsaved_formulas("Table P1")
    assert str(caught.value) == (f"{path}, sheet 'Table P1', line 34: cell O34 holds a formula with no saved value "
                                 "(=N34-P34): open the workbook in Excel and save it again")


def test_a_formula_with_its_saved_value_is_read_as_the_value(tmp_path: Path) -> None:
    xml = table_p1_xml().replace(WM_RESIDENTIAL_BURGLARY, b'<c r="O34" s="24"><f>N34-P34</f><v>21542</v></c>')
    path = rewritten(ONS_JUNE_2019, tmp_path / "ons.xlsx", {"xl/worksheets/sheet2.xml": xml})
    with cells.open_workbook(path) as book:
        assert book.unsaved_formulas("Table P1") == []
        assert book.rows("Table P1")[33][14] == 21542.0


def test_a_workbook_written_by_openpyxl_with_formulas_has_no_saved_values(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "series"
    ws.append(["force", "series", "period", "value"])
    ws.append(["West Midlands", "homicides", "2021", "=40+6"])
    wb.save(tmp_path / "local.xlsx")
    with cells.open_workbook(tmp_path / "local.xlsx") as book:
        assert book.unsaved_formulas("series") == [(1, 3, "40+6")]


def sheet_xml(rows: str, dimension: str = "A1") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
            ).encode()


def one_sheet_workbook(path: Path, xml: bytes) -> Path:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "series"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    source = path.with_suffix(".template.xlsx")
    source.write_bytes(buffer.getvalue())
    return rewritten(source, path, {"xl/worksheets/sheet1.xml": xml})


HEADER_CELL = '<row r="1"><c r="A1" t="inlineStr"><is><t>force</t></is></c></row>'


@pytest.mark.parametrize(("rows", "problem"), [
    (HEADER_CELL + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
     "sheets span 17,179,869,184 cells, more than the 5,000,000 read"),
    (HEADER_CELL + '<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>', "duplicate attribute"),
    (HEADER_CELL + '<row r="2"><c r="XFE2"><v>1</v></c></row>', "lies outside a worksheet"),
    (HEADER_CELL + '<row r="2"><c r="A0"><v>1</v></c></row>', "lies outside a worksheet"),
    (HEADER_CELL + '<row r="4294967297"><c><v>1</v></c></row>', "is not a worksheet row"),
    (HEADER_CELL + '<row r="2"><x:c xmlns:x="urn:x" r="XFD1048576"><x:v>1</x:v></x:c></row>', "cells, more than"),
    (HEADER_CELL + '<row r="1048576">' + "<c><v>1</v></c>" * 10 + "</row>", "cells, more than"),
], ids=["far-corner", "second-r", "column-past-XFD", "row-0", "row-past-2^32", "prefixed-cell", "cells-without-r"])
def test_a_sheet_whose_grid_calamine_cannot_build_is_refused_before_it_reads_it(
        tmp_path: Path, rows: str, problem: str) -> None:
    path = one_sheet_workbook(tmp_path / "wide.xlsx", sheet_xml(rows))
    with pytest.raises(InputError) as caught:
        cells.open_workbook(path)
    assert problem in caught.value.problem


def test_a_sheet_that_only_claims_a_million_rows_is_read(tmp_path: Path) -> None:
    rows = HEADER_CELL + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'  # styled, but empty
    path = one_sheet_workbook(tmp_path / "claims.xlsx", sheet_xml(rows, "A1:XFD1048576"))
    with cells.open_workbook(path) as book:
        assert book.rows("series") == [["force"]]


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(ONS_JUNE_2019) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        with zout.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as fh:
            chunk = b"<row>" + b" " * (1 << 20) + b"</row>"
            for _ in range(1100):  # 1.1 GB inflated, a few megabytes on disk, never on disk inflated
                fh.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(InputError, match=r"would inflate from .* to 1,100\.\d MiB"):
        cells.open_workbook(path)


def declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip's central directory declares for one member."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        position = zf.start_dir
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (int.from_bytes(data[position + k:position + k + 2], "little")
                                                     for k in (28, 30, 32))
        if data[position + 46:position + 46 + name_length] == member.encode():
            data[position + 24:position + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        position += 46 + name_length + extra_length + comment_length
    raise AssertionError(f"{member} not found")


def test_a_part_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = rewritten(ONS_JUNE_2019, tmp_path / "lying.xlsx", {})
    declare_size(path, "xl/worksheets/sheet2.xml", 1000)
    with pytest.raises(InputError, match=r"part 'xl/worksheets/sheet2\.xml' inflates to more than the 1,000 bytes"):
        cells.open_workbook(path)


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("table.xlsx", b"force,series\nWest Midlands,homicides\n", "this looks like text - a CSV file?"),
    ("table.xlsx", b"\x00\x01\x02" * 50, "and this is not one"),
    ("table.ods", None, "the file is an XLSX workbook but its name ends .ods"),
    ("table.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 508, "binary workbooks (.xls) are not read"),
    ("table.xlsx", b"PK\x03\x04 not really a zip", "the zip is damaged"),
], ids=["csv-named-xlsx", "binary", "xlsx-named-ods", "xls", "damaged-zip"])
def test_a_file_that_is_not_the_workbook_its_name_says(tmp_path: Path, name: str, data: bytes | None,
                                                      problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(ONS_JUNE_2019.read_bytes() if data is None else data)
    with pytest.raises(InputError) as caught:
        cells.open_workbook(path)
    assert problem in caught.value.problem
    assert caught.value.file == str(path)


# --- one grammar in every reader ----------------------------------------------------------

def test_one_comma_two_is_an_error_in_every_reader(tmp_path: Path) -> None:
    home_office = tmp_path / "prc.csv"
    home_office.write_text("Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,"
                           "Offence Subgroup,Offence Code,Number of Offences\n"
                           '2018/19,2,West Midlands,Murder,V,H,1,"1,2"\n')
    local = tmp_path / "local.csv"
    local.write_text('force,series,period,value\nWest Midlands,homicides,2021,"1,2"\n')
    wb = openpyxl.load_workbook(ONS_JUNE_2019)
    wb["Table P1"]["O34"] = "1,2"
    ons = tmp_path / "ons.xlsx"
    wb.save(ons)

    problems = []
    for path, read in ((home_office, read_home_office), (local, read_local_series), (ons, read_ons_workbook)):
        with pytest.raises(InputError) as caught:
            read(path)
        problems.append((caught.value.line, caught.value.problem))
    assert problems == [
        (2, "Number of Offences: '1,2' is not a number" + GROUPING),
        (2, "column 'value': '1,2' is not a number" + GROUPING),
        (34, "Residential burglary: '1,2' is not a number" + GROUPING),
    ]


@pytest.mark.parametrize(("head", "text"), [
    ("force,value\n".encode("utf-16-le"), "force,value\n"),
    ("force,value\n".encode("utf-16-be"), "force,value\n"),
    ("force,value\n".encode("utf-16"), "force,value\n"),
    (b"force,value\n" + b"\x00" * 200, "force,value\n" + "\x00" * 200),  # a sparse file is not UTF-16
    (b"force,\xa3value\n", "force,\ufffdvalue\n"),
], ids=["utf16-le-no-bom", "utf16-be-no-bom", "utf16-bom", "nul-tail", "cp1252"])
def test_a_sniff_reads_the_head_of_any_file_without_raising(head: bytes, text: str) -> None:
    assert cells.sniff_text(head) == text


def test_a_zip_directory_of_millions_of_entries_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "crowded.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(cells.ZIP_MAX_MEMBERS + 1):
            zf.writestr(f"xl/{i}.xml", b"")
    with pytest.raises(InputError, match=r"zip directory lists 10,001 parts"):
        cells.open_workbook(path)



# --- ODS: the grid calamine builds, as LibreOffice writes tables ------------------------------

ODS_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            b"<office:body><office:spreadsheet>")
TAIL = b'<table:table-cell table:number-columns-repeated="16374"/></table:table-row>'
EMPTY_ROWS = (b'<table:table-row table:number-rows-repeated="1048570">'
              b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')


def ods_file(path: Path, tables: bytes) -> Path:
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", ODS_OPEN + tables + b"</office:spreadsheet></office:body></office:document-content>")
    return path


def libreoffice_row(values: list[int], repeated: int = 1) -> bytes:
    attrs = f' table:number-rows-repeated="{repeated}"'.encode() if repeated > 1 else b""
    cells_ = b"".join(b'<table:table-cell office:value-type="float" office:value="%d"><text:p>%d</text:p>'
                      b"</table:table-cell>" % (v, v) for v in values)
    return b"<table:table-row" + attrs + b">" + cells_ + TAIL


def test_the_empty_rows_and_columns_libreoffice_writes_to_the_sheet_edge_cost_nothing(tmp_path: Path) -> None:
    table = b'<table:table table:name="2018_19">' + libreoffice_row([1, 2]) + libreoffice_row([3, 4]) + EMPTY_ROWS
    path = ods_file(tmp_path / "prc.ods", table + b"</table:table>")
    with cells.open_workbook(path) as book:
        assert book.rows("2018_19") == [[1.0, 2.0], [3.0, 4.0]]


def test_a_valued_row_repeated_a_million_times_is_refused(tmp_path: Path) -> None:
    # Counted as calamine counts rows; a row is taken to be as wide as its cell tags, the empty
    # run at its end included (11 columns, one more than calamine keeps: the count never falls short).
    table = (b'<table:table table:name="2018_19">' + libreoffice_row([1, 2]) + libreoffice_row(list(range(10)), 999_999)
             + b"</table:table>")
    with pytest.raises(InputError, match=r"span 11,000,000 cells"):
        cells.open_workbook(ods_file(tmp_path / "prc.ods", table))


def test_empty_rows_between_values_count_and_those_at_the_end_do_not(tmp_path: Path) -> None:
    gap = (b'<table:table-row table:number-rows-repeated="600000">'
           b'<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    wide = list(range(9))
    first = b'<table:table table:name="a">' + libreoffice_row(wide) + gap + libreoffice_row(wide) + b"</table:table>"
    with pytest.raises(InputError, match=r"span 6,000,020 cells"):
        cells.open_workbook(ods_file(tmp_path / "gap.ods", first))
    second = b'<table:table table:name="a">' + libreoffice_row(wide) + libreoffice_row(wide) + gap + b"</table:table>"
    with cells.open_workbook(ods_file(tmp_path / "end.ods", second)) as book:
        assert len(book.rows("a")) == 2
