"""ONS "Crime in England and Wales: Police Force Area data tables" workbooks.

ONS publishes these quarterly, each edition a rolling year ("year ending June 2019").  They
give police recorded crime for every force a few months before the Home Office open data
tables, and the June 2019 edition is the Home Office baseline for the National Crime and
Policing Measures, so its Table P1 counts are the figures analysts quote.  Only Table P1
(number of offences by offence group) is read: the other tables are rates and percentage
changes derived from it, which the scorecard recomputes itself rather than store twice.

The workbooks are laid out for people, not programs, and the layout drifts between
editions (checked against all eight editions from YE Mar 2018 to YE Dec 2019):

* sheet names carry stray trailing spaces ("Table P1 " in YE Mar 2019), and YE Mar 2018
  also has a "Table P10", so the sheet is matched by its stripped name, exactly;
* footnote markers are glued to text: "Residential burglary5", "Non-residential
  burglary5,6", "Stalking and harassment 4", "Total recorded crime (excluding fraud3)",
  "Cheshire7", and to the period in the title: "year ending June 20191,2" but
  "year ending June 181,2" (two-digit year, YE Mar/Jun/Dec 2018);
* the header is two rows (a parent row of offence groups, merged across their columns,
  above the row with "Area Code" and "Area Name"), then a "Numbers" unit row; the total
  column's label is a vertical merge that lives only in the parent row; blank spacer
  columns separate the groups;
* English regions, England, Wales and England and Wales sit between the force rows.  The
  region "West Midlands " (E12000005) has the same name as the force West Midlands
  (E23000014), so a force is identified by its area code and by name only where the code
  is blank (British Transport Police);
* YE Sep 2019 and YE Dec 2019 print ".." for every Greater Manchester figure (GMP's new
  crime recording system), and YE Sep 2019 alone says "Miscellaneous crimes against
  society" where the other seven say "Miscellaneous crimes".

Series keys are the snake_case of the cleaned column label, so they stay stable while
footnote numbers move from edition to edition.  All eight editions say "Residential" and
"Non-residential burglary" (the April 2017 classification); nothing is mapped from the
older "Domestic"/"Non-domestic burglary", which counted a different set of buildings: an
older edition would yield "domestic_burglary" and "non_domestic_burglary" series rather
than silently joining a break in the series.  The one alias is the miscellaneous crimes
wording above, which names the same Home Office offence group.

Cells are read by the project's one cell grammar (``scorecard.sources.cells``).  A figure is
a count: whole and not negative ("1,234" reads as 1234; "1,2", "21542.5", "-3", "1e5" and
TRUE are errors, not gaps).  The ONS markers for "not available" (".." and the others in
``_MISSING_MARKERS``) and blank cells are gaps, left out with a warning, because that is how
ONS publishes a figure it does not have.  A cell holding a formula without a saved value is
not a gap (calamine reads it as blank): Table P1 is refused, naming the cell.  Any row whose
area code is an ONS code is read as an area row, so a force row cannot drop out of the file
unnoticed because none of its cells looks like a figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa

from scorecard.areas import find_force, force, force_id, forces, territorial_forces
from scorecard.errors import InputError, UnknownForce
from scorecard.periods import PeriodError, RollingYear, parse
from scorecard.sources import cells
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

DATASET = "ons_pfa_tables"
KIND = "ons_pfa_tables_xlsx"
SHEET = "Table P1"

# Same offence group, reworded in one edition; keep one key so the series joins up.
_SERIES_ALIASES = {"miscellaneous_crimes_against_society": "miscellaneous_crimes"}

# What ONS prints for "not available" or "suppressed"; a blank cell means the same.
_MISSING_MARKERS = frozenset({"", "..", ":", "-", "x", "*", "n/a", "[x]", "[z]", "[c]"})

_ONS_CODE = re.compile(r"^[EKNSW][0-9]{8}$")
_FORCE_CODE_PREFIXES = ("E23", "W15")

# Footnote numbers glued to a word or a closing bracket: "burglary5,6", "harassment 4",
# "(excluding fraud3)".  Only after a letter, so "1,000" in a label would survive.
_GLUED_NOTE = re.compile(r"(?<=[A-Za-z])\s*\d+(?:\s*,\s*\d+)*(?=\)|$)")
_BRACKET_NOTE = re.compile(r"\[\s*notes?\b[^\]]*\]", re.IGNORECASE)
_TITLE_PERIOD = re.compile(r"year\s+ending\s+([A-Za-z]+)\.?\s+(\d+)", re.IGNORECASE)

# Whatever calamine hands back for a cell: str, float, int, bool, date, time, timedelta.
Cell = object
# A merged range as calamine gives it: ((first_row, first_col), (last_row, last_col)), 0-based.
Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class _Column:
    index: int  # 0-based column in the sheet
    label: str
    series: str
    group: str | None


@dataclass(frozen=True)
class _Header:
    row: int  # 0-based row holding "Area Code" / "Area Name"
    code_col: int
    name_col: int


def read_ons_workbook(path: str | Path) -> ParsedFile:
    """Read Table P1 of an ONS police force area tables workbook into observations.

    Each force row becomes one count per offence column, for the rolling year named in
    the sheet title.  Region and country rows are left out because the store holds
    forces; their totals can be rebuilt from the forces.  Cells ONS marks ".." or leaves
    blank are left out with a warning rather than stored as zero, which would read as
    "no crime" in a trend.

    Raises ``InputError`` when the file is not such a workbook (unreadable, no Table P1,
    no header row, no period in the title, a figure that is not a count) and
    ``UnknownForce`` for an area code or name no force lookup knows.
    """
    file = str(path)
    sheet_name, rows, merges = _read_sheet(file)
    where = f"sheet {sheet_name!r}"
    header = _find_header(file, rows, where)
    period = _title_period(file, rows[: header.row], where)
    columns = _offence_columns(file, rows, header, merges, where)
    first_month, last_month = period.first.first_day(), period.last.first_day()

    out: dict[str, list[object]] = {name: [] for name in OBSERVATION_SCHEMA.names}
    warnings: list[str] = []
    seen: dict[str, int] = {}
    with_figures: set[str] = set()
    series_seen: set[str] = set()

    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        line = r + 1
        figures = [_cell(row, c.index) for c in columns]
        if not _ONS_CODE.match(_text(_cell(row, header.code_col))) and not any(map(_looks_like_figure, figures)):
            continue  # unit row ("Numbers"), blank rows, source and footnote rows
        code = _cell_text(file, _cell(row, header.code_col), "Area Code", line, where)
        name = _cell_text(file, _cell(row, header.name_col), "Area Name", line, where)
        fid = _area_force(file, code, name, line, where)
        if fid is None:
            continue  # region or country
        if fid in seen:
            raise InputError(
                file, f"{force(fid).name} appears twice in {sheet_name.strip()} (also line {seen[fid]})", line,
                where=where,
            )
        seen[fid] = line
        info = force(fid)
        missing: list[str] = []
        for col, cell in zip(columns, figures, strict=True):
            value = _count(file, cell, col, line, where)
            if value is None:
                missing.append(col.label)
                continue
            with_figures.add(fid)
            series_seen.add(col.series)
            out["dataset"].append(DATASET)
            out["force_id"].append(fid)
            out["area_type"].append("force")
            out["area_code"].append(info.ons_code or fid)
            out["area_name"].append(info.name)
            out["series"].append(col.series)
            out["series_label"].append(col.label)
            out["series_group"].append(col.group)
            out["series_subgroup"].append(None)
            out["first_month"].append(first_month)
            out["last_month"].append(last_month)
            out["unit"].append("count")
            out["value"].append(value)
            out["numerator"].append(None)
            out["denominator"].append(None)
            out["source_line"].append(line)
            out["source_sheet"].append(sheet_name)
        if missing:
            warnings.append(_missing_warning(info.name, line, missing, len(columns)))

    if not seen:
        raise InputError(file, f"{sheet_name.strip()} has no police force rows under its header", where=where)
    expected = territorial_forces()
    absent = [f.name for f in expected if f.force_id not in seen]
    if absent:
        warnings.append(f"{len(absent)} of {len(expected)} territorial forces are not in "
                        f"{sheet_name.strip()}: " + ", ".join(absent))

    table = pa.table(out, schema=OBSERVATION_SCHEMA)
    return ParsedFile(
        path=file,
        kind=KIND,
        dataset=DATASET,
        table=table,
        covers=_covers(period, with_figures, seen, len(series_seen)),
        warnings=warnings,
    )


# --- the sheet ---------------------------------------------------------------------------

def _read_sheet(file: str) -> tuple[str, Sequence[Sequence[Cell]], list[Merge]]:
    with cells.open_workbook(file) as workbook:
        names = workbook.sheet_names
        matches = [n for n in names if n.strip().casefold() == SHEET.casefold()]
        if not matches:
            raise InputError(
                file,
                f"no {SHEET!r} sheet, so this is not an ONS police force area tables workbook "
                f"(sheets: {', '.join(repr(n) for n in names) or 'none'})",
            )
        # A formula without a saved value reads as blank: refuse it before anything else.
        workbook.refuse_unsaved_formulas(matches[0])
        # Absolute coordinates, so row numbers in messages match what Excel shows.
        rows: Sequence[Sequence[Cell]] = workbook.rows(matches[0])
        merges = workbook.merged_cells(matches[0])
    return matches[0], rows, merges


def _find_header(file: str, rows: Sequence[Sequence[Cell]], where: str) -> _Header:
    for r, row in enumerate(rows):
        labels = [_clean_label(_text(c)).casefold() for c in row]
        if "area code" in labels and "area name" in labels:
            return _Header(r, labels.index("area code"), labels.index("area name"))
    raise InputError(file, f"{SHEET} has no header row with 'Area Code' and 'Area Name'", where=where)


def _title_period(file: str, title_rows: Sequence[Sequence[Cell]], where: str) -> RollingYear:
    """The rolling year named above the header, e.g. "... year ending June 20191,2".

    A footnote list is glued straight onto the year, and some editions write the year
    with two digits ("June 181,2"), so the digits are split: four when they start like
    a year of this century or the last ("2019" + "1"), otherwise two ("18" + "1").
    """
    for r, row in enumerate(title_rows):
        for cell in row:
            m = _TITLE_PERIOD.search(_text(cell))
            if not m:
                continue
            digits = m.group(2)
            year = digits[:4] if len(digits) >= 4 and digits[:2] in ("19", "20") else digits[:2]
            try:
                period = parse(f"year ending {m.group(1)} {year}")
            except PeriodError as exc:
                raise InputError(file, f"cannot read the period in the title: {exc}", r + 1, where=where) from exc
            if not isinstance(period, RollingYear):  # pragma: no cover - the pattern guarantees it
                raise InputError(file, f"title period {m.group(0)!r} is not a rolling year", r + 1, where=where)
            return period
    raise InputError(file, f"{SHEET} has no 'year ending <month> <year>' in its title", where=where)


def _offence_columns(
    file: str,
    rows: Sequence[Sequence[Cell]],
    header: _Header,
    merges: Sequence[Merge],
    where: str,
) -> list[_Column]:
    """Label, series key and parent group of every offence column.

    A column is labelled by the header row, or by the parent row when the parent cell is
    merged down over the header (the total).  Parent groups extend rightwards over their
    merged range; without merge information (a re-saved workbook) they extend until a
    blank spacer column or the next group.
    """
    head = rows[header.row]
    parent = rows[header.row - 1] if header.row > 0 else []
    group_end = {
        c0: c1 for (r0, c0), (r1, c1) in merges if r0 <= header.row - 1 <= r1 and r1 < header.row
    }
    width = max(len(head), len(parent))
    columns: list[_Column] = []
    group: str | None = None
    group_last = -1
    for c in range(width):
        if c in (header.code_col, header.name_col):
            group = None
            continue
        if c > group_last:
            group = None
        own = _clean_label(_cell_text(file, _cell(head, c), "a column label", header.row + 1, where))
        above = _clean_label(_cell_text(file, _cell(parent, c), "a column label", header.row, where))
        if not own and not above:
            group = None  # spacer column
            continue
        if not own:
            label, col_group = above, None
            group = None
        else:
            if above:
                group, group_last = above, group_end.get(c, width)
            label, col_group = own, group
        key = _series_key(label)
        if any(col.series == key for col in columns):
            raise InputError(file, f"two columns in {SHEET} are both labelled {label!r}", header.row + 1,
                             where=where)
        columns.append(_Column(c, label, key, col_group))
    if not columns:
        raise InputError(file, f"{SHEET} header has no offence columns", header.row + 1, where=where)
    return columns


# --- cells -------------------------------------------------------------------------------

def _cell(row: Sequence[Cell], index: int) -> Cell:
    return row[index] if 0 <= index < len(row) else ""


def _text(cell: Cell) -> str:
    """A cell as text for finding the header and title; what is kept goes through ``_cell_text``."""
    try:
        return cells.text_of(cell)
    except cells.CellError:
        return " ".join(str(cell).split())


def _cell_text(file: str, cell: Cell, what: str, line: int, where: str) -> str:
    """A cell whose text is used (an area code or name, a column label), by the text grammar."""
    try:
        return cells.text_of(cell)
    except cells.CellError as exc:
        raise InputError(file, f"{what} {exc.problem}", line, where=where) from None


def _clean_label(text: str) -> str:
    text = _BRACKET_NOTE.sub(" ", text)
    text = _GLUED_NOTE.sub("", " ".join(text.split()))
    return " ".join(text.split())


def _series_key(label: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")
    return _SERIES_ALIASES.get(key, key)


def _looks_like_figure(cell: Cell) -> bool:
    """A number, or an ONS marker for a figure that is not available."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    if not isinstance(cell, str) or not cell.strip():
        return False
    if cell.strip().casefold() in _MISSING_MARKERS:
        return True
    try:
        cells.number(cell)
    except cells.CellError:
        return False
    return True


