"""The one formatting layer: every number, change, unit, period and status a reader sees.

A document model is built once and drawn by several renderers (HTML, Word, PDF, CSV/JSON, the
CLI).  If each renderer formatted its own figures, the Word paper would print "+5.5 points"
where the web page prints "–", or "76%" in a sentence beside "75.5%" in its table.  So the
document builders call this module when they build the model, every figure becomes a
``Cell`` — the unrounded value *and* the text as shown — and renderers print ``Cell.text``
and nothing else (CSV and JSON also carry ``Cell.value``).

The rules, each in one function:

* **Rounding** is half away from zero on the decimal figure (``scorecard.numbers``), once,
  here; a value that rounds to zero is shown as 0, never "-0" or "-0.0".
* **A figure** is shown by its unit (``scorecard.units``): counts as whole numbers with UK
  thousands commas ("28,675"; a count is never shown with a fraction — an average of
  counts is shown as "about 13"), percentages to one decimal place without a trailing ".0"
  ("73%", "75.5%"; one too small to show is "less than 0.1%", never "0%"), money in pounds
  and pence ("£1,250.50", whole pounds "£5,000"; in a column of pence, unit
  ``pounds_and_pence``, "£10.00"), durations with their word ("30 seconds"), rates with their
  base ("16.4 per million people"), a ratio of rates to one place ("3.0", "0.7").
* **A change** of a count, money, a duration or a rate is a percentage change, shown to one
  decimal place below 10% and as a whole number from 10% ("+1.9%", "−12%"; ``percent_places``,
  which the sentences use too), with a true minus sign; a change
  of a percentage is in percentage points, to one decimal place ("+3.0 pts").  A change
  whose base is zero has no percentage ("new").
* **Periods** are shown by their label ("YE Mar 2024", "2022-23 Q1", "Jan 2022 to Jun 2022").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from scorecard.numbers import round_half_away
from scorecard.periods import Period
from scorecard.units import UNITS, Unit, rate_label

MISSING = "–"  # an en dash: a figure the store does not hold
MINUS = "\u2212"


@dataclass(frozen=True)
class Cell:
    """One figure as a document shows it: the value kept unrounded, and its text."""

    value: float | None
    text: str
    unit: str = "text"  # a unit id from scorecard.units, "change_pct", "change_points", or "text"
    ref: str | None = None  # e.g. "burglary.value": which figure this is, for verify and check

    @property
    def missing(self) -> bool:
        return self.value is None and self.unit != "text"


def text(value: str, ref: str | None = None) -> Cell:
    """A cell of words (a measure's title, a source)."""
    return Cell(None, value, "text", ref)


def _round(value: float, places: int) -> float:
    rounded = round_half_away(value, places)
    return 0.0 if rounded == 0 else rounded


def _grouped(value: float, places: int) -> str:
    rounded = _round(value, places)
    return f"{rounded:,.{places}f}" if places else f"{int(rounded):,}"


def _trimmed(value: float, places: int) -> str:
    """To ``places`` decimals, dropping a trailing ".0" ("73", "75.5")."""
    shown = _grouped(value, places)
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return shown


def number_text(value: float, unit: Unit) -> str:
    """A value in its unit's style, without a missing-figure dash (see the module docstring)."""
    if unit.kind == "count":
        return _grouped(value, 0)
    if unit.kind == "percentage":
        if value > 0 and not _round(value, unit.places):  # 1 search in 9,631 is not "0%"
            return f"less than {_grouped(10 ** -unit.places, unit.places)}%"
        return f"{_trimmed(value, unit.places)}%"
    if unit.kind == "money":
        pounds = _round(value, 2)
        return f"£{_grouped(pounds, 2 if unit.all_places or pounds != int(pounds) else 0)}"
    if unit.kind == "rate":
        return f"{_trimmed(value, unit.places)} {rate_label(unit.per or 1000)}"
    if unit.kind == "duration":
        shown = _trimmed(value, unit.places)
        return f"{shown}{unit.singular_suffix if shown == '1' else unit.suffix}"
    return _grouped(value, unit.places) if unit.all_places else _trimmed(value, unit.places)


def figure(value: float | None, unit_id: str, ref: str | None = None) -> Cell:
    """A figure by its unit: "28,675", "73%", "£1,250.50", "30 seconds", "–" when not held."""
    if value is None:
        return Cell(None, MISSING, unit_id, ref)
    return Cell(value, number_text(value, UNITS[unit_id]), unit_id, ref)


def average_count(value: float | None, months: int, unit_id: str = "count", ref: str | None = None) -> Cell:
    """A count averaged to a shorter period ("about 13 a quarter"): never a fractional count."""
    if value is None:
        return Cell(None, MISSING, unit_id, ref)
    per = {1: "a month", 3: "a quarter", 6: "a half-year"}.get(months, f"per {months} months")
    shown = number_text(value, UNITS[unit_id])
    exact = _round(value, 0) == value
    return Cell(value, f"{'' if exact else 'about '}{shown} {per}", unit_id, ref)


def compared(value: float | None, unit_id: str, averaged_to: int | None, ref: str | None = None) -> Cell:
    """A figure compared with (a baseline): "about 4 a quarter" when the baseline year was averaged
    to a shorter window (``results.Figure.scaled_to_months``), else the figure itself.  Every place
    that shows a baseline shows it this way, so "4" never stands beside a change worked out from 3.75."""
    return average_count(value, averaged_to, unit_id, ref) if averaged_to else figure(value, unit_id, ref)


def change(value: float | None, base: float | None, unit_id: str, ref: str | None = None) -> Cell:
    """The change from ``base`` to ``value``: a % change ("+1.9%", "−34%") or, for a
    percentage, points ("+3.0 pts"); "–" when either figure is missing, "new" from zero."""
    unit = UNITS[unit_id]
    if value is None or base is None:
        return Cell(None, MISSING, "change_points" if unit.change_in_points else "change_pct", ref)
    if unit.change_in_points:
        points = float(Fraction(value) - Fraction(base))
        return Cell(points, f"{_signed(points, 1)} pts", "change_points", ref)
    if base == 0:
        return Cell(None, "new" if value else "no change", "change_pct", ref)
    pct = float((Fraction(value) - Fraction(base)) / abs(Fraction(base)) * 100)
    return Cell(pct, f"{_signed(pct, percent_places(pct))}%", "change_pct", ref)


#: A % change is shown to ``SMALL_PERCENT_PLACES`` decimals while, so rounded, it is below
#: ``WHOLE_PERCENT_FROM``, and as a whole percent from there (53 vs 52 is 1.9%; 46 vs 52 is
#: 12%; 9.96% shows as 10%, never 10.0%).  Seeds 001 and 004 state changes this way.
WHOLE_PERCENT_FROM = 10.0
SMALL_PERCENT_PLACES = 1


def percent_places(pct: float, *, whole_from: float = WHOLE_PERCENT_FROM,
                   small_places: int = SMALL_PERCENT_PLACES) -> int:
    """Decimal places for a % change, by the rule above."""
    return 0 if _round(abs(pct), small_places) >= whole_from else small_places


def _signed(value: float, places: int) -> str:
    rounded = _round(value, places)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    return f"{sign}{_grouped(abs(rounded), places)}"


def signed_percent(pct: float) -> str:
    """A % change with its sign, by the document rule: "+1.9%", "−34%", "0.0%"."""
    return f"{_signed(pct, percent_places(pct))}%"


def signed_number(value: float, unit: Unit) -> str:
    """A signed difference in a unit: "+4", "−1,250", "+3.0 pts" is ``change`` for percentages."""
    rounded = _round(value, 0 if unit.whole else unit.places)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else ""
    return f"{sign}{number_text(abs(value), unit)}"


def difference(value: float | None, unit_id: str, ref: str | None = None) -> Cell:
    """A difference in the unit's own terms, as council tax tables print a precept's change: a
    rise unsigned ("£10.00"), a fall with a true minus sign ("−£10.00"), never "£-10.00"."""
    if value is None:
        return Cell(None, MISSING, unit_id, ref)
    shown = number_text(abs(value), UNITS[unit_id])
    return Cell(value, f"{MINUS}{shown}" if _round(value, UNITS[unit_id].places) < 0 else shown, unit_id, ref)


def as_written(value: float | None, unit_id: str, places: int, ref: str | None = None) -> Cell:
    """A figure supplied in a table file, to the places its column was written with ("4%" beside
    "96%", "89.6%" beside "92.5%"): quoting it to another precision would claim what the
    supplier did not.  Counts and money keep their unit's rules ("1,139", "£3,605,815")."""
    unit = UNITS[unit_id]
    if value is None or unit.kind in ("count", "money"):
        return figure(value, unit_id, ref)
    shown = _grouped(value, places)
    return Cell(value, f"{unit.prefix}{shown}{'%' if unit.kind == 'percentage' else unit.suffix}", unit_id, ref)


def period(p: Period | None) -> Cell:
    """A period by its label ("YE Mar 2024"), for tables; sentences use its long label."""
    return Cell(None, MISSING if p is None else p.label, "text")


def count_of(n: int, singular: str, plural: str) -> str:
    """ "1 measure", "3 measures": a count with its noun."""
    return f"{n:,} {singular if n == 1 else plural}"


__all__ = ["MINUS", "MISSING", "SMALL_PERCENT_PLACES", "WHOLE_PERCENT_FROM", "Cell", "average_count", "change",
           "compared", "count_of", "difference", "figure", "number_text", "percent_places", "period",
           "signed_number", "signed_percent", "text"]


# --- the words for statuses and SPC results, written once -------------------------------------

VARIATION_WORDS: dict[str, str] = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high",
    "special_cause_neutral_low": "Special cause: unusually low",
}
"""What an SPC point or the latest point shows (Making Data Count)."""

VARIATION_SENTENCES: dict[str, str] = {
    "common_cause": "common cause variation only (no significant change)",
    "special_cause_improvement": "special cause variation: an improvement",
    "special_cause_concern": "special cause variation: a concern",
    "special_cause_neutral_high": "special cause variation: unusually high",
    "special_cause_neutral_low": "special cause variation: unusually low",
}

ASSURANCE_WORDS: dict[str, str] = {
    "consistent_pass": "Consistently meets target",
    "consistent_fail": "Consistently misses target",
    "inconsistent": "Hit and miss against target",
}

STATUS_WORDS: dict[str, str] = {
    "target_met": "Target met",
    "target_missed": "Target missed",
    "better_than_baseline": "Better than baseline",
    "worse_than_baseline": "Worse than baseline",
    "similar_to_baseline": "Similar to baseline",
    "no_comparison": "Not judged",
    "no_data": "No data",
}

DOCUMENT_STATUS_WORDS: dict[str, str] = {
    "draft": "DRAFT — not approved for publication",
    "submitted": "SUBMITTED FOR APPROVAL — not yet approved for publication",
    "approved": "Approved for publication",
}
