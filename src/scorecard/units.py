"""What a figure is measured in, and which way is better: defined once, used everywhere.

A published figure goes wrong quietly when its unit is guessed: a mean time to answer 101
calls of 30 seconds a month was summed to "360 seconds" for the year, and homicide per 1,000
people printed as 0.00 for every force.  So each unit says, here and nowhere else:

* how its figures **combine over time** by default (``aggregation``): counts and money are
  summed; a percentage is the ratio of its summed numerator and denominator; a duration or a
  score is the mean of its periods; a measure may override this in the catalogue (a stock
  such as a headcount at 31 March takes the ``latest`` value);
* whether a **change** is a percentage change or, for percentages, a change in points;
* how it is **shown**: decimal places, a symbol before ("£") or a word after ("seconds");
* for a rate, its **base** ("per 100,000 people").

The catalogue names a unit by its id (``count``, ``percentage``, ``pounds``, ``seconds``,
``rate_per_100000`` …); the local-series reader accepts the same ids; the formatting layer
(``scorecard.documents.format``) prints a value by its unit's rules.  Adding a unit is adding
one line to ``UNITS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Aggregation = Literal["sum", "mean", "ratio", "latest"]
"""How a measure's figures combine over a window: see the module docstring."""

AGGREGATIONS: tuple[Aggregation, ...] = get_args(Aggregation)

Direction = Literal["increase", "decrease", "neutral"]
"""Which way is better: "decrease" means lower is better; "neutral" is not judged."""

DIRECTIONS: tuple[Direction, ...] = get_args(Direction)

Kind = Literal["count", "percentage", "rate", "money", "duration", "score"]


@dataclass(frozen=True)
class Unit:
    """One unit of measurement and everything that follows from it."""

    id: str
    kind: Kind
    aggregation: Aggregation
    places: int  # decimal places a value is shown with (a count: 0; money: 2)
    prefix: str = ""  # "£"
    suffix: str = ""  # "%" (no space) or " seconds"
    singular_suffix: str = ""  # " second", for exactly one
    per: int | None = None  # a rate's base: 100000 is "per 100,000 people"
    label: str = ""  # the unit in words, for table headers and notes
    all_places: bool = False  # show every place even when the value is whole: £10.00 beside £11.67, 3.0 beside 0.7

    @property
    def additive(self) -> bool:
        """Whether values may be added up (over months, over areas): counts and money only."""
        return self.kind in ("count", "money")

    @property
    def change_in_points(self) -> bool:
        """A percentage changes by percentage points, not by a percentage of itself."""
        return self.kind == "percentage"

    @property
    def whole(self) -> bool:
        """A count is a whole number: never shown with a fraction, in a sentence or a table."""
        return self.kind == "count"


def _rate(per: int) -> Unit:
    return Unit(f"rate_per_{per}", "rate", "ratio", 2 if per <= 1000 else 1, per=per,
                label=f"per {per:,} people")


UNITS: dict[str, Unit] = {u.id: u for u in (
    Unit("count", "count", "sum", 0, label="number"),
    Unit("percentage", "percentage", "ratio", 1, suffix="%", label="%"),
    Unit("pounds", "money", "sum", 2, prefix="£", label="£"),
    Unit("pounds_and_pence", "money", "sum", 2, prefix="£", label="£", all_places=True),
    Unit("seconds", "duration", "mean", 0, suffix=" seconds", singular_suffix=" second", label="seconds"),
    Unit("minutes", "duration", "mean", 1, suffix=" minutes", singular_suffix=" minute", label="minutes"),
    Unit("hours", "duration", "mean", 1, suffix=" hours", singular_suffix=" hour", label="hours"),
    Unit("days", "duration", "mean", 1, suffix=" days", singular_suffix=" day", label="days"),
    Unit("score", "score", "mean", 1, label="score"),
    # A ratio of two rates, as the Home Office states disproportionality: "3.0", "0.7" (never "3").
    Unit("ratio", "score", "mean", 1, label="ratio", all_places=True),
    # Full-time equivalents of a workforce at a date: a stock (never summed over months), shown
    # whole as the Home Office's bulletins show it; a headcount is a ``count`` taken ``latest``.
    Unit("fte", "count", "latest", 0, label="full-time equivalents"),
    _rate(1000), _rate(100_000), _rate(1_000_000),
)}

#: Other spellings accepted where people type a unit (local series files).
UNIT_ALIASES: dict[str, str] = {
    "%": "percentage", "percent": "percentage", "number": "count", "£": "pounds", "gbp": "pounds",
    "money": "pounds", "secs": "seconds", "mins": "minutes",
    "per 1,000": "rate_per_1000", "per 100,000": "rate_per_100000", "per 1,000,000": "rate_per_1000000",
}

#: Population bases a count's rate may be shown per (``rate_per`` in the catalogue).
RATE_BASES: tuple[int, ...] = (1000, 100_000, 1_000_000)


def unit(unit_id: str) -> Unit:
    """The unit with this id (after aliases); ``KeyError`` for one nobody defined."""
    return UNITS[UNIT_ALIASES.get(unit_id.strip().lower(), unit_id)]


def rate_label(per: int) -> str:
    """ "per 1,000 people", "per million people"."""
    return "per million people" if per == 1_000_000 else f"per {per:,} people"
