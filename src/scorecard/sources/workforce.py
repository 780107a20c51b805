"""Home Office "Police workforce, England and Wales" tables (ODS): how many people each force has.

A PCC's annual report gives the force's headcount at 31 March — officers, police staff, PCSOs
and special constables — against a year earlier.  The Home Office publishes these figures
twice a year as a workbook of tables, one role per sheet, each force a row and each census
date a column.  What the five editions here hold (checked sheet by sheet):

==============================  ==========================  =================================
edition (file)                  dates (columns)             tables by police force area
==============================  ==========================  =================================
30 September 2019 (sep19)       30 Sep 2018, 31 Mar 2019,   FTE: 1 officers, 2 staff,
                                30 Sep 2019                 3 designated, 4 staff and
                                                            designated, 5 PCSOs;
                                31 Mar 2019, 30 Sep 2019    **headcount**: 7 officers,
                                                            8 staff, 9 designated,
                                                            10 staff and designated, 11 PCSOs
                                30 Sep 2018 to 30 Sep 2019  headcount: 12 special constables
30 September 2018 (sep18)       30 Sep 2017, 31 Mar 2018,   FTE: 1-5 as above; headcount:
                                30 Sep 2018                 6 special constables
30 September 2017 (jan17),      the September a year        FTE: 1 officers, 2 staff, 3 PCSOs,
2016 (sep16), 2015 (sep15)      before, 31 March, September 4 designated; headcount: 5 specials
==============================  ==========================  =================================

So headcount of officers, staff, designated officers and PCSOs exists only from 31 March 2019
(the September 2019 tables say "Headcount data were not collected for September 2018"); before
that the Home Office published full-time equivalents (FTE) only.  Special constables are always
a headcount.  Both kinds are read, each clearly labelled: series ``officers``, ``staff``,
``designated``, ``staff_and_designated``, ``pcsos`` and ``specials`` are headcounts (unit
``count``); the same names ending ``_fte`` are full-time equivalents (unit ``fte``).  Each figure
is a stock at its census date, stored for that one month (31 March 2019 is 2019-03), never a
sum over months.  Not read: police support volunteers (volunteers, not the workforce), the
England and Wales time series (no forces), the Index sheet.

A sheet is taken to be a table when its first cell says "Table N: <role> by police force area";
its role comes from that title and whether it counts heads or FTE from the unit label above the
header ("Headcount" or "Full-time equivalents"), which must agree with a "(headcount)" or
"(FTE)" in the title where there is one.  The layout, as published:

* the header row holds the census dates (real date cells), then the change columns, which are
  not read (the scorecard works out changes itself);
* English regions and Wales sit above their forces.  The region "West Midlands " has the
  force's name (only a trailing space tells them apart, which is not relied on): a region
  name opens its block, and the same name inside that block is the force;
* footnote digits are glued to names ("Wiltshire1", "West Midlands4") and are dropped;
* after the 43 forces: "Total 43 forces", then "Central Service Secondments" (officers only;
  not a force, not stored), British Transport Police, and "Total", which ends the table;
* ".." is a figure not available (designated officers of forces that cannot count them apart
  from staff; Norfolk's PCSOs): left out, with a warning, never stored as zero.  Older editions
  print 0 for those forces instead; 0 is what they published, so 0 is stored.

Every figure is checked before anything is stored.  A figure is a number, not negative, with
no percent sign; a blank, text or a date where a figure belongs is an error naming the file,
sheet, row and cell.  A headcount that is not whole (Staffordshire's 122.45 designated officers
at 30 September 2019) is kept as published, with a warning.  Each census date must be the last
day of its month.  Every one of the 43 forces must appear exactly once, under a region; and
every region row, "Total 43 forces" and "Total" must equal the sum of the rows they total (to
a millionth): the published tables do to within 3e-11, so a force row that is missing,
repeated, misread or misplaced is caught.  A name that is no force, region or total is an
``UnknownForce`` error naming its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from scorecard.areas import find_force, force, territorial_forces
from scorecard.errors import InputError, UnknownForce
from scorecard.sources import cells
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

DATASET = "home_office_workforce"
KIND = "home_office_workforce_ods"

Basis = Literal["headcount", "fte"]
BASES: tuple[Basis, ...] = ("headcount", "fte")
#: The unit each basis is stored in (``scorecard.units``).
UNIT_OF: dict[Basis, str] = {"headcount": "count", "fte": "fte"}


@dataclass(frozen=True)
class Role:
    """One kind of worker a table counts: its series stem, and its name in tables and notes."""

    key: str
    label: str


#: The roles read, keyed by the normalised words before "by police force area" in a title.
ROLES: dict[str, Role] = {
    "police officers": Role("officers", "Police officers"),
    "police staff": Role("staff", "Police staff"),
    "designated officers": Role("designated", "Designated officers"),
    "police staff and designated officers combined": Role("staff_and_designated",
                                                          "Police staff and designated officers"),
    "police community support officers": Role("pcsos", "Police community support officers"),
    "special constables": Role("specials", "Special constables"),
}
#: Tables by police force area that are deliberately not read.
NOT_READ = {"police support volunteers": "volunteers are not part of the police workforce"}

REGIONS = ("north east", "north west", "yorkshire and the humber", "east midlands", "west midlands", "eastern",
           "london", "south east", "south west", "wales")
_TOTAL_FORCES = "total 43 forces"
_TOTAL = "total"
#: Rows after "Total 43 forces" that are counted in "Total" but are no force.
_NOT_FORCES = ("central service secondments",)
#: The header row (the census dates) is looked for this far down.
HEADER_SEARCH_ROWS = 15
#: How closely a region or total row must equal the sum of its rows (relative; published: 3e-11).
SUM_TOLERANCE = 1e-6
#: What the Home Office prints for a figure that is not available.
NOT_AVAILABLE = ".."

_TITLE = re.compile(r"^\s*Table\s+\d+\s*:\s*(.+?)\s+by\s+police\s+force\s+area\b(.*)$", re.IGNORECASE | re.DOTALL)
_TITLE_BASIS = re.compile(r"\((FTE|headcount)\)\s*$", re.IGNORECASE)
_GLUED_DIGITS = re.compile(r"(?<=[A-Za-z.)])\d+(?:,\d+)*")
_BRACKETS = re.compile(r"\([^)]*\)")
_UNIT_WORDS: dict[str, Basis] = {"headcount": "headcount", "full-time equivalents": "fte",
                                 "full time equivalents": "fte"}
_BASIS_WORDS: dict[Basis, str] = {"headcount": "Headcount", "fte": "Full-time equivalents"}
#: What the header holds after the census dates: the headings of the change columns (not read).
_CHANGE_HEADINGS = frozenset({"", "number", "%"})


def series_key(role: Role | str, basis: Basis) -> str:
    """The stored series of a role and basis: "officers" (headcount), "officers_fte"."""
    key = role.key if isinstance(role, Role) else role
    return key if basis == "headcount" else f"{key}_fte"


def series_label(role: Role, basis: Basis) -> str:
    return f"{role.label} ({'headcount' if basis == 'headcount' else 'FTE'})"


# --- public API --------------------------------------------------------------------------

def looks_like_workforce(path: str | Path) -> bool:
    """Whether a workbook holds a workforce table by police force area (reads first cells only).

    Never raises: a workbook that cannot be opened is not claimed (``ingest`` has checked it
    before any sniffer runs, so its own error has already been said)."""
    try:
        with cells.open_workbook(path) as book:
            return any(_table_title(_first_cell(book.rows(name, nrows=1))) is not None for name in book.sheet_names)
    except InputError:
        return False


def read_workforce(path: str | Path) -> ParsedFile:
    """Every force's figure in every workforce table of the workbook, checked, as observations.

    Raises ``InputError`` (``UnknownForce`` for a name no force lookup knows) naming the file,
    sheet, row and cell of the first problem, before anything is stored."""
    file = str(path)
    out = _Columns()
    warnings: list[str] = []
    seen: dict[str, str] = {}  # series -> sheet
    dates: set[date] = set()
    with cells.open_workbook(file) as book:
        for sheet in book.sheet_names:
            title = _table_title(_first_cell(book.rows(sheet, nrows=1)))
            if title is None:
                continue  # the Index, the England and Wales time series
            words, tail = title
            role = _role(sheet, words, warnings)
            if role is None:
                continue
            book.refuse_unsaved_formulas(sheet)
            table = _read_table(file, sheet, role, tail, book.rows(sheet))
            if table.series in seen:
                raise InputError(file, f"two tables of {table.label}: sheets {seen[table.series]!r} and {sheet!r}",
                                 where=f"sheet {sheet!r}")
            seen[table.series] = sheet
            dates.update(d for _, d in table.dates)
            out.add(table)
            warnings.extend(table.warnings)
    if not seen:
        raise InputError(file, "no police workforce table by police force area in this workbook (a sheet whose "
                               "first cell reads 'Table N: Police officers by police force area, ...')")
    return ParsedFile(path=file, kind=KIND, dataset=DATASET, table=out.table(), covers=_covers(dates, out),
                      warnings=warnings)


def without_dates(parsed: ParsedFile, newer: Mapping[date, str]) -> ParsedFile:
    """This edition without the census months the store holds from a newer one (``newer``: the
    month's first day -> that edition's file name).

    Each edition publishes its own date and, revised, the two before it (the September 2019
    tables give 30 September 2018 again).  Loaded after a newer edition, an older one would put
    its unrevised figures back, and ``scorecard ingest *.ods`` would store whatever the files'
    name order said.  Leaving those dates out keeps, for every date, the newest edition's figures
    whatever the order; the file's other dates load as usual, and a warning names each date left.
    """
    months = parsed.table.column("first_month")
    drop = sorted(m for m in set(months.to_pylist()) if m in newer)
    if not drop:
        return parsed
    kept = parsed.table.filter(pc.invert(pc.is_in(months, value_set=pa.array(drop, pa.date32()))))
    warnings = [f"{_day(month_end(m))}: not loaded from this file, because the store holds that date from a newer "
                f"edition ({newer[m]}), which revises it" for m in drop]
    return replace(parsed, table=kept, warnings=[*parsed.warnings, *warnings])


def month_end(month: date) -> date:
    """The census date a stored month stands for: its last day (2019-03 is 31 March 2019)."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


