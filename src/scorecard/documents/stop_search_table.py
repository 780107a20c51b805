"""The annual report's stop-and-search tables, from the figures ``scorecard.stop_search`` works out.

Two tables, each built from a ``StopSearchFigures`` (no query runs here) and formatted by
``documents.format``, so every document and ``table-<id>.csv`` print the same text:

* ``outcomes_table`` — "Stop and search, <months>: searches, arrests and outcomes": the searches,
  and each outcome as a number and a percentage of what it is out of (the column says of what);
* ``ethnicity_table`` — "Stop and search by ethnic group, <months>: searches, per 1,000 people
  (Census 2011), ratio to White": each census group's searches, population, rate and ratio to the
  White rate, then the searches with no ethnicity stated and the total.

A rate per 1,000 people and a ratio between rates mean little without what they rest on, so the
notes say it every time: the months covered, that ethnicity is self-defined and why, how many
searches stated none, which census the population is from and that it has changed since, and the
Open Government Licence.
"""

from __future__ import annotations

from scorecard.census import EthnicGroup
from scorecard.documents import format as fmt
from scorecard.documents.model import Column, Row, Table
from scorecard.documents.statement import LICENCE
from scorecard.stop_search import Share, StopSearchFigures

OUTCOME_COLUMNS = (Column("Searches and outcomes"), Column("Number", numeric=True), Column("Out of", numeric=True),
                   Column("Percentage", numeric=True))


def ethnicity_columns(census_year: int) -> tuple[Column, ...]:
    return (Column("Ethnic group (self-defined)"), Column("Searches", numeric=True),
            Column(f"Population (Census {census_year})", numeric=True), Column("Rate", numeric=True),
            Column("Ratio to White", numeric=True))


def outcomes_table(figures: StopSearchFigures) -> Table:
    """Searches, arrests, the outcome rate, no further action and linked outcomes."""
    o = figures.outcomes
    rows = (
        Row((fmt.text("Searches"), _count(o.searches, "searches"), fmt.text("–"), fmt.text("–"))),
        _share_row("Arrests", o.arrest_rate, "arrests"),
        _share_row("Any outcome other than no further action (the outcome rate)", o.outcome_rate, "outcomes"),
        _share_row("No further action", o.no_further_action_rate, "no_further_action"),
        _share_row("No outcome recorded", o.not_recorded_rate, "not_recorded"),
        _share_row("Outcomes linked to the object of search", o.linked_rate, "linked"),
    )
    return Table(f"Stop and search, {figures.period.label}: searches, arrests and outcomes", OUTCOME_COLUMNS, rows,
                 _outcome_notes(figures), id="stop_search")


def _share_row(label: str, share: Share, key: str) -> Row:
    return Row((fmt.text(label), _count(share.count, key), fmt.figure(float(share.out_of), "count"),
                fmt.figure(share.percent, "percentage", f"stop_search.{key}_pct")))


def _count(n: int, key: str) -> fmt.Cell:
    return fmt.figure(float(n), "count", f"stop_search.{key}")


def _outcome_notes(figures: StopSearchFigures) -> tuple[str, ...]:
    o = figures.outcomes
    notes = [_source(figures),
             "The outcome rate is the share of all searches with any outcome other than no further action: an "
             "arrest, a summons, a caution, a community resolution, a warning or a penalty notice. Each percentage "
             "is of the number in its row's Out of column."]
    if o.not_recorded:
        notes.append(f"{fmt.count_of(o.not_recorded, 'search', 'searches')} had no outcome recorded: counted as "
                     "neither an outcome nor no further action.")
    notes.append(f"Outcomes linked to the object of search: of the {_n(o.linked + o.not_linked)} searches with an "
                 "outcome other than no further action for which the force recorded whether the outcome was linked "
                 "to what was searched for." + (f" It was not recorded for {_n(o.linked_not_given)}."
                                                if o.linked_not_given else ""))
    notes.append(LICENCE)
    return tuple(notes)