def _count(file: str, cell: Cell, column: _Column, line: int, where: str) -> float | None:
    """A count, or None where ONS gives none (".." or blank)."""
    if isinstance(cell, str) and cell.strip().casefold() in _MISSING_MARKERS:
        return None
    try:
        return cells.count(cell)
    except cells.CellError as exc:
        raise InputError(file, f"{column.label}: {exc.problem}", line,
                         where=f"{where}, cell {cells.cell_ref(line - 1, column.index)}") from None


@cache
def _force_by_code() -> dict[str, str]:
    return {f.ons_code: f.force_id for f in forces().values() if f.ons_code}


def _area_force(file: str, code: str, name: str, line: int, where: str) -> str | None:
    """The force a row is about, or None for a region or country row."""
    if not code:
        # Only British Transport Police has no area code; resolving by name anywhere else
        # would turn the region "West Midlands" into the force.
        found = find_force(name) if name else None
        if found is None:
            raise UnknownForce(file, f"unknown police force {name!r} (a row without an area code)", line,
                               where=where)
        return force_id(name, file=file, line=line)
    if not _ONS_CODE.match(code):
        raise UnknownForce(file, f"area code {code!r} ({name!r}) is not an ONS area code", line, where=where)
    if not code.startswith(_FORCE_CODE_PREFIXES):
        return None
    # Exact match on the code: areas.find_force normalises "E23999999" down to "e", which
    # resolves to an arbitrary English force, so it cannot be trusted to reject a bad code.
    fid = _force_by_code().get(code)
    if fid is None:
        raise UnknownForce(file, f"unknown police force area code {code!r} ({name!r})", line, where=where)
    by_name = find_force(name) if name else None
    if by_name is not None and by_name != fid:
        raise InputError(
            file, f"area code {code} is {force(fid).name} but the row is named {name!r}", line, where=where
        )
    return fid


# --- messages ----------------------------------------------------------------------------

def _missing_warning(force_name: str, line: int, missing: list[str], n_columns: int) -> str:
    if len(missing) == n_columns:
        return f"line {line}: {force_name} has no figures in {SHEET} ('..' or blank); left out"
    return (f"line {line}: {force_name} has no figure for {', '.join(missing)} ('..' or blank); "
            "left out, not zero")


def _covers(period: RollingYear, with_figures: set[str], rows_seen: dict[str, int], n_series: int) -> str:
    territorial = sorted(f for f in with_figures if force(f).territorial)
    text = f"{period.label}, {len(territorial)} force{'' if len(territorial) == 1 else 's'}"
    if "btp" in with_figures:
        text += " + BTP"
    text += f", {n_series} series"
    blank = sorted(force(f).name for f in rows_seen if f not in with_figures)
    if blank:
        text += f" (no figures for {', '.join(blank)})"
    return text


__all__ = ["DATASET", "KIND", "read_ons_workbook"]
