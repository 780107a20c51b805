"""Home Office police recorded crime (PRC) by police force area, quarter and offence code.

This is the backbone of most scorecard measures: the Home Office's "police recorded crime
PFA open data tables" give every force's count of each notifiable offence code for each
financial quarter since 2012/13, plus the national fraud bodies (Action Fraud, CIFAS, UK
Finance and its predecessor Financial Fraud Action UK) and British Transport Police.

Three physical forms carry the same content, and all must give identical observations so a
force can load whichever copy it has:

* the published workbook (ODS, or an XLSX re-save), one sheet per financial year, with a
  cover or notes sheet that has no table on it;
* a CSV export of one of those sheets (or of all of them);
* the long parquet copy kept for development (``FY``, ``Force``, ``Group``, ``n`` ...).

Each form is first turned into the same raw Arrow columns (with each row's sheet and line
kept for error messages); everything after that — checking periods, resolving forces,
cleaning labels, finding duplicates — is done once on whole columns, so the 321,893-row
parquet loads in a fraction of a second and every form is validated by the same code.
Spreadsheet cells are only examined one by one when a column holds something unexpected,
because that is when a line number is needed.

Decisions recorded here because the data forced them:

* **Negative counts are kept, with a warning.**  The real tables hold 426 negative quarterly
  counts (e.g. British Transport Police, violent disorder, 2012/13 Q3: -268).  They are how
  the figures were published; rejecting them would reject every official file.
* **A repeated (force, quarter, offence code) is an error.**  The real data has none (not even
  across the "CIFAS"/"Cifas" spellings), and ``series`` is the offence code, so two rows with
  the same code would be two values for one series in one quarter; summing them would hide a
  broken export.  The key deliberately ignores the subgroup, because the code alone is what
  a value is looked up by.
* **National fraud bodies are areas of their own** (``area_type`` "national_body", force_id a
  slug such as "action-fraud"), because fraud has been recorded only nationally since
  2013/14 and fraud measures need these rows; they must never be summed into a force.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import python_calamine

from scorecard.areas import find_force, force, territorial_forces
from scorecard.errors import InputError, UnknownForce
from scorecard.periods import FinancialQuarter, Month
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

DATASET = "home_office_prc"

# Canonical column -> the official header, then other spellings (the parquet copy's names).
# Header cells are compared after lower-casing, collapsing whitespace and dropping "[Note n]".
_COLUMNS: dict[str, tuple[str, ...]] = {
    "fy": ("Financial Year", "FY"),
    "quarter": ("Financial Quarter",),
    "force": ("Force Name", "Force"),
    "description": ("Offence Description",),
    "group": ("Offence Group", "Group"),
    "subgroup": ("Offence Subgroup",),
    "code": ("Offence Code",),
    "n": ("Number of Offences", "n"),
}
# A row with these three is taken to be the header (so a cover sheet's prose never is).
_MARKERS = ("fy", "code", "n")
_OFFICIAL = {key: names[0] for key, names in _COLUMNS.items()}
_HEADER_LIST = ", ".join(_OFFICIAL.values())
# Official tables may put a title or notes above the header; look this far down for it.
_HEADER_SEARCH_ROWS = 20

SPREADSHEET_SUFFIXES = (".ods", ".xlsx", ".xlsm", ".xls", ".xlsb")

# Bodies that record crime nationally and appear in "Force Name" although they police no area.
NATIONAL_BODIES: dict[str, tuple[str, str]] = {
    "action fraud": ("action-fraud", "Action Fraud"),
    "cifas": ("cifas", "CIFAS"),
    "uk finance": ("uk-finance", "UK Finance"),
    "financial fraud action uk": ("financial-fraud-action-uk", "Financial Fraud Action UK"),
}

_FY = re.compile(r"^(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")


# --- public API --------------------------------------------------------------------------

def read_home_office(path: str | Path) -> ParsedFile:
    """Read any form of the PRC PFA table, or raise ``InputError`` before anything is stored."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise InputError(p, "file not found")
    if p.stat().st_size == 0:
        raise InputError(p, "the file is empty")
    warnings: list[str] = []
    if suffix == ".parquet":
        raw = _read_parquet(p)
    elif suffix in SPREADSHEET_SUFFIXES:
        raw = _read_spreadsheet(p, warnings)
    elif suffix == ".csv":
        raw = _read_csv(p, warnings)
    else:
        raise InputError(p, f"cannot read {suffix or 'extension-less'} files as Home Office tables; "
                            "give an .ods, .xlsx, .csv or .parquet file")
    table, covers = _observations(p, raw, warnings)
    return ParsedFile(
        path=str(p),
        kind=f"home_office_prc_{suffix.lstrip('.')}",
        dataset=DATASET,
        table=table,
        # Per offence code: a correction file carrying only the codes that changed
        # revises those and leaves the force-quarter's other offences as they were.
        replace_key=("force_id", "area_type", "area_code", "series", "first_month", "last_month"),
        covers=covers,
        warnings=warnings,
    )


