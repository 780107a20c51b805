"""A document's figure against the store's figure for the same measure, area and period.

Three answers, each with the store's value, its source and its loads: it agrees (the store's
value rounds to the figure as written); it differs within revision tolerance (published
figures are revised after publication, see ``Tolerance``); or it contradicts.  And where the
store cannot answer, "not checkable" with the reason: no period stated, a force-held figure the
store does not hold, months missing from the period asked for.

When a figure contradicts the store for the period the text gives, the twelve-month periods
around it are tried too: a figure that fits another period exactly (a financial year's figure
in a paragraph about a rolling year) is the likelier mistake, and saying so gives the reader
something to verify.  The search never turns a contradiction into agreement; it only explains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Protocol

from scorecard.areas import force
from scorecard.claims.mentions import Against, MeasureClaim
from scorecard.claims.model import Claim, StoreValue, Tolerance, Verdict
from scorecard.claims.stated import plain, show, to_decimal
from scorecard.documents import format as fmt
from scorecard.narrative import lower_first, with_article
from scorecard.periods import FinancialYear, Period, RollingYear
from scorecard.results import Figure, Result, Role
from scorecard.sub_areas import SubArea

_ROLE: dict[Against, Role] = {"baseline": "baseline", "previous year": "same_period_last_year",
                              "previous quarter": "previous"}


class Figures(Protocol):
    """The store's results, asked one measure, area and period at a time."""

    def result(self, measure_id: str, force_id: str, sub_area: SubArea | None, period: Period) -> Result | None: ...

    def source(self, result: Result) -> str: ...


def check(mc: MeasureClaim, figures: Figures, tolerance: Tolerance, file: str) -> Claim:
    """The verdict on one figure a sentence states, and why, in sentences: what the store gives,
    how that compares with the figure as written, and how the claim was read (the measure, the
    area and the period, and where in the text each came from)."""
    def out(verdict: Verdict, why: str, store: StoreValue | None = None) -> Claim:
        stop = "" if why.endswith((".", "?")) else "."
        return Claim(file, mc.para.number, mc.para.line_at(mc.offset), mc.sentence.strip()[:400],
                     f"{mc.kind} against the data", verdict,
                     f"“{_claimed(mc)}”: {why}{stop} {_read_as(mc, store.measure if store else None)}",
                     page=mc.para.page, section=mc.para.section, store=store,
                     span=(mc.offset + mc.at, mc.offset + mc.at + max(1, len(mc.words))))

    if mc.period is None:
        return out("not checkable", "No period is stated for it, and the document does not say what period it "
                                    "covers")
    if mc.force_id is None:
        return out("not checkable", "No area is named, and the document does not say which force it is about")
    held, reason, partial = _held(mc, figures)
    if not held:
        fits = _fits_elsewhere(mc, figures, partial) if partial else ""
        return out("not checkable", f"{_sentence(reason)}{fits}")
    if mc.kind == "change":
        # Of the measures a shared name may mean, the one the change holds for, else the likeliest.
        verdicts = [_change(mc, r, tolerance, out, _store_value(mc, r, figures), figures) for r in held]
        return next((c for c in verdicts if c.verdict == "agrees"), verdicts[0])
    if mc.kind == "rate":
        return _rate(mc, held[0], tolerance, out, figures)
    result, others = _pick(mc, held)
    store = _store_value(mc, result, figures)
    exact = to_decimal(result.current.value or 0.0)
    verdict = _verdict(mc.stated.holds_for(exact), abs(exact - mc.stated.value), exact, tolerance,
                       percent=mc.kind == "percentage")
    why = f"The store gives {store.value}"
    if verdict == "agrees":
        why += ", as written"
    else:
        why += f", {_diff(mc, exact)}"
        why += (f": within {tolerance.describe_short(mc.kind)}" if verdict == "differs within tolerance"
                else _fits_elsewhere(mc, figures, result.measure.id))
    return out(verdict, why + others, store)


