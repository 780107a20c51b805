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
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineError, CalamineWorkbook

from scorecard import periods
from scorecard.areas import find_force, force, force_id
from scorecard.errors import InputError
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

UNITS: tuple[str, ...] = ("count", "percentage", "rate", "seconds", "minutes", "hours", "days")
_UNIT_ALIASES = {"%": "percentage", "percent": "percentage", "number": "count"}

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
    "unit": "count, percentage, rate, seconds, minutes, hours or days; blank for well-known ids",
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
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# Line breaks and tabs become spaces; other C0/C1 controls and the bidirectional overrides
# that can make text display differently from what it contains are removed.
_SPACE_CONTROLS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]")
_DROP_CONTROLS = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_MAX_CELL = 2000
_ACRONYMS = {"nrm", "asb", "da", "vawg", "rtc", "ocg", "sla", "npu", "lpa", "csp", "u25", "ccu", "nfib"}

Cell = str | int | float | bool | date | datetime | time | timedelta | None


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
            text = _decode_head(head)
            lines = [line for line in text.splitlines() if line.strip()]
            if not lines:
                return False
            header: list[Cell] = list(next(csv.reader([lines[0]], delimiter=_delimiter(lines[0]))))
        elif suffix in (".xlsx", ".xlsm"):
            with CalamineWorkbook.from_path(str(p)) as wb:
                sheet = wb.get_sheet_by_name(_pick_sheet(wb.sheet_names))
                header = []
                for row in sheet.iter_rows():
                    if any(not _blank(c) for c in row):
                        header = list(row)
                        break
        else:
            return False
    except (OSError, ValueError, csv.Error, CalamineError):
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

def _decode_head(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def _decode(path: Path, data: bytes, warnings: list[str]) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(path, "this is a spreadsheet workbook, not CSV text; save it with a .xlsx name")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"cannot read the file as UTF-16 text: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"the file is neither UTF-8 nor Windows-1252 text ({exc})") from None
    warnings.append(
        f"{path}: not UTF-8; read as Windows-1252 (cp1252). Check characters such as '£' and "
        "accented names, and save as 'CSV UTF-8' next time."
    )
    return text


def _delimiter(header_line: str) -> str:
    """Comma, unless the header has none and a spreadsheet wrote tabs or semicolons."""
    if "," in header_line:
        return ","
    for candidate in ("\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


def _csv_rows(path: Path, warnings: list[str]) -> list[tuple[int, list[Cell]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None
    text = _decode(path, data, warnings)
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
            cells: list[Cell] = list(record)
            if all(_blank(c) for c in cells):
                continue
            if width is None:
                width = len(cells)
            elif len(cells) != width:
                raise InputError(
                    path, f"this row has {len(cells)} fields but the header has {width}", line
                )
            rows.append((line, cells))
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
    try:
        with CalamineWorkbook.from_path(str(path)) as wb:
            name = _pick_sheet(wb.sheet_names)
            grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            names = list(wb.sheet_names)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(path, f"cannot open the workbook: {exc}") from None
    if len(names) > 1 and name.strip().lower() != "series":
        warnings.append(f"{path}: no sheet is named 'series'; read the first sheet, {name!r}")
    rows: list[tuple[int, list[Cell]]] = []
    for index, row in enumerate(grid):
        cells: list[Cell] = list(row)
        if not all(_blank(c) for c in cells):
            rows.append((index + 1, cells))
    if not rows:
        raise InputError(path, f"sheet {name!r} is empty")
    return name, rows


def _clean(text: str) -> str:
    """Untrusted text made safe to store and show: no control characters, one-line."""
    text = _SPACE_CONTROLS.sub(" ", text)
    text = _DROP_CONTROLS.sub("", text)
    return " ".join(text.split())


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not _clean(cell))


def _column_name(cell: Cell) -> str:
    name = re.sub(r"[\s\-]+", "_", _clean(str(cell if cell is not None else "")).lower())
    return _COLUMN_ALIASES.get(name, name)


# --- checking rows -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Number:
    value: float
    decimals: int  # decimal places as written, for comparing with a computed percentage
    percent_sign: bool
    from_number_cell: bool


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
    return str(int(x)) if x.is_integer() else repr(x)


class _RowReader:
    """One data row, with the file and line every complaint about it must name."""

    def __init__(self, path: Path, line: int, cells: dict[str, Cell]) -> None:
        self.path = path
        self.line = line
        self.cells = cells

    def fail(self, problem: str) -> InputError:
        return InputError(self.path, problem, self.line)

    def text(self, column: str) -> str:
        cell = self.cells.get(column)
        if cell is None:
            return ""
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        raw = str(cell)
        if len(raw) > _MAX_CELL:
            raise self.fail(f"column {column!r} holds {len(raw)} characters; the limit is {_MAX_CELL}")
        return _clean(raw)

    def number(self, column: str) -> _Number | None:
        cell = self.cells.get(column)
        if _blank(cell):
            return None
        if isinstance(cell, bool) or not isinstance(cell, int | float | str):
            raise self.fail(f"column {column!r}: {cell!r} is not a number")
        if isinstance(cell, int | float):
            value = float(cell)
            if not math.isfinite(value):
                raise self.fail(f"column {column!r}: {cell!r} is not a number")
            written = _fmt(value)
            decimals = len(written.split(".")[1]) if "." in written and "e" not in written else 0
            return _Number(value, decimals, False, True)
        text = self.text(column).replace(" ", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        if _GROUPED_NUMBER.match(text):
            text = text.replace(",", "")
        elif not _PLAIN_NUMBER.match(text):
            raise self.fail(f"column {column!r}: {self.text(column)!r} is not a number")
        decimals = len(text.split(".")[1]) if "." in text else 0
        return _Number(float(text), decimals, percent, False)


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
        name = _column_name(cell)
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
            ignored.append(_clean(str(cell)))
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
    for line, cells in rows[1:]:
        named = {col: cells[i] for i, col in enumerate(columns) if col is not None and i < len(cells)}
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
    unit = _UNIT_ALIASES.get(unit_text, unit_text)
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
        if unit == "count" and not value.value.is_integer():
            raise row.fail(f"count {_fmt(value.value)} is not a whole number")
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
    cell = row.cells.get("period")
    if isinstance(cell, date):  # a spreadsheet turned "Jun 2019" into a date: that month
        return periods.MonthPeriod(periods.Month(cell.year, cell.month))
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