def looks_like_home_office(path: str | Path) -> bool:
    """Cheap sniff for the ingest dispatcher: reads only a schema or the first rows.

    Never raises: a file this module cannot even peek into is simply not ours.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            names = pq.read_schema(p).names
            return len(_map_header(names)) == len(_COLUMNS)
        if suffix == ".csv":
            with p.open("rb") as fh:
                head = fh.read(64 * 1024)
            text = _decode_quietly(head)
            lines = csv.reader(io.StringIO(text))
            return any(_is_header(row) for row in islice(lines, _HEADER_SEARCH_ROWS))
        if suffix in SPREADSHEET_SUFFIXES:
            book = python_calamine.CalamineWorkbook.from_path(str(p))
            for name in book.sheet_names:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False, nrows=_HEADER_SEARCH_ROWS)
                if any(_is_header(row) for row in rows):
                    return True
    except (OSError, ValueError, csv.Error, pa.ArrowException, python_calamine.CalamineError):
        return False
    return False


# --- reading each form into raw columns --------------------------------------------------

@dataclass
class _Raw:
    """The eight columns as read, plus where each row came from; not yet validated."""

    fy: pa.Array
    quarter: pa.Array  # float64: the parquet stores 1.0-4.0
    force: pa.Array
    description: pa.Array
    group: pa.Array
    subgroup: pa.Array
    code: pa.Array
    n: pa.Array  # float64
    line: pa.Array  # int64, 1-based
    sheet: pa.Array  # string, null outside spreadsheets

    def __len__(self) -> int:
        return len(self.line)


def _header_key(cell: object) -> str:
    text = re.sub(r"\[[^\]]*\]", " ", str(cell)).lower()
    return " ".join(text.split())


_ALIASES = {_header_key(name): key for key, names in _COLUMNS.items() for name in names}


def _map_header(row: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position, for whichever columns the row names (first wins)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = _ALIASES.get(_header_key(cell)) if isinstance(cell, str) else None
        if key is not None and key not in found:
            found[key] = i
    return found


def _is_header(row: Sequence[object]) -> bool:
    found = _map_header(row)
    return all(m in found for m in _MARKERS)


def _require_all(path: Path, found: dict[str, int], line: int, sheet: str | None) -> None:
    missing = [_OFFICIAL[k] for k in _COLUMNS if k not in found]
    if missing:
        where = f"in sheet {sheet!r}, " if sheet else ""
        raise InputError(path, f"{where}the header row lacks column(s) {', '.join(missing)}", line)


_TEXT_TYPES = {str, type(None)}
_NUMBER_TYPES = {float, int, type(None)}


class _Builder:
    """Collects the table under each header, one block per sheet, as Arrow columns.

    A column whose cells all have the expected type (the usual case) is converted in one
    step; only a column with odd cells is converted cell by cell, so that the bad cell can be
    reported with its line.  Blank cells become nulls, reported later by the shared checks.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blocks: list[dict[str, pa.Array]] = []
        self.numeric_codes = 0
        self.first_numeric_code: str | None = None

    def fail(self, problem: str, line: int, sheet: str | None) -> NoReturn:
        where = f"in sheet {sheet!r}, " if sheet else ""
        raise InputError(self.path, where + problem, line)

    def add_block(
        self, rows: list[Sequence[object]], lines: list[int], header: dict[str, int], sheet: str | None,
    ) -> None:
        if not rows:
            return
        block = {key: self._text_column(key, [r[header[key]] for r in rows], lines, sheet)
                 for key in ("fy", "force", "description", "group", "subgroup", "code")}
        block["quarter"] = self._number_column(
            [r[header["quarter"]] for r in rows], lines, sheet, self._quarter)
        block["n"] = self._number_column([r[header["n"]] for r in rows], lines, sheet, self._count)
        block["line"] = pa.array(lines, pa.int64())
        block["sheet"] = pa.repeat(pa.scalar(sheet, pa.string()), len(rows))
        self.blocks.append(block)

    def _text_column(self, key: str, cells: list[object], lines: list[int], sheet: str | None) -> pa.Array:
        if set(map(type, cells)) <= _TEXT_TYPES:
            arr = pa.array(cells, pa.string())
        else:  # numbers (or dates) among the text
            if key == "code":
                numeric = [i for i, v in enumerate(cells) if isinstance(v, int | float)]
                self.numeric_codes += len(numeric)
                if numeric and self.first_numeric_code is None:
                    line = lines[numeric[0]]
                    self.first_numeric_code = f"sheet {sheet!r} line {line}" if sheet else f"line {line}"
            arr = pa.array([_text(v) for v in cells], pa.string())
        blank = pc.equal(pc.utf8_trim_whitespace(arr), "")
        return pc.if_else(blank, pa.scalar(None, pa.string()), arr)

    def _number_column(
        self,
        cells: list[object],
        lines: list[int],
        sheet: str | None,
        parse: Callable[[object, int, str | None], float | None],
    ) -> pa.Array:
        types = set(map(type, cells))
        if types <= _NUMBER_TYPES:  # not bool: TRUE must not count as 1
            return pa.array(cells, pa.float64())
        if types <= _TEXT_TYPES:  # a CSV: try the whole column as plain numbers first
            text = pc.utf8_trim_whitespace(pa.array(cells, pa.string()))
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            try:
                return pc.cast(text, pa.float64())
            except pa.ArrowInvalid:
                pass
        return pa.array([parse(v, line, sheet) for v, line in zip(cells, lines, strict=True)], pa.float64())

    def _quarter(self, value: object, line: int, sheet: str | None) -> float | None:
        if _blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        text = str(value).strip().upper().removeprefix("Q")
        try:
            return float(text)
        except ValueError:
            self.fail(f"Financial Quarter must be 1, 2, 3 or 4, got {value!r}", line, sheet)

    def _count(self, value: object, line: int, sheet: str | None) -> float | None:
        if _blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip().replace(",", ""))
            except ValueError:
                self.fail(f"Number of Offences must be a number, got {value!r}", line, sheet)
        if not math.isfinite(number):
            self.fail(f"Number of Offences must be a number, got {value!r}", line, sheet)
        return number

    def build(self, warnings: list[str]) -> _Raw:
        if self.numeric_codes:
            warnings.append(
                f"{self.path}: {self.numeric_codes} Offence Code cell(s) are stored as numbers "
                f"(first at {self.first_numeric_code}); a code such as 4.10 cannot be told from "
                "4.1 once it is a number — format the column as text"
            )
        types = {"quarter": pa.float64(), "n": pa.float64(), "line": pa.int64()}
        cols = {key: pa.concat_arrays([b[key] for b in self.blocks]) if self.blocks
                else pa.array([], types.get(key, pa.string()))
                for key in (*_COLUMNS, "line", "sheet")}
        return _Raw(**cols)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str | None:
    """A cell as text; whole numbers lose their ".0" (a spreadsheet may type code 8 as 8.0)."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_Numbered = Iterator[tuple[int, Sequence[object]]]


def _consume(
    builder: _Builder,
    numbered: _Numbered,
    sheet: str | None,
    check_width: bool,
) -> bool:
    """Find the header in the first rows, then add every non-blank row below it.

    Returns False when there is no header (a cover or notes sheet), so the caller can skip it.
    """
    header: dict[str, int] | None = None
    width = 0
    rows: list[Sequence[object]] = []
    lines: list[int] = []
    for line, row in numbered:
        if header is None:
            if line > _HEADER_SEARCH_ROWS:
                return False
            if _is_header(row):
                header = _map_header(row)
                _require_all(builder.path, header, line, sheet)
                width = len(row)
            continue
        if not any(row) and all(_blank(v) for v in row):
            continue
        if len(row) != width:
            if check_width:
                builder.fail(f"row has {len(row)} fields but the header has {width}", line, sheet)
            row = [*row, *[None] * (width - len(row))]
        rows.append(row)
        lines.append(line)
    if header is None:
        return False
    builder.add_block(rows, lines, header, sheet)
    return True


def _read_spreadsheet(path: Path, warnings: list[str]) -> _Raw:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(path, f"cannot open as a spreadsheet: {exc}") from exc
    builder = _Builder(path)
    used = []
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
        except python_calamine.CalamineError as exc:
            raise InputError(path, f"cannot read sheet {name!r}: {exc}") from exc
        # Keep the empty rows and columns above and left of the table, so that line numbers
        # are the row numbers the analyst sees (iter_rows() and the default trim them).
        rows = sheet.to_python(skip_empty_area=False)
        if _consume(builder, enumerate(rows, start=1), name, check_width=False):
            used.append(name)
    if not used:
        raise InputError(path, f"no header row with {_HEADER_LIST} found in any sheet "
                               f"({', '.join(repr(s) for s in book.sheet_names)})")
    return builder.build(warnings)


def _decode_quietly(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    """UTF-8 as we ask for; Windows-1252, which Excel's "CSV" still writes, with a warning."""
    if b"\x00" in data[:4096]:
        raise InputError(path, "the file contains NUL bytes: it is UTF-16 or not a CSV at all; "
                               "save it as CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc2:
            raise InputError(path, "the file is neither UTF-8 nor Windows-1252 text "
                                   f"(byte 0x{data[exc2.start]:02x}); save it as CSV UTF-8",
                             data.count(b"\n", 0, exc2.start) + 1) from exc2
        warnings.append(f"{path}: not valid UTF-8 (first at line {bad_line}); read as Windows-1252")
        return text


def _read_csv(path: Path, warnings: list[str]) -> _Raw:
    text = _decode(path, path.read_bytes(), warnings)
    if not text.strip():
        raise InputError(path, "the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))

    def numbered() -> _Numbered:
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:
            raise InputError(path, f"not valid CSV: {exc}", reader.line_num) from exc

    builder = _Builder(path)
    if not _consume(builder, numbered(), None, check_width=True):
        raise InputError(path, f"no header row with {_HEADER_LIST} found "
                               f"in the first {_HEADER_SEARCH_ROWS} lines")
    return builder.build(warnings)


def _read_parquet(path: Path) -> _Raw:
    try:
        names = pq.read_schema(path).names
    except (pa.ArrowException, OSError) as exc:
        raise InputError(path, f"cannot open as parquet: {exc}") from exc
    header = _map_header(names)
    missing = [_OFFICIAL[k] for k in _COLUMNS if k not in header]
    if missing:
        raise InputError(path, f"parquet file lacks column(s) {', '.join(missing)} "
                               f"(has {', '.join(names)})")
    table = pq.read_table(path, columns=[names[header[k]] for k in _COLUMNS])

    def column(key: str, type_: pa.DataType) -> pa.Array:
        name = names[header[key]]
        try:
            return pc.cast(table.column(name).combine_chunks(), type_)
        except pa.ArrowException as exc:
            raise InputError(path, f"column {name!r} cannot be read as {type_}: {exc}") from exc

    rows = table.num_rows
    return _Raw(
        fy=column("fy", pa.string()), quarter=column("quarter", pa.float64()),
        force=column("force", pa.string()), description=column("description", pa.string()),
        group=column("group", pa.string()), subgroup=column("subgroup", pa.string()),
        code=column("code", pa.string()), n=column("n", pa.float64()),
        line=_counting_from(1, rows), sheet=pa.nulls(rows, pa.string()),
    )


# --- shared validation and normalisation on whole columns --------------------------------

class _Columns:
    """Validation helpers that locate the first offending row of a column."""

    def __init__(self, path: Path, raw: _Raw) -> None:
        self.path = path
        self.raw = raw

    def fail(self, i: int, problem: str, error: type[InputError] = InputError) -> NoReturn:
        line = self.raw.line[i].as_py()
        sheet = self.raw.sheet[i].as_py()
        raise error(self.path, (f"in sheet {sheet!r}, " if sheet else "") + problem, line)

    def where(self, i: int) -> str:
        sheet = self.raw.sheet[i].as_py()
        line = self.raw.line[i].as_py()
        return f"sheet {sheet!r} line {line}" if sheet else f"line {line}"

    def first(self, mask: pa.Array) -> int | None:
        """Index of the first true value of a boolean mask (nulls count as false)."""
        idx = pc.index(pc.fill_null(mask, False), True).as_py()
        return None if idx < 0 else int(idx)

    def no_blanks(self, key: str, arr: pa.Array) -> None:
        if arr.null_count:
            i = self.first(pc.is_null(arr))
            assert i is not None
            self.fail(i, f"{_OFFICIAL[key]} is blank")

    def per_unique(
        self,
        arr: pa.Array,
        fn: Callable[[str], tuple[Any, ...]],
        types: Sequence[pa.DataType],
    ) -> list[pa.Array]:
        """Apply ``fn`` once per distinct value and spread its results back over the rows.

        ``fn`` raises ``_Bad`` for an invalid value; the error is reported at its first row.
        """
        encoded = pc.dictionary_encode(arr)
        outputs: list[list[Any]] = [[] for _ in types]
        for k, value in enumerate(encoded.dictionary.to_pylist()):
            try:
                result = fn(value)
            except _Bad as bad:
                i = self.first(pc.equal(encoded.indices, k))
                assert i is not None
                self.fail(i, bad.problem, bad.error)
            for out, item in zip(outputs, result, strict=True):
                out.append(item)
        return [pc.take(pa.array(out, t), encoded.indices) for out, t in zip(outputs, types, strict=True)]


class _Bad(Exception):
    def __init__(self, problem: str, error: type[InputError] = InputError) -> None:
        super().__init__(problem)
        self.problem = problem
        self.error = error


def _fy_start(text: str) -> tuple[int]:
    m = _FY.match(text.strip())
    if not m:
        raise _Bad(f"Financial Year must be written like 2018/19, got {text!r}")
    start, end_text = int(m.group(1)), m.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if end < start:
        end += 100
    if end != start + 1:
        raise _Bad(f"Financial Year {text!r} does not span two consecutive years")
    return (start,)


def _area(name: str) -> tuple[str, str, str, str]:
    """force_id, area_type, area_code, area_name for a "Force Name" cell."""
    body = NATIONAL_BODIES.get(_header_key(name))
    if body is not None:
        slug, label = body
        return slug, "national_body", slug, label
    found = find_force(name)
    if found is None:
        raise _Bad(f"unknown police force {name.strip()!r}", UnknownForce)
    f = force(found)
    return found, "force", f.ons_code or found, f.name


def _clean(text: str) -> tuple[str | None]:
    """Labels carry trailing spaces and non-breaking spaces ("a\\xa0unconnected building")."""
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    return (cleaned or None,)


def _counting_from(start: int, length: int) -> pa.Array:
    """start, start + 1, ... as int64, without a Python loop (numpy is not a dependency)."""
    if length == 0:
        return pa.array([], pa.int64())
    ones = pa.repeat(pa.scalar(1, pa.int64()), length)
    return pc.add(pc.cumulative_sum(ones), start - 1)


def _month_dates(ordinals: pa.Array) -> pa.Array:
    """Month ordinals (year * 12 + month - 1) to the first day of each month, via a lookup."""
    low = pc.min(ordinals).as_py()
    high = pc.max(ordinals).as_py()
    lookup = pa.array([date(o // 12, o % 12 + 1, 1) for o in range(low, high + 1)], pa.date32())
    return pc.take(lookup, pc.subtract(ordinals, low))


def _observations(path: Path, raw: _Raw, warnings: list[str]) -> tuple[pa.Table, str]:
    if len(raw) == 0:
        raise InputError(path, "no data rows below the header")
    cols = _Columns(path, raw)
    for key in ("fy", "quarter", "force", "description", "code", "n"):
        cols.no_blanks(key, getattr(raw, key))

    (start_year,) = cols.per_unique(raw.fy, _fy_start, [pa.int64()])

    q = raw.quarter
    bad = pc.invert(pc.is_in(q, pa.array([1.0, 2.0, 3.0, 4.0])))
    if (i := cols.first(bad)) is not None:
        value = q[i].as_py()
        shown = int(value) if float(value).is_integer() else value
        cols.fail(i, f"Financial Quarter must be 1, 2, 3 or 4, got {shown}")
    quarter = pc.cast(q, pa.int64())

    n = raw.n
    if (i := cols.first(pc.invert(pc.is_finite(n)))) is not None:
        cols.fail(i, f"Number of Offences must be a number, got {n[i].as_py()}")
    if (i := cols.first(pc.not_equal(n, pc.floor(n)))) is not None:
        cols.fail(i, f"Number of Offences must be a whole number, got {n[i].as_py()}")
    negative = pc.less(n, 0)
    if (i := cols.first(negative)) is not None:
        count = pc.sum(negative).as_py()
        warnings.append(
            f"{path}: {count} row(s) have a negative Number of Offences, kept as published "
            f"(first at {cols.where(i)}: {raw.force[i].as_py()} {raw.fy[i].as_py()} "
            f"Q{quarter[i].as_py()} offence {raw.code[i].as_py()} = {n[i].as_py():g})"
        )

    force_id, area_type, area_code, area_name = cols.per_unique(
        raw.force, _area, [pa.string()] * 4)
    (series,) = cols.per_unique(raw.code, _clean, [pa.string()])
    (label,) = cols.per_unique(raw.description, _clean, [pa.string()])
    (group,) = cols.per_unique(raw.group, _clean, [pa.string()])
    (subgroup,) = cols.per_unique(raw.subgroup, _clean, [pa.string()])
    for key, arr in (("code", series), ("description", label)):
        cols.no_blanks(key, arr)  # cells holding only spaces

    # April of the start year is month ordinal start_year * 12 + 3; each quarter adds three.
    first_ordinal = pc.add(pc.multiply(start_year, 12), pc.multiply(quarter, 3))
    last_ordinal = pc.add(first_ordinal, 2)

    _check_duplicates(cols, force_id, first_ordinal, series)

    rows = len(raw)
    table = pa.Table.from_arrays(
        [
            pa.repeat(pa.scalar(DATASET, pa.string()), rows),
            force_id, area_type, area_code, area_name,
            series, label, group, subgroup,
            _month_dates(first_ordinal), _month_dates(last_ordinal),
            pa.repeat(pa.scalar("count", pa.string()), rows),
            n, pa.nulls(rows, pa.float64()), pa.nulls(rows, pa.float64()),
            raw.line, raw.sheet,
        ],
        schema=OBSERVATION_SCHEMA,
    )
    return table, _covers(first_ordinal, force_id)


def _check_duplicates(cols: _Columns, force_id: pa.Array, first_ordinal: pa.Array, series: pa.Array) -> None:
    keyed = pa.table({"f": force_id, "m": first_ordinal, "s": series,
                      "row": _counting_from(0, len(series))})
    groups = keyed.group_by(["f", "m", "s"], use_threads=False).aggregate([("row", "count"), ("row", "min")])
    dups = groups.filter(pc.greater(groups["row_count"], 1))
    if dups.num_rows == 0:
        return
    # Report the duplicate met first in the file, at its second occurrence, naming the first.
    earliest = dups.sort_by([("row_min", "ascending")]).slice(0, 1)
    f, m, s = (earliest[c][0].as_py() for c in ("f", "m", "s"))
    mask = pc.and_(pc.and_(pc.equal(force_id, f), pc.equal(first_ordinal, m)), pc.equal(series, s))
    rows = pc.indices_nonzero(mask).to_pylist()
    first, second = rows[0], rows[1]
    quarter = FinancialQuarter.containing(Month.from_ordinal(m))
    cols.fail(second, f"{cols.raw.force[second].as_py()} {quarter.label} offence code {s!r} "
                      f"is given twice: also at {cols.where(first)}")


def _covers(first_ordinal: pa.Array, force_id: pa.Array) -> str:
    """E.g. "2012-13 Q1 to 2025-26 Q3, 43 forces + 5 other bodies" (BTP counts as other)."""
    first = FinancialQuarter.containing(Month.from_ordinal(pc.min(first_ordinal).as_py()))
    last = FinancialQuarter.containing(Month.from_ordinal(pc.max(first_ordinal).as_py()))
    span = first.label if first == last else f"{first.label} to {last.label}"
    ids = pc.unique(force_id).to_pylist()
    territorial_ids = {f.force_id for f in territorial_forces()}
    territorial = sum(1 for i in ids if i in territorial_ids)
    other = len(ids) - territorial
    parts = []
    if territorial:
        parts.append(f"{territorial} force" + ("" if territorial == 1 else "s"))
    if other:
        parts.append(f"{other} other bod" + ("y" if other == 1 else "ies"))
    return f"{span}, {' + '.join(parts)}"