# --- what a sheet is -----------------------------------------------------------------------

def _first_cell(rows: Sequence[Sequence[cells.Cell]]) -> cells.Cell:
    return rows[0][0] if rows and rows[0] else None


def _table_title(cell: cells.Cell) -> tuple[str, str] | None:
    """(the words before "by police force area", the rest) of a table's title."""
    if not isinstance(cell, str):
        return None
    m = _TITLE.match(cell)
    return (m.group(1), m.group(2)) if m else None


def _normalised(words: str) -> str:
    """A label without footnote digits, brackets or case: "Designated officers (s.38, s.391)"
    is "designated officers", "Police officers1" is "police officers"."""
    text = _BRACKETS.sub(" ", _GLUED_DIGITS.sub("", words))
    return " ".join(text.casefold().split())


def _role(sheet: str, words: str, warnings: list[str]) -> Role | None:
    key = _normalised(words)
    if key in ROLES:
        return ROLES[key]
    if key not in NOT_READ:
        warnings.append(f"sheet {sheet!r}: a table of {' '.join(words.split())!r} by police force area is not one "
                        "the scorecard reads; left out")
    return None


# --- one table -----------------------------------------------------------------------------

@dataclass
class _Table:
    """One sheet read: its figures for each force at each census date."""

    sheet: str
    role: Role
    basis: Basis
    dates: tuple[tuple[int, date], ...]  # (0-based column, census date)
    rows: list[_Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def series(self) -> str:
        return series_key(self.role, self.basis)

    @property
    def label(self) -> str:
        return series_label(self.role, self.basis)


@dataclass(frozen=True)
class _Row:
    line: int  # 1-based row of the sheet
    name: str  # as printed
    kind: Literal["region", "force", "total_forces", "other", "total"]
    force_id: str | None
    figures: tuple[float | None, ...]  # one per census date; None: ".." (not available)


def _read_table(file: str, sheet: str, role: Role, tail: str,
                rows: Sequence[Sequence[cells.Cell]]) -> _Table:
    where = f"sheet {sheet!r}"
    header = _header_row(file, sheet, rows)
    basis = _basis(file, sheet, tail, rows[:header])
    dates = _census_dates(file, sheet, rows[header], header)
    table = _Table(sheet, role, basis, dates)
    _read_rows(file, table, rows, header)
    _check_forces(file, table, where)
    _check_sums(file, table, where)
    return table


def _header_row(file: str, sheet: str, rows: Sequence[Sequence[cells.Cell]]) -> int:
    """The row whose column B holds the first census date (a date cell)."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(row) > 1 and isinstance(row[1], date):
            return r
    raise InputError(file, f"no header row of census dates (date cells from column B, as '30 September 2018') in "
                           f"the first {HEADER_SEARCH_ROWS} rows: this sheet is not laid out as a workforce table",
                     where=f"sheet {sheet!r}")


def _basis(file: str, sheet: str, tail: str, above: Sequence[Sequence[cells.Cell]]) -> Basis:
    """Headcount or FTE, from the unit label above the header; a "(headcount)" or "(FTE)" ending
    the title (the September 2019 tables) must say the same."""
    where = f"sheet {sheet!r}"
    labels = {_UNIT_WORDS[n] for row in above for c in row
              if isinstance(c, str) and (n := _normalised(c)) in _UNIT_WORDS}
    if len(labels) != 1:
        problem = "says both 'Headcount' and 'Full-time equivalents'" if labels else "is missing"
        raise InputError(file, f"the unit label above the table ('Headcount' or 'Full-time equivalents') {problem}, "
                               "so whether it counts heads or full-time equivalents is not known", where=where)
    (labelled,) = labels
    in_title = _TITLE_BASIS.search(tail)
    if in_title is not None:
        titled: Basis = "fte" if in_title.group(1).casefold() == "fte" else "headcount"
        if titled != labelled:
            raise InputError(file, f"the title ends {in_title.group(0)!r} but the unit label above the table says "
                                   f"{_BASIS_WORDS[labelled]!r}", 1, where=where)
    return labelled


def _census_dates(file: str, sheet: str, row: Sequence[cells.Cell], header: int) -> tuple[tuple[int, date], ...]:
    """The date cells from column B up to the change columns ("number", "%"), which are not read.

    Anything else in the header after the dates is an error, so a date saved as text ("Mar-19")
    cannot end the dates early and drop a column unseen."""
    found: list[tuple[int, date]] = []
    for c in range(1, len(row)):
        cell = row[c]
        if not isinstance(cell, date):
            _refuse_odd_header(file, sheet, row, header, c)
            break
        day = cell.date() if isinstance(cell, datetime) else cell
        if (day + timedelta(days=1)).day != 1:
            raise InputError(file, f"census date {day.isoformat()} is not the last day of a month (the workforce is "
                                   "counted at 31 March and 30 September)", header + 1,
                             where=f"sheet {sheet!r}, cell {cells.cell_ref(header, c)}")
        if found and day <= found[-1][1]:
            raise InputError(file, f"census date {day.isoformat()} does not follow {found[-1][1].isoformat()}",
                             header + 1, where=f"sheet {sheet!r}, cell {cells.cell_ref(header, c)}")
        found.append((c, day))
    return tuple(found)


def _refuse_odd_header(file: str, sheet: str, row: Sequence[cells.Cell], header: int, start: int) -> None:
    for c in range(start, len(row)):
        try:
            shown = cells.text_of(row[c])
        except cells.CellError as exc:
            raise InputError(file, f"a header cell {exc.problem}", header + 1,
                             where=f"sheet {sheet!r}, cell {cells.cell_ref(header, c)}") from None
        if shown.casefold() not in _CHANGE_HEADINGS:
            raise InputError(file, f"{cells.quoted(shown)} in the header row is neither a census date nor a change "
                                   "column ('number', '%'): a date typed as text?", header + 1,
                             where=f"sheet {sheet!r}, cell {cells.cell_ref(header, c)}")


def _read_rows(file: str, table: _Table, rows: Sequence[Sequence[cells.Cell]], header: int) -> None:
    """The rows under the header up to "Total", each classified and its figures read."""
    region: str | None = None
    after_forces = False
    for r in range(header + 1, len(rows)):
        row, line = rows[r], r + 1
        name = _name(file, table, row, line)
        if not name:
            _refuse_unnamed_figures(file, table, row, line)
            continue
        key = _normalised(name)
        if key == _TOTAL:
            table.rows.append(_Row(line, name, "total", None, _figures(file, table, row, line)))
            return
        kind, fid = _classify(file, table, name, key, line, region, after_forces)
        if kind == "region":
            region = key
        after_forces = after_forces or kind == "total_forces"
        table.rows.append(_Row(line, name, kind, fid, _figures(file, table, row, line)))
    raise InputError(file, "the table has no 'Total' row after its forces: it is cut short",
                     where=f"sheet {table.sheet!r}")


def _name(file: str, table: _Table, row: Sequence[cells.Cell], line: int) -> str:
    cell = row[0] if row else None
    if cell is not None and not isinstance(cell, str):
        raise InputError(file, f"{cells.text_of(cell)!r} in column A is not a force, region or total name", line,
                         where=f"sheet {table.sheet!r}, cell A{line}")
    try:
        return cells.text_of(cell)
    except cells.CellError as exc:
        raise InputError(file, f"the name {exc.problem}", line, where=f"sheet {table.sheet!r}, cell A{line}") from None


def _refuse_unnamed_figures(file: str, table: _Table, row: Sequence[cells.Cell], line: int) -> None:
    for c, _ in table.dates:
        if c < len(row) and not cells.is_blank(row[c]):
            raise InputError(file, "a figure in a row with no name in column A", line,
                             where=f"sheet {table.sheet!r}, cell {cells.cell_ref(line - 1, c)}")


def _classify(file: str, table: _Table, name: str, key: str, line: int, region: str | None,
              after_forces: bool) -> tuple[Literal["region", "force", "total_forces", "other"], str | None]:
    """What a named row is.  A region name opens a block; inside that block the same name is
    the force ("West Midlands" is both)."""
    where = f"sheet {table.sheet!r}, cell A{line}"
    if key == _TOTAL_FORCES:
        if after_forces:
            raise InputError(file, f"a second {name!r} row", line, where=where)
        return "total_forces", None
    if key in REGIONS and key != region and not after_forces:
        return "region", None
    if key in _NOT_FORCES and after_forces:
        return "other", None
    fid = find_force(name)
    if fid is None:
        raise UnknownForce(file, f"unknown police force, region or total {name!r}", line, where=where)
    if force(fid).territorial and (after_forces or region is None):
        place = "after 'Total 43 forces'" if after_forces else "before any English region or Wales"
        raise InputError(file, f"{name!r} is {place}: the table is not laid out as published", line, where=where)
    if not force(fid).territorial and not after_forces:
        raise InputError(file, f"{name!r} is among the 43 forces: it belongs after 'Total 43 forces'", line,
                         where=where)
    return ("force" if force(fid).territorial else "other"), fid


def _figures(file: str, table: _Table, row: Sequence[cells.Cell], line: int) -> tuple[float | None, ...]:
    return tuple(_figure(file, table, row, line, c, day) for c, day in table.dates)


def _figure(file: str, table: _Table, row: Sequence[cells.Cell], line: int, column: int, day: date) -> float | None:
    """One figure: a number not below zero; ".." is None (not available)."""
    cell = row[column] if column < len(row) else None
    where = f"sheet {table.sheet!r}, cell {cells.cell_ref(line - 1, column)}"
    if isinstance(cell, str) and cell.strip() == NOT_AVAILABLE:
        return None
    if cells.is_blank(cell):
        raise InputError(file, f"the figure for {_day(day)} is blank (the Home Office writes '..' for a figure "
                               "that is not available)", line, where=where)
    try:
        parsed = cells.number_cell(cell)
    except cells.CellError as exc:
        raise InputError(file, f"the figure for {_day(day)}: {exc.problem}", line, where=where) from None
    assert parsed is not None  # not blank
    if parsed.percent_sign:
        raise InputError(file, f"the figure for {_day(day)} is a percentage, not a number of people", line,
                         where=where)
    if parsed.value < 0:
        raise InputError(file, f"the figure for {_day(day)} is negative ({cells.shown_number(parsed.value)})", line,
                         where=where)
    return parsed.value


# --- checks on a whole table -----------------------------------------------------------------

def _check_forces(file: str, table: _Table, where: str) -> None:
    """Each of the 43 forces once."""
    lines: dict[str, int] = {}
    for row in table.rows:
        if row.force_id is None:
            continue
        if row.force_id in lines:
            raise InputError(file, f"{force(row.force_id).name} appears twice (also row {lines[row.force_id]})",
                             row.line, where=f"{where}, cell A{row.line}")
        lines[row.force_id] = row.line
    absent = [f.name for f in territorial_forces() if f.force_id not in lines]
    if absent:
        raise InputError(file, f"{len(absent)} of the 43 forces are not in the table: {', '.join(absent)}", where=where)
    if not any(r.kind == "total_forces" for r in table.rows):
        raise InputError(file, "the table has no 'Total 43 forces' row", where=where)


def _check_sums(file: str, table: _Table, where: str) -> None:
    """Every region, "Total 43 forces" and "Total" equals the sum of the rows it totals."""
    blocks: list[tuple[_Row, list[_Row]]] = []
    forces_: list[_Row] = []
    others: list[_Row] = []
    totals: dict[str, _Row] = {}
    for row in table.rows:
        if row.kind == "region":
            blocks.append((row, []))
        elif row.kind == "force":
            blocks[-1][1].append(row)  # _classify puts every force under a region
            forces_.append(row)
        elif row.kind == "other":
            others.append(row)
        else:
            totals[row.kind] = row
    for region, parts in blocks:
        _check_sum(file, table, region, parts, where)
    _check_sum(file, table, totals["total_forces"], forces_, where)
    _check_sum(file, table, totals["total"], [totals["total_forces"], *others], where)


def _check_sum(file: str, table: _Table, total: _Row, parts: Sequence[_Row], where: str) -> None:
    for i, (column, day) in enumerate(table.dates):
        stated = total.figures[i]
        held = [p.figures[i] for p in parts if p.figures[i] is not None]
        cell = f"{where}, cell {cells.cell_ref(total.line - 1, column)}"
        if stated is None:
            if held:
                raise InputError(file, f"{total.name.strip()} is '..' at {_day(day)} but rows under it have figures",
                                 total.line, where=cell)
            continue
        added = sum(v for v in held if v is not None)
        if abs(added - stated) > SUM_TOLERANCE * max(1.0, abs(stated)):
            raise InputError(file, f"{total.name.strip()!r} is {_shown(stated)} at {_day(day)}, but the rows it totals "
                                   f"add up to {_shown(added)}: a row is missing, repeated or misread", total.line,
                             where=cell)


# --- output -------------------------------------------------------------------------------

class _Columns:
    """The observation columns, filled table by table."""

    def __init__(self) -> None:
        self.data: dict[str, list[object]] = {name: [] for name in OBSERVATION_SCHEMA.names}
        self.forces: set[str] = set()
        self.series: dict[Basis, set[str]] = {"headcount": set(), "fte": set()}

    def add(self, table: _Table) -> None:
        gaps: dict[date, list[str]] = {}
        for row in table.rows:
            if row.force_id is None:
                continue
            for (column, day), value in zip(table.dates, row.figures, strict=True):
                if value is None:
                    gaps.setdefault(day, []).append(force(row.force_id).name)
                    continue
                if table.basis == "headcount" and not value.is_integer():
                    table.warnings.append(f"sheet {table.sheet!r}, cell {cells.cell_ref(row.line - 1, column)}: "
                                          f"{force(row.force_id).name}'s headcount of {cells.shown_number(value)} "
                                          f"at {_day(day)} is not a whole number; kept as published")
                self._append(table, row, day, value)
        table.warnings.extend(_gap_warnings(table, gaps))
        self.series[table.basis].add(table.role.label)

    def _append(self, table: _Table, row: _Row, day: date, value: float) -> None:
        assert row.force_id is not None
        info = force(row.force_id)
        month = date(day.year, day.month, 1)
        self.forces.add(row.force_id)
        for name, item in (("dataset", DATASET), ("force_id", row.force_id), ("area_type", "force"),
                           ("area_code", info.ons_code or row.force_id), ("area_name", info.name),
                           ("series", table.series), ("series_label", table.label), ("series_group", table.basis),
                           ("series_subgroup", None), ("first_month", month), ("last_month", month),
                           ("unit", UNIT_OF[table.basis]), ("value", value), ("numerator", None),
                           ("denominator", None), ("source_line", row.line), ("source_sheet", table.sheet)):
            self.data[name].append(item)

    def table(self) -> pa.Table:
        return pa.table(self.data, schema=OBSERVATION_SCHEMA)


def _gap_warnings(table: _Table, gaps: dict[date, list[str]]) -> list[str]:
    """One warning for each set of forces without a figure, naming the dates it holds for."""
    by_forces: dict[tuple[str, ...], list[date]] = {}
    for day, names in gaps.items():
        by_forces.setdefault(tuple(names), []).append(day)
    return [f"sheet {table.sheet!r}: {table.label} not available ('..') at {_and(map(_day, days))} for "
            f"{len(names)} force{'' if len(names) == 1 else 's'}, left out (not zero): {', '.join(names)}"
            for names, days in by_forces.items()]


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _covers(dates: set[date], out: _Columns) -> str:
    """ "30 Sep 2018, 31 Mar 2019, 30 Sep 2019; 43 forces + BTP; headcount: ...; FTE: ..."."""
    territorial = sum(1 for f in out.forces if force(f).territorial)
    parts = [", ".join(_short_day(d) for d in sorted(dates)),
             f"{territorial} forces" + (" + BTP" if "btp" in out.forces else "")]
    for basis in BASES:
        roles = sorted(out.series[basis])
        if roles:
            parts.append(f"{'headcount' if basis == 'headcount' else 'FTE'}: {', '.join(roles).lower()}")
    return "; ".join(parts)


def _day(d: date) -> str:
    """A census date as people write it: "31 March 2019"."""
    return f"{d.day} {d:%B %Y}"


def _short_day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _shown(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"


__all__ = ["BASES", "DATASET", "KIND", "NOT_AVAILABLE", "ROLES", "Basis", "Role", "looks_like_workforce",
           "month_end", "read_workforce", "series_key", "series_label", "without_dates"]
