"""Property: every table reader, given a mutated real file, returns figures or says why not.

Each test takes a real file (the Home Office parquet and a CSV of its rows, the ONS June 2019
workbook, the bundled local series), changes it — a cell set to something else, or bytes
overwritten — and reads it.  The only acceptable outcomes are a ``ParsedFile`` or the
project's own ``InputError``: anything else (a ``KeyError``, a ``UnicodeDecodeError``, a
calamine panic) would reach the analyst as an internal error.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from scorecard.errors import InputError
from scorecard.sources import cells
from scorecard.sources.home_office import read_home_office
from scorecard.sources.local_series import read_local_series
from scorecard.sources.observations import ParsedFile
from scorecard.sources.ons import read_ons_workbook

ROOT = Path(__file__).resolve().parents[2]
PRC_PARQUET = ROOT.parent / "shared" / "data" / "home-office" / "prc_pfa_long.parquet"
ONS_JUNE_2019 = ROOT / "demo" / "data" / "policeforceareatablesyearendingjune2019.xlsx"
LOCAL_SERIES = ROOT / "demo" / "data" / "local-series-west-midlands.csv"
pytestmark = pytest.mark.skipif(not PRC_PARQUET.exists(), reason="needs ../shared/data")

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW_SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# What a hostile or careless hand puts in a cell.
TRICKY_TEXT = st.sampled_from([
    "", " ", "..", "1,2", "12,34", "1e5", "-1", "21542.5", "inf", "NaN", "∞", "TRUE", "=A1+1", "1 234",
    "West\x00Midlands", "\x1b[31m", "\u202egnp.exe", "9" * 400, "Q5", "2018/20", "0000/01", "2024-13",
    "E23999999", "Gotham", "١٢", "\ufeff", "\u00a0", "x" * 3000, "1,234,567.89", "+0", "-0",
])
CELL_TEXT = st.one_of(TRICKY_TEXT, st.text(max_size=40))
CELL_VALUE: st.SearchStrategy[Any] = st.one_of(
    CELL_TEXT, st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True))


def outcome(read: Callable[[Path], ParsedFile], path: Path) -> ParsedFile | InputError:
    """What reading gives: figures or the project's own error (anything else fails the test)."""
    try:
        parsed = read(path)
    except InputError as exc:
        assert exc.file == str(path)
        return exc
    assert isinstance(parsed, ParsedFile)
    return parsed


def overwrite(data: bytes, at: float, new: bytes) -> bytes:
    position = int(at * max(len(data) - 1, 0))
    return data[:position] + new + data[position + len(new):]


# --- the grammar on its own --------------------------------------------------------------

@SETTINGS
@given(st.text(max_size=30))
def test_any_text_is_a_number_or_a_cell_error(written: str) -> None:
    try:
        number = cells.number(written)
    except cells.CellError:
        return
    assert abs(number.value) < cells.MAX_MAGNITUDE


@SETTINGS
@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_a_count_written_with_thousands_commas_reads_back(n: int) -> None:
    assert cells.number(f"{n:,}").value == n
    assert cells.number(str(n)).value == n


@SETTINGS
@given(CELL_VALUE)
def test_any_cell_is_a_count_a_gap_or_a_cell_error(value: Any) -> None:
    try:
        counted = cells.count(value)
    except cells.CellError:
        return
    assert counted is None or (counted.is_integer() and counted >= 0)


# --- Home Office: the parquet copy and a CSV of its rows ---------------------------------------

@pytest.fixture(scope="module")
def prc_rows() -> pa.Table:
    """Two hundred real rows of the long table (West Mercia, 2018/19)."""
    t = pq.read_table(PRC_PARQUET, filters=[("FY", "=", "2018/19"), ("Force", "=", "West Mercia")])
    return t.slice(0, 200)


@SETTINGS
@given(column=st.sampled_from(["FY", "Financial Quarter", "Force", "Offence Description", "Group",
                               "Offence Subgroup", "Offence Code", "n"]),
       row=st.integers(0, 199), value=CELL_VALUE)
def test_home_office_parquet_with_one_cell_changed(prc_rows: pa.Table, column: str, row: int, value: Any) -> None:
    values = prc_rows.column(column).to_pylist()
    numeric = pa.types.is_floating(prc_rows.schema.field(column).type)
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        value = float(value)
    else:  # text in a text column; in a number column it makes the whole column text (a wrong type)
        value = None if value is None else str(value)
        values = [None if v is None else str(v) for v in values] if numeric and value is not None else values
    values[row] = value
    table = prc_rows.set_column(prc_rows.schema.get_field_index(column), column, pa.array(values))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prc.parquet"
        pq.write_table(table, path)
        outcome(read_home_office, path)


@SETTINGS
@given(at=st.floats(0, 1), new=st.binary(min_size=1, max_size=16))
def test_home_office_parquet_with_bytes_overwritten(at: float, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prc.parquet"
        path.write_bytes(overwrite(PRC_PARQUET.read_bytes(), at, new))
        outcome(read_home_office, path)


HEADER = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
          "Offence Subgroup", "Offence Code", "Number of Offences"]


