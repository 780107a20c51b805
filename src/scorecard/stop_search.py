"""Stop and search for a force and a run of months: searches, outcomes, and rates by ethnic group.

A PCC's annual report states how the force used stop and search: how many searches, how many
ended in an arrest or another outcome, and how often each ethnic group was searched per 1,000
people of that group, against the White rate (disproportionality: the Home Office's and Race
Disparity Unit's "X times as likely").  This module works those figures out from the
data.police.uk rows in the store and returns them as typed counts; the document builder
(``documents.stop_search_table``) formats them and runs no SQL.

Exactness:

* **Months.** The figures cover exactly the months asked for.  Which months are held comes from
  the files loaded (``load_members``, a month loaded again counting once, from its latest file),
  not from which rows happen to match; a month not loaded is a ``MonthsNotHeld`` error naming the
  months held and the months missing, never a total over fewer months.
* **Counts and rates.** Counts are ints.  A share is kept as its two counts (``Share``), a rate as
  searches and population (``PerPopulation``) and a ratio as the two rates (``RatioToWhite``); each
  gives its exact value as a ``Fraction``, so the formatting layer rounds once.

Definitions:

* **Outcomes.** "A no further action disposal" (earlier files: "Nothing found - no further action")
  is no further action; "Arrest" (earlier: "Suspect arrested") an arrest; any other outcome given
  (summons, caution, community resolution, warnings, penalty notices …) is an outcome other than no
  further action, as arrests are.  A search with no outcome recorded is counted apart, and every
  rate is out of all searches, so the four parts add up to the searches.
* **Linked outcomes.** "Outcome linked to object of search" is read for searches with an outcome
  other than no further action, and the rate is the share marked True of those where the force
  gave True or False.  Some forces mark no-further-action searches True; an outcome that is no
  further action is not a linked outcome, so those are left out.
* **Ethnic group.** The person's *self-defined* ethnicity, its 18 census categories grouped into
  the five census groups by the label's first part ("Black/African/Caribbean/Black British -
  African" is Black).  That is the ethnicity the Home Office uses, and it is the classification the
  census population is counted in, so a rate divides like by like.  Officer-defined ethnicity is
  the officer's perception, not the person's, and data.police.uk files give it in four groups with
  no Mixed, so a Mixed rate could not be worked out from it.  Searches whose self-defined ethnicity
  is blank or "Not stated" are counted as not stated, and a label of no known group is kept by its
  text: neither is put in a group.
* **Searches of people.** The ethnic-group figures count searches of a person ("Person search",
  "Person and Vehicle search"); a vehicle-only search searched nobody and records no ethnicity, so
  it is counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from scorecard.areas import force
from scorecard.census import GROUPS, Census, EthnicGroup
from scorecard.errors import UsageError
from scorecard.periods import Month, MonthRange
from scorecard.store import Store

#: The member kind of a data.police.uk stop-and-search file in ``load_members``.
KIND = "stop-and-search"
SOURCE = "data.police.uk stop and search"

NO_FURTHER_ACTION = frozenset({"a no further action disposal", "nothing found - no further action"})
ARREST = frozenset({"arrest", "suspect arrested"})
VEHICLE_ONLY = "vehicle search"

#: The first part of a self-defined ethnicity label, and its census group.
SELF_DEFINED_GROUPS: Mapping[str, EthnicGroup] = {
    "white": "White",
    "mixed/multiple ethnic groups": "Mixed",
    "asian/asian british": "Asian",
    "black/african/caribbean/black british": "Black",
    "other ethnic group": "Other",
}
NOT_STATED = "not stated"


class MonthsNotHeld(UsageError):
    """Months asked for that the store holds no stop-and-search file of, for that force."""

    def __init__(self, force_name: str, missing: Sequence[Month], held: Sequence[Month]) -> None:
        self.missing = tuple(missing)
        self.held = tuple(held)
        holds = f"holds {force_name} stop and search for {months_text(held)}" if held else \
            f"holds no stop and search for {force_name}"
        super().__init__(f"the store {holds}; {months_text(missing)} "
                         f"{'is' if len(missing) == 1 else 'are'} not held: load "
                         f"{'it' if len(missing) == 1 else 'them'} (`scorecard ingest` or `scorecard fetch`) "
                         "or ask for months the store holds")


# --- exact figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """``count`` out of ``out_of``, kept as the two counts so it is rounded once, when shown."""

    count: int
    out_of: int

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.count, self.out_of) if self.out_of else None

    @property
    def percent(self) -> float | None:
        """The share as an unrounded percentage; None when it is out of nothing."""
        return None if self.exact is None else float(self.exact * 100)


@dataclass(frozen=True)
class PerPopulation:
    """Searches per ``per`` people: the searches and the population it is worked out from."""

    searches: int
    population: int
    per: int = 1000

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.searches * self.per, self.population) if self.population else None

    @property
    def value(self) -> float | None:
        return None if self.exact is None else float(self.exact)


@dataclass(frozen=True)
class RatioToWhite:
    """A group's rate over the White rate (1 is the same rate): undefined when either rate is."""

    rate: PerPopulation
    white: PerPopulation

    @property
    def exact(self) -> Fraction | None:
        rate, white = self.rate.exact, self.white.exact
        return None if rate is None or not white else rate / white

    @property
    def value(self) -> float | None:
        return None if self.exact is None else float(self.exact)


