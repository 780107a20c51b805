"""Tables the PCC's office or its partners supply, in a file a reader can check (docs/tables.md).

An annual report carries tables nobody publishes as open data: grants and funds, commissioned
services, treatment by local authority, arrest-referral assessments by quarter, third-party
reporting by month.  They are where hand-typed figures go wrong: seed 003 labels its advocates'
funding total "Total Victims Fund Budget" (the previous table's total), and prints rows of
outcome rates that do not make 100.  So each table arrives in a *table file* — a CSV holding one
table, or an XLSX workbook holding one table per sheet — that says what it is and what each
column holds, and the reader checks what a careful reader of the report would check:

* A block of ``key, value`` rows names the table (``table``, ``caption``, ``source``, ``force``,
  ``year``; optional ``quoted from``, ``note``, ``total row``, ``subtotal rows``, ``total
  column``, ``sums to 100``, ``rows sum to 100``), then a blank row, then the column headings,
  then a row of column types, then the rows.
* Types: ``text``, ``period``, ``local authority``, ``area`` (a local policing area, a
  programme: any named place), ``count`` (whole), ``number``, ``money`` (pounds and pence:
  never more than two places), ``percent``, ``percent = A / B`` (the share A of B, both
  columns of the table) and ``share of A`` (this row's A as a share of the column's total).
* **Errors** stop the load and nothing is stored: an unknown key or type, a missing column, a
  value of the wrong type (a count with a fraction, money with a fraction of a penny), a sheet
  that is not a table, a total row the table does not have.
* **Findings** are inconsistencies a publisher may have to keep, because the figures are
  someone else's: a stated total or subtotal that differs from the sum of its rows, a row or
  column of percentages that does not make 100 beyond rounding, a percentage that disagrees
  with its count and base, the same figure given twice with different values, a total label
  that repeats another table's.  They are stored with the table and listed in the draft
  report's validation section (``documents.annual_report``), each naming file, sheet, row
  and column.

Values are kept exactly as ``Decimal``: a total is compared with the sum of its rows to the
penny, and a percentage with its count and base to the places it was written with.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Literal

from scorecard import config_files, periods
from scorecard.areas import force_id
from scorecard.errors import InputError
from scorecard.sources import cells

__all__ = [
    "CSV_MAX_BYTES",
    "KINDS",
    "METADATA_KEYS",
    "ColumnSpec",
    "Finding",
    "OfficeTable",
    "cross_check",
    "looks_like_office_tables",
    "read_office_tables",
    "shown",
]

#: The largest CSV table file read at all.
CSV_MAX_BYTES = 8 * 1024 * 1024
#: The most rows and columns one table may have (seed 003's longest has 21 rows).
MAX_ROWS = 5_000
MAX_COLUMNS = 60

ColumnKind = Literal["text", "period", "local authority", "area", "count", "number", "money", "percent"]
KINDS: tuple[ColumnKind, ...] = ("text", "period", "local authority", "area", "count", "number", "money",
                                 "percent")
_LABEL_KINDS = ("text", "period", "local authority", "area")
_ADDITIVE = ("count", "number", "money")

#: Keys of the block above a table; "note" may be given more than once.
METADATA_KEYS = ("table", "caption", "source", "force", "year", "quoted from", "note", "total row",
                 "subtotal rows", "total column", "sums to 100", "rows sum to 100")
_REQUIRED = ("table", "caption", "source", "force", "year")
_MANY = ("note", "subtotal rows", "sums to 100", "rows sum to 100")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RATIO = re.compile(r"^percent\s*=\s*(.+?)\s*/\s*(.+?)$", re.IGNORECASE)
_SHARE = re.compile(r"^share\s+of\s+(.+?)$", re.IGNORECASE)

Value = str | Decimal | None


@dataclass(frozen=True)
class ColumnSpec:
    heading: str
    kind: ColumnKind
    ratio: tuple[str, str] | None = None  # "percent = A / B": the numerator and denominator columns
    share_of: str | None = None  # "share of A": this row's A over the column total of A
    places: int = 0  # the most decimal places a value in it was written with

    @property
    def numeric(self) -> bool:
        return self.kind not in _LABEL_KINDS

    @property
    def type_text(self) -> str:
        if self.ratio:
            return f"percent = {self.ratio[0]} / {self.ratio[1]}"
        if self.share_of:
            return f"share of {self.share_of}"
        return self.kind


RowKind = Literal["data", "heading", "subtotal", "total"]


@dataclass(frozen=True)
class Finding:
    """An inconsistency a reader would notice, where it is."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None  # "C (NFA)"
    problem: str

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "problem": self.problem}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Finding:
        row = d.get("row")
        return cls(str(d["file"]), None if d.get("sheet") is None else str(d["sheet"]),
                   None if row is None else int(str(row)), None if d.get("column") is None else str(d["column"]),
                   str(d["problem"]))


