"""The workforce table of a PCC's annual report: each role's headcount at two dates, and the change.

Seed 003 prints "At 31 March 2024, the headcount across West Midlands Police was" officers,
police staff, PCSOs, specials and their total.  This builds that table from the Home Office police
workforce tables as the results stage hands them over (``scorecard.workforce.workforce_figures``:
typed figures, no query here), with a year earlier beside each figure, the change and the
percentage change, every number formatted once by ``documents.format``.

What it will not do is fill a gap: a role the store holds no figure for at a date shows "–" and
is named in a note, and the total is given for a date only when every row above it has a figure
there (a total missing a part would read as a fall).  A role held at neither date is left out
and named.  The total is the sum of the rows shown, worked out here, because the Home Office
publishes no force total across roles; the notes say so, and say that a headcount is a count of
people at a date, never summed over months.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from scorecard.documents import format as fmt
from scorecard.documents.model import Column, Row, Table
from scorecard.sources.workforce import Role, series_key
from scorecard.workforce import HeldFigure, RoleFigures, WorkforceFigures

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
SOURCE = "Home Office, Police workforce, England and Wales"
_BASIS_WORDS = {"headcount": "headcount", "fte": "full-time equivalents"}
_BASIS_NOTES = {
    "headcount": "Headcount: the number of people in post at each date, not full-time equivalents. A headcount is "
                 "a count at a date, so it is never summed over months.",
    "fte": "Full-time equivalents at each date (a part-time post counts as its share of full time), not headcount. "
           "A count at a date, so it is never summed over months. Figures are shown to the nearest whole number "
           "and changes worked out before rounding, as the Home Office's own tables do.",
}
_DESIGNATED = ("Where a force cannot count designated officers apart from police staff, the Home Office notes that "
               "it usually counts them in police staff.")


def workforce_table(figures: WorkforceFigures, *, table_id: str = "workforce") -> Table:
    """The table: a row per role held at either date, then the total; columns role, the earlier
    date, the later date, change and % change."""
    shown = [r for r in figures.roles if r.held]
    rows = (*(_role_row(r, figures) for r in shown), _total_row(shown, figures))
    columns = (Column("Role"), Column(_day(figures.earlier), numeric=True, nowrap=True),
               Column(_day(figures.later), numeric=True, nowrap=True), Column("Change", numeric=True),
               Column("% change", numeric=True))
    caption = (f"Police workforce {_BASIS_WORDS[figures.basis]}, {_day(figures.earlier)} and "
               f"{_day(figures.later)}")
    return Table(caption, columns, rows, _notes(figures, shown), id=table_id)


def _role_row(r: RoleFigures, figures: WorkforceFigures) -> Row:
    key = series_key(r.role, figures.basis)
    return _row(r.role.label, key, _value(r.earlier), _value(r.later), figures)


def _total_row(shown: Sequence[RoleFigures], figures: WorkforceFigures) -> Row:
    return _row("Total", "total" if figures.basis == "headcount" else "total_fte",
                _total(r.earlier for r in shown), _total(r.later for r in shown), figures)


def _row(label: str, key: str, earlier: float | None, later: float | None, figures: WorkforceFigures) -> Row:
    unit = figures.unit
    ref = f"workforce.{key}"
    change = later - earlier if later is not None and earlier is not None else None
    return Row((fmt.text(label), fmt.figure(earlier, unit, f"{ref}.{figures.earlier.isoformat()}"),
                fmt.figure(later, unit, f"{ref}.{figures.later.isoformat()}"),
                fmt.difference(change, unit, f"{ref}.change"), fmt.change(later, earlier, unit, f"{ref}.change_pct")))


def _value(held: HeldFigure | None) -> float | None:
    return held.value if held is not None else None


def _total(parts: Iterable[HeldFigure | None]) -> float | None:
    """The sum of the figures, or None when any is missing (or there are none)."""
    values = [_value(p) for p in parts]
    if not values or None in values:
        return None
    return sum(v for v in values if v is not None)


# --- notes -----------------------------------------------------------------------------------

def _notes(figures: WorkforceFigures, shown: Sequence[RoleFigures]) -> tuple[str, ...]:
    notes = [_source_note(figures), _BASIS_NOTES[figures.basis], _total_note(shown)]
    for day, missing in ((figures.earlier, [_noun(r) for r in shown if r.earlier is None]),
                         (figures.later, [_noun(r) for r in shown if r.later is None])):
        if missing:
            notes.append(f"Not held for {_day(day)}: {_listed(missing)} (no workforce table loaded gives "
                         f"{'it' if len(missing) == 1 else 'them'} for that date), so the total is not given for "
                         "that date.")
    left_out = [r.role for r in figures.roles if not r.held]
    if left_out:
        why = f" {_DESIGNATED}" if any(role.key == "designated" for role in left_out) else ""
        notes.append(f"Left out, no figure held for either date: {_listed([_noun(r) for r in left_out])}.{why}")
    notes.append(LICENCE)
    return tuple(notes)


def _source_note(figures: WorkforceFigures) -> str:
    """The files and sheets the figures were read from, in the order they were loaded."""
    sheets: dict[tuple[int, str], list[str]] = {}
    for r in figures.roles:
        for held in (r.earlier, r.later):
            if held is not None and held.sheet not in sheets.setdefault((held.load_id, held.file_name), []):
                sheets[(held.load_id, held.file_name)].append(held.sheet)
    files = [f"{name} ({'sheet' if len(s) == 1 else 'sheets'} {_listed(s)})" for (_, name), s in sorted(sheets.items())]
    return f"Source: {SOURCE}: {'; '.join(files)}."


def _total_note(shown: Sequence[RoleFigures]) -> str:
    specials = any(r.role.key == "specials" for r in shown)
    return ("Total: the sum of the rows above, worked out here; the Home Office publishes no force total across these "
            "roles" + (", and its own workforce total leaves out special constables, who are volunteers." if specials
                       else "."))


def _noun(r: RoleFigures | Role) -> str:
    """A role's name inside a sentence: "police officers"."""
    label = (r.role if isinstance(r, RoleFigures) else r).label
    return label[0].lower() + label[1:]


def _listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day(d: date) -> str:
    """A census date as a report writes it: "31 March 2019"."""
    return f"{d.day} {d:%B %Y}"


__all__ = ["LICENCE", "SOURCE", "workforce_table"]
