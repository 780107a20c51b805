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

Every cell is read by the project's one cell grammar (``scorecard.sources.cells``): numbers
("1,234"; never "1,2", "1e5" or "inf"), text (a control character is an error naming the
cell), decoding (UTF-8, UTF-16 by BOM, Windows-1252 with a warning) and workbook opening
(size, zip bombs and sheet extents checked before calamine reads anything).  The whole-column
checks apply the same rules as the per-cell ones: a CSV column is cast in one step only when
every cell matches ``cells.NUMBER_PATTERN``.  Bounds on what is read into memory:
``CSV_MAX_BYTES`` for a CSV, ``cells.WORKBOOK_MAX_BYTES`` for a workbook, and for the parquet
copy ``PARQUET_MAX_BYTES``, ``PARQUET_MAX_ROWS`` and ``PARQUET_MAX_TEXT_BYTES`` (the text as
it would be once decoded; text columns are read dictionary-encoded, so a file that repeats
one long label a million times is refused before it is expanded).  The parquet columns must
have the types the published copy has: text for the labels, numbers (not true/false) for
the quarter and the count.

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

from scorecard.areas import find_force, force, territorial_forces
from scorecard.errors import InputError, UnknownForce
from scorecard.periods import FinancialQuarter, Month
from scorecard.sources import cells
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
_TEXT_KEYS = ("fy", "force", "description", "group", "subgroup", "code")
_NUMBER_KEYS = ("quarter", "n")
# A row with these three is taken to be the header (so a cover sheet's prose never is).
_MARKERS = ("fy", "code", "n")
_OFFICIAL = {key: names[0] for key, names in _COLUMNS.items()}
_HEADER_LIST = ", ".join(_OFFICIAL.values())
# Official tables may put a title or notes above the header; look this far down for it.
_HEADER_SEARCH_ROWS = 20

SPREADSHEET_SUFFIXES = (".ods", ".xlsx", ".xlsm", ".xls", ".xlsb")

# The whole table as CSV is about 40 MB; reading one costs about ten times its size.
CSV_MAX_BYTES = 128 * 1024 * 1024
# The long parquet copy is 0.6 MB, 321,893 rows and 3.7 MB of text once decoded.
PARQUET_MAX_BYTES = 256 * 1024 * 1024
PARQUET_MAX_ROWS = 5_000_000
PARQUET_MAX_TEXT_BYTES = 512 * 1024 * 1024

# Bodies that record crime nationally and appear in "Force Name" although they police no area.
NATIONAL_BODIES: dict[str, tuple[str, str]] = {
    "action fraud": ("action-fraud", "Action Fraud"),
    "cifas": ("cifas", "CIFAS"),
    "uk finance": ("uk-finance", "UK Finance"),
    "financial fraud action uk": ("financial-fraud-action-uk", "Financial Fraud Action UK"),
}

_FY = re.compile(r"^([0-9]{4})\s*[/\-]\s*([0-9]{2}|[0-9]{4})$")


# --- public API --------------------------------------------------------------------------

def read_home_office(path: str | Path) -> ParsedFile:
    """Read any form of the PRC PFA table, or raise ``InputError`` before anything is stored."""
    p = Path(path)
    suffix = p.suffix.lower()
    size = cells.regular_file_size(p, limit=max(CSV_MAX_BYTES, PARQUET_MAX_BYTES, cells.WORKBOOK_MAX_BYTES),
                                   what="Home Office table")
    if size == 0:
        raise InputError(p, "the file is empty")
    warnings: list[str] = []
    if suffix == ".parquet":
        raw = _read_parquet(p, size)
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

    Never raises.  A CSV or XLSX file this module cannot even peek into is simply not ours
    (another reader may take it).  But this is the only reader of parquet and ODS files, so
    one of those that cannot be opened is claimed, for ``read_home_office`` to say what is
    wrong with it (a damaged footer, a zip bomb) rather than "not a file type we read".
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        try:
            names = pq.read_schema(p).names
        except (pa.ArrowException, OSError, ValueError):
            return True
        return len(_map_header(names)) == len(_COLUMNS)
    if suffix == ".ods":
        try:
            with cells.open_workbook(p) as book:
                return any(_is_header(row) for name in book.sheet_names
                           for row in book.rows(name, nrows=_HEADER_SEARCH_ROWS))
        except InputError:
            return True
    try:
        if suffix == ".csv":
            with p.open("rb") as fh:
                head = fh.read(64 * 1024)
            lines = csv.reader(io.StringIO(cells.sniff_text(head)))
            return any(_is_header(row) for row in islice(lines, _HEADER_SEARCH_ROWS))
        if suffix in SPREADSHEET_SUFFIXES:
            with cells.open_workbook(p) as book:
                return any(_is_header(row) for name in book.sheet_names
                           for row in book.rows(name, nrows=_HEADER_SEARCH_ROWS))
    except (InputError, OSError, ValueError, csv.Error, pa.ArrowException):
        return False
    return False


