"""Sentences that state figures the way the published statements do.

PCC statements quote a figure, the figure it is compared with, and the change between
them: "53 homicides, compared to 52 in the year ending June 2019 baseline, a 1.9%
increase" (seed 004, paragraph 5); "reduced to 19,018, a 34% reduction" (seed 001,
paragraph 20).  Readers compare these sentences across quarters and across forces, so
every sentence must round, format and word its figures by one written rule
(``docs/narrative.md``) rather than by whoever drafted it.  This module is that rule.

It is pure: plain numbers and :class:`~scorecard.periods.Period` objects in, ``str`` out.
Nothing here reads the store, so the wording can be tested against figures quoted in the
seeds without any data, and a report can reword a figure without recomputing it.

The factual wording never depends on whether a change is good or bad: "a 34% reduction"
is the same words for burglary (lower is better) and for drug-treatment referrals (higher
is better).  Whether a change is an improvement is a separate judgement
(:func:`judgement`), added only when asked for, so a reader can always tell fact from
assessment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, Protocol

from scorecard import units
from scorecard.documents import format as fmt
from scorecard.numbers import format_number, round_half_away
from scorecard.periods import (
    CalendarQuarter,
    CalendarYear,
    FinancialQuarter,
    FinancialYear,
    MonthPeriod,
    MonthRange,
    Period,
    RollingYear,
)

__all__ = [
    "DEFAULT_STYLE",
    "NOUNS",
    "Against",
    "ChangeAs",
    "Direction",
    "Form",
    "Judgement",
    "MeasureName",
    "NarrativeError",
    "NarrativeStyle",
    "Noun",
    "Unit",
    "also_sentence",
    "article",
    "change_phrase",
    "comparison_sentence",
    "exact_percent_change",
    "figure_sentence",
    "format_change_percent",
    "judgement",
    "judgement_sentence",
    "lookup_noun",
    "lower_first",
    "measure_subject",
    "percent_phrase",
    "percent_places",
    "period_phrase",
    "pluralise",
    "previous_period_sentence",
    "result_sentences",
    "spell_number",
    "statement_sentence",
    "with_article",
]

Unit = str
"""A unit id from ``scorecard.units`` ("count", "percentage", "seconds", "rate_per_100000" …)."""

Direction = Literal["increase", "decrease", "neutral"]
"""Which way is better, as in the catalogue: "decrease" means lower is better."""

Judgement = Literal["improvement", "deterioration", "stable"]
ChangeAs = Literal["percent", "difference", "both"]
Form = Literal["there_were", "recorded"]


class NarrativeError(ValueError):
    """A style or an input the sentence rules cannot honour."""


# --------------------------------------------------------------------------------- style


@dataclass(frozen=True)
class NarrativeStyle:
    """The house rules for stating a change, in one place so a force can vary them openly.

    The defaults reproduce every change the seed documents quote together with both of
    its figures (see ``docs/narrative.md`` and ``tests/golden/narrative``):

    * **Percent places.** A percentage change is shown to ``small_percent_places`` (1)
      decimal places while, rounded to that many places, it is below ``whole_percent_from``
      (10%), and as a whole percent from there up: 53 vs 52 is "1.9%", 46 vs 52 is "12%",
      19,018 vs 28,675 is "34%".  Deciding on the value rounded to one place means 9.96%
      shows as "10%", never "10.0%".
    * **Stable.** A change whose rounded absolute size is below ``stable_threshold_pct``
      (1.0%; for percentage measures ``stable_threshold_points``, 1.0 percentage point) is
      called ``stable_word`` and the change follows in brackets: "broadly unchanged (a
      0.4% reduction)".  Seed 001 paragraph 23 still calls a 1% fall a reduction, so the
      threshold is strict: 1.0% is a change.  Set it to 0 to never say "stable".
    * **Spelling.** A count that opens a sentence is written in words (seed 002: "Four
      offences were recorded …"), up to ``spell_up_to``; above that the sentence opens
      "A total of …".  Counts elsewhere are figures with UK thousands commas.
    * **Change as.** ``"percent"``: "a 34% reduction"; ``"difference"``: "a reduction of
      15" (seed 001 paragraph 9); ``"both"``: "a reduction of 15 (9.3%)".
    """

    whole_percent_from: float = 10.0
    small_percent_places: int = 1
    stable_threshold_pct: float = 1.0
    stable_threshold_points: float = 1.0
    points_places: int = 1
    percentage_value_places: int = 0
    other_value_places: int = 1
    stable_word: str = "broadly unchanged"
    rise_word: str = "increase"
    fall_word: str = "reduction"
    change_as: ChangeAs = "percent"
    spell_sentence_start: bool = True
    spell_up_to: int = 100

    def __post_init__(self) -> None:
        for name in ("small_percent_places", "points_places", "percentage_value_places", "other_value_places"):
            if not 0 <= getattr(self, name) <= 6:
                raise NarrativeError(f"{name} must be 0-6, got {getattr(self, name)}")
        for name in ("whole_percent_from", "stable_threshold_pct", "stable_threshold_points"):
            if getattr(self, name) < 0:
                raise NarrativeError(f"{name} must not be negative, got {getattr(self, name)}")
        if not 0 <= self.spell_up_to <= 999:
            raise NarrativeError(f"spell_up_to must be 0-999, got {self.spell_up_to}")
        if self.change_as not in ("percent", "difference", "both"):
            raise NarrativeError(f"change_as must be percent, difference or both, not {self.change_as!r}")
        for name in ("stable_word", "rise_word", "fall_word"):
            if not getattr(self, name).strip():
                raise NarrativeError(f"{name} must not be empty")


DEFAULT_STYLE = NarrativeStyle()


# --------------------------------------------------------------------------------- nouns


@dataclass(frozen=True)
class Noun:
    """What is being counted, with its plural spelt out.

    Plurals are stored, not derived, because the head noun is often not the last word
    ("offences of theft from the person", "stops and searches"), and because some crime
    names are uncountable and must be counted through a countable noun.
    """

    singular: str
    plural: str

    def form(self, n: float) -> str:
        return self.singular if n == 1 else self.plural


@dataclass(frozen=True)
class MeasureName:
    """A measure stated by name rather than counted with a noun: "The figure for … was 145".

    For counts whose title is not a countable noun ("Hospital admissions of under-25s
    for assault with a sharp object"), guessing a plural would print nonsense; naming the
    measure is always grammatical.
    """

    text: str


def _nouns(*pairs: tuple[str, str]) -> dict[str, Noun]:
    table: dict[str, Noun] = {}
    for singular, plural in pairs:
        noun = Noun(singular, plural)
        table[singular.lower()] = noun
        table.setdefault(plural.lower(), noun)
    return table


NOUNS: dict[str, Noun] = _nouns(
    ("homicide", "homicides"),
    ("drug-related homicide", "drug-related homicides"),
    ("offence", "offences"),
    ("crime", "crimes"),
    ("incident", "incidents"),
    ("burglary", "burglaries"),
    ("residential burglary", "residential burglaries"),
    ("robbery", "robberies"),
    ("personal robbery", "personal robberies"),
    ("theft", "thefts"),
    ("vehicle offence", "vehicle offences"),
    ("admission", "admissions"),
    ("hospital admission", "hospital admissions"),
    ("hospital episode", "hospital episodes"),
    ("episode", "episodes"),
    ("discharge", "discharges"),
    ("firearm discharge", "firearm discharges"),
    ("offence involving the discharge of a firearm", "offences involving the discharge of a firearm"),
    ("referral", "referrals"),
    ("referral into drug treatment", "referrals into drug treatment"),
    ("call", "calls"),
    ("999 call", "999 calls"),
    ("101 call", "101 calls"),
    ("report", "reports"),
    ("victim", "victims"),
    ("arrest", "arrests"),
    ("charge", "charges"),
    ("disruption", "disruptions"),
    ("warrant", "warrants"),
    ("recovery", "recoveries"),
    ("stop and search", "stops and searches"),
    ("county line", "county lines"),
    ("closure", "closures"),
    ("survey response", "survey responses"),
    ("hospital admission of a person under 25 for assault with a sharp object",
     "hospital admissions of people under 25 for assault with a sharp object"),
    ("recovery of a lethal barrelled firearm", "recoveries of lethal barrelled firearms"),
)
# Uncountable names, counted through a countable noun ("136 offences of theft from the
# person", never "136 theft from the persons").
for _name, _noun in {
    "theft from the person": Noun("offence of theft from the person", "offences of theft from the person"),
    "theft from person": Noun("offence of theft from the person", "offences of theft from the person"),
    "vehicle crime": Noun("vehicle offence", "vehicle offences"),
    "knife crime": Noun("knife crime offence", "knife crime offences"),
    "violence with injury": Noun("offence of violence with injury", "offences of violence with injury"),
    "possession of weapons": Noun("possession of weapons offence", "possession of weapons offences"),
    "fraud": Noun("fraud offence", "fraud offences"),
    "anti-social behaviour": Noun("anti-social behaviour incident", "anti-social behaviour incidents"),
}.items():
    NOUNS[_name] = _noun
    NOUNS.setdefault(_noun.singular.lower(), _noun)
    NOUNS.setdefault(_noun.plural.lower(), _noun)


_ES_ENDINGS = ("s", "x", "z", "ch", "sh")


def _regular_plural(word: str) -> str:
    """English regular plural of the last word, for nouns nobody put in the table."""
    head, _, last = word.rpartition(" ")
    low = last.lower()
    if len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
        last = last[:-1] + "ies"
    elif low.endswith(_ES_ENDINGS):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


def lookup_noun(name: str | Noun) -> Noun:
    """The table's noun for ``name`` (singular or plural, any case), else a regular plural.

    Falling back rather than failing keeps unforeseen local KPIs working; the fallback
    pluralises the last word, which is right for head-final names ("hospital admission")
    and wrong for "offence of …", so such names belong in :data:`NOUNS` or are passed as
    a :class:`Noun`.
    """
    if isinstance(name, Noun):
        return name
    key = " ".join(name.split()).lower()
    if not key:
        raise NarrativeError("a noun is needed to count something")
    if key in NOUNS:
        return NOUNS[key]
    singular = " ".join(name.split())
    return Noun(singular, _regular_plural(singular))


def pluralise(n: float, singular: str, plural: str | None = None) -> str:
    """The noun form for ``n`` things: singular only for exactly one.

    0, 1.5 and 2 all take the plural ("0 offences", "1.5 percentage points"), which is
    the usual English rule; 1.0 is one.  Returns the noun alone so that the caller keeps
    control of how ``n`` itself is written (figure, word or "no").
    """
    if plural is not None:
        return singular if n == 1 else plural
    return lookup_noun(singular).form(n)


# ------------------------------------------------------------------------------- numbers

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spell_number(n: int) -> str:
    """0-999 in words, British style ("one hundred and five", "fifty-three").

    Only needed for a count that opens a sentence; larger counts are recast instead
    ("A total of 1,229 …"), since a spelt-out 1,229 cannot be checked at a glance.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 999:
        raise NarrativeError(f"can only spell whole numbers 0-999, got {n!r}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {spell_number(rest)}" if rest else "")


def _round(value: float, places: int) -> float:
    """Round half away from zero, and never leave a negative zero to print as "-0.0"."""
    rounded = round_half_away(value, places)
    return 0.0 if rounded == 0 else rounded


def _fmt(value: float, places: int) -> str:
    return format_number(_round(value, places), places)


def article(text: str) -> str:
    """ "a" or "an" by how ``text`` is read aloud: "an 8.5%", "an 11%", "a 1.9%", "an increase".

    Figures are read in groups of three, so the first group decides: 8, 11, 18, 80-89
    and 800-899 start with a vowel sound ("an 18,000 …", "an 800% …").
    """
    first = text.lstrip()
    if first[:1].isdigit():
        integer = int(re.sub(r"[^\d,].*", "", first).replace(",", ""))
        while integer >= 1000:
            integer //= 1000
        vowel = integer in (8, 11, 18) or 80 <= integer <= 89 or 800 <= integer <= 899
        return "an" if vowel else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def with_article(text: str) -> str:
    return f"{article(text)} {text}"


def exact_percent_change(value: float, baseline: float) -> float | None:
    """The % change from ``baseline`` to ``value``, as the float nearest the exact ratio.

    Plain float arithmetic puts 17 vs 40 at -57.49999999999999%, which rounds to 57, not
    the 58 that half-away-from-zero on the true -57.5 gives; about 1 in 20 exact halves
    among small counts go wrong that way.  Working in fractions and converting once keeps
    the single rounding in :func:`scorecard.numbers.round_half_away` honest.  None when
    the baseline is 0, where a percentage does not exist.
    """
    if baseline == 0:
        return None
    exact = (Fraction(value) - Fraction(baseline)) / abs(Fraction(baseline)) * 100
    return float(exact)


def percent_places(pct: float, style: NarrativeStyle = DEFAULT_STYLE) -> int:
    """Decimal places for a % change under the style's one rule (``documents.format.percent_places``)."""
    return fmt.percent_places(pct, whole_from=style.whole_percent_from, small_places=style.small_percent_places)


def format_change_percent(pct: float, style: NarrativeStyle = DEFAULT_STYLE) -> str:
    """The size of a change, unsigned: "1.9%", "34%", "0.0%" for a change too small to show.

    Unsigned because the direction is always said in words ("a 34% reduction"), so a
    sign could only contradict them, and "-0.0%" cannot arise.
    """
    places = percent_places(pct, style)
    return f"{_fmt(abs(pct), places)}%"


# ---------------------------------------------------------------------------- change words


def _percent_core(pct: float, up: bool, style: NarrativeStyle) -> str:
    """ "a 1.9% increase", or "an increase of less than 0.1%" when it rounds to nothing."""
    word = style.rise_word if up else style.fall_word
    places = percent_places(pct, style)
    if _round(abs(pct), places) == 0:
        smallest = format_number(10.0 ** -places, places)
        return f"{with_article(word)} of less than {smallest}%"
    return f"{with_article(format_change_percent(pct, style))} {word}"


def _is_stable(rounded_size: float, threshold: float) -> bool:
    return rounded_size < threshold


def percent_phrase(pct: float | None, style: NarrativeStyle = DEFAULT_STYLE) -> str:
    """Words for a % change known only as a percentage, as when a seed quotes just "14%".

    Shares the rounding, the stable rule and the wording with :func:`change_phrase`, so a
    percentage quoted alone reads exactly as one worked out from two figures.
    """
    if pct is None:
        return "no change can be given"
    if pct == 0:
        return "no change"
    core = _percent_core(pct, pct > 0, style)
    rounded = _round(abs(pct), percent_places(pct, style))
    if _is_stable(rounded, style.stable_threshold_pct):
        return f"{style.stable_word} ({core})"
    return core


def _unit(unit: Unit) -> units.Unit:
    """The registry's unit for an id; an unknown id reads as a score (a plain number)."""
    try:
        return units.unit(unit)
    except KeyError:
        return units.UNITS["score"]


def _value_text(value: float, unit: Unit, style: NarrativeStyle) -> str:
    """A figure as printed in a sentence — the same text as in every table
    (``documents.format.number_text``): "28,675", "73%", "12.3 seconds", "£1,250.50"."""
    return fmt.number_text(value, _unit(unit))


def _points_phrase(value: float, baseline: float, style: NarrativeStyle) -> str:
    """Percentage measures change in points: 70% to 73% is up 3 points, not "a 4.3% increase"."""
    diff = float(Fraction(value) - Fraction(baseline))
    if diff == 0:
        return "no change"
    rounded = _round(abs(diff), style.points_places)
    way = "up" if diff > 0 else "down"
    if rounded == 0:
        smallest = format_number(10.0 ** -style.points_places, style.points_places)
        core = f"{way} by less than {smallest} percentage points"
    else:
        points = pluralise(rounded, "percentage point", "percentage points")
        core = f"{way} {format_number(rounded, style.points_places)} {points}"
    if _is_stable(rounded, style.stable_threshold_points):
        return f"{style.stable_word} ({core})"
    return core


def _difference_core(diff: float, unit: Unit, style: NarrativeStyle) -> str:
    word = style.rise_word if diff > 0 else style.fall_word
    return f"{with_article(word)} of {_value_text(abs(diff), unit, style)}"


def change_phrase(
    value: float | None,
    baseline: float | None,
    *,
    direction: Direction = "neutral",
    unit: Unit = "count",
    judge: bool = False,
    style: NarrativeStyle = DEFAULT_STYLE,
) -> str:
    """The change from ``baseline`` to ``value`` in neutral words: "a 1.9% increase".

    Also "a 34% reduction", "broadly unchanged (a 0.4% reduction)", "no change", "up from
    none" (a baseline of 0 has no percentage), "up 3.0 percentage points" for percentage
    measures.  ``direction`` (which way is better) is used only when ``judge`` is set, to
    append "(an improvement)" or "(a deterioration)"; the wording of the change itself
    never depends on it.
    """
    if value is None or baseline is None:
        return "no change can be given"
    if _unit(unit).change_in_points:
        words = _points_phrase(value, baseline, style)
    else:
        words = _count_change(value, baseline, unit, style)
    if judge:
        verdict = judgement(value, baseline, direction=direction, unit=unit, style=style)
        if verdict in ("improvement", "deterioration"):
            words += f" ({with_article(verdict)})"
    return words


def _count_change(value: float, baseline: float, unit: Unit, style: NarrativeStyle) -> str:
    diff = float(Fraction(value) - Fraction(baseline))
    if diff == 0:
        return "no change"
    pct = exact_percent_change(value, baseline)
    if pct is None:
        from_none = f"{'up' if diff > 0 else 'down'} from {'none' if _unit(unit).whole else 'zero'}"
        if style.change_as == "percent":
            return from_none
        difference = _difference_core(diff, unit, style)
        return difference if style.change_as == "difference" else f"{difference} ({from_none})"
    rounded = _round(abs(pct), percent_places(pct, style))
    stable = _is_stable(rounded, style.stable_threshold_pct)
    if style.change_as == "percent":
        core = _percent_core(pct, diff > 0, style)
    elif style.change_as == "difference":
        core = _difference_core(diff, unit, style)
    else:
        size = format_change_percent(pct, style)
        if rounded == 0:
            size = f"less than {format_number(10.0 ** -percent_places(pct, style), percent_places(pct, style))}%"
        # Inside the stable brackets the percentage follows a comma, not nested brackets.
        core = f"{_difference_core(diff, unit, style)}{', ' if stable else ' ('}{size}{'' if stable else ')'}"
    return f"{style.stable_word} ({core})" if stable else core


# ----------------------------------------------------------------------------- judgement


def judgement(
    value: float | None,
    baseline: float | None,
    *,
    direction: Direction,
    unit: Unit = "count",
    style: NarrativeStyle = DEFAULT_STYLE,
) -> Judgement | None:
    """Whether the change is an improvement, by the measure's better direction.

    Kept apart from :func:`change_phrase` so that the factual sentence reads the same for
    every measure and the assessment is a visible, optional addition.  "stable" follows
    the same threshold as the wording, so a change never reads "broadly unchanged" and
    "an improvement" at once.  None when either figure is missing or the measure has no
    better direction.
    """
    if value is None or baseline is None or direction == "neutral":
        return None
    diff = Fraction(value) - Fraction(baseline)
    if diff == 0:
        return "stable"
    if _unit(unit).change_in_points:
        if _is_stable(_round(abs(float(diff)), style.points_places), style.stable_threshold_points):
            return "stable"
    else:
        pct = exact_percent_change(value, baseline)
        if pct is not None and _is_stable(_round(abs(pct), percent_places(pct, style)), style.stable_threshold_pct):
            return "stable"
    better = (diff > 0) == (direction == "increase")
    return "improvement" if better else "deterioration"


def judgement_sentence(verdict: Judgement | None, against: str) -> str:
    """ "This is an improvement on the baseline." or "" when stable or not judged.

    A sentence of its own, after the facts, so the assessment can be dropped or reworded
    without touching the figures.
    """
    if verdict not in ("improvement", "deterioration"):
        return ""
    return f"This is {with_article(verdict)} on {against}."


# ------------------------------------------------------------------------------- periods


def _period_name(period: Period) -> str:
    if isinstance(period, CalendarQuarter):
        return f"{period.label} ({period.long_label})"
    return period.long_label


def _multi_month_range(period: Period) -> bool:
    return isinstance(period, MonthRange) and period.start != period.end


def period_phrase(period: Period) -> str:
    """The period with its preposition: "from April 2021 to March 2022", "in the year ending June 2019"."""
    return f"{'from' if _multi_month_range(period) else 'in'} {_period_name(period)}"


def _strip_the(text: str) -> str:
    return text[4:] if text.startswith("the ") else text


def _baseline_name(period: Period) -> str:
    return f"the {_strip_the(_period_name(period))} baseline"


def _previous_name(previous: Period, current: Period) -> tuple[str, str]:
    """(preposition, name) for the period compared with "last time"."""
    try:
        is_previous = previous == current.previous()
    except ValueError:
        is_previous = False
    if is_previous:
        if isinstance(previous, FinancialQuarter | CalendarQuarter):
            return "in", f"the previous quarter ({previous.label})"
        if isinstance(previous, MonthPeriod) or (isinstance(previous, MonthRange) and previous.n_months == 1):
            return "in", f"the previous month ({previous.long_label})"
        if isinstance(previous, FinancialYear):
            return "in", f"the previous financial year ({previous.label})"
        if isinstance(previous, CalendarYear):
            return "in", f"the previous calendar year ({previous.label})"
        if isinstance(previous, RollingYear):
            return "in", f"{previous.long_label} (the previous quarterly statement)"
        if isinstance(previous, MonthRange):
            return "in", f"the previous {previous.n_months} months ({previous.long_label})"
    if _multi_month_range(previous):
        return "from", _period_name(previous)
    return "in", _period_name(previous)


# ----------------------------------------------------------------------------- sentences


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_whole(value: float) -> bool:
    return float(value).is_integer()


def _figure_clause(
    subject: str | Noun | MeasureName, value: float, period: Period, unit: Unit, form: Form, style: NarrativeStyle,
    *, when: str | None = None,
) -> str:
    """The opening clause that states the figure for ``period`` (or ``when``: "in the same
    period"), without a full stop."""
    when = when or period_phrase(period)
    if isinstance(subject, MeasureName):
        lead = "The figure for " + lower_first(subject.text) if _unit(unit).whole else _cap(subject.text)
        return f"{lead} was {_value_text(value, unit, style)} {when}"
    if not _unit(unit).whole:
        name = subject.plural if isinstance(subject, Noun) else subject
        return f"{_cap(name)} was {_value_text(value, unit, style)} {when}"
    noun = lookup_noun(subject)
    word = noun.form(value)
    verb = "was" if value == 1 else "were"
    if value == 0:
        if form == "there_were":
            return f"There were no {noun.plural} {when}"
        return f"No {noun.plural} were recorded {when}"
    figure = _value_text(value, unit, style)
    if form == "there_were":
        return f"There {verb} {figure} {word} {when}"
    if not style.spell_sentence_start:
        return f"{figure} {word} {verb} recorded {when}"
    if _is_whole(value) and 0 < value <= style.spell_up_to:
        return f"{_cap(spell_number(int(value)))} {word} {verb} recorded {when}"
    return f"A total of {figure} {word} {verb} recorded {when}"


def lower_first(text: str) -> str:
    """Lower-case a title's first letter, unless it starts a proper name ("Action Fraud")."""
    words = text.split()
    if len(words) > 1 and words[1][:1].isupper():
        return text
    if words and words[0][1:2].isupper():  # an acronym such as "ASB"
        return text
    return text[:1].lower() + text[1:]


def _missing_subject(subject: str | Noun | MeasureName, unit: Unit) -> str:
    if isinstance(subject, MeasureName):
        return lower_first(subject.text)
    if _unit(unit).whole:
        return lookup_noun(subject).plural
    return subject.plural if isinstance(subject, Noun) else subject


def figure_sentence(
    subject: str | Noun | MeasureName,
    value: float | None,
    period: Period,
    *,
    unit: Unit = "count",
    form: Form = "there_were",
    style: NarrativeStyle = DEFAULT_STYLE,
) -> str:
    """One figure, no comparison: "One drug-related homicide was recorded in 2022-23 Q1 (…)."

    ``subject`` is a countable noun for counts (looked up in :data:`NOUNS`) and the
    measure's name for other units ("satisfaction of domestic abuse victims was 73% …").
    A missing figure is said to be missing, never shown as 0.
    """
    if value is None:
        return f"No figure is available for {_missing_subject(subject, unit)} {period_phrase(period)}."
    return f"{_figure_clause(subject, value, period, unit, form, style)}."


def _per(months: int | None) -> str:
    return {1: "a month", 3: "a quarter", 12: "a year"}.get(months or 0, f"per {months} months")


def _compare(
    subject: str | Noun | MeasureName,
    value: float | None,
    period: Period,
    other_value: float | None,
    other: tuple[str, str, str],
    *,
    unit: Unit,
    direction: Direction,
    judge: bool,
    form: Form,
    style: NarrativeStyle,
    averaged_to: int | None = None,
) -> str:
    prep, name, against = other

    def other_text(v: float) -> str:
        if averaged_to:  # never a fractional count in prose: "an average of about 8,084 a quarter"
            return f"an average of {fmt.average_count(v, averaged_to, _unit(unit).id).text}"
        return _value_text(v, unit, style)

    when = period_phrase(period)
    what = _missing_subject(subject, unit)
    if value is None and other_value is None:
        return f"No figures are available for {what} {when} or {prep} {name}."
    if value is None:
        assert other_value is not None
        return (f"No figure is available for {what} {when}, so it cannot be compared with "
                f"{other_text(other_value)} {prep} {name}.")
    clause = _figure_clause(subject, value, period, unit, form, style)
    if other_value is None:
        return f"{clause}. No figure is available for {name}, so no change can be given."
    change = change_phrase(value, other_value, unit=unit, style=style)
    sentence = f"{clause}, compared with {other_text(other_value)} {prep} {name}, {change}."
    if judge:
        verdict = judgement(value, other_value, direction=direction, unit=unit, style=style)
        extra = judgement_sentence(verdict, against)
        if extra:
            sentence += f" {extra}"
    return sentence


def comparison_sentence(
    subject: str | Noun | MeasureName,
    value: float | None,
    period: Period,
    baseline_value: float | None,
    baseline_period: Period,
    *,
    unit: Unit = "count",
    direction: Direction = "neutral",
    judge: bool = False,
    form: Form = "there_were",
    style: NarrativeStyle = DEFAULT_STYLE,
    baseline_averaged_to: int | None = None,
) -> str:
    """A figure against the baseline, as the statements state it.

    "There were 53 homicides from April 2021 to March 2022, compared with 52 in the year
    ending June 2019 baseline, a 1.9% increase."  "compared with" rather than the seeds'
    "compared to" because the sentence contrasts two figures (UK usage).  With ``judge``
    a separate sentence says whether this is an improvement, so the fact stays neutral.

    ``baseline_averaged_to`` says that ``baseline_value`` is the baseline year averaged
    to that many months (a quarter against a quarter of the baseline year, see
    ``scorecard.results``); the sentence then says "an average of 2,169.8 a quarter", so
    nobody mistakes a quarter's share for the year's total.
    """
    other = ("in", _baseline_name(baseline_period), "the baseline")
    averaged = baseline_averaged_to if baseline_averaged_to != baseline_period.n_months else None
    return _compare(subject, value, period, baseline_value, other, unit=unit, direction=direction,
                    judge=judge, form=form, style=style, averaged_to=averaged)


def previous_period_sentence(
    subject: str | Noun | MeasureName,
    value: float | None,
    period: Period,
    previous_value: float | None,
    previous_period: Period | None = None,
    *,
    unit: Unit = "count",
    direction: Direction = "neutral",
    judge: bool = False,
    form: Form = "there_were",
    style: NarrativeStyle = DEFAULT_STYLE,
) -> str:
    """A figure against the period before: "…, compared with 6 in the previous quarter (2021-22 Q4), …".

    ``previous_period`` defaults to ``period.previous()`` (a quarter back for a rolling
    year, as statements are refreshed quarterly).  Naming it "the previous quarter" only
    when it really is the one before keeps a hand-picked comparison from reading as
    consecutive.
    """
    prev = period.previous() if previous_period is None else previous_period
    prep, name = _previous_name(prev, period)
    # The judgement names the period without the bracketed label the figure already gave.
    other = (prep, name, re.sub(r" \(.*\)$", "", name))
    return _compare(subject, value, period, previous_value, other,
                    unit=unit, direction=direction, judge=judge, form=form, style=style)


# ------------------------------------------------------------------------ results adapter


class _FigureLike(Protocol):
    @property
    def period(self) -> Period: ...
    @property
    def value(self) -> float | None: ...
    @property
    def scaled_to_months(self) -> int | None: ...


class _MeasureLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def unit(self) -> str: ...


class _ResultLike(Protocol):
    @property
    def measure(self) -> _MeasureLike: ...
    @property
    def figures(self) -> Mapping[Any, _FigureLike]: ...


def measure_subject(title: str, unit: str = "count") -> Noun | MeasureName:
    """How a catalogue measure is named in a sentence.

    A count whose title, less any bracketed qualifier ("Burglary (all)", "Robbery
    (police.uk)"), is in :data:`NOUNS` is counted with that noun: "There were 19,018
    burglaries".  Anything else is named: "The figure for hospital admissions of under-25s
    … was 145" — a plural is never guessed from a title.
    """
    if _unit(unit).whole:
        core = " ".join(re.sub(r"\([^)]*\)", " ", title).split()).lower()
        if core in NOUNS:
            return NOUNS[core]
    return MeasureName(title)


def result_sentences(result: _ResultLike, style: NarrativeStyle = DEFAULT_STYLE) -> list[str]:
    """The statement sentence for one ``scorecard.results.Result``: the figure against the baseline.

    Duck-typed on the result's fields so this module stays free of the store.  No
    judgement is added: a report shows its scorecard status (with its own threshold)
    beside the sentence, and two verdicts by two rules would contradict each other.
    Falls back to the previous period when the result has no baseline figure at all.
    """
    measure, figures = result.measure, result.figures
    unit: Unit = measure.unit
    subject = measure_subject(measure.title, unit)
    current = figures["current"]
    if "baseline" in figures:
        base = figures["baseline"]
        return [comparison_sentence(subject, current.value, current.period, base.value, base.period,
                                    unit=unit, style=style, baseline_averaged_to=base.scaled_to_months)]
    if "previous" in figures:
        prev = figures["previous"]
        return [previous_period_sentence(subject, current.value, current.period, prev.value, prev.period,
                                         unit=unit, style=style)]
    return [figure_sentence(subject, current.value, current.period, unit=unit, style=style)]



# ------------------------------------------------------------------------ statement sentences


@dataclass(frozen=True)
class Against:
    """One figure a statement compares the current one with."""

    kind: Literal["baseline", "year_before", "previous_quarter"]
    value: float | None
    period: Period
    averaged_to: int | None = None  # the baseline year averaged to this many months


def _against_name(a: Against) -> str:
    """ "the year before (year ending March 2023)"; a quarter by its label ("2021-22 Q4")."""
    named = a.period.label if isinstance(a.period, FinancialQuarter | CalendarQuarter) else \
        _strip_the(_period_name(a.period))
    what = {"baseline": "the national baseline", "year_before": "the year before",
            "previous_quarter": "the previous quarter"}[a.kind]
    return f"{what} ({named})"


def _against_phrase(value: float, a: Against, unit: Unit, style: NarrativeStyle) -> str:
    """ "a 15% reduction on the national baseline (the year ending June 2019: 52)"."""
    assert a.value is not None
    if a.averaged_to:
        other = f"{fmt.average_count(a.value, a.averaged_to, _unit(unit).id).text} on average"
    else:
        other = _value_text(a.value, unit, style)
    words = change_phrase(value, a.value, unit=unit, style=style)
    if a.kind == "previous_quarter" and _one_month(a.period):
        # A month's figure against the month a quarter before it (seed 004: "February recorded
        # 2,836 ... November 2,738"): "the previous quarter" would misname a single month.
        return f"{words} on {_strip_the(_period_name(a.period))} ({other}, three months earlier)"
    name = _against_name(a)
    return f"{words} on {name[:-1]}: {other})"


def _one_month(period: Period) -> bool:
    return isinstance(period, MonthPeriod) or (isinstance(period, MonthRange) and period.n_months == 1)


def statement_sentence(
    subject: Noun | MeasureName,
    value: float | None,
    period: Period,
    against: tuple[Against, ...],
    *,
    unit: Unit = "count",
    source: str | None = None,
    phrase: str | None = None,
    style: NarrativeStyle = DEFAULT_STYLE,
) -> str:
    """A statement's sentence for one measure: the figure for its window, then each comparison
    the statement makes, each naming its own window.

    "There were 7,500 drug offences in the year ending March 2024, a 6.2% reduction on the year
    before (the year ending March 2023: 7,993) and a 44% increase on the national baseline (the
    year ending June 2019: 5,205)."  ``source`` names where the figure comes from when a priority
    quotes two sources for the same thing: "According to force homicide records, there were …".  ``phrase`` is
    the catalogue's wording for the figure, with ``{value}`` and ``{period}`` ("{value} of calls
    to 999 were answered within 10 seconds {period}").  Comparisons whose figure is not held are
    left out, and said to be.
    """
    when = period_phrase(period)
    if value is None:
        return f"No figure is held for {_missing_subject(subject, unit)} {when}."
    if phrase:
        clause = _cap(phrase.format(value=_value_text(value, unit, style), period=when))
    else:
        clause = _figure_clause(subject, value, period, unit, "there_were", style)
    if source:  # "According to Home Office police recorded crime, there were 5 homicides …"
        clause = f"According to {_source_in_sentence(source)}, {lower_first(clause)}"
    held = [a for a in against if a.value is not None]
    missing = [a for a in against if a.value is None]
    parts = [_against_phrase(value, a, unit, style) for a in held]
    sentence = f"{clause}, {' and '.join(parts)}." if parts else f"{clause}."
    if missing and parts:
        sentence += f" No figure is held for {' or '.join(_against_name(a) for a in missing)}."
    elif missing:
        sentence += " No earlier figure is held to compare it with."
    return sentence


def also_sentence(
    subject: Noun | MeasureName,
    value: float | None,
    period: Period,
    lead_period: Period | None,
    *,
    unit: Unit = "count",
    source: str,
    style: NarrativeStyle = DEFAULT_STYLE,
) -> str:
    """The second source for the same thing, said as such: "According to Home Office police
    recorded crime, there were 44 homicides in the same period." (or in its own period, named)."""
    named = _source_in_sentence(source)
    if value is None:
        return f"According to {named}, no figure is held {period_phrase(period)}."
    when = "in the same period" if lead_period == period else None
    clause = _figure_clause(subject, value, period, unit, "there_were", style, when=when)
    return f"According to {named}, {lower_first(clause)}."


def _source_in_sentence(source: str) -> str:
    """A source's name inside a sentence: "Force homicide records" → "force homicide records",
    while a name that is a proper noun keeps its capitals ("Home Office …", "NHS …")."""
    words = source.split()
    if len(words) > 1 and words[0][1:].islower() and words[1][:1].islower():
        return source[:1].lower() + source[1:]
    return source
