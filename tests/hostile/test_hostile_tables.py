"""Hostile Home Office tables, ONS workbooks and local series files, through ``scorecard ingest``.

Every input is a real file with one thing wrong (or a container built to blow up), and every
one must be refused with one line naming the file (and its line, sheet or cell), exit code 3,
no traceback, and the store — which already holds the Home Office table, the ONS June 2019
year and both local series — exactly as it was.  Several cases would otherwise change a
stored figure: the ONS workbook replaces West Midlands' whole year, so a cell read as a gap
would delete the 21,542 residential burglaries held for it.

A workbook is checked (``cells.open_workbook``) by the dispatcher, ``scorecard.ingest.detect``,
before any sniffer opens it, so a misnamed or exploding workbook is refused for its own reason.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from harness import DEMO, Case, Make, Outcome, check, edited, replace_line, run_all, write

from scorecard.errors import EXIT_INPUT

ONS = DEMO / "policeforceareatablesyearendingjune2019.xlsx"
PARQUET = DEMO / "prc_pfa_long.parquet"
LOCAL = DEMO / "local-series-west-midlands.csv"
TABLE_P1 = "xl/worksheets/sheet2.xml"
WM_BURGLARY = b'<c r="O34" s="24"><v>21542</v></c>'  # West Midlands, residential burglary, YE Jun 2019
WM_NAME = b'<c r="B34" s="5" t="s"><v>78</v></c>'
WM_CODE = b'<c r="A34" s="5" t="s"><v>77</v></c>'
GIGABYTE_AND_A_BIT = 1100 * 1024 * 1024


# --- ONS: the real June 2019 workbook with its sheet XML edited ----------------------------

def rezipped(source: Path, name: str, edits: dict[str, Callable[[bytes], bytes]]) -> Make:
    """A real workbook with some parts rewritten (the rest byte for byte as published)."""

    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                zout.writestr(info, edits[info.filename](data) if info.filename in edits else data)
        return path

    return make


def ons_cell(old: bytes, new: bytes) -> Make:
    def edit(xml: bytes) -> bytes:
        assert xml.count(old) == 1
        return xml.replace(old, new)

    return rezipped(ONS, "ons-ye-jun-2019.xlsx", {TABLE_P1: edit})


def inline(ref: str, text: bytes, style: bytes = b"5") -> bytes:
    return b'<c r="' + ref.encode() + b'" s="' + style + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"


def ons_with_cell_at_the_far_corner(folder: Path) -> Path:
    def edit(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    return rezipped(ONS, "ons-ye-jun-2019.xlsx", {TABLE_P1: edit})(folder)


def ons_claiming_a_million_rows(old: bytes, new: bytes) -> Make:
    def edit(xml: bytes) -> bytes:
        return xml.replace(b'<dimension ref="A1:AA72"/>', b'<dimension ref="A1:XFD1048576"/>').replace(old, new)

    return rezipped(ONS, "ons-ye-jun-2019.xlsx", {TABLE_P1: edit})


def xlsx_bomb(source: Path | Make, member: str, name: str) -> Make:
    """``source`` with one sheet's XML replaced by rows that inflate past a gigabyte (written
    through the compressor: the inflated bytes never reach the disk)."""

    def make(folder: Path) -> Path:
        path = folder / name
        row = b'<row r="1"><c r="A1"><v>1</v></c></row>' * 30_000
        if isinstance(source, Path):
            original = source
        else:
            (folder / "source").mkdir(exist_ok=True)
            original = source(folder / "source")
        with zipfile.ZipFile(original) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename != member:
                    zout.writestr(info, zin.read(info))
                    continue
                with zout.open(member, "w", force_zip64=True) as fh:
                    fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                    for _ in range(GIGABYTE_AND_A_BIT // len(row)):
                        fh.write(row)
                    fh.write(b"</sheetData></worksheet>")
        assert path.stat().st_size < 8 * 1024 * 1024
        return path

    return make


# --- Home Office: the real parquet, and CSV/XLSX/ODS of its rows ------------------------------

HEADER = ["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
          "Offence Subgroup", "Offence Code", "Number of Offences"]


def west_mercia_quarter() -> list[list[object]]:
    """West Mercia's 131 offence codes for 2018-19 Q2, as the Home Office publishes them."""
    t = pq.read_table(PARQUET, filters=[("FY", "=", "2018/19"), ("Force", "=", "West Mercia"),
                                        ("Financial Quarter", "=", 2.0)])
    return [[r["FY"], int(r["Financial Quarter"]), r["Force"], r["Offence Description"], r["Group"],
             r["Offence Subgroup"], r["Offence Code"], int(r["n"])] for r in t.to_pylist()]


