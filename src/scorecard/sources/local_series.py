"""Figures only a force holds, in a file an analyst can fill in by hand.

Homicide counts, under-25 sharp-object admissions, firearm discharges, call-handling
service levels and victim-survey results reach a statement from force systems and partner
returns, not from any national table.  They arrive as one figure per row in a "local
series" file (CSV, or an XLSX workbook for those who keep them in Excel).  Every row is
checked the way a careful analyst would check a figure before it goes into a published
statement, and the whole file is refused on the first problem so that the store never
holds half of a return.

The file format is documented for its authors in ``docs/local-series.md``; keep the two in
step (a test fails when a well-known series is missing from the documentation).

Every cell is read by the project's one cell grammar (``scorecard.sources.cells``): the same
numbers ("1,087" and "92%", never "1,2" or "1e5"), the same text rules (a control character
or a direction override in any cell is an error naming its line and column, not removed),
the same decoding and the same checked opening of workbooks, where a formula without a
saved value is an error naming its cell.  A CSV larger than ``CSV_MAX_BYTES`` is not read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from scorecard import periods, units
from scorecard.areas import find_force, force, force_id
from scorecard.errors import InputError
from scorecard.sources import cells
from scorecard.sources.observations import OBSERVATION_SCHEMA, ParsedFile

__all__ = [
    "COLUMNS",
    "DATASET",
    "REPLACE_KEY",
    "REQUIRED_COLUMNS",
    "UNITS",
    "WELL_KNOWN_SERIES",
    "SeriesInfo",
    "looks_like_local_series",
    "read_local_series",
    "series_label",
]

DATASET = "local_series"

# A corrected figure for the same force, area, series and months replaces the stored one;
# figures for other months (a quarter inside a year, say) live side by side.
REPLACE_KEY = ("force_id", "area_type", "area_code", "series", "first_month", "last_month")


@dataclass(frozen=True)
class SeriesInfo:
    """What a well-known series id means, so every force's "homicides" read alike."""

    label: str
    unit: str
    # The national priority the figure evidences; stored as ``series_group``.
    group: str
    # Where the figure usually comes from, for the documentation.
    source: str


WELL_KNOWN_SERIES: dict[str, SeriesInfo] = {
    "homicides": SeriesInfo(
        "Homicides", "count", "homicide",
        "police recorded: murder, manslaughter, infanticide, corporate manslaughter",
    ),
    "under_25_sharp_object_admissions": SeriesInfo(
        "Hospital admissions of under-25s for assault with a sharp object", "count", "serious_violence",
        "NHS Hospital Episode Statistics (episodes), as supplied to the force",
    ),
    "firearm_discharges": SeriesInfo(
        "Offences involving the discharge of a firearm", "count", "serious_violence",
        "police recorded",
    ),
    "drug_related_homicides": SeriesInfo(
        "Drug-related homicides", "count", "drugs_county_lines", "police recorded",
    ),
    "drug_treatment_referrals": SeriesInfo(
        "Police referrals into drug treatment", "count", "drugs_county_lines",
        "arrest-referral provider or public health returns",
    ),
    "calls_999_received": SeriesInfo(
        "999 calls received", "count", "call_handling", "force contact management system",
    ),
    "calls_999_answered_in_sla": SeriesInfo(
        "999 calls answered within 10 seconds", "percentage", "call_handling",
        "force contact management system (national standard: 90% within 10 seconds)",
    ),
    "calls_101_received": SeriesInfo(
        "101 calls received", "count", "call_handling", "force contact management system",
    ),
    "calls_101_answered_in_sla": SeriesInfo(
        "101 calls answered within the force's service level", "percentage", "call_handling",
        "force contact management system (each force sets its own 101 service level)",
    ),
    "victim_satisfaction": SeriesInfo(
        "Victim satisfaction (all victims)", "percentage", "victim_satisfaction",
        "force victim survey: completely, very or fairly satisfied with the whole experience",
    ),
    "victim_satisfaction_domestic_abuse": SeriesInfo(
        "Satisfaction of victims of domestic abuse", "percentage", "victim_satisfaction",
        "force victim survey of domestic abuse victims",
    ),
    "cyber_flagged_offences": SeriesInfo(
        "Offences flagged as cyber-enabled", "count", "cyber_crime",
        "police recorded crimes carrying the force's cyber/online flag",
    ),
    "action_fraud_reports": SeriesInfo(
        "Reports to Action Fraud", "count", "cyber_crime",
        "Action Fraud / NFIB monthly returns to the force",
    ),
}