def prc_csv(rows: pa.Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for r in rows.to_pylist():
        writer.writerow([r["FY"], int(r["Financial Quarter"]), r["Force"], r["Offence Description"], r["Group"],
                         r["Offence Subgroup"], r["Offence Code"], int(r["n"])])
    return out.getvalue().encode()


@SETTINGS
@given(row=st.integers(1, 200), column=st.integers(0, 7), value=CELL_TEXT)
def test_home_office_csv_with_one_cell_changed(prc_rows: pa.Table, row: int, column: int, value: str) -> None:
    lines = list(csv.reader(io.StringIO(prc_csv(prc_rows).decode())))
    lines[row][column] = value
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prc.csv"
        path.write_bytes(out.getvalue().encode("utf-8", errors="surrogatepass"))
        outcome(read_home_office, path)


@SETTINGS
@given(at=st.floats(0, 1), new=st.binary(min_size=1, max_size=8))
def test_home_office_csv_with_bytes_overwritten(prc_rows: pa.Table, at: float, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prc.csv"
        path.write_bytes(overwrite(prc_csv(prc_rows), at, new))
        outcome(read_home_office, path)


# --- ONS: the June 2019 workbook ------------------------------------------------------------

@pytest.fixture(scope="module")
def ons_book() -> Any:
    return openpyxl.load_workbook(ONS_JUNE_2019)


OPENPYXL_TEXT = CELL_TEXT.filter(lambda t: not cells._CONTROL.search(t) and "\x00" not in t
                                 and not any(0xD800 <= ord(c) <= 0xDFFF for c in t))


@SLOW_SETTINGS
@given(row=st.integers(1, 72), column=st.integers(1, 27),
       value=st.one_of(OPENPYXL_TEXT, st.none(), st.booleans(), st.integers(-10**6, 10**6),
                       st.floats(allow_nan=True, allow_infinity=True)))
def test_ons_workbook_with_one_cell_of_table_p1_changed(ons_book: Any, row: int, column: int, value: Any) -> None:
    sheet = ons_book["Table P1"]
    cell = sheet.cell(row=row, column=column)
    assume(not isinstance(cell, MergedCell))  # only the top-left cell of a merged range holds a value
    old = cell.value
    try:
        cell.value = value
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ons.xlsx"
            ons_book.save(path)
            outcome(read_ons_workbook, path)
    finally:
        cell.value = old


def rezipped(source: Path, member: str, edit: Callable[[bytes], bytes], target: Path) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data) if info.filename == member else data)
    return target


@SETTINGS
@given(at=st.floats(0, 1), new=st.binary(min_size=1, max_size=12))
def test_ons_workbook_with_sheet_xml_bytes_overwritten(at: float, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = rezipped(ONS_JUNE_2019, "xl/worksheets/sheet2.xml", lambda d: overwrite(d, at, new),
                        Path(folder) / "ons.xlsx")
        outcome(read_ons_workbook, path)


@SETTINGS
@given(at=st.floats(0, 1), new=st.binary(min_size=1, max_size=12))
def test_ons_workbook_with_file_bytes_overwritten(at: float, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ons.xlsx"
        path.write_bytes(overwrite(ONS_JUNE_2019.read_bytes(), at, new))
        outcome(read_ons_workbook, path)


# --- local series: the bundled West Midlands file, as CSV and as a workbook --------------------

def local_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(LOCAL_SERIES.read_text("utf-8"))))


@SETTINGS
@given(row=st.integers(0, 20), column=st.integers(0, 8), value=CELL_TEXT)
def test_local_series_csv_with_one_cell_changed(row: int, column: int, value: str) -> None:
    lines = local_rows()
    lines[min(row, len(lines) - 1)][column] = value
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "local.csv"
        path.write_bytes(out.getvalue().encode("utf-8", errors="surrogatepass"))
        outcome(read_local_series, path)


@SETTINGS
@given(at=st.floats(0, 1), new=st.binary(min_size=1, max_size=8))
def test_local_series_csv_with_bytes_overwritten(at: float, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "local.csv"
        path.write_bytes(overwrite(LOCAL_SERIES.read_bytes(), at, new))
        outcome(read_local_series, path)


@SLOW_SETTINGS
@given(row=st.integers(0, 20), column=st.integers(0, 8),
       value=st.one_of(OPENPYXL_TEXT, st.none(), st.booleans(), st.integers(-10**6, 10**6),
                       st.floats(allow_nan=True, allow_infinity=True)))
def test_local_series_workbook_with_one_cell_changed(row: int, column: int, value: Any) -> None:
    grid: list[list[Any]] = [list(r) for r in local_rows()]
    grid[min(row, len(grid) - 1)][column] = value
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "series"
    for line in grid:
        sheet.append(line)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "local.xlsx"
        book.save(path)
        outcome(read_local_series, path)