def prc_csv(change: Callable[[list[list[object]]], None] = lambda rows: None, *, encoding: str = "utf-8",
            name: str = "prc-pfa-tables.csv") -> Make:
    """The official layout as CSV, with ``change`` applied to the rows (line N is rows[N - 2])."""

    def make(folder: Path) -> Path:
        rows = west_mercia_quarter()
        change(rows)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([HEADER, *rows])
        return write(folder, name, out.getvalue().encode(encoding))

    return make


def set_cell(line: int, column: int, value: object) -> Callable[[list[list[object]]], None]:
    def change(rows: list[list[object]]) -> None:
        rows[line - 2][column] = value

    return change


def prc_csv_bytes(edit: Callable[[bytes], bytes]) -> Make:
    """The official layout as CSV with ``edit`` applied to its bytes."""

    def make(folder: Path) -> Path:
        path = prc_csv()(folder)
        path.write_bytes(edit(path.read_bytes()))
        return path

    return make


def prc_xlsx(change: Callable[[list[list[object]]], None], name: str = "prc-pfa-tables.xlsx") -> Make:
    def make(folder: Path) -> Path:
        rows = west_mercia_quarter()
        change(rows)
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "2018_19"
        for row in [HEADER, *rows]:
            sheet.append(row)
        path = folder / name
        book.save(path)
        return path

    return make


def parquet_with(change: Callable[[dict[str, pa.Array]], None], name: str = "prc_pfa_long.parquet", **options: object
                 ) -> Make:
    def make(folder: Path) -> Path:
        table = pq.read_table(PARQUET).slice(0, 5000)
        columns = {n: table.column(n).combine_chunks() for n in table.column_names}
        change(columns)
        path = folder / name
        pq.write_table(pa.table(columns), path, **options)  # type: ignore[arg-type]
        return path

    return make


def replace_column(name: str, new: Callable[[pa.Array], pa.Array]) -> Callable[[dict[str, pa.Array]], None]:
    def change(columns: dict[str, pa.Array]) -> None:
        columns[name] = new(columns[name])

    return change


def with_label(index: int, label: str) -> Callable[[dict[str, pa.Array]], None]:
    def change(columns: dict[str, pa.Array]) -> None:
        labels = columns["Offence Description"].to_pylist()
        labels[index] = label
        columns["Offence Description"] = pa.array(labels)

    return change


def parquet_of_rows(rows: int, description: pa.Array | None = None, **options: object) -> Make:
    """A long table of ``rows`` identical rows, built without writing the rows out in memory."""

    def make(folder: Path) -> Path:
        def one(value: object, type_: pa.DataType) -> pa.Array:
            return pa.DictionaryArray.from_arrays(pa.repeat(pa.scalar(0, pa.int32()), rows), pa.array([value], type_))

        columns = {"FY": one("2018/19", pa.string()), "Financial Quarter": pa.repeat(pa.scalar(2.0), rows),
                   "Force": one("West Mercia", pa.string()),
                   "Offence Description": description if description is not None else one("Murder", pa.string()),
                   "Group": one("Violence against the person", pa.string()),
                   "Offence Subgroup": one("Homicide", pa.string()), "Offence Code": one("1", pa.string()),
                   "n": pa.repeat(pa.scalar(1.0), rows)}
        path = folder / "prc_pfa_long.parquet"
        pq.write_table(pa.table(columns), path, **options)  # type: ignore[arg-type]
        return path

    return make