#: The units a local series may be in: the one registry (``scorecard.units``), by id.
UNITS: tuple[str, ...] = tuple(units.UNITS)

# Column name -> what it holds. Order is the order the documentation shows them in.
COLUMNS: dict[str, str] = {
    "force": "force name, ONS code or id, e.g. 'West Midlands', 'E23000014', 'west-midlands'",
    "area_type": "'force' (the default) or the kind of sub-area: 'local_authority', 'csp', 'lpa', 'npu'...",
    "area_code": "sub-area code (e.g. an ONS local authority code); blank for force-wide figures",
    "area_name": "sub-area name; enough on its own when the sub-area has no code",
    "series": "series id: lower-case letters, digits and underscores, e.g. 'homicides'",
    "series_label": "title for a series that is not well known (ignored for well-known ids)",
    "period": "the months the figure covers, any label the period parser reads",
    "value": "the figure; '1,087' and '92%' are accepted",
    "numerator": "for percentages: how many met the condition",
    "denominator": "for percentages: out of how many",
    "unit": "one of the ids in scorecard.units (count, percentage, pounds, seconds, minutes, hours, days, score, "
            "rate_per_1000, rate_per_100000, rate_per_1000000); blank for well-known ids",
    "note": "where the figure comes from; free text, for people",
}
REQUIRED_COLUMNS: tuple[str, ...] = ("force", "series", "period", "value")
_COLUMN_ALIASES = {
    "force_name": "force",
    "force_id": "force",
    "police_force": "force",
    "series_id": "series",
    "label": "series_label",
    "notes": "note",
}

_SERIES_ID = re.compile(r"^[a-z0-9_]*[a-z0-9][a-z0-9_]*$")
_AREA_TYPE = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_CELL = 2000
_ACRONYMS = {"nrm", "asb", "da", "vawg", "rtc", "ocg", "sla", "npu", "lpa", "csp", "u25", "ccu", "nfib"}
# A local series is typed by hand: 16 MiB is some 150,000 rows.
CSV_MAX_BYTES = 16 * 1024 * 1024
# The header is the first row with anything in it; a sniff looks this far down for it.
_HEADER_SEARCH_ROWS = 100

Cell = cells.Cell