# --- the figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcomes:
    """Every search of the months, by outcome.  ``arrests + other_outcomes + no_further_action +
    not_recorded == searches``; ``linked + not_linked + linked_not_given == with_outcome``."""

    searches: int
    arrests: int
    other_outcomes: int  # an outcome given that is neither an arrest nor no further action
    no_further_action: int
    not_recorded: int
    linked: int  # searches with an outcome (not NFA) that the force marked linked to the object
    not_linked: int
    linked_not_given: int

    def __post_init__(self) -> None:
        parts = self.arrests + self.other_outcomes + self.no_further_action + self.not_recorded
        if parts != self.searches:
            raise ValueError(f"outcomes add up to {parts}, not to the {self.searches} searches")
        if self.linked + self.not_linked + self.linked_not_given != self.with_outcome:
            raise ValueError("linked, not linked and not given do not add up to the searches with an outcome")

    @property
    def with_outcome(self) -> int:
        """Searches with an outcome other than no further action (arrests included)."""
        return self.arrests + self.other_outcomes

    @property
    def arrest_rate(self) -> Share:
        return Share(self.arrests, self.searches)

    @property
    def outcome_rate(self) -> Share:
        return Share(self.with_outcome, self.searches)

    @property
    def no_further_action_rate(self) -> Share:
        return Share(self.no_further_action, self.searches)

    @property
    def not_recorded_rate(self) -> Share:
        return Share(self.not_recorded, self.searches)

    @property
    def linked_rate(self) -> Share:
        """Of the searches with an outcome where the force said whether it was linked: linked."""
        return Share(self.linked, self.linked + self.not_linked)


@dataclass(frozen=True)
class GroupFigures:
    """One ethnic group: its searches, its population, its rate and its ratio to the White rate."""

    group: EthnicGroup
    searches: int
    population: int
    rate: PerPopulation
    ratio_to_white: RatioToWhite


@dataclass(frozen=True)
class EthnicityFigures:
    """Searches of people by self-defined ethnic group (see the module docstring)."""

    groups: tuple[GroupFigures, ...]  # the five census groups, in census order
    not_stated: int  # blank or "Not stated"
    unrecognised: tuple[tuple[str, int], ...]  # labels of no known group, as written, with their searches
    vehicle_only: int  # not searches of people: in no group
    population: int  # the force area's population, all groups

    @property
    def stated(self) -> int:
        return sum(g.searches for g in self.groups)

    @property
    def person_searches(self) -> int:
        return self.stated + self.not_stated + sum(n for _, n in self.unrecognised)

    @property
    def not_stated_share(self) -> Share:
        return Share(self.not_stated, self.person_searches)

    @property
    def all_people(self) -> PerPopulation:
        """Every search of a person (stated or not) per 1,000 of the whole population."""
        return PerPopulation(self.person_searches, self.population)

    def group(self, group: EthnicGroup) -> GroupFigures:
        return next(g for g in self.groups if g.group == group)


@dataclass(frozen=True)
class StopSearchFigures:
    """A force's stop and search over ``period``: every month of it held (``months``)."""

    force_id: str
    force_name: str
    period: MonthRange
    months: tuple[Month, ...]
    load_ids: tuple[int, ...]
    outcomes: Outcomes
    ethnicity: EthnicityFigures
    census: Census
    source: str = SOURCE


# --- from the store -----------------------------------------------------------------------------

def held_months(store: Store, force_id: str) -> tuple[Month, ...]:
    """Every month the store holds a stop-and-search file of for the force, in order."""
    rows = store.con.execute(
        """SELECT DISTINCT month FROM load_members
           WHERE kind = ? AND force_id = ? AND superseded_by IS NULL AND month IS NOT NULL ORDER BY month""",
        [KIND, force_id]).fetchall()
    return tuple(Month.from_date(m) for (m,) in rows)


def stop_search_figures(store: Store, force_id: str, first: Month, last: Month, census: Census) -> StopSearchFigures:
    """The force's figures for ``first`` to ``last``: a ``MonthsNotHeld`` error when the store lacks
    any of those months, an ``UnknownForce`` for an unknown force, a ``UsageError`` for a force with
    no census population (BTP)."""
    name = force(force_id).name
    period = MonthRange(first, last)
    population = census.population(force_id)
    held = held_months(store, force_id)
    missing = [m for m in period.months() if m not in held]
    if missing:
        raise MonthsNotHeld(name, missing, held)
    tallies = _tallies(store, force_id, period)
    return StopSearchFigures(
        force_id=force_id, force_name=name, period=period, months=tuple(period.months()),
        load_ids=_load_ids(store, force_id, period), outcomes=outcomes_of(tallies),
        ethnicity=ethnicity_of(tallies, population.total, population.by_group), census=census)