def truncated(source: Path, name: str) -> Make:
    def make(folder: Path) -> Path:
        data = source.read_bytes()
        return write(folder, name, data[: len(data) // 2])

    return make


def sparse(name: str, head: bytes, size: int = 3 * 1024**3) -> Make:
    """A file of ``size`` bytes that takes no disk: ``head``, then a hole."""

    def make(folder: Path) -> Path:
        path = write(folder, name, head)
        with path.open("r+b") as fh:
            fh.truncate(size)
        return path

    return make


# --- ODS built by hand (a content.xml in a zip), so its cells can be anything ---------------

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                b'<manifest:file-entry manifest:full-path="/" manifest:media-type="' + ODS_MIMETYPE + b'"/>'
                b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                b"</manifest:manifest>")
ODS_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            b'<office:body><office:spreadsheet><table:table table:name="2018_19">')
ODS_CLOSE = b"</table:table></office:spreadsheet></office:body></office:document-content>"


def ods_cell(value: object) -> bytes:
    if isinstance(value, int | float):
        return (b'<table:table-cell office:value-type="float" office:value="' + str(value).encode()
                + b'"><text:p>' + str(value).encode() + b"</text:p></table:table-cell>")
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").encode()
    return b'<table:table-cell office:value-type="string"><text:p>' + text + b"</text:p></table:table-cell>"


def ods_rows(rows: list[list[object]]) -> bytes:
    return b"".join(b"<table:table-row>" + b"".join(map(ods_cell, row)) + b"</table:table-row>" for row in rows)


def ods(body: Callable[[], bytes] | Callable[[], list[bytes]], name: str = "prc-pfa-tables.ods") -> Make:
    """An ODS whose table body is ``body()`` (bytes, or pieces streamed through the compressor)."""

    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, zipfile.ZIP_STORED)
            zf.writestr("META-INF/manifest.xml", ODS_MANIFEST)
            with zf.open("content.xml", "w", force_zip64=True) as fh:
                fh.write(ODS_OPEN)
                produced = body()
                for piece in [produced] if isinstance(produced, bytes) else produced:
                    fh.write(piece)
                fh.write(ODS_CLOSE)
        return path

    return make


def ods_table(change: Callable[[list[list[object]]], None] = lambda rows: None,
              extra: bytes = b"") -> Callable[[], bytes]:
    def body() -> bytes:
        rows = west_mercia_quarter()
        change(rows)
        return ods_rows([HEADER, *rows]) + extra

    return body