def read_local_series(path: str | Path) -> ParsedFile:
    """Read and check a whole local series file (.csv or .xlsx).

    Raises ``InputError`` (``UnknownForce`` for a force no lookup knows) naming the file,
    the line and the problem; nothing is returned for a file with any bad row.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    warnings: list[str] = []
    if suffix in (".xlsx", ".xlsm"):
        sheet, rows = _xlsx_rows(p, warnings)
        kind = "local_series_xlsx"
    elif suffix in (".csv", ".txt"):
        sheet, rows = None, _csv_rows(p, warnings)
        kind = "local_series_csv"
    else:
        raise InputError(
            p, f"unsupported file type {suffix or '(none)'!r}; a local series file is .csv or .xlsx"
        )
    table, covers = _observations(p, rows, sheet, warnings)
    return ParsedFile(
        path=str(p),
        kind=kind,
        dataset=DATASET,
        table=table,
        replace_key=REPLACE_KEY,
        covers=covers,
        warnings=warnings,
    )


def looks_like_local_series(path: str | Path) -> bool:
    """Whether a file's header names the local series columns.

    Used to route a dropped-in file to this reader, so it reads only the header row and
    never raises: a file it cannot open is simply "not a local series".
    """
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            with p.open("rb") as fh:
                head = fh.read(64 * 1024)
            text = cells.sniff_text(head)
            lines = [line for line in text.splitlines() if line.strip()]
            if not lines:
                return False
            header: list[Cell] = list(next(csv.reader([lines[0]], delimiter=_delimiter(lines[0]))))
        elif suffix in (".xlsx", ".xlsm"):
            with cells.open_workbook(p) as wb:
                grid = wb.rows(_pick_sheet(wb.sheet_names), nrows=_HEADER_SEARCH_ROWS)
            header = next((row for row in grid if not all(map(cells.is_blank, row))), [])
        else:
            return False
    except (InputError, OSError, ValueError, csv.Error):
        return False
    names = {_column_name(c) for c in header}
    return set(REQUIRED_COLUMNS) <= names


def series_label(series: str) -> str:
    """The title shown for a series id: the built-in one, else the id in words."""
    info = WELL_KNOWN_SERIES.get(series)
    if info is not None:
        return info.label
    words = [w.upper() if w in _ACRONYMS else w for w in series.split("_") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# --- reading the cells -------------------------------------------------------------------

def _delimiter(header_line: str) -> str:
    """Comma, unless the header has none and a spreadsheet wrote tabs or semicolons."""
    if "," in header_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


def _csv_rows(path: Path, warnings: list[str]) -> list[tuple[int, list[Cell]]]:
    text = cells.read_text_file(path, warnings, limit=CSV_MAX_BYTES, what="local series file")
    if not text.strip():
        raise InputError(path, "the file is empty")
    first_line = next(line for line in text.splitlines() if line.strip())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    width: int | None = None
    previous_end = 0
    try:
        for record in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            row: list[Cell] = list(record)
            if all(map(cells.is_blank, row)):
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                raise InputError(
                    path, f"this row has {len(row)} fields but the header has {width}", line
                )
            rows.append((line, row))
    except csv.Error as exc:
        raise InputError(path, f"cannot read CSV: {exc}", reader.line_num) from None
    return rows


def _pick_sheet(names: Sequence[str]) -> str:
    for name in names:
        if name.strip().lower() == "series":
            return name
    if not names:
        raise ValueError("workbook has no sheets")
    return names[0]


def _xlsx_rows(path: Path, warnings: list[str]) -> tuple[str, list[tuple[int, list[Cell]]]]:
    with cells.open_workbook(path) as wb:
        names = list(wb.sheet_names)
        if not names:
            raise InputError(path, "the workbook has no sheets")
        name = _pick_sheet(names)
        wb.refuse_unsaved_formulas(name)
        grid = wb.rows(name)
    if len(names) > 1 and name.strip().lower() != "series":
        warnings.append(f"{path}: no sheet is named 'series'; read the first sheet, {name!r}")
    rows: list[tuple[int, list[Cell]]] = []
    for index, row in enumerate(grid):
        if not all(map(cells.is_blank, row)):
            rows.append((index + 1, row))
    if not rows:
        raise InputError(path, f"sheet {name!r} is empty")
    return name, rows


def _column_name(cell: Cell) -> str:
    """A header cell as a column name; lenient, for recognising a header (see ``_header``)."""
    try:
        text = cells.text_of(cell)
    except cells.CellError:
        return ""
    name = re.sub(r"[\s\-]+", "_", text.lower())
    return _COLUMN_ALIASES.get(name, name)


# --- checking rows -----------------------------------------------------------------------

_Number = cells.Number


@dataclass
class _Obs:
    force_id: str
    area_type: str
    area_code: str
    area_name: str
    series: str
    series_label: str
    series_group: str | None
    first_month: date
    last_month: date
    unit: str
    value: float
    numerator: float | None
    denominator: float | None
    line: int


def _fmt(x: float) -> str:
    return cells.shown_number(x)


class _RowReader:
    """One data row, with the file and line every complaint about it must name."""

    def __init__(self, path: Path, line: int, cells: dict[str, Cell]) -> None:
        self.path = path
        self.line = line
        self.cells = cells

    def fail(self, problem: str) -> InputError:
        return InputError(self.path, problem, self.line)

    def text(self, column: str) -> str:
        try:
            return cells.text_of(self.cells.get(column), max_chars=_MAX_CELL)
        except cells.CellError as exc:
            raise self.fail(f"column {column!r} {exc.problem}") from None

    def number(self, column: str) -> _Number | None:
        try:
            return cells.number_cell(self.cells.get(column))
        except cells.CellError as exc:
            raise self.fail(f"column {column!r}: {exc.problem}") from None


def _observations(
    path: Path, rows: list[tuple[int, list[Cell]]], sheet: str | None, warnings: list[str]
) -> tuple[pa.Table, str]:
    if not rows:
        raise InputError(path, "the file is empty")
    header_line, header_cells = rows[0]
    columns: list[str | None] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header_cells):
        try:
            label = cells.text_of(cell, max_chars=_MAX_CELL)
        except cells.CellError as exc:
            raise InputError(path, f"header cell {index + 1} {exc.problem}", header_line) from None
        name = _column_name(label)
        if not name:
            columns.append(None)
            continue
        if name in seen:
            raise InputError(path, f"column {name!r} appears twice in the header", header_line)
        seen[name] = index
        if name in COLUMNS:
            columns.append(name)
        else:
            columns.append(None)
            ignored.append(label)
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            raise InputError(
                path, f"missing required column {required!r} (the header must name "
                + ", ".join(REQUIRED_COLUMNS) + ")", header_line,
            )
    if ignored:
        warnings.append(f"{path}: ignored column(s) not part of the format: " + ", ".join(map(repr, ignored)))
    if len(rows) == 1:
        raise InputError(path, "the file has a header but no data rows")

    this_month = periods.Month.from_date(date.today())
    observations: list[_Obs] = []
    first_line_of: dict[tuple[str, str, str, str, date, date], int] = {}
    custom_labels: dict[str, tuple[str, int]] = {}
    overridden: set[str] = set()
    for line, values in rows[1:]:
        named = {col: values[i] for i, col in enumerate(columns) if col is not None and i < len(values)}
        row = _RowReader(path, line, named)
        obs = _observation(row, this_month, warnings)
        typed = row.text("series_label")
        if obs.series in WELL_KNOWN_SERIES:
            if typed and typed != obs.series_label and obs.series not in overridden:
                overridden.add(obs.series)
                warnings.append(
                    f"{path}, line {line}: {obs.series!r} is a well-known series; its built-in label "
                    f"{obs.series_label!r} is used instead of {typed!r}"
                )
        elif typed:
            earlier = custom_labels.setdefault(obs.series, (typed, line))
            if earlier[0] != typed:
                raise row.fail(
                    f"series {obs.series!r} is labelled {typed!r} here "
                    f"but {earlier[0]!r} on line {earlier[1]}"
                )
        key = (obs.force_id, obs.area_type, obs.area_code, obs.series, obs.first_month, obs.last_month)
        if key in first_line_of:
            raise row.fail(
                f"this row repeats line {first_line_of[key]}: same force, area, series {obs.series!r} "
                f"and months ({periods.Month.from_date(obs.first_month).short()} to "
                f"{periods.Month.from_date(obs.last_month).short()}); keep one of them"
            )
        first_line_of[key] = line
        observations.append(obs)

    for obs in observations:
        if obs.series in custom_labels:
            obs.series_label = custom_labels[obs.series][0]
    return _table(observations, sheet), _covers(observations)


def _observation(row: _RowReader, this_month: periods.Month, warnings: list[str]) -> _Obs:
    row.text("note")  # not stored, but checked like every other cell
    force_text = row.text("force")
    if not force_text:
        raise row.fail("column 'force' is blank")
    fid = force_id(force_text, file=str(row.path), line=row.line)
    f = force(fid)

    area_type = row.text("area_type").lower() or "force"
    if not _AREA_TYPE.match(area_type):
        raise row.fail(f"area_type {area_type!r} must be lower-case letters, digits and underscores")
    code, name = row.text("area_code"), row.text("area_name")
    if area_type == "force":
        force_code = f.ons_code or fid
        if code and code.upper() != force_code.upper() and code.lower() != fid:
            raise row.fail(
                f"area_code {code!r} is not {f.name}'s code {force_code!r}; "
                "give area_type (e.g. 'csp') for a sub-area"
            )
        if name and find_force(name) != fid:
            raise row.fail(f"area_name {name!r} is not {f.name}; give area_type (e.g. 'csp') for a sub-area")
        code, name = force_code, f.name
    else:
        if not code and not name:
            raise row.fail(f"area_type {area_type!r} needs an area_code or an area_name")
        code = code or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        name = name or code

    series = row.text("series").lower()
    if not series:
        raise row.fail("column 'series' is blank")
    if len(series) > 64 or not _SERIES_ID.match(series):
        raise row.fail(
            f"series id {series!r} must be lower-case letters, digits and underscores "
            "(e.g. 'firearm_discharges'), at most 64 characters"
        )
    info = WELL_KNOWN_SERIES.get(series)

    period = _period(row)
    if period.last > this_month:
        raise row.fail(f"period {period.label!r} ends in {period.last.short()}, which has not happened yet")

    unit_text = row.text("unit").lower()
    unit = units.UNIT_ALIASES.get(unit_text, unit_text)
    if unit == "rate":
        raise row.fail("unit 'rate' needs its base: rate_per_1000, rate_per_100000 or rate_per_1000000")
    if unit and unit not in UNITS:
        raise row.fail(f"unit {unit_text!r} is not one of: {', '.join(UNITS)}")
    if info is not None:
        if unit and unit != info.unit:
            raise row.fail(
                f"series {series!r} is always a {info.unit}, not a {unit}; "
                "use a different series id for a different measure"
            )
        unit = info.unit
    elif not unit:
        raise row.fail(
            f"series {series!r} is not a well-known series, so its unit must be given "
            f"({', '.join(UNITS)})"
        )

    value = row.number("value")
    numerator = row.number("numerator")
    denominator = row.number("denominator")
    if value is not None and value.percent_sign and unit != "percentage":
        raise row.fail(f"value {row.text('value')!r} has a % sign but the unit is {unit}")
    if unit == "percentage":
        stored, num, den = _percentage(row, value, numerator, denominator)
        # Only spreadsheet cells hold numbers; a CSV value is always text.
        if value is not None and value.from_number_cell and 0 < value.value < 1:
            warnings.append(
                f"{row.path}, line {row.line}: percentage {_fmt(value.value)} looks like a fraction; "
                "Excel stores a cell shown as 92% as 0.92 - type 92 instead"
            )
    else:
        if numerator is not None or denominator is not None:
            raise row.fail(f"numerator and denominator only apply to percentages, not to a {unit}")
        if value is None:
            raise row.fail("column 'value' is blank")
        if value.value < 0:
            raise row.fail(f"{unit} {_fmt(value.value)} is negative")
        if unit == "count":
            try:
                cells.check_count(value.value)
            except cells.CellError as exc:
                raise row.fail(f"count {exc.problem}") from None
        if unit == "pounds" and value.decimals > 2:
            raise row.fail(f"an amount in pounds has at most two decimal places (pence), not {row.text('value')!r}")
        stored, num, den = value.value, None, None

    return _Obs(
        force_id=fid,
        area_type=area_type,
        area_code=code,
        area_name=name,
        series=series,
        series_label=series_label(series),
        series_group=info.group if info is not None else None,
        first_month=period.first.first_day(),
        last_month=period.last.first_day(),
        unit=unit,
        value=stored,
        numerator=num,
        denominator=den,
        line=row.line,
    )


def _period(row: _RowReader) -> periods.Period:
    try:
        month = cells.month_of(row.cells.get("period"))  # a spreadsheet turned "Jun 2019" into a date
    except cells.CellError as exc:
        raise row.fail(f"column 'period': {exc.problem}") from None
    if month is not None:
        return periods.MonthPeriod(periods.Month(month.year, month.month))
    label = row.text("period")
    if not label:
        raise row.fail("column 'period' is blank")
    try:
        return periods.parse(label)
    except periods.PeriodError as exc:
        raise row.fail(str(exc)) from None


def _percentage(
    row: _RowReader, value: _Number | None, numerator: _Number | None, denominator: _Number | None
) -> tuple[float, float | None, float | None]:
    """A percentage as published, or as the counts behind it; both must agree."""
    if (numerator is None) != (denominator is None):
        raise row.fail("numerator and denominator must be given together")
    if value is not None and value.value > 100:
        raise row.fail(f"percentage {_fmt(value.value)} is over 100")
    if value is not None and value.value < 0:
        raise row.fail(f"percentage {_fmt(value.value)} is below 0")
    if numerator is None or denominator is None:
        if value is None:
            raise row.fail("a percentage needs a value, or a numerator and a denominator")
        return value.value, None, None
    num, den = numerator.value, denominator.value
    if num < 0 or den < 0:
        raise row.fail("numerator and denominator cannot be negative")
    if den == 0:
        raise row.fail("denominator is 0")
    if num > den:
        raise row.fail(f"numerator {_fmt(num)} is greater than denominator {_fmt(den)}")
    computed = 100 * num / den
    if value is not None:
        # "92" published from 923/1000 is right to the precision written; never looser than 0.05.
        tolerance = max(0.05, 0.5 * 10 ** -value.decimals) + 1e-9
        if abs(value.value - computed) > tolerance:
            raise row.fail(
                f"value {_fmt(value.value)} does not match numerator/denominator "
                f"({_fmt(num)} of {_fmt(den)} is {computed:.2f}%)"
            )
        return value.value, num, den
    return computed, num, den


# --- output ------------------------------------------------------------------------------

def _table(observations: list[_Obs], sheet: str | None) -> pa.Table:
    columns: dict[str, list[object]] = {
        "dataset": [DATASET] * len(observations),
        "force_id": [o.force_id for o in observations],
        "area_type": [o.area_type for o in observations],
        "area_code": [o.area_code for o in observations],
        "area_name": [o.area_name for o in observations],
        "series": [o.series for o in observations],
        "series_label": [o.series_label for o in observations],
        "series_group": [o.series_group for o in observations],
        "series_subgroup": [None] * len(observations),
        "first_month": [o.first_month for o in observations],
        "last_month": [o.last_month for o in observations],
        "unit": [o.unit for o in observations],
        "value": [o.value for o in observations],
        "numerator": [o.numerator for o in observations],
        "denominator": [o.denominator for o in observations],
        "source_line": [o.line for o in observations],
        "source_sheet": [sheet] * len(observations),
    }
    return pa.Table.from_pydict(columns, schema=OBSERVATION_SCHEMA)


def _covers(observations: list[_Obs]) -> str:
    """E.g. "West Midlands: 5 series, Jul 2018 to Jun 2024"."""
    forces = list(dict.fromkeys(force(o.force_id).name for o in observations))
    who = ", ".join(forces) if len(forces) <= 3 else f"{len(forces)} forces"
    n_series = len({o.series for o in observations})
    first = periods.Month.from_date(min(o.first_month for o in observations))
    last = periods.Month.from_date(max(o.last_month for o in observations))
    span = first.short() if first == last else f"{first.short()} to {last.short()}"
    return f"{who}: {n_series} series, {span}"