Tally = tuple[bool, str, str, str]
"""(vehicle only, self-defined ethnicity, outcome, outcome linked to object), as stored, blanks as ""."""


def _tallies(store: Store, force_id: str, period: MonthRange) -> Counter[Tally]:
    rows = store.con.execute(
        """SELECT coalesce(lower(trim(type)) = ?, false), coalesce(trim(self_defined_ethnicity), ''),
                  coalesce(trim(outcome), ''), coalesce(lower(trim(outcome_linked_to_object)), ''), count(*)
           FROM police_uk_stop_search WHERE force_id = ? AND month BETWEEN ? AND ? GROUP BY ALL""",
        [VEHICLE_ONLY, force_id, period.first.first_day(), period.last.first_day()]).fetchall()
    return Counter({(bool(v), str(e), str(o), str(k)): int(n) for v, e, o, k, n in rows})


def _load_ids(store: Store, force_id: str, period: MonthRange) -> tuple[int, ...]:
    rows = store.con.execute(
        """SELECT DISTINCT load_id FROM load_members WHERE kind = ? AND force_id = ? AND superseded_by IS NULL
           AND month BETWEEN ? AND ? ORDER BY load_id""",
        [KIND, force_id, period.first.first_day(), period.last.first_day()]).fetchall()
    return tuple(int(i) for (i,) in rows)


def outcome_kind(outcome: str) -> str:
    """"arrest", "no_further_action", "not_recorded" or "other" (an outcome other than those)."""
    key = outcome.strip().casefold()
    if not key:
        return "not_recorded"
    if key in NO_FURTHER_ACTION:
        return "no_further_action"
    return "arrest" if key in ARREST else "other"


def outcomes_of(tallies: Mapping[Tally, int]) -> Outcomes:
    kinds: Counter[str] = Counter()
    linked: Counter[str] = Counter()
    for (_, _, outcome, link), n in tallies.items():
        kind = outcome_kind(outcome)
        kinds[kind] += n
        if kind in ("arrest", "other"):
            linked[link if link in ("true", "false") else ""] += n
    return Outcomes(searches=sum(tallies.values()), arrests=kinds["arrest"], other_outcomes=kinds["other"],
                    no_further_action=kinds["no_further_action"], not_recorded=kinds["not_recorded"],
                    linked=linked["true"], not_linked=linked["false"], linked_not_given=linked[""])


def ethnic_group(self_defined: str) -> EthnicGroup | None:
    """The census group of a self-defined ethnicity label; None for one not stated or of no known group
    (``is_not_stated`` tells the two apart)."""
    label = self_defined.strip().casefold()
    if is_not_stated(label):
        return None
    return SELF_DEFINED_GROUPS.get(label.split(" - ", 1)[0].strip())


def is_not_stated(self_defined: str) -> bool:
    """Blank, or a label whose last part is "Not stated" ("Other ethnic group - Not stated")."""
    label = self_defined.strip().casefold()
    return not label or label.rsplit(" - ", 1)[-1].strip() == NOT_STATED


def ethnicity_of(tallies: Mapping[Tally, int], population: int, by_group: Mapping[EthnicGroup, int]
                 ) -> EthnicityFigures:
    """Searches of people by group, with each group's rate per 1,000 and its ratio to White."""
    searches: Counter[EthnicGroup] = Counter()
    unrecognised: Counter[str] = Counter()
    not_stated = vehicle_only = 0
    for (vehicle, label, _, _), n in tallies.items():
        group = ethnic_group(label)
        if vehicle:
            vehicle_only += n
        elif group is not None:
            searches[group] += n
        elif is_not_stated(label):
            not_stated += n
        else:
            unrecognised[label] += n
    white = PerPopulation(searches["White"], by_group["White"])
    groups = tuple(GroupFigures(g, searches[g], by_group[g], rate, RatioToWhite(rate, white))
                   for g in GROUPS for rate in (PerPopulation(searches[g], by_group[g]),))
    return EthnicityFigures(groups, not_stated, tuple(sorted(unrecognised.items())), vehicle_only, population)


def months_text(months: Sequence[Month]) -> str:
    """Months as runs, for people: "Dec 2019 to Feb 2020, Jan 2022"."""
    runs: list[list[Month]] = []
    for m in sorted(months):
        if runs and runs[-1][-1] + 1 == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(MonthRange(r[0], r[-1]).label for r in runs)


__all__ = ["ARREST", "NO_FURTHER_ACTION", "SELF_DEFINED_GROUPS", "SOURCE", "EthnicityFigures", "GroupFigures",
           "MonthsNotHeld", "Outcomes", "PerPopulation", "RatioToWhite", "Share", "StopSearchFigures",
           "ethnic_group", "ethnicity_of", "held_months", "is_not_stated", "months_text", "outcome_kind",
           "outcomes_of", "stop_search_figures"]