# --- reading each form into raw columns --------------------------------------------------

@dataclass
class _Raw:
    """The eight columns as read, plus where each row came from; not yet validated.

    Text columns are string arrays, or dictionary arrays of strings (the parquet copy).
    """

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


def _where(sheet: str | None) -> str | None:
    return f"sheet {sheet!r}" if sheet else None


def _require_all(path: Path, found: dict[str, int], line: int, sheet: str | None) -> None:
    missing = [_OFFICIAL[k] for k in _COLUMNS if k not in found]
    if missing:
        raise InputError(path, f"the header row lacks column(s) {', '.join(missing)}", line, where=_where(sheet))


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
        raise InputError(self.path, problem, line, where=_where(sheet))

    def add_block(
        self, rows: list[Sequence[object]], lines: list[int], header: dict[str, int], sheet: str | None,
    ) -> None:
        if not rows:
            return
        block = {key: self._text_column(key, [r[header[key]] for r in rows], lines, sheet) for key in _TEXT_KEYS}
        block["quarter"] = self._number_column(
            [r[header["quarter"]] for r in rows], lines, sheet, self._quarter)
        block["n"] = self._number_column([r[header["n"]] for r in rows], lines, sheet, self._count)
        block["line"] = pa.array(lines, pa.int64())
        block["sheet"] = pa.repeat(pa.scalar(sheet, pa.string()), len(rows))
        self.blocks.append(block)

    def _text_column(self, key: str, values: list[object], lines: list[int], sheet: str | None) -> pa.Array:
        if set(map(type, values)) <= _TEXT_TYPES:
            arr = pa.array(values, pa.string())
        else:  # numbers (or dates) among the text
            if key == "code":
                numeric = [i for i, v in enumerate(values) if isinstance(v, int | float) and not isinstance(v, bool)]
                self.numeric_codes += len(numeric)
                if numeric and self.first_numeric_code is None:
                    line = lines[numeric[0]]
                    self.first_numeric_code = f"sheet {sheet!r} line {line}" if sheet else f"line {line}"
            arr = pa.array([None if cells.is_blank(v) else _text_of(v) for v in values], pa.string())
        blank = pc.equal(pc.utf8_trim_whitespace(arr), "")
        return pc.if_else(blank, pa.scalar(None, pa.string()), arr)

    def _number_column(
        self,
        values: list[object],
        lines: list[int],
        sheet: str | None,
        parse: Callable[[object, int, str | None], float | None],
    ) -> pa.Array:
        types = set(map(type, values))
        if types <= _NUMBER_TYPES:  # not bool: TRUE must not count as 1
            try:
                return pa.array(values, pa.float64())
            except (pa.ArrowException, OverflowError):
                pass  # an integer too large for Arrow: the cell-by-cell path names it
        elif types <= _TEXT_TYPES:  # a CSV: the whole column at once when it is all plain numbers
            text = pc.utf8_trim_whitespace(pa.array(values, pa.string()))
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            if pc.all(pc.match_substring_regex(text, cells.NUMBER_PATTERN)).as_py() is not False:
                try:
                    numbers = pc.cast(pc.replace_substring(text, ",", ""), pa.float64())
                except pa.ArrowException:
                    numbers = None
                if numbers is not None and pc.all(pc.is_finite(numbers)).as_py() is not False:
                    return numbers
                # 400 digits cast to infinity: the cell-by-cell path names the cell as written
        return pa.array([parse(v, line, sheet) for v, line in zip(values, lines, strict=True)], pa.float64())

    def _quarter(self, value: object, line: int, sheet: str | None) -> float | None:
        if cells.is_blank(value):
            return None
        written = value.strip().upper().removeprefix("Q") if isinstance(value, str) else value
        try:
            number = cells.number_cell(written)
        except cells.CellError:
            number = None
        if number is None or number.percent_sign:
            self.fail(f"Financial Quarter must be 1, 2, 3 or 4, got {_shown(value)}", line, sheet)
        return number.value

    def _count(self, value: object, line: int, sheet: str | None) -> float | None:
        """The number in the cell; whole, finite and not too large is checked on the column."""
        try:
            number = cells.number_cell(value)
            if number is not None and number.percent_sign:
                raise cells.CellError(f"{_shown(value)} is a percentage, not a count")
        except cells.CellError as exc:
            self.fail(f"Number of Offences: {exc.problem}", line, sheet)
        return None if number is None else number.value

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


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else cells.text_of(value)