def _rate(mc: MeasureClaim, result: Result, tolerance: Tolerance, out: Out, figures: Figures) -> Claim:
    """A rate per so many people: the store's count over the area's population (the mid-year
    estimate the store holds for the period's year), to the places the document wrote."""
    assert mc.rate_base is not None
    if not result.population or result.current.value is None:
        return out("not checkable", f"The store holds no population for {result.area.name} to make a rate with")
    exact = to_decimal(result.current.value) / to_decimal(result.population) * mc.rate_base
    per = f"per {mc.rate_base:,}" if mc.rate_base != 1_000_000 else "per million"
    value = f"{show(exact, mc.stated.places + 1)} {per}"
    store = StoreValue(result.measure.title, result.area.name, result.current.period.label, value,
                       figures.source(result), result.load_ids, mc.period_from)
    allowed = abs(exact) * tolerance.relative_pct / 100
    gap = abs(exact - mc.stated.value)
    counted = (f"The store's {fmt.figure(result.current.value, result.measure.unit).text} over "
               f"{result.population:,.0f} people ({result.population_year} estimate) is {value}")
    if mc.stated.holds_for(exact):
        return out("agrees", f"{counted}, which is the {mc.stated.text} written", store)
    if gap <= allowed:
        return out("differs within tolerance", f"{counted}, not the {mc.stated.text} written, but within "
                                               f"{tolerance.describe_short('rate')}", store)
    return out("contradicts", f"{counted}, not the {mc.stated.text} written", store)


def _claimed(mc: MeasureClaim) -> str:
    """The figure checked, as the sentence states it: "46 homicides", "12% fall"."""
    if mc.words:
        return mc.words
    if mc.kind == "change":
        return _stated_change(mc)
    if mc.kind == "rate":
        base = "million" if mc.rate_base == 1_000_000 else f"{mc.rate_base:,}"
        return f"{mc.stated.text} per {base}"
    value = f"{mc.stated.text}{'%' if mc.kind == 'percentage' else ''}"
    return f"{mc.named}: {value}" if mc.para.table else f"{value} {mc.named}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _held(mc: MeasureClaim, figures: Figures) -> tuple[list[Result], str, str | None]:
    """The results of the measures the name may mean that the store holds for the whole period,
    in order of likelihood; else why none, and the measure it holds only part of the period of."""
    assert mc.period is not None and mc.force_id is not None
    reasons: list[str] = []
    partial: str | None = None
    held: list[Result] = []
    for measure in mc.measures:
        result = figures.result(measure.id, mc.force_id, mc.sub_area, mc.period)
        if result is None:
            where = mc.sub_area.name if mc.sub_area else "this force"
            reasons.append(f"the store holds no {measure.title.lower()} for {where}"
                           + (" (a force-held figure it has not been given)" if measure.dataset == "local_series"
                              else ""))
            continue
        current = result.current
        if current.status != "complete" or current.value is None:
            reasons.append(_partly(measure.title, current))
            partial = partial or measure.id
            continue
        if mc.kind == "change" and mc.against is not None:
            other = result.figures[_ROLE[mc.against]]
            if other.status != "complete" or other.value is None:
                reasons.append(f"{measure.title}: {other.note}")
                continue
        held.append(result)
    return held, "" if held else (reasons[0] if reasons else "the store holds nothing for it"), partial


def _partly(title: str, figure: Figure) -> str:
    """Why the store cannot give a figure for the period: "the store holds 9 of the 12 months of
    Nov 2020 to Oct 2021 for violence with injury"."""
    name = lower_first(title)
    if figure.status == "incomplete" and not figure.note_override:
        return (f"the store holds {figure.months_covered} of the {figure.period.n_months} months of "
                f"{figure.period.label} for {name}")
    return f"for {name}, {figure.note}"


def _pick(mc: MeasureClaim, held: list[Result]) -> tuple[Result, str]:
    """Of the measures a shared name may mean ("homicides": the Home Office's count and the
    force's own records), the one whose figure the document's agrees with, else the likeliest;
    and what the others give, so the reader sees both."""
    if mc.kind == "change" or len(held) == 1:
        return held[0], ""
    agreeing = [r for r in held if mc.stated.holds_for(to_decimal(r.current.value or 0.0))]
    chosen = agreeing[0] if agreeing else held[0]
    others = "; ".join(f"{r.measure.source_text} gives {fmt.figure(r.current.value, r.measure.unit).text}"
                       for r in held if r is not chosen)
    return chosen, f". {_sentence(others)}" if others else ""