@dataclass(frozen=True)
class OfficeTable:
    """One table as its file gave it, checked; ``findings`` are its inconsistencies."""

    id: str
    caption: str
    source: str
    force_id: str
    year: str  # the financial year it belongs to, "2023-24"
    quoted_from: str | None
    notes: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[tuple[Value, ...], ...]
    row_kinds: tuple[RowKind, ...]
    lines: tuple[int, ...]  # each row's line (CSV) or row number (sheet), for findings
    file: str  # the file's name, as published (never a local path)
    sheet: str | None
    total_label: str | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "caption": self.caption, "source": self.source, "force_id": self.force_id,
            "year": self.year, "quoted_from": self.quoted_from, "notes": list(self.notes),
            "columns": [{"heading": c.heading, "type": c.type_text, "places": c.places} for c in self.columns],
            "rows": [[None if v is None else str(v) for v in row] for row in self.rows],
            "row_kinds": list(self.row_kinds), "lines": list(self.lines), "file": self.file, "sheet": self.sheet,
            "total_label": self.total_label, "findings": [f.as_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> OfficeTable:
        """The table as the store keeps it (``as_dict``), read back."""
        columns = []
        for c in _dicts(d["columns"]):
            spec = _column_type(str(c["type"]))
            assert spec is not None
            columns.append(replace(spec, heading=str(c["heading"]), places=int(str(c["places"]))))
        rows = tuple(tuple(None if v is None else (Decimal(str(v)) if col.numeric else str(v))
                           for v, col in zip(_list(r), columns, strict=True)) for r in _list(d["rows"]))
        return cls(str(d["id"]), str(d["caption"]), str(d["source"]), str(d["force_id"]), str(d["year"]),
                   None if d.get("quoted_from") is None else str(d["quoted_from"]),
                   tuple(str(n) for n in _list(d["notes"])), tuple(columns), rows,
                   tuple(_row_kind(str(k)) for k in _list(d["row_kinds"])),
                   tuple(int(str(n)) for n in _list(d["lines"])), str(d["file"]),
                   None if d.get("sheet") is None else str(d["sheet"]),
                   None if d.get("total_label") is None else str(d["total_label"]),
                   tuple(Finding.from_dict(f) for f in _dicts(d["findings"])))

    def column_ref(self, index: int) -> str:
        return f"{cells.cell_ref(0, index).rstrip('1')} ({self.columns[index].heading})"


def _list(value: object) -> list[object]:
    assert isinstance(value, list)
    return value


def _dicts(value: object) -> list[dict[str, object]]:
    return [item for item in _list(value) if isinstance(item, dict)]


def _row_kind(text: str) -> RowKind:
    for kind in ("data", "heading", "subtotal", "total"):
        if text == kind:
            return kind
    raise ValueError(text)


# --------------------------------------------------------------------------- reading a file

def looks_like_office_tables(path: Path) -> bool:
    """A CSV whose first cell is "table", or a workbook whose first sheet's A1 is "table"."""
    try:
        if path.suffix.lower() == ".csv":
            head = cells.read_bytes(path, limit=CSV_MAX_BYTES, what="table file")[:200]
            first = head.decode("utf-8-sig", "replace").split("\n", 1)[0]
            return first.split(",", 1)[0].strip().strip('"').strip().casefold() == "table"
        with cells.open_workbook(path) as book:
            names = list(book.sheet_names)
            grid = book.rows(names[0], nrows=1) if names else []
        return bool(grid and grid[0]) and cells.text_of(grid[0][0]).strip().casefold() == "table"
    except (InputError, cells.CellError, OSError, ValueError):
        return False


def read_office_tables(path: str | Path) -> tuple[OfficeTable, ...]:
    """Every table in the file, checked; ``InputError`` naming file, sheet, row and column on the
    first error.  Each table's findings are in ``OfficeTable.findings``, and those between its
    tables are added by ``cross_check``."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        warnings: list[str] = []
        text = cells.read_text_file(p, warnings, limit=CSV_MAX_BYTES, what="table file")
        tables = [_table(p, None, _csv_grid(p, text))]
    else:
        tables = []
        with cells.open_workbook(p) as book:
            for name in book.sheet_names:
                book.refuse_unsaved_formulas(name)
                grid = book.rows(name)
                if all(cells.is_blank(c) for row in grid for c in row):
                    continue  # an empty sheet left in the workbook holds nothing to check
                tables.append(_table(p, name, [list(r) for r in grid]))
        if not tables:
            raise InputError(p, "the workbook holds no table: a table sheet opens with 'table' and its id in A1:B1")
    seen: dict[str, OfficeTable] = {}
    for t in tables:
        if t.id in seen:
            raise InputError(p, f"table {t.id!r} is given twice (also in sheet {seen[t.id].sheet!r}): give each "
                                "table its own id", where=f"sheet {t.sheet!r}" if t.sheet else None)
        seen[t.id] = t
    return tuple(tables)


def _csv_grid(path: Path, text: str) -> list[list[object]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [list(record) for record in reader]
    except csv.Error as exc:
        raise InputError(path, f"cannot read CSV: {exc}", reader.line_num) from None


class _Where:
    """Errors located in one sheet of one file."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self.sheet = sheet

    def error(self, problem: str, row: int | None = None, column: int | None = None) -> InputError:
        where = [f"sheet {self.sheet!r}"] if self.sheet else []
        if column is not None:
            where.append(f"column {cells.cell_ref(0, column).rstrip('1')}")
        return InputError(self.path, problem, row, where=", ".join(where) or None)


def _text(where: _Where, value: object, row: int, column: int) -> str:
    try:
        return cells.text_of(value).strip()
    except cells.CellError as exc:
        raise where.error(f"cell {cells.cell_ref(row - 1, column)} {exc}", row, column) from None


def _table(path: Path, sheet: str | None, grid: list[list[object]]) -> OfficeTable:
    where = _Where(path, sheet)
    numbered = [(i + 1, row) for i, row in enumerate(grid)]
    if not numbered or _text(where, numbered[0][1][0] if numbered[0][1] else "", 1, 0).casefold() != "table":
        raise where.error("this is not a table: a table opens with 'table' and its id in the first row "
                          "(see docs/tables.md)", 1, 0)
    meta: dict[str, list[str]] = {}
    meta_lines: dict[str, int] = {}
    i = 0
    while i < len(numbered) and not all(cells.is_blank(c) for c in numbered[i][1]):
        line, row = numbered[i]
        key = " ".join(_text(where, row[0], line, 0).casefold().split())
        given = [_text(where, c, line, j + 1) for j, c in enumerate(row[1:])]
        given = [v for v in given if v]
        if key not in METADATA_KEYS:
            raise where.error(f"unknown key {key!r}{config_files.suggest(key, METADATA_KEYS)}; the keys are "
                              f"{', '.join(METADATA_KEYS)}", line, 0)
        if key in meta and key not in _MANY:
            raise where.error(f"{key!r} is given twice (first on row {meta_lines[key]})", line, 0)
        if not given:
            raise where.error(f"{key!r} has no value in column B", line, 1)
        if key not in _MANY and len(given) > 1:
            raise where.error(f"{key!r} takes one value, in column B", line, 2)
        meta.setdefault(key, []).extend(given)
        meta_lines.setdefault(key, line)
        i += 1
    for key in _REQUIRED:
        if key not in meta:
            raise where.error(f"no {key!r} row in the block above the table (needed: {', '.join(_REQUIRED)})",
                              numbered[min(i, len(numbered)) - 1][0])
    table_id = meta["table"][0]
    if not _ID.match(table_id):
        raise where.error(f"table id {table_id!r}: lower-case letters, digits and _, starting with a letter "
                          "(a chapter places it as {table:" + table_id.lower().replace(' ', '_') + "})",
                          meta_lines["table"], 1)
    force = force_id(meta["force"][0], file=str(path), line=meta_lines["force"])
    year = _financial_year(where, meta["year"][0], meta_lines["year"])
    while i < len(numbered) and all(cells.is_blank(c) for c in numbered[i][1]):
        i += 1
    if i + 1 >= len(numbered):
        raise where.error("no column headings and types below the key block: a blank row, then the headings, "
                          "then a row of column types", numbered[-1][0])
    (head_line, head_row), (type_line, type_row) = numbered[i], numbered[i + 1]
    width = max(j + 1 for j, c in enumerate(head_row) if not cells.is_blank(c)) if any(
        not cells.is_blank(c) for c in head_row) else 0
    if width > MAX_COLUMNS:
        raise where.error(f"{width} columns: at most {MAX_COLUMNS}", head_line)
    headings = [_text(where, head_row[j] if j < len(head_row) else "", head_line, j) for j in range(width)]
    for j, h in enumerate(headings):
        if j > 0 and not h:
            raise where.error(f"column {cells.cell_ref(0, j).rstrip('1')} has no heading", head_line, j)
        if h and headings.index(h) != j:
            raise where.error(f"two columns are headed {h!r}", head_line, j)
    columns = [_type_of(where, type_row, j, type_line, headings) for j in range(width)]
    extra = [j for j in range(width, len(type_row)) if not cells.is_blank(type_row[j])]
    if extra:
        raise where.error("a column type with no heading above it", type_line, extra[0])
    if not headings[0] and columns[0].kind not in _LABEL_KINDS:
        raise where.error("the first column names each row: give it a heading or a label type", head_line, 0)
    if all(not c.numeric for c in columns):
        raise where.error("no column holds figures (count, number, money or percent)", type_line)
    body = [(line, row) for line, row in numbered[i + 2:] if not all(cells.is_blank(c) for c in row)]
    if not body:
        raise where.error("the table has no rows below its column types", type_line)
    if len(body) > MAX_ROWS:
        raise where.error(f"{len(body):,} rows: at most {MAX_ROWS:,}", body[MAX_ROWS][0])
    values = [_row_values(where, line, row, columns, width, force) for line, row in body]
    places = [max((_places(r[j]) for r in values if isinstance(r[j], Decimal)), default=0)
              for j in range(width)]
    columns = [replace(c, places=places[j]) for j, c in enumerate(columns)]
    _refuse_fractions(where, columns, values, [line for line, _ in body])
    table = OfficeTable(table_id, meta["caption"][0], meta["source"][0], force, year,
                        meta.get("quoted from", [None])[0], tuple(meta.get("note", [])), tuple(columns),
                        tuple(tuple(r) for r in values), (), tuple(line for line, _ in body), path.name, sheet,
                        meta.get("total row", [None])[0])
    kinds = _row_kinds(where, table, meta, meta_lines)
    table = replace(table, row_kinds=kinds)
    for key in ("total column", "sums to 100", "rows sum to 100"):
        for name in meta.get(key, []):
            _column_index(where, table, name, meta_lines[key], key)
    from scorecard.sources import office_table_checks

    return replace(table, findings=tuple(office_table_checks.check(table, meta)))


def _financial_year(where: _Where, label: str, line: int) -> str:
    try:
        fy = periods.parse(label.replace("/", "-") if re.fullmatch(r"\d{4}/\d{2}", label) else label)
    except periods.PeriodError as exc:
        raise where.error(f"year {label!r}: {exc} (give the financial year, e.g. 2023-24)", line, 1) from None
    if not isinstance(fy, periods.FinancialYear):
        raise where.error(f"year {label!r} is not a financial year (e.g. 2023-24)", line, 1)
    return fy.label


def _type_of(where: _Where, row: Sequence[object], j: int, line: int, headings: list[str]) -> ColumnSpec:
    written = _text(where, row[j] if j < len(row) else "", line, j)
    if not written:
        raise where.error(f"column {cells.cell_ref(0, j).rstrip('1')} ({headings[j] or 'first'}) has no type; the "
                          f"types are {', '.join(KINDS)}, 'percent = A / B' and 'share of A'", line, j)
    spec = _column_type(written)
    if spec is None:
        low = " ".join(written.casefold().split())
        raise where.error(f"unknown column type {written!r}{config_files.suggest(low, KINDS)}; the types are "
                          f"{', '.join(KINDS)}, 'percent = A / B' and 'share of A'", line, j)
    for named in (*(spec.ratio or ()), *((spec.share_of,) if spec.share_of else ())):
        if named not in headings:
            raise where.error(f"{written!r} names no column of this table{config_files.suggest(named, headings)}",
                              line, j)
    return replace(spec, heading=headings[j])


def _column_type(written: str) -> ColumnSpec | None:
    low = " ".join(written.casefold().split())
    for kind in KINDS:
        if low == kind:
            return ColumnSpec("", kind)
    ratio = _RATIO.match(written.strip())
    if ratio:
        return ColumnSpec("", "percent", ratio=(ratio.group(1), ratio.group(2)))
    share = _SHARE.match(written.strip())
    if share:
        return ColumnSpec("", "percent", share_of=share.group(1))
    return None


def _row_values(where: _Where, line: int, row: Sequence[object], columns: Sequence[ColumnSpec], width: int,
                force: str) -> list[Value]:
    extra = [j for j in range(width, len(row)) if not cells.is_blank(row[j])]
    if extra:
        raise where.error(f"a value in a column with no heading: {cells.text_of(row[extra[0]])!r}", line, extra[0])
    return [_value(where, line, j, row[j] if j < len(row) else None, columns[j]) for j in range(width)]


def _value(where: _Where, line: int, j: int, cell: object, column: ColumnSpec) -> Value:
    if cells.is_blank(cell):
        return None
    ref = cells.cell_ref(line - 1, j)
    if column.kind == "period":
        label = _text(where, cell, line, j)
        try:
            return periods.parse(label).label
        except periods.PeriodError as exc:
            raise where.error(f"cell {ref}: {label!r} is not a period ({exc})", line, j) from None
    if not column.numeric:
        return _text(where, cell, line, j)
    try:
        written = cell.strip() if isinstance(cell, str) else cell
        if column.kind == "money" and isinstance(written, str):
            written = written.removeprefix("£").strip()
        number = cells.number_cell(written)
    except cells.CellError as exc:
        raise where.error(f"cell {ref} ({column.heading}, {column.type_text}) {exc}", line, j) from None
    assert number is not None
    if number.percent_sign and column.kind != "percent":
        raise where.error(f"cell {ref}: {cells.text_of(cell)!r} is a percentage in a {column.kind} column", line, j)
    value = Decimal(cells.shown_number(number.value)) if number.from_number_cell else Decimal(
        str(written).rstrip("%").strip().replace(",", ""))
    if column.kind == "count" and value != value.to_integral_value():
        raise where.error(f"cell {ref} ({column.heading}): {cells.text_of(cell)!r} is not a whole number: a count "
                          "has no fraction", line, j)
    if column.kind == "count" and value < 0:
        raise where.error(f"cell {ref} ({column.heading}): a count is not negative", line, j)
    if column.kind == "money" and _places(value) > 2:
        raise where.error(f"cell {ref} ({column.heading}): {cells.text_of(cell)!r} has more than two decimal "
                          "places: money is in pounds and pence", line, j)
    return value


def _places(value: Value) -> int:
    if not isinstance(value, Decimal):
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _refuse_fractions(where: _Where, columns: Sequence[ColumnSpec], values: list[list[Value]],
                      lines: list[int]) -> None:
    """A spreadsheet stores a cell shown as "4%" as 0.04: a percent column of plain numbers all
    between 0 and 1 is most likely such fractions, and would print as "0.04%"."""
    for j, column in enumerate(columns):
        held = [(lines[k], r[j]) for k, r in enumerate(values) if isinstance(r[j], Decimal)]
        if column.kind == "percent" and len(held) > 1 and all(0 < v <= 1 for _, v in held if isinstance(v, Decimal)):
            raise where.error(f"the percentages in {column.heading!r} are all between 0 and 1: a cell formatted as a "
                              "percentage in Excel holds a fraction (0.04 for 4%). Write them as 4% or 4",
                              held[0][0], j)


def _column_index(where: _Where, table: OfficeTable, name: str, line: int, key: str) -> int:
    headings = [c.heading for c in table.columns]
    if name not in headings:
        raise where.error(f"{key!r} names no column {name!r}{config_files.suggest(name, headings)}", line, 1)
    return headings.index(name)


def _row_kinds(where: _Where, table: OfficeTable, meta: dict[str, list[str]],
               meta_lines: dict[str, int]) -> tuple[RowKind, ...]:
    labels = [_label(row) for row in table.rows]
    kinds: list[RowKind] = []
    for row, label in zip(table.rows, labels, strict=True):
        if table.total_label is not None and label == table.total_label:
            kinds.append("total")
        elif label in meta.get("subtotal rows", []):
            kinds.append("subtotal")
        elif label and all(v is None for v, c in zip(row, table.columns, strict=True) if c.numeric):
            kinds.append("heading")
        else:
            kinds.append("data")
    for key, wanted in (("total row", [table.total_label] if table.total_label else []),
                        ("subtotal rows", meta.get("subtotal rows", []))):
        for label in wanted:
            if label not in labels:
                raise where.error(f"{key!r} names {label!r}, but no row of the table has that label"
                                  f"{config_files.suggest(label, [x for x in labels if x])}", meta_lines[key], 1)
    if kinds.count("total") > 1:
        raise where.error(f"two rows are labelled {table.total_label!r}, the total row", table.lines[
            [k for k, kind in enumerate(kinds) if kind == "total"][1]], 0)
    return tuple(kinds)


def _label(row: Sequence[Value]) -> str:
    return str(row[0]) if row and row[0] is not None else ""


def shown(value: Decimal, kind: str = "number") -> str:
    """A value in a finding's words: "£500,000", "94%", "1,139"."""
    text = f"{value:,}"
    return f"£{text}" if kind == "money" else f"{text}%" if kind == "percent" else text


def cross_check(tables: Iterable[OfficeTable]) -> list[Finding]:
    """What only shows between tables: a total label that repeats another table's, and the same
    item given in two tables with different values.

    An item is a row named in words (a fund, a programme: a ``text`` first column) with a
    figure of the same type under the same heading: "Arrest Referral (Drug Interventions
    Programme)", 2023/24, money.  A row named by an area or a period is not an item: two tables
    by local authority hold different quantities for the same "Birmingham"."""
    findings: list[Finding] = []
    by_total: dict[str, OfficeTable] = {}
    by_figure: dict[tuple[str, str, str], tuple[OfficeTable, int, int]] = {}
    for t in tables:
        if t.total_label:
            key = " ".join(t.total_label.casefold().split())
            if key in by_total and by_total[key].id != t.id:
                first = by_total[key]
                findings.append(Finding(t.file, t.sheet, _total_line(t), t.column_ref(0),
                                        f"The total is labelled {t.total_label!r}, as in table {first.id!r} "
                                        f"({first.caption}): is it this table's total?"))
            by_total.setdefault(key, t)
        if t.columns[0].kind != "text":
            continue
        for k, row in enumerate(t.rows):
            label = _label(row)
            if not label or t.row_kinds[k] != "data":
                continue
            for j, column in enumerate(t.columns):
                value = row[j]
                if not column.numeric or value is None:
                    continue
                item = (" ".join(label.casefold().split()), column.heading, column.type_text)
                seen = by_figure.get(item)
                if seen is None:
                    by_figure[item] = (t, k, j)
                    continue
                other, ok, oj = seen
                if other.id != t.id and other.rows[ok][oj] != value:
                    before = other.rows[ok][oj]
                    assert isinstance(before, Decimal) and isinstance(value, Decimal)
                    findings.append(Finding(t.file, t.sheet, t.lines[k], t.column_ref(j),
                                            f"{label!r}, {column.heading}: {shown(value, column.kind)} here but "
                                            f"{shown(before, column.kind)} in table {other.id!r} ({other.caption}, "
                                            f"row {other.lines[ok]}): is it the same item?"))
    return findings


def _total_line(t: OfficeTable) -> int | None:
    return next((t.lines[k] for k, kind in enumerate(t.row_kinds) if kind == "total"), None)
