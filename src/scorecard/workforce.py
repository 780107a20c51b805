"""A force's workforce at a census date and a year before: the results stage for the headcount table.

An annual report says how many officers, police staff, PCSOs and special constables the force
had at 31 March, against a year earlier.  Those figures are stocks counted at a date (the Home
Office police workforce tables, ``scorecard.sources.workforce``), so there is nothing to add up
or average over a window and none of the results engine's comparisons (baseline year, previous
quarter) applies: each figure is the one value stored for its series, force and month.  This
module asks the store for exactly those values and hands the document builder
(``scorecard.documents.workforce_table``) plain typed data, so the builder runs no query.

A figure the store does not hold is ``None``, never a nearby date's or the other basis's: the
Home Office counted heads of officers, staff and PCSOs only from 31 March 2019, and before that
published full-time equivalents, which are a different measure of the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scorecard.areas import force
from scorecard.errors import ScorecardError
from scorecard.periods import Month
from scorecard.sources.workforce import DATASET, ROLES, UNIT_OF, Basis, Role, month_end, series_key
from scorecard.store import Store

#: The rows of a workforce table, in order: the roles an annual report gives (seed 003 gives
#: officers, police staff, PCSOs and specials), with designated officers where a force counts
#: them apart from police staff.
TABLE_ROLES: tuple[Role, ...] = tuple(ROLES[k] for k in (
    "police officers", "police staff", "designated officers", "police community support officers",
    "special constables"))


class NoWorkforceFigures(ScorecardError):
    """The store holds no workforce figure for the force at either date."""


@dataclass(frozen=True)
class HeldFigure:
    """One stored figure and where it came from (the file, its sheet and row)."""

    value: float
    load_id: int
    file_name: str
    sheet: str
    line: int


@dataclass(frozen=True)
class RoleFigures:
    """One role's figure at each of the two dates (None: not held)."""

    role: Role
    earlier: HeldFigure | None
    later: HeldFigure | None

    @property
    def held(self) -> bool:
        return self.earlier is not None or self.later is not None


@dataclass(frozen=True)
class WorkforceFigures:
    """A force's workforce at two census dates, on one basis (headcount or FTE)."""

    force_id: str
    area_name: str
    basis: Basis
    earlier: date  # the census date: 31 March 2018
    later: date
    roles: tuple[RoleFigures, ...]  # in TABLE_ROLES order, every role (held or not)

    @property
    def unit(self) -> str:
        """The unit the figures are in (``scorecard.units``): "count" for a headcount, "fte"."""
        return UNIT_OF[self.basis]

    @property
    def load_ids(self) -> tuple[int, ...]:
        return tuple(sorted({f.load_id for r in self.roles for f in (r.earlier, r.later) if f is not None}))


def workforce_figures(store: Store, force_id: str, at: Month, *, earlier: Month | None = None,
                      basis: Basis = "headcount") -> WorkforceFigures:
    """The force's workforce at the end of ``at`` and of ``earlier`` (default: twelve months
    before), one query for every role and both dates.

    Raises ``NoWorkforceFigures`` when the store holds nothing for the force at either date, so
    a report cannot print a table of dashes because the workforce tables were never loaded."""
    info = force(force_id)
    before = earlier if earlier is not None else at - 12
    months = [before.first_day(), at.first_day()]
    series = {series_key(role, basis): role for role in TABLE_ROLES}
    rows = store.con.execute(
        """SELECT o.series, o.first_month, o.value, o.load_id, l.file_name, o.source_sheet, o.source_line
           FROM observations o JOIN loads l ON l.load_id = o.load_id
           WHERE o.dataset = ? AND o.force_id = ? AND o.area_type = 'force'
             AND list_contains(?, o.series) AND list_contains(?, o.first_month)""",
        [DATASET, force_id, list(series), months]).fetchall()
    found: dict[tuple[str, date], HeldFigure] = {
        (s, month): HeldFigure(float(value), int(load), str(name), str(sheet or ""), int(line or 0))
        for s, month, value, load, name, sheet, line in rows if value is not None}
    if not found:
        raise NoWorkforceFigures(
            f"the store holds no police workforce {basis} figures for {info.name} at "
            f"{_day(month_end(months[1]))} or {_day(month_end(months[0]))}: load the Home Office police "
            "workforce tables that give them (`scorecard ingest police-workforce-sep19-tables.ods`)")
    return WorkforceFigures(
        force_id=force_id, area_name=info.name, basis=basis, earlier=month_end(months[0]), later=month_end(months[1]),
        roles=tuple(RoleFigures(role, found.get((key, months[0])), found.get((key, months[1])))
                    for key, role in series.items()))


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


__all__ = ["TABLE_ROLES", "HeldFigure", "NoWorkforceFigures", "RoleFigures", "WorkforceFigures",
           "workforce_figures"]