def _text_of(value: object) -> str:
    """A non-text cell in a text column, as text ("8" for 8.0); checked by the grammar later."""
    try:
        return cells.text_of(value, max_chars=10**9)
    except cells.CellError:
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
        if not any(row) and all(cells.is_blank(v) for v in row):
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
    builder = _Builder(path)
    used = []
    with cells.open_workbook(path) as book:
        for name in book.sheet_names:
            # Keep the empty rows and columns above and left of the table, so that line
            # numbers are the row numbers the analyst sees.
            rows = book.rows(name)
            if _consume(builder, enumerate(rows, start=1), name, check_width=False):
                book.refuse_unsaved_formulas(name)
                used.append(name)
        names = book.sheet_names
    if not used:
        raise InputError(path, f"no header row with {_HEADER_LIST} found in any sheet "
                               f"({', '.join(repr(s) for s in names)})")
    return builder.build(warnings)


def _read_csv(path: Path, warnings: list[str]) -> _Raw:
    text = cells.read_text_file(path, warnings, limit=CSV_MAX_BYTES, what="Home Office CSV")
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


def _parquet_kind(type_: pa.DataType) -> str:
    if pa.types.is_dictionary(type_):
        return _parquet_kind(type_.value_type)
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return "text"
    if pa.types.is_integer(type_) or pa.types.is_floating(type_):
        return "number"
    return str(type_)


def _read_parquet(path: Path, size: int) -> _Raw:
    if size > PARQUET_MAX_BYTES:
        raise InputError(path, f"the parquet file is {size:,} bytes; more than {PARQUET_MAX_BYTES:,} is not read")
    try:
        meta = pq.read_metadata(path)
        schema = meta.schema.to_arrow_schema()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(path, f"cannot open as parquet: {exc}") from None
    names = schema.names
    header = _map_header(names)
    missing = [_OFFICIAL[k] for k in _COLUMNS if k not in header]
    if missing:
        raise InputError(path, f"parquet file lacks column(s) {', '.join(missing)} "
                               f"(has {', '.join(names)})")
    for key in _COLUMNS:
        name = names[header[key]]
        kind = _parquet_kind(schema.field(name).type)
        expected = "number" if key in _NUMBER_KEYS else "text"
        if kind != expected:
            wanted = "numbers" if expected == "number" else "text"
            raise InputError(path, f"column {name!r} holds {kind}, but {_OFFICIAL[key]} must be {wanted}")
    _check_parquet_size(path, meta, {names[header[k]] for k in _COLUMNS}, size)
    text_columns = [names[header[k]] for k in _TEXT_KEYS]
    try:
        # One file, so not through pyarrow.dataset (``read_table``): its libraries and buffers
        # added about 10 MB to the peak memory of loading the parquet copy.
        with pq.ParquetFile(path, read_dictionary=text_columns) as file:
            table = file.read(columns=[names[header[k]] for k in _COLUMNS], use_threads=False)
        columns = {key: table.column(names[header[key]]).combine_chunks() for key in _COLUMNS}
        decoded = sum(_decoded_bytes(columns[k]) for k in _TEXT_KEYS)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the parquet file: {exc}") from None
    if decoded > PARQUET_MAX_TEXT_BYTES:
        raise InputError(path, f"the parquet file's text would take {decoded:,} bytes once decoded; "
                               f"more than {PARQUET_MAX_TEXT_BYTES:,} is not read")
    rows = table.num_rows
    return _Raw(
        fy=columns["fy"], quarter=pc.cast(columns["quarter"], pa.float64()),
        force=columns["force"], description=columns["description"],
        group=columns["group"], subgroup=columns["subgroup"],
        code=columns["code"], n=pc.cast(columns["n"], pa.float64()),
        line=_counting_from(1, rows), sheet=pa.nulls(rows, pa.string()),
    )


def _check_parquet_size(path: Path, meta: pq.FileMetaData, wanted: set[str], size: int) -> None:
    """Refuse from the footer alone a file whose rows or inflated columns are out of bounds."""
    if meta.num_rows > PARQUET_MAX_ROWS:
        raise InputError(path, f"the parquet file says it holds {meta.num_rows:,} rows; "
                               f"more than {PARQUET_MAX_ROWS:,} is not read")
    inflated = 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            column = group.column(c)
            if column.path_in_schema in wanted:
                inflated += max(0, column.total_uncompressed_size)
    allowed = min(cells.INFLATED_MAX_BYTES, max(cells.INFLATED_FLOOR, cells.INFLATION_RATIO * size))
    if inflated > allowed:
        raise InputError(path, f"the parquet file's columns would inflate from {size:,} to {inflated:,} bytes "
                               f"(at most {allowed:,} is read), so it is not read")