def ethnicity_table(figures: StopSearchFigures) -> Table:
    """Each census group's searches, population, rate per 1,000 and ratio to White; then not stated, total."""
    e, year = figures.ethnicity, figures.census.year
    rows = [Row((fmt.text(g.group), fmt.figure(float(g.searches), "count", _ref(g.group, "searches")),
                 fmt.figure(float(g.population), "count", _ref(g.group, "population")),
                 fmt.figure(g.rate.value, "rate_per_1000", _ref(g.group, "rate")),
                 _ratio(g.ratio_to_white.value, _ref(g.group, "ratio_to_white"))))
            for g in e.groups]
    rows.append(_searches_only("Not stated", e.not_stated, "stop_search.not_stated"))
    rows.extend(_searches_only(f"Not a census group: {label}", n, None) for label, n in e.unrecognised)
    rows.append(Row((fmt.text("All searches of people"), fmt.figure(float(e.person_searches), "count",
                                                                      "stop_search.person_searches"),
                     fmt.figure(float(e.population), "count", "stop_search.population"),
                     fmt.figure(e.all_people.value, "rate_per_1000", "stop_search.person_rate"), fmt.text("–")),
                    kind="total"))
    caption = (f"Stop and search by ethnic group, {figures.period.label}: searches, per 1,000 people "
               f"(Census {year}), ratio to White")
    return Table(caption, ethnicity_columns(year), tuple(rows), _ethnicity_notes(figures), id="stop_search_ethnicity")


def _searches_only(label: str, n: int, ref: str | None) -> Row:
    """A row of searches in no census group: it has no population, so no rate and no ratio."""
    return Row((fmt.text(label), fmt.figure(float(n), "count", ref), fmt.text("–"), fmt.text("–"), fmt.text("–")))


def _ref(group: EthnicGroup, what: str) -> str:
    return f"stop_search.{group.lower()}.{what}"


def _ratio(value: float | None, ref: str) -> fmt.Cell:
    """A ratio of rates to one place, as the Home Office states disproportionality ("3.0", "0.7")."""
    return fmt.figure(value, "ratio", ref)


def _ethnicity_notes(figures: StopSearchFigures) -> tuple[str, ...]:
    e, census = figures.ethnicity, figures.census
    notes = [_source(figures) + f" Population: {census.source}.",
             census.caveat,
             "Ethnic group is the ethnicity the person searched gave (self-defined), in the five census groups: the "
             "Home Office uses it, and the census counted people the same way. The officer's own view "
             "(officer-defined ethnicity) is not used: it is not the person's, and it has no Mixed group.",
             "Ratio to White: the group's searches per 1,000 people divided by the White rate (1 is the same rate, "
             "2 twice it)."]
    if e.not_stated:
        notes.append(f"{_n(e.not_stated)} of the {_n(e.person_searches)} searches of people "
                     f"({fmt.figure(e.not_stated_share.percent, 'percentage').text}) had no ethnicity stated: they "
                     "are in the total but in no group, so a group's rate may be understated.")
    if e.unrecognised:
        labels = "; ".join(f"{label!r}" for label, _ in e.unrecognised)
        notes.append(f"{_n(sum(n for _, n in e.unrecognised))} searches gave an ethnicity in no census group "
                     f"({labels}): in the total, in no group.")
    if any(g.ratio_to_white.value is None for g in e.groups):
        notes.append("A ratio is shown as – where the White rate or the group's population is zero.")
    if e.vehicle_only:
        notes.append(f"{fmt.count_of(e.vehicle_only, 'vehicle-only search is', 'vehicle-only searches are')} not "
                     "counted here: no person was searched.")
    notes.append(LICENCE)
    return tuple(notes)


def _source(figures: StopSearchFigures) -> str:
    n = len(figures.months)
    return (f"Source: {figures.source}, {figures.force_name}, {figures.period.long_label} "
            f"({fmt.count_of(n, 'month', 'months')}; the force's file for every month is held).")


def _n(n: int) -> str:
    return fmt.figure(float(n), "count").text


__all__ = ["OUTCOME_COLUMNS", "ethnicity_columns", "ethnicity_table", "outcomes_table"]