def ods_bomb_body() -> list[bytes]:
    row = b"<table:table-row><table:table-cell/></table:table-row>" * 20_000
    header = ods_rows([HEADER])
    return [header, *([row] * (GIGABYTE_AND_A_BIT // len(row)))]


FORMULA_CELL = b'<table:table-cell table:formula="of:=6*2"><text:p></text:p></table:table-cell>'
FAR_REPEATS = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" '
               b'office:value="1" table:number-columns-repeated="100"/></table:table-row>')


def ods_with_formula_count() -> bytes:
    rows = west_mercia_quarter()
    cells = ods_rows([HEADER, *rows[:5]])
    last = b"<table:table-row>" + b"".join(map(ods_cell, rows[5][:7])) + FORMULA_CELL + b"</table:table-row>"
    return cells + last


# --- local series: the bundled West Midlands file, one line edited --------------------------

def local_line(line: int, text: bytes, name: str = "local-series-west-midlands.csv") -> Make:
    return edited(LOCAL, replace_line(line, text), name)


def local_xlsx(rows: list[list[object]], name: str = "local-series.xlsx") -> Make:
    def make(folder: Path) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "series"
        for row in rows:
            sheet.append(row)
        path = folder / name
        book.save(path)
        return path

    return make


LOCAL_HEADER = ["force", "series", "series_label", "period", "value", "numerator", "denominator", "unit", "note"]
WM_HOMICIDES = b"West Midlands,homicides,,YE Jun 2019,52,,,,Seed 001 para 4"


def reencoded(source: Path, encoding: str, name: str) -> Make:
    return edited(source, lambda data: data.decode("utf-8").encode(encoding), name)


# --- the cases ---------------------------------------------------------------------------------

ONS_CASES = [
    Case("ons-formula-without-value",
         "West Midlands' residential burglary as a formula with no saved value is refused, and the 21,542 stays",
         ons_cell(WM_BURGLARY, b'<c r="O34" s="24"><f>N34-P34</f></c>'), line=34,
         says=r"sheet 'Table P1', line 34: cell O34 holds a formula with no saved value \(=N34-P34\): "
              r"open the workbook in Excel and save it again"),
    Case("ons-openpyxl-empty-value", "a formula saved as openpyxl saves it (<v></v>) is refused, not read as a gap",
         ons_cell(WM_BURGLARY, b'<c r="O34" s="24"><f>N34-P34</f><v></v></c>'), line=34,
         says="cell O34 holds a formula with no saved value"),
    Case("ons-fraction", "a fractional count (21542.5) is refused naming its cell",
         ons_cell(WM_BURGLARY, b'<c r="O34" s="24"><v>21542.5</v></c>'), line=34,
         says=r"cell O34, line 34: Residential burglary: 21542\.5 is not a whole number"),
    Case("ons-negative", "a negative ONS count is refused",
         ons_cell(WM_BURGLARY, b'<c r="O34" s="24"><v>-21542</v></c>'), line=34,
         says="Residential burglary: -21542 is negative"),
    Case("ons-one-comma-two", 'a count typed as "1,2" is an error, not twelve',
         ons_cell(WM_BURGLARY, inline("O34", b"1,2", b"24")), line=34, says="'1,2' is not a number"),
    Case("ons-exponent", 'a count typed as "2.1542e4" is an error',
         ons_cell(WM_BURGLARY, inline("O34", b"2.1542e4", b"24")), line=34, says="without an exponent"),
    Case("ons-true", "TRUE where a count belongs is an error",
         ons_cell(WM_BURGLARY, b'<c r="O34" s="24" t="b"><v>1</v></c>'), line=34,
         says="TRUE is a true/false value, not a number"),
    Case("ons-escape-in-name", "an escape character inside the area name is refused, named and escaped",
         ons_cell(WM_NAME, inline("B34", b"West\x1b[31mMidlands")), line=34, says=r"control character U\+001B"),
    Case("ons-nul-in-name", "a NUL inside the area name is refused",
         ons_cell(WM_NAME, inline("B34", b"West\x00Midlands")), line=34, says=r"control character U\+0000"),
    Case("ons-rlo-in-name", "a right-to-left override inside the area name is refused",
         ons_cell(WM_NAME, inline("B34", "West\u202eMidlands".encode())), line=34, says=r"control character U\+202E"),
    Case("ons-unknown-area-code", "a force row with an area code no force has is refused",
         ons_cell(WM_CODE, inline("A34", b"E23999999")), line=34, says="unknown police force area code 'E23999999'"),
    Case("ons-not-an-area-code", "a force row whose code is not an ONS code is refused",
         ons_cell(WM_CODE, inline("A34", b"WM-POLICE")), line=34, says="is not an ONS area code"),
    Case("ons-duplicate-force", "West Midlands given twice (row 36 relabelled) is refused naming both rows",
         rezipped(ONS, "ons-ye-jun-2019.xlsx", {TABLE_P1: lambda x: x.replace(
             b'<c r="A36" s="5" t="s"><v>81</v></c>', b'<c r="A36" s="5" t="s"><v>77</v></c>').replace(
             b'<c r="B36" s="5" t="s"><v>82</v></c>', b'<c r="B36" s="5" t="s"><v>78</v></c>')}),
         line=36, says=r"West Midlands appears twice in Table P1 \(also line 34\)"),
    Case("ons-sheet-bomb", "a workbook whose Table P1 XML inflates past a gigabyte is refused before it is read",
         xlsx_bomb(ONS, TABLE_P1, "ons-ye-jun-2019.xlsx"), says="would inflate from", seconds=30),
    Case("ons-far-corner", "a Table P1 with a cell at XFD1048576 (a 17-billion-cell grid) is refused before "
         "calamine allocates it", ons_with_cell_at_the_far_corner, says=r"17,17\d,\d+,\d+ cells", seconds=30),
    Case("ons-claims-a-million-rows", "a Table P1 claiming A1:XFD1048576 is read as the 72 rows it holds "
         "(and refused for its fraction) within seconds",
         ons_claiming_a_million_rows(WM_BURGLARY, b'<c r="O34" s="24"><v>0.5</v></c>'), line=34,
         says="0.5 is not a whole number", seconds=20),
    Case("ons-xlsx-named-ods", "the ONS workbook renamed .ods is refused, not read as another kind",
         rezipped(ONS, "ons-ye-jun-2019.ods", {}), says="XLSX workbook but its name ends .ods"),
    Case("ons-csv-named-xlsx", "a CSV renamed .xlsx is refused", lambda f: write(f, "ons.xlsx", LOCAL.read_bytes()),
         says="looks like text"),
]

DICTIONARY_OF_LONG_LABELS = pa.DictionaryArray.from_arrays(pa.repeat(pa.scalar(0, pa.int32()), 400_000),
                                                           pa.array(["x" * 2000]))

HOME_OFFICE_CASES = [
    Case("ho-parquet-truncated", "the real parquet cut in half is refused as damaged",
         truncated(PARQUET, "prc_pfa_long.parquet"), says="cannot open as parquet"),
    Case("ho-parquet-count-as-text", "a parquet whose counts are text is refused for the column's type",
         parquet_with(replace_column("n", lambda a: pc.cast(a, pa.string()))),
         says="column 'n' holds text, but Number of Offences must be numbers"),
    Case("ho-parquet-count-as-bool", "a parquet whose counts are true/false is refused (TRUE is not 1)",
         parquet_with(replace_column("n", lambda a: pc.greater(a, 5))), says="column 'n' holds bool"),
    Case("ho-parquet-quarter-as-date", "a parquet whose quarters are dates is refused",
         parquet_with(replace_column("Financial Quarter", lambda a: pa.array([date(2018, 4, 1)] * len(a)))),
         says="column 'Financial Quarter' holds date32"),
    Case("ho-parquet-escape-in-label", "an escape character in an offence description is refused with its row",
         parquet_with(with_label(41, "Arson\x1b[2J")), line=42,
         says=r"Offence Description holds the control character U\+001B"),
    Case("ho-parquet-text-bomb", "a parquet repeating a 2,000-character label 400,000 times (800 MB of text) is "
         "refused before the text is decoded", parquet_of_rows(400_000, DICTIONARY_OF_LONG_LABELS),
         says="text would take 821,600,000 bytes once decoded"),
    Case("ho-parquet-too-many-rows", "a parquet whose footer says six million rows is refused from the footer",
         parquet_of_rows(6_000_000), says="says it holds 6,000,000 rows"),
    Case("ho-parquet-inflates", "a parquet whose columns inflate a hundredfold past 64 MiB is refused from its footer",
         parquet_of_rows(400_000, pa.repeat(pa.scalar("y" * 200), 400_000), use_dictionary=False,
                         compression="zstd"), says="columns would inflate from"),
    Case("ho-csv-one-comma-two", 'a count written "1,2" is an error naming its line',
         prc_csv(set_cell(9, 7, "1,2")), line=9, says="Number of Offences: '1,2' is not a number"),
    Case("ho-csv-exponent", 'a count written "1e3" is an error', prc_csv(set_cell(9, 7, "1e3")), line=9,
         says="without an exponent"),
    Case("ho-csv-infinite", "a count written as 400 nines is refused, not stored as infinity",
         prc_csv(set_cell(9, 7, "9" * 400)), line=9, says="Number of Offences: '9{39}…' is not a number"),
    Case("ho-csv-fraction", "a fractional count is refused", prc_csv(set_cell(12, 7, "3.5")), line=12,
         says="3.5 is not a whole number"),
    Case("ho-csv-nul-in-force", "a NUL inside a force name is refused naming the column and line",
         prc_csv(set_cell(7, 2, "West\x00Mercia")), line=7, says=r"Force Name holds the control character U\+0000"),
    Case("ho-csv-escape-in-description", "an escape sequence inside an offence description is refused",
         prc_csv(set_cell(7, 3, "Murder\x1b]0;owned\x07")), line=7,
         says="Offence Description holds the control character"),
    Case("ho-csv-duplicate-row", "the same force, quarter and offence code twice is refused naming both lines",
         prc_csv(lambda rows: rows.append(list(rows[3]))), line=133, says="is given twice: also at line 5"),
    Case("ho-csv-unknown-force", "a force no lookup knows is refused with its line",
         prc_csv(set_cell(20, 2, "Gotham City Police")), line=20, says="unknown police force 'Gotham City Police'"),
    Case("ho-csv-not-windows-1252", "a byte Windows-1252 does not define (0x81) is refused with its line",
         prc_csv_bytes(lambda d: d.replace(b"Murder", b"Murder \x81", 1)), line=70,
         says="neither UTF-8 nor Windows-1252"),
    Case("ho-csv-mixed-encodings", "a UTF-8 file with one Windows-1252 byte is refused, not read as Windows-1252",
         prc_csv_bytes(lambda d: d.replace(b"Murder", "Murdér".encode() + b" \xa3", 1)), line=70,
         says="two encodings are mixed"),
    Case("ho-csv-utf16-without-bom", "UTF-16 saved without its byte-order mark is refused",
         prc_csv(encoding="utf-16-le"), line=1, says="UTF-16 saved without its byte-order mark"),
    Case("ho-csv-sparse-3gb", "a 3 GB (sparse) CSV with the Home Office header is refused by its size",
         sparse("prc-pfa-tables.csv", (",".join(HEADER) + "\n").encode()), says=r"the file is 3,072\.0 MiB",
         seconds=20),
    Case("ho-xlsx-formula", "a count typed as a formula with no saved value is refused naming sheet and cell",
         prc_xlsx(set_cell(10, 7, "=6*2")), line=10, says=r"sheet '2018_19', line 10: cell H10 holds a formula"),
    Case("ho-xlsx-named-csv", "a workbook renamed .csv is refused",
         lambda f: write(f, "prc-pfa-tables.csv", ONS.read_bytes())),
    Case("ho-ods-formula", "an ODS count that is a formula with no value is refused naming sheet and cell",
         ods(ods_with_formula_count), line=7,
         says=r"sheet '2018_19', line 7: cell H7 holds a formula with no saved value \(=6\*2\)"),
    Case("ho-ods-one-comma-two", 'an ODS count typed as the text "1,2" is refused',
         ods(ods_table(set_cell(4, 7, "1,2"))), line=4, says="'1,2' is not a number"),
    Case("ho-ods-bomb", "an ODS whose content.xml inflates past a gigabyte is refused before it is read",
         ods(ods_bomb_body), says="would inflate from", seconds=40),
    Case("ho-ods-repeated-grid", "an ODS repeating one cell into a million rows x 100 columns is refused",
         ods(ods_table(extra=FAR_REPEATS)), says=r"100,01\d,\d+ cells", seconds=20),
    Case("ho-ods-huge-columns", "an ODS repeating one value across 16,384 columns of a million rows is refused",
         ods(lambda: ods_rows([HEADER]) + FAR_REPEATS.replace(b'"100"', b'"16384"')), says="cells, more than",
         seconds=20),
]

LOCAL_CASES = [
    Case("ls-one-comma-two", 'a local figure written "1,2" is an error naming its line',
         local_line(2, b'West Midlands,homicides,,YE Jun 2019,"1,2",,,,x'), line=2, says="'1,2' is not a number"),
    Case("ls-fraction", "a fractional count of homicides is refused",
         local_line(2, b"West Midlands,homicides,,YE Jun 2019,52.5,,,,x"), line=2,
         says="count 52.5 is not a whole number"),
    Case("ls-month-13", 'a period "2024-13" is refused with its line',
         local_line(3, b"West Midlands,homicides,,2024-13,46,,,,x"), line=3, says="cannot read period '2024-13'"),
    Case("ls-february-30", 'a period "Feb 30 2024" is refused',
         local_line(3, b"West Midlands,homicides,,Feb 30 2024,46,,,,x"), line=3,
         says="cannot read period 'Feb 30 2024'"),
    Case("ls-iso-february-30", 'a period "2024-02-30" is refused',
         local_line(3, b"West Midlands,homicides,,2024-02-30,46,,,,x"), line=3,
         says="cannot read period '2024-02-30'"),
    Case("ls-nul-in-note", "a NUL inside a note is refused naming its column",
         local_line(2, WM_HOMICIDES + b"\x00"), line=2, says=r"column 'note' holds the control character U\+0000"),
    Case("ls-escape-in-label", "an escape sequence in a series label is refused",
         local_line(2, b"West Midlands,odd_series,Odd\x1b[31mlabel,YE Jun 2019,52,,,count,x"), line=2,
         says=r"column 'series_label' holds the control character U\+001B"),
    Case("ls-rlo-in-force", "a right-to-left override in the force is refused",
         local_line(2, "West\u202eMidlands,homicides,,YE Jun 2019,52,,,,x".encode()), line=2,
         says=r"column 'force' holds the control character U\+202E"),
    Case("ls-unknown-force", "a force no lookup knows is refused",
         local_line(4, b"Gotham,homicides,,2021,46,,,,x"), line=4, says="unknown police force 'Gotham'"),
    Case("ls-duplicate-row", "the same figure twice is refused naming both lines",
         edited(LOCAL, lambda d: d.rstrip(b"\n") + b"\n" + WM_HOMICIDES + b"\n"),
         line=len(LOCAL.read_bytes().rstrip(b"\n").split(b"\n")) + 1, says="repeats line 2"),
    Case("ls-not-windows-1252", "a byte Windows-1252 does not define is refused",
         edited(LOCAL, lambda d: d.replace(b"Seed 001 para 4:", b"Seed 001 para 4 \x8f:", 1)), line=2,
         says="neither UTF-8 nor Windows-1252"),
    Case("ls-utf16-without-bom", "UTF-16 without its byte-order mark is refused",
         reencoded(LOCAL, "utf-16-le", "local-series-west-midlands.csv"), line=1,
         says="UTF-16 saved without its byte-order mark"),
    Case("ls-sparse-3gb", "a 3 GB (sparse) local series is refused by its size",
         sparse("local-series.csv", b"force,series,period,value\n"), says=r"the file is 3,072\.0 MiB", seconds=20),
    Case("ls-xlsx-formula", "a workbook value that is a formula with no saved value is refused naming its cell",
         local_xlsx([LOCAL_HEADER, ["West Midlands", "homicides", "", "2021", "=40+6", None, None, "", "x"]]), line=2,
         says="cell E2 holds a formula with no saved value"),
    Case("ls-xlsx-bomb", "a local series workbook whose sheet XML inflates past a gigabyte is refused",
         xlsx_bomb(local_xlsx([LOCAL_HEADER, ["West Midlands", "homicides", "", "2021", 46, None, None, "", "x"]]),
                   "xl/worksheets/sheet1.xml", "local-series.xlsx"),
         says="would inflate from", seconds=30),
]

CASES = [*ONS_CASES, *HOME_OFFICE_CASES, *LOCAL_CASES]


def shared_strings_bomb(folder: Path) -> Path:
    """The ONS workbook with its shared strings inflating to 1.5 GB (a million 1,000-character strings)."""

    path = folder / "ons-ye-jun-2019.xlsx"
    entry = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    with zipfile.ZipFile(ONS) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/sharedStrings.xml":
                zout.writestr(info, zin.read(info))
                continue
            with zout.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                for _ in range(1500):
                    fh.write(entry * 1000)
                fh.write(b"</sst>")
    return path


DETECTION_CASES = [
    Case("ons-shared-strings-bomb", "a workbook whose shared strings inflate to 1.5 GB is refused before anything "
         "inflates them (ingest.detect checks a workbook before any sniffer opens it)", shared_strings_bomb,
         says="would inflate from", seconds=30),
]
ALL_CASES = [*CASES, *DETECTION_CASES]


@pytest.fixture(scope="module")
def outcomes(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    return run_all(ALL_CASES, hostile_store, tmp_path_factory.mktemp("tables"))


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_refused_cleanly(case: Case, outcomes: dict[str, Outcome]) -> None:
    check(case, outcomes[case.id])


def test_there_are_enough_cases_and_every_one_is_a_bad_file() -> None:
    assert len(CASES) >= 35
    assert {c.exit for c in CASES} == {EXIT_INPUT}