def _verdict(holds: bool, diff: Decimal, exact: Decimal, tolerance: Tolerance, *, percent: bool) -> Verdict:
    if holds:
        return "agrees"
    allowed = tolerance.points if percent else max(tolerance.absolute, abs(exact) * tolerance.relative_pct / 100)
    return "differs within tolerance" if diff <= allowed else "contradicts"


Out = Callable[..., Claim]


def _change(mc: MeasureClaim, result: Result, tolerance: Tolerance, out: Out, store: StoreValue,
            figures: Figures) -> Claim:
    roles: list[Against] = [mc.against] if mc.against else ["baseline", "previous year"]
    if mc.against_period is not None:
        return _change_on(mc, result, tolerance, out, store, figures, mc.against_period)
    readings = []
    for against in roles:
        pct = result.change_pct(_ROLE[against])
        other = result.figures[_ROLE[against]]
        if pct is None or other.value is None or other.status != "complete":
            continue
        exact = to_decimal(pct)
        direction_ok = exact == 0 or (exact < 0) == bool(mc.falls)
        holds = direction_ok and mc.stated.holds_for(abs(exact))
        near = direction_ok and abs(abs(exact) - mc.stated.value) <= tolerance.points
        text = (f"the store's {fmt.figure(result.current.value, result.measure.unit).text} against "
                f"{fmt.figure(other.value, result.measure.unit).text} for {other.period.label} is "
                f"{with_article(show(abs(exact), mc.stated.places + 1) + '%')} {'fall' if exact < 0 else 'rise'}")
        readings.append((against, holds, near, text))
    said = _stated_change(mc)
    if not readings:
        return out("not checkable", "The store has no complete figure to compare it with")
    if mc.against is None:
        unsaid = f"The sentence does not say what the {said} is against"
        fitting = [r for r in readings if r[1]]
        if fitting:
            against, _, _, text = fitting[0]
            return out("agrees", f"{unsaid}; against the {against} it holds: {text}", store)
        close = [r for r in readings if r[2]]
        if close:
            against, _, _, text = close[0]
            return out("differs within tolerance", f"{unsaid}; against the {against}, {text}: within "
                                                   f"{tolerance.describe_short('change')}", store)
        return out("not checkable", f"{unsaid}, and neither reading gives it: "
                                    + "; ".join(f"against the {a}, {t}" for a, _, _, t in readings), store)
    against, holds, near, text = readings[0]
    text = _sentence(text)
    if holds:
        return out("agrees", f"{text}, the {said} written", store)
    if near:
        return out("differs within tolerance", f"{text}, not the {said} written, but within "
                                               f"{tolerance.describe_short('change')}", store)
    return out("contradicts", f"{text}, not the {said} written{_fits_elsewhere(mc, figures, result.measure.id)}", store)


def _change_on(mc: MeasureClaim, result: Result, tolerance: Tolerance, out: Out, store: StoreValue,
               figures: Figures, period: Period) -> Claim:
    """A change against a period the sentence names ("a 3.6% increase on November 2021")."""
    assert mc.force_id is not None
    other = figures.result(result.measure.id, mc.force_id, mc.sub_area, period)
    if other is None or other.current.value is None or other.current.status != "complete" or \
            result.current.value is None or other.current.value == 0:
        note = other.current.note if other is not None and other.current.note else "the store has no figure for it"
        return out("not checkable", f"It is against {period.label}, and {note}", store)
    now, then = to_decimal(result.current.value), to_decimal(other.current.value)
    exact = (now - then) / then * 100
    direction_ok = exact == 0 or (exact < 0) == bool(mc.falls)
    text = (f"The store's {fmt.figure(result.current.value, result.measure.unit).text} against "
            f"{fmt.figure(other.current.value, result.measure.unit).text} for {period.label} is "
            f"{with_article(show(abs(exact), mc.stated.places + 1) + '%')} {'fall' if exact < 0 else 'rise'}")
    said = _stated_change(mc)
    if direction_ok and mc.stated.holds_for(abs(exact)):
        return out("agrees", f"{text}, the {said} written", store)
    if direction_ok and abs(abs(exact) - mc.stated.value) <= tolerance.points:
        return out("differs within tolerance", f"{text}, not the {said} written, but within "
                                               f"{tolerance.describe_short('change')}", store)
    return out("contradicts", f"{text}, not the {said} written", store)