def _decoded_bytes(arr: pa.Array) -> int:
    """The bytes a text column takes once every row's text is written out."""
    if isinstance(arr, pa.DictionaryArray):
        lengths = pc.take(pc.binary_length(arr.dictionary), arr.indices)
    else:
        lengths = pc.binary_length(arr)
    return int(pc.sum(lengths).as_py() or 0)


# --- shared validation and normalisation on whole columns --------------------------------

class _Columns:
    """Validation helpers that locate the first offending row of a column."""

    def __init__(self, path: Path, raw: _Raw) -> None:
        self.path = path
        self.raw = raw

    def fail(self, i: int, problem: str, error: type[InputError] = InputError) -> NoReturn:
        line = self.raw.line[i].as_py()
        sheet = self.raw.sheet[i].as_py()
        raise error(self.path, problem, line, where=_where(sheet))

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
        key: str,
        arr: pa.Array,
        fn: Callable[[str], tuple[Any, ...]],
        types: Sequence[pa.DataType],
    ) -> list[pa.Array]:
        """Apply ``fn`` once per distinct value and spread its results back over the rows.

        Each value is first read by the text grammar (``cells.text``); ``fn`` raises ``_Bad``
        for an invalid value.  Either is reported at the value's first row.
        """
        encoded = arr if isinstance(arr, pa.DictionaryArray) else pc.dictionary_encode(arr)
        try:
            encoded.dictionary.validate(full=True)  # a parquet file may hold bytes that are not UTF-8
            values = encoded.dictionary.to_pylist()
        except (pa.ArrowException, UnicodeDecodeError):
            bad = next(k for k in range(len(encoded.dictionary)) if not _is_utf8(encoded.dictionary, k))
            self._fail_at_value(encoded, bad, f"{_OFFICIAL[key]} is not UTF-8 text")
        used = set(pc.unique(encoded.indices).drop_null().to_pylist())
        outputs: list[list[Any]] = [[] for _ in types]
        for k, value in enumerate(values):
            if k not in used:  # a dictionary may hold values no row uses
                result: tuple[Any, ...] = tuple(None for _ in types)
            else:
                try:
                    if value is None:
                        raise _Bad(f"{_OFFICIAL[key]} is blank")
                    result = fn(cells.text(value))
                except cells.CellError as exc:
                    self._fail_at_value(encoded, k, f"{_OFFICIAL[key]} {exc.problem}")
                except _Bad as bad:
                    self._fail_at_value(encoded, k, bad.problem, bad.error)
            for out, item in zip(outputs, result, strict=True):
                out.append(item)
        return [pc.take(pa.array(out, t), encoded.indices) for out, t in zip(outputs, types, strict=True)]

    def _fail_at_value(self, encoded: pa.DictionaryArray, k: int, problem: str,
                       error: type[InputError] = InputError) -> NoReturn:
        i = self.first(pc.equal(encoded.indices, k))
        assert i is not None
        self.fail(i, problem, error)


def _is_utf8(dictionary: pa.Array, k: int) -> bool:
    try:
        dictionary.slice(k, 1).validate(full=True)
        dictionary[k].as_py()
    except (pa.ArrowException, UnicodeDecodeError):
        return False
    return True


class _Bad(Exception):
    def __init__(self, problem: str, error: type[InputError] = InputError) -> None:
        super().__init__(problem)
        self.problem = problem
        self.error = error


def _fy_start(text: str) -> tuple[int]:
    m = _FY.match(text)
    if not m:
        raise _Bad(f"Financial Year must be written like 2018/19, got {text!r}")
    start, end_text = int(m.group(1)), m.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if end < start:
        end += 100
    if end != start + 1:
        raise _Bad(f"Financial Year {text!r} does not span two consecutive years")
    if not 1900 < start < 2100:
        raise _Bad(f"Financial Year {text!r} is not a year the tables cover")
    return (start,)


def _area(name: str) -> tuple[str, str, str, str]:
    """force_id, area_type, area_code, area_name for a "Force Name" cell."""
    body = NATIONAL_BODIES.get(_header_key(name))
    if body is not None:
        slug, label = body
        return slug, "national_body", slug, label
    found = find_force(name)
    if found is None:
        raise _Bad(f"unknown police force {name!r}", UnknownForce)
    f = force(found)
    return found, "force", f.ons_code or found, f.name


def _clean(text: str) -> tuple[str | None]:
    """Labels carry trailing spaces and non-breaking spaces ("a\\xa0unconnected building");
    ``cells.text`` has already tidied them."""
    return (text or None,)


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


def _check_counts(cols: _Columns, n: pa.Array) -> None:
    """The count grammar on the whole column: finite, below 10^15, whole (negatives warned of)."""
    if (i := cols.first(pc.invert(pc.is_finite(n)))) is not None:
        cols.fail(i, f"Number of Offences: {n[i].as_py()} is not a number")
    if (i := cols.first(pc.greater_equal(pc.abs(n), cells.MAX_MAGNITUDE))) is not None:
        cols.fail(i, f"Number of Offences: {cells.shown_number(n[i].as_py())} is too large to be a figure "
                     "(the limit is 10^15)")
    if (i := cols.first(pc.not_equal(n, pc.floor(n)))) is not None:
        try:
            cells.check_count(n[i].as_py(), negative_allowed=True)
        except cells.CellError as exc:
            cols.fail(i, f"Number of Offences: {exc.problem}")


def _observations(path: Path, raw: _Raw, warnings: list[str]) -> tuple[pa.Table, str]:
    if len(raw) == 0:
        raise InputError(path, "no data rows below the header")
    cols = _Columns(path, raw)
    for key in ("fy", "quarter", "force", "description", "code", "n"):
        cols.no_blanks(key, getattr(raw, key))

    (start_year,) = cols.per_unique("fy", raw.fy, _fy_start, [pa.int64()])

    q = raw.quarter
    bad = pc.invert(pc.is_in(q, pa.array([1.0, 2.0, 3.0, 4.0])))
    if (i := cols.first(bad)) is not None:
        value = q[i].as_py()
        shown = int(value) if float(value).is_integer() and abs(value) < cells.MAX_MAGNITUDE else value
        cols.fail(i, f"Financial Quarter must be 1, 2, 3 or 4, got {shown}")
    quarter = pc.cast(q, pa.int64())

    n = raw.n
    _check_counts(cols, n)
    negative = pc.less(n, 0)
    if (i := cols.first(negative)) is not None:
        count = pc.sum(negative).as_py()
        warnings.append(
            f"{path}: {count} row(s) have a negative Number of Offences, kept as published "
            f"(first at {cols.where(i)}: {raw.force[i].as_py()} {raw.fy[i].as_py()} "
            f"Q{quarter[i].as_py()} offence {raw.code[i].as_py()} = {n[i].as_py():g})"
        )

    force_id, area_type, area_code, area_name = cols.per_unique("force", raw.force, _area, [pa.string()] * 4)
    (series,) = cols.per_unique("code", raw.code, _clean, [pa.string()])
    (label,) = cols.per_unique("description", raw.description, _clean, [pa.string()])
    (group,) = cols.per_unique("group", raw.group, _clean, [pa.string()])
    (subgroup,) = cols.per_unique("subgroup", raw.subgroup, _clean, [pa.string()])
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


def _all_distinct(force_id: pa.Array, first_ordinal: pa.Array, series: pa.Array) -> bool:
    """Whether no (force, quarter, offence code) is given twice, from one integer per row.

    Grouping the rows by their text (a hash table holding every row's two strings) was the
    largest allocation of a read: about 45 MB for the 321,893-row parquet.  The key is the
    force's and the code's positions in their dictionaries and the quarter's offset, combined
    with overflow checked; any doubt (a blank, an overflow) answers False, and the caller then
    groups by the text as before.
    """
    if not len(series) or force_id.null_count or first_ordinal.null_count or series.null_count:
        return not len(series)
    forces = pc.dictionary_encode(force_id)
    codes = pc.dictionary_encode(series)
    low, high = pc.min(first_ordinal).as_py(), pc.max(first_ordinal).as_py()
    try:
        key = pc.add_checked(pc.multiply_checked(pc.add_checked(
            pc.multiply_checked(pc.cast(forces.indices, pa.int64()), high - low + 1),
            pc.subtract_checked(first_ordinal, low)), len(codes.dictionary)), pc.cast(codes.indices, pa.int64()))
    except pa.ArrowInvalid:  # overflow: only with millions of forces and codes
        return False
    ordered = pc.take(key, pc.sort_indices(key))
    return not pc.any(pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))).as_py()


def _check_duplicates(cols: _Columns, force_id: pa.Array, first_ordinal: pa.Array, series: pa.Array) -> None:
    if _all_distinct(force_id, first_ordinal, series):
        return
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