def _stated_change(mc: MeasureClaim) -> str:
    return f"{mc.stated.text}% {'fall' if mc.falls else 'rise'}"


def _store_value(mc: MeasureClaim, result: Result, figures: Figures) -> StoreValue:
    assert mc.period is not None
    value = fmt.figure(result.current.value, result.measure.unit).text
    return StoreValue(result.measure.title, result.area.name, result.current.period.label, value,
                      figures.source(result), result.load_ids, mc.period_from)


_AREA_FROM = {"the sentence": "named in the sentence", "the paragraph": "named in the paragraph",
              "the document": "the force the document is about"}


def _read_as(mc: MeasureClaim, title: str | None = None) -> str:
    """How the claim was read: "Read as drug offences in West Midlands (the force the document
    is about), YE Mar 2024 (the sentence: “the year ending March 2024”)"."""
    name = lower_first(title or mc.measures[0].title)
    area = mc.sub_area.name if mc.sub_area else (force(mc.force_id).name if mc.force_id else "no area")
    where = f"{area} ({_AREA_FROM[mc.area_from]})"
    if mc.period is None:
        return f"Read as {name}, {where}."
    if mc.period_from == "the document":
        period = f"{mc.period.label} (the document's own period)"
    elif mc.period_from == "the table":
        period = f"{mc.period.label} (the table's {mc.period_text})"
    else:
        period = f"{mc.period.label} ({mc.period_from[4:]}: “{mc.period_text}”)"
    return f"Read as {name}, {where}, {period}."


def _diff(mc: MeasureClaim, exact: Decimal) -> str:
    """"1 more than the 43 written (2.3%)"; "0.4 percentage points below the 92% written"."""
    d = exact - mc.stated.value
    if mc.kind == "percentage":
        return f"{show(abs(d), 1)} percentage points {'above' if d > 0 else 'below'} the {mc.stated.text}% written"
    pct = abs(d) / mc.stated.value * 100 if mc.stated.value else None
    share = "" if pct is None else f" ({show(pct, 2 if pct < Decimal('0.1') else 1)}%)"
    return f"{plain(abs(d))} {'more' if d > 0 else 'fewer'} than the {mc.stated.text} written{share}"


def _fits_elsewhere(mc: MeasureClaim, figures: Figures, measure_id: str) -> str:
    """The twelve-month periods near the one asked for whose figure the document's does fit."""
    if mc.period is None or mc.force_id is None or mc.period.n_months != 12:
        return ""
    fits = []
    for period in _neighbours(mc.period):
        other = figures.result(measure_id, mc.force_id, mc.sub_area, period)
        if other is None or other.current.value is None or other.current.status != "complete":
            continue
        if mc.kind == "change":
            pct = other.change_pct(_ROLE[mc.against or "baseline"])
            if pct is not None and (pct < 0) == bool(mc.falls) and mc.stated.holds_for(abs(to_decimal(pct))):
                fits.append(f"{period.label} ({show(abs(to_decimal(pct)), mc.stated.places + 1)}%)")
        elif mc.stated.holds_for(to_decimal(other.current.value)):
            fits.append(period.label)
    if not fits:
        return ""
    return f". It fits the store's figure for {' and '.join(fits[:2])}: is that the period it is for?"


def _neighbours(period: Period) -> Iterator[Period]:
    """The twelve-month periods that end at a quarter's end within a year of ``period``'s end,
    nearest first (a financial year for those ending in March)."""
    ends = [period.last + shift for shift in range(-12, 13) if shift and (period.last + shift).month % 3 == 0]
    for end in sorted(ends, key=lambda m: abs(m.ordinal - period.last.ordinal)):
        candidate: Period = FinancialYear(end.year - 1) if end.month == 3 else RollingYear(end)
        if candidate.months() != period.months():
            yield candidate
