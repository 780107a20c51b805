"""Tests for scorecard.narrative: the wording of figures in generated statements.

* ``test_golden`` — the plain-text cases in ``tests/golden/narrative/*.txt``, built from
  figures quoted in the seed documents (each cites its seed and paragraph).  Run with
  ``NARRATIVE_UPDATE_GOLDEN=1`` to rewrite the ``expected:`` lines after a deliberate
  change, then review the diff;
* ``test_quote_is_in_the_seed`` — each case's ``quote:`` really is in the cited seed
  (skipped when ``../shared/seeds`` is absent), and its ``agrees:`` fragments are in both
  the quote and our sentence, so the cases cannot drift away from the documents;
* unit tests for plurals, rounding at .5 boundaries, negative zero, thousands separators,
  the stable threshold, spelling at the start of a sentence and a/an;
* hypothesis properties that must hold for any figures.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.catalogue.schema import Measure
from scorecard.narrative import (
    DEFAULT_STYLE,
    NOUNS,
    ChangeAs,
    MeasureName,
    NarrativeError,
    NarrativeStyle,
    Noun,
    change_phrase,
    comparison_sentence,
    exact_percent_change,
    figure_sentence,
    format_change_percent,
    judgement,
    lookup_noun,
    measure_subject,
    percent_phrase,
    percent_places,
    period_phrase,
    pluralise,
    previous_period_sentence,
    result_sentences,
    spell_number,
)
from scorecard.periods import (
    NATIONAL_BASELINE,
    CalendarQuarter,
    CalendarYear,
    FinancialQuarter,
    FinancialYear,
    Month,
    MonthPeriod,
    MonthRange,
    RollingYear,
    parse,
)
from scorecard.results import AreaRef, Figure, Result

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "narrative"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# --------------------------------------------------------------------------- golden cases

_KEYS = {
    "seed", "quote", "agrees", "call", "subject", "value", "period", "baseline", "baseline_period",
    "previous", "previous_period", "pct", "unit", "direction", "judge", "form", "style", "expected",
}
_CALLS = {"baseline", "previous", "figure", "change", "percent"}


@dataclass
class Case:
    file: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def seed_id(self) -> str:
        return self.fields["seed"].split()[0]


def _read_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    current: Case | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if not line:
            current = None
            continue
        if line.startswith("#"):
            continue
        key, sep, value = line.partition(": ")
        if not sep or key not in _KEYS:
            raise AssertionError(f"{path.name}:{lineno}: not a 'key: value' line with a known key: {line!r}")
        if current is None:
            current = Case(path.name, lineno)
            cases.append(current)
        if key in current.fields:
            raise AssertionError(f"{path.name}:{lineno}: {key} given twice in one case")
        current.fields[key] = value.strip()
    return cases


def _all_cases() -> list[Case]:
    return [case for path in sorted(GOLDEN_DIR.glob("*.txt")) for case in _read_cases(path)]


def _number(text: str) -> float | None:
    if text == "missing":
        return None
    number = float(text.replace(",", ""))
    return int(number) if number.is_integer() and "." not in text else number


def _style(text: str | None) -> NarrativeStyle:
    if not text:
        return DEFAULT_STYLE
    types = {f.name: f.type for f in fields(NarrativeStyle)}
    overrides: dict[str, Any] = {}
    for item in text.split(","):
        name, _, raw = item.strip().partition("=")
        if name not in types:
            raise AssertionError(f"unknown style field {name!r}")
        kind = str(types[name])
        if kind == "bool":
            overrides[name] = raw == "yes" or raw == "True"
        elif kind == "int":
            overrides[name] = int(raw)
        elif kind == "float":
            overrides[name] = float(raw)
        else:
            overrides[name] = raw
    return replace(DEFAULT_STYLE, **overrides)


def _run(case: Case) -> str:
    f = case.fields
    call = f["call"]
    style = _style(f.get("style"))
    options: dict[str, Any] = {"style": style}
    for key in ("unit", "direction", "form"):
        if key in f:
            options[key] = f[key]
    if "judge" in f:
        options["judge"] = f["judge"] == "yes"
    if call == "percent":
        return percent_phrase(float(f["pct"]), style)
    if call == "change":
        options.pop("form", None)
        return change_phrase(_number(f["value"]), _number(f["baseline"]), **options)
    subject = f["subject"]
    value = _number(f["value"])
    period = parse(f["period"])
    if call == "figure":
        return figure_sentence(subject, value, period, **{k: v for k, v in options.items()
                                                         if k in ("unit", "form", "style")})
    if call == "baseline":
        return comparison_sentence(subject, value, period, _number(f["baseline"]),
                                   parse(f["baseline_period"]), **options)
    if call == "previous":
        previous_period = parse(f["previous_period"]) if "previous_period" in f else None
        return previous_period_sentence(subject, value, period, _number(f["previous"]),
                                        previous_period, **options)
    raise AssertionError(f"unknown call {call!r}")


CASES = _all_cases()


def test_golden_cases_are_well_formed() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert case.fields.get("call") in _CALLS, case.id
        assert "expected" in case.fields, case.id
        assert re.fullmatch(r"\d{3}", case.seed_id), f"{case.id}: seed must start with its number"
        assert ("agrees" in case.fields) <= ("quote" in case.fields), case.id
    # every seed-file case quotes its seed; only rules.txt starts from a figure and varies it
    assert all("quote" in c.fields for c in CASES if c.file.startswith("seed_"))


def _rewrite_expected(path: Path, results: dict[int, str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    case_start = None
    for i, line in enumerate(lines):
        if not line.strip():
            case_start = None
            continue
        if line.startswith("#"):
            continue
        if case_start is None:
            case_start = i + 1
        if line.startswith("expected: ") and case_start in results:
            lines[i] = f"expected: {results[case_start]}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_golden(case: Case) -> None:
    actual = _run(case)
    if os.environ.get("NARRATIVE_UPDATE_GOLDEN") and actual != case.fields["expected"]:
        _rewrite_expected(GOLDEN_DIR / case.file, {case.line: actual})
        case.fields["expected"] = actual
    assert actual == case.fields["expected"]


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


@pytest.mark.parametrize("case", [c for c in CASES if "quote" in c.fields], ids=lambda c: c.id)
def test_quote_agrees_with_sentence(case: Case) -> None:
    quote, expected = case.fields["quote"], case.fields["expected"]
    for fragment in filter(None, (s.strip() for s in case.fields.get("agrees", "").split("|"))):
        assert fragment in quote, f"{case.id}: {fragment!r} is not in the quote"
        assert fragment in expected, f"{case.id}: {fragment!r} is not in our sentence"


@pytest.mark.parametrize("case", [c for c in CASES if "quote" in c.fields], ids=lambda c: c.id)
def test_quote_is_in_the_seed(case: Case) -> None:
    matches = sorted(SEEDS_DIR.glob(f"{case.seed_id}_*.txt")) if SEEDS_DIR.is_dir() else []
    if not matches:
        pytest.skip(f"seed {case.seed_id} is not in {SEEDS_DIR}")
    text = _normalise(matches[0].read_text(encoding="utf-8"))
    assert _normalise(case.fields["quote"]) in text, f"{case.id}: quote not found in {matches[0].name}"


# --------------------------------------------------------------------------------- plurals


@pytest.mark.parametrize(("n", "word"), [(0, "homicides"), (1, "homicide"), (1.0, "homicide"),
                                         (1.5, "homicides"), (2, "homicides"), (-1, "homicides")])
def test_plural_by_count(n: float, word: str) -> None:
    assert pluralise(n, "homicide") == word


@pytest.mark.parametrize(("singular", "plural"), [
    ("burglary", "burglaries"),
    ("robbery", "robberies"),
    ("offence", "offences"),
    ("admission", "admissions"),
    ("discharge", "discharges"),
    ("referral", "referrals"),
    ("call", "calls"),
    ("stop and search", "stops and searches"),
    ("recovery", "recoveries"),
])
def test_noun_table(singular: str, plural: str) -> None:
    assert pluralise(2, singular) == plural
    assert pluralise(1, singular) == singular
    assert lookup_noun(plural).singular == singular  # found by either form


def test_uncountable_names_are_counted_as_offences() -> None:
    assert pluralise(136, "theft from the person") == "offences of theft from the person"
    assert pluralise(1, "Theft from the Person") == "offence of theft from the person"
    assert pluralise(2, "vehicle crime") == "vehicle offences"


@pytest.mark.parametrize(("singular", "plural"), [
    ("city", "cities"), ("day", "days"), ("box", "boxes"), ("church", "churches"),
    ("cyber-flagged offence", "cyber-flagged offences"), ("sharp object injury", "sharp object injuries"),
])
def test_regular_plural_for_nouns_not_in_the_table(singular: str, plural: str) -> None:
    assert singular.lower() not in NOUNS
    assert pluralise(2, singular) == plural


def test_explicit_plural_wins() -> None:
    assert pluralise(3, "person", "people") == "people"
    assert pluralise(1, "person", "people") == "person"
    assert lookup_noun(Noun("datum", "data")).form(2) == "data"


def test_singular_verb_and_noun_for_one() -> None:
    june = MonthPeriod(Month(2019, 6))
    assert figure_sentence("homicide", 1, june) == "There was 1 homicide in June 2019."
    assert figure_sentence("homicide", 2, june) == "There were 2 homicides in June 2019."
    assert figure_sentence("homicide", 0, june) == "There were no homicides in June 2019."


# -------------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(("pct", "shown"), [
    (1.923, "1.9%"),      # seed 004 para 5: 53 vs 52
    (-11.538, "12%"),     # seed 001 para 4: 46 vs 52 — 11.5 at one place, so whole
    (-33.677, "34%"),     # seed 001 para 20
    (-16.05, "16%"),      # seed 001 para 21
    (-12.04, "12%"),      # seed 004 para 22
    (2.5, "2.5%"),
    (0.05, "0.1%"),       # half away from zero, not to even
    (0.15, "0.2%"),
    (0.25, "0.3%"),
    (-0.05, "0.1%"),
    (12.5, "13%"),        # round() would give 12
    (-12.5, "13%"),
    (10.5, "11%"),
    (9.94, "9.9%"),
    (9.95, "10%"),        # rounds to 10.0 at one place, so whole: never "10.0%"
    (99.5, "100%"),
    (1234.5, "1,235%"),   # thousands separator
])
def test_percent_rounding(pct: float, shown: str) -> None:
    assert format_change_percent(pct) == shown


def test_percent_places_rule() -> None:
    assert percent_places(9.949) == 1
    assert percent_places(9.95) == 0
    assert percent_places(-250) == 0
    assert percent_places(0) == 1
    assert percent_places(5, NarrativeStyle(whole_percent_from=0)) == 0


def test_exact_halves_from_counts() -> None:
    # float arithmetic gives -57.49999999999999 for 17 vs 40; the rule needs the exact -57.5
    assert exact_percent_change(17, 40) == -57.5
    assert change_phrase(17, 40) == "a 58% reduction"
    assert change_phrase(63, 40) == "a 58% increase"
    assert change_phrase(2001, 2000) == "broadly unchanged (a 0.1% increase)"  # exactly 0.05%
    assert change_phrase(41, 40) == "a 2.5% increase"
    assert exact_percent_change(5, 0) is None


@pytest.mark.parametrize(("value", "baseline"), [(99_999, 100_000), (100_001, 100_000), (-1000.4, -1000)])
def test_never_negative_zero(value: float, baseline: float) -> None:
    phrase = change_phrase(value, baseline)
    assert "-0" not in phrase and "0.0%" not in phrase
    assert "less than 0.1%" in phrase


def test_tiny_change_says_less_than() -> None:
    assert change_phrase(99_999, 100_000) == "broadly unchanged (a reduction of less than 0.1%)"
    assert percent_phrase(-0.04) == "broadly unchanged (a reduction of less than 0.1%)"
    assert (change_phrase(99_999, 100_000, style=NarrativeStyle(stable_threshold_pct=0))
            == "a reduction of less than 0.1%")
    assert change_phrase(50.02, 50.0, unit="percentage") == "broadly unchanged (up by less than 0.1 percentage points)"


@pytest.mark.parametrize(("value", "text"), [
    (28675, "28,675"), (1_000_000, "1,000,000"), (999, "999"), (0, "0"), (1229, "1,229"),
])
def test_thousands_separators(value: int, text: str) -> None:
    sentence = comparison_sentence("burglary", value, FinancialYear(2021), 1, NATIONAL_BASELINE)
    assert f" {text} " in sentence or sentence.startswith("There were no")


def test_thousands_in_the_difference() -> None:
    style = NarrativeStyle(change_as="difference")
    assert change_phrase(19_018, 28_675, style=style) == "a reduction of 9,657"


# ---------------------------------------------------------------------------------- stable


@pytest.mark.parametrize(("value", "phrase"), [
    (28_947, "broadly unchanged (a 0.9% increase)"),   # +0.9486% -> 0.9, below 1.0
    (28_948, "a 1.0% increase"),                        # +0.9520% -> 1.0, at the threshold: a change
    (28_389, "a 1.0% reduction"),                       # -0.9974% -> 1.0
    (28_675, "no change"),
])
def test_stable_threshold_applies_to_the_rounded_change(value: int, phrase: str) -> None:
    assert change_phrase(value, 28_675) == phrase


def test_stable_threshold_is_configurable() -> None:
    assert change_phrase(28_947, 28_675, style=NarrativeStyle(stable_threshold_pct=0)) == "a 0.9% increase"
    assert (change_phrase(29_500, 28_675, style=NarrativeStyle(stable_threshold_pct=5, stable_word="stable"))
            == "stable (a 2.9% increase)")


def test_stable_points_for_percentage_measures() -> None:
    assert change_phrase(73, 70, unit="percentage") == "up 3.0 percentage points"
    assert change_phrase(70, 73, unit="percentage") == "down 3.0 percentage points"
    assert change_phrase(71, 70, unit="percentage") == "up 1.0 percentage point"
    assert change_phrase(70.96, 70, unit="percentage") == "up 1.0 percentage point"
    assert change_phrase(70.94, 70, unit="percentage") == "broadly unchanged (up 0.9 percentage points)"
    assert change_phrase(70, 70, unit="percentage") == "no change"
    assert change_phrase(5, 0, unit="percentage") == "up 5.0 percentage points"  # 0% is a value


def test_stable_changes_are_not_judged_either_way() -> None:
    assert judgement(28_947, 28_675, direction="decrease") == "stable"
    assert judgement(28_948, 28_675, direction="decrease") == "deterioration"
    assert judgement(28_948, 28_675, direction="increase") == "improvement"
    assert judgement(28_948, 28_675, direction="neutral") is None
    assert judgement(None, 28_675, direction="increase") is None
    assert judgement(3, 0, direction="decrease") == "deterioration"


# ------------------------------------------------------------------------ change wording


def test_zero_baseline_has_no_percentage() -> None:
    assert change_phrase(3, 0) == "up from none"
    assert change_phrase(0, 0) == "no change"
    assert change_phrase(2.5, 0, unit="rate") == "up from zero"
    assert change_phrase(3, 0, style=NarrativeStyle(change_as="both")) == "an increase of 3 (up from none)"
    assert change_phrase(0, 3) == "a 100% reduction"


def test_missing_figures_give_no_change() -> None:
    assert change_phrase(None, 52) == "no change can be given"
    assert change_phrase(53, None) == "no change can be given"
    assert percent_phrase(None) == "no change can be given"


def test_judgement_is_opt_in_and_separate() -> None:
    plain = change_phrase(19_018, 28_675, direction="decrease")
    assert plain == "a 34% reduction"
    assert change_phrase(19_018, 28_675, direction="decrease", judge=True) == "a 34% reduction (an improvement)"
    assert change_phrase(19_018, 28_675, direction="increase", judge=True) == "a 34% reduction (a deterioration)"
    assert change_phrase(28_947, 28_675, direction="increase", judge=True) == "broadly unchanged (a 0.9% increase)"


def test_direction_words_are_configurable() -> None:
    style = NarrativeStyle(fall_word="decrease")
    assert change_phrase(47, 52, style=style) == "a 9.6% decrease"


@pytest.mark.parametrize(("pct", "phrase"), [
    (8.5, "an 8.5% increase"), (11, "an 11% increase"), (18, "an 18% increase"), (80, "an 80% increase"),
    (88.4, "an 88% increase"), (800, "an 800% increase"), (8_000, "an 8,000% increase"),
    (11_000, "an 11,000% increase"), (1.9, "a 1.9% increase"), (110, "a 110% increase"),
    (1_150, "a 1,150% increase"), (-18, "an 18% reduction"),
])
def test_a_or_an_by_how_the_figure_is_read(pct: float, phrase: str) -> None:
    assert percent_phrase(pct) == phrase


# ------------------------------------------------------------------- spelling and periods


@pytest.mark.parametrize(("n", "words"), [
    (0, "zero"), (4, "four"), (11, "eleven"), (20, "twenty"), (53, "fifty-three"), (99, "ninety-nine"),
    (100, "one hundred"), (105, "one hundred and five"), (342, "three hundred and forty-two"),
])
def test_spell_number(n: int, words: str) -> None:
    assert spell_number(n) == words


@pytest.mark.parametrize("bad", [-1, 1000, True])
def test_spell_number_refuses(bad: int) -> None:
    with pytest.raises(NarrativeError):
        spell_number(bad)


def test_numbers_opening_a_sentence_are_spelled_or_recast() -> None:
    q1 = FinancialQuarter(2022, 1)
    assert figure_sentence("homicide", 4, q1, form="recorded").startswith("Four homicides were recorded")
    assert figure_sentence("homicide", 100, q1, form="recorded").startswith("One hundred homicides were")
    assert figure_sentence("homicide", 101, q1, form="recorded").startswith("A total of 101 homicides were")
    assert figure_sentence("homicide", 0, q1, form="recorded").startswith("No homicides were recorded")
    assert figure_sentence("homicide", 1, q1, form="recorded").startswith("One homicide was recorded")
    digits = NarrativeStyle(spell_sentence_start=False)
    assert figure_sentence("homicide", 4, q1, form="recorded", style=digits).startswith("4 homicides were")
    assert figure_sentence("homicide", 12, q1, form="recorded",
                           style=NarrativeStyle(spell_up_to=9)).startswith("A total of 12 homicides")
    # mid-sentence counts stay figures
    assert "compared with 6 in" in previous_period_sentence("homicide", 4, q1, 6, form="recorded")


@pytest.mark.parametrize(("period", "phrase"), [
    (RollingYear(Month(2019, 6)), "in the year ending June 2019"),
    (MonthRange(Month(2021, 4), Month(2022, 3)), "from April 2021 to March 2022"),
    (MonthRange(Month(2021, 4), Month(2021, 6)), "from April 2021 to June 2021"),
    (MonthPeriod(Month(2024, 3)), "in March 2024"),
    (FinancialYear(2021), "in the financial year 2021-22"),
    (FinancialQuarter(2022, 1), "in 2022-23 Q1 (Apr 2022 to Jun 2022)"),
    (CalendarQuarter(2024, 1), "in 2024 Q1 (Jan 2024 to Mar 2024)"),
    (CalendarYear(2021), "in the calendar year 2021"),
])
def test_period_phrase(period: Any, phrase: str) -> None:
    assert period_phrase(period) == phrase


@pytest.mark.parametrize(("period", "named"), [
    (FinancialQuarter(2022, 1), "in the previous quarter (2021-22 Q4)"),
    (CalendarQuarter(2024, 1), "in the previous quarter (2023 Q4)"),
    (MonthPeriod(Month(2024, 3)), "in the previous month (February 2024)"),
    (FinancialYear(2021), "in the previous financial year (2020-21)"),
    (CalendarYear(2021), "in the previous calendar year (2020)"),
    (RollingYear(Month(2022, 3)), "in the year ending December 2021 (the previous quarterly statement)"),
    (MonthRange(Month(2021, 7), Month(2021, 12)), "in the previous 6 months (January 2021 to June 2021)"),
])
def test_previous_period_is_named_by_its_relation(period: Any, named: str) -> None:
    assert f"compared with 6 {named}, " in previous_period_sentence("offence", 5, period, 6)


def test_a_hand_picked_comparison_is_not_called_previous() -> None:
    sentence = previous_period_sentence("offence", 5, FinancialQuarter(2022, 1), 6, FinancialQuarter(2021, 1))
    assert "compared with 6 in 2021-22 Q1 (Apr 2021 to Jun 2021)," in sentence
    assert "previous" not in sentence


def test_baseline_named_as_baseline() -> None:
    sentence = comparison_sentence("homicide", 53, FinancialYear(2021), 52, FinancialYear(2018))
    assert "compared with 52 in the financial year 2018-19 baseline, a 1.9% increase." in sentence


# -------------------------------------------------------------------------- missing figures


def test_missing_figures_are_said_to_be_missing() -> None:
    fy = FinancialYear(2021)
    assert (figure_sentence("homicide", None, fy)
            == "No figure is available for homicides in the financial year 2021-22.")
    assert (figure_sentence("satisfaction of victims", None, fy, unit="percentage")
            == "No figure is available for satisfaction of victims in the financial year 2021-22.")
    assert previous_period_sentence("homicide", None, fy, None) == (
        "No figures are available for homicides in the financial year 2021-22 or in the previous financial "
        "year (2020-21).")
    assert previous_period_sentence("homicide", 53, fy, None) == (
        "There were 53 homicides in the financial year 2021-22. No figure is available for the previous "
        "financial year (2020-21), so no change can be given.")


def test_other_units() -> None:
    fy = FinancialYear(2021)
    assert (comparison_sentence("average 999 answer time", 12.25, fy, 10, NATIONAL_BASELINE, unit="seconds")
            == "Average 999 answer time was 12 seconds in the financial year 2021-22, compared with 10 "
               "seconds in the year ending June 2019 baseline, a 23% increase.")  # seconds: whole, as in tables


# --------------------------------------------------------------------------- results adapter

_AREA = AreaRef("west-midlands", "force", "E23000014", "West Midlands")


def _result(title: str, unit: str, current: Figure, baseline: Figure | None, previous: Figure | None = None) -> Result:
    measure = Measure(id="m", title=title, priority="p", role="national", dataset="home_office_prc",
                      unit=unit, direction="decrease", source_text="Home Office")  # type: ignore[arg-type]
    figures = {"current": current}
    if baseline is not None:
        figures["baseline"] = baseline
    if previous is not None:
        figures["previous"] = previous
    return Result(measure, _AREA, figures)  # type: ignore[arg-type]


def _fig(label: str, value: float | None, scaled: int | None = None) -> Figure:
    period = parse(label)
    return Figure(period, value, "complete" if value is not None else "no_data", period.n_months,
                  scaled_to_months=scaled)


def test_result_sentence_for_a_catalogue_count() -> None:
    r = _result("Homicide", "count", _fig("Apr 2021 to Mar 2022", 53), _fig("YE Jun 2019", 52))
    assert result_sentences(r) == [
        "There were 53 homicides from April 2021 to March 2022, compared with 52 in the year ending June 2019 "
        "baseline, a 1.9% increase."]


def test_result_sentence_says_an_averaged_baseline_is_an_average() -> None:
    # results.py compares a quarter with the baseline year averaged to a quarter
    r = _result("Burglary (all)", "count", _fig("2022-23 Q1", 4_600), _fig("YE Jun 2019", 28_675 * 3 / 12, 3))
    assert result_sentences(r) == [
        "There were 4,600 burglaries in 2022-23 Q1 (Apr 2022 to Jun 2022), compared with an average of "
        "about 7,169 a quarter in the year ending June 2019 baseline, a 36% reduction."]  # never a fractional count


def test_result_sentence_names_measures_that_are_not_nouns() -> None:
    title = "Hospital admissions of under-25s for assault with a sharp object"
    r = _result(title, "count", _fig("Nov 2020 to Oct 2021", 145), _fig("YE Jun 2019", 215))
    assert result_sentences(r)[0].startswith(
        "The figure for hospital admissions of under-25s for assault with a sharp object was 145 from November")
    missing = _result("Action Fraud reports from residents and businesses", "count",
                      _fig("2022-23 Q1", None), _fig("YE Jun 2019", 400))
    assert result_sentences(missing)[0].startswith("No figure is available for Action Fraud reports")


def test_result_sentence_for_a_percentage_and_without_a_baseline() -> None:
    r = _result("Satisfaction of domestic abuse victims", "percentage", _fig("2022-23 Q1", 73),
                _fig("YE Jun 2019", 70))
    assert result_sentences(r) == [
        "Satisfaction of domestic abuse victims was 73% in 2022-23 Q1 (Apr 2022 to Jun 2022), compared with "
        "70% in the year ending June 2019 baseline, up 3.0 percentage points."]
    r = _result("Homicide", "count", _fig("2022-23 Q1", 4), None, _fig("2021-22 Q4", 6))
    assert result_sentences(r)[0].endswith("compared with 6 in the previous quarter (2021-22 Q4), a 33% reduction.")


@pytest.mark.parametrize(("title", "unit", "subject"), [
    ("Burglary (all)", "count", "burglaries"),
    ("Robbery (police.uk)", "count", "robberies"),
    ("Theft from the person", "count", "offences of theft from the person"),
    ("Homicide", "count", "homicides"),
    ("Homicide", "percentage", MeasureName("Homicide")),
    ("Violence and sexual offences (police.uk)", "count", MeasureName("Violence and sexual offences (police.uk)")),
])
def test_measure_subject(title: str, unit: str, subject: str | MeasureName) -> None:
    got = measure_subject(title, unit)
    assert (got.plural if isinstance(got, Noun) else got) == subject


# ------------------------------------------------------------------------------------ style


@pytest.mark.parametrize("bad", [
    {"small_percent_places": -1}, {"stable_threshold_pct": -0.5}, {"spell_up_to": 1000},
    {"change_as": "ratio"}, {"stable_word": " "},
])
def test_style_refuses_nonsense(bad: dict[str, Any]) -> None:
    with pytest.raises(NarrativeError):
        NarrativeStyle(**bad)


def test_style_field_types_are_plain() -> None:
    # the golden files set style fields from text; keep them bool/int/float/str
    assert {str(f.type) for f in fields(NarrativeStyle)} <= {"bool", "int", "float", "str", "ChangeAs"}
    assert get_args(ChangeAs) == ("percent", "difference", "both")


# ------------------------------------------------------------------------------- properties

counts = st.integers(min_value=0, max_value=5_000_000)


@given(counts, counts)
def test_any_counts_give_clean_wording(value: int, baseline: int) -> None:
    for change_as in ("percent", "difference", "both"):
        phrase = change_phrase(value, baseline, style=NarrativeStyle(change_as=change_as))  # type: ignore[arg-type]
        assert "-" not in phrase  # no signs, so never "-0.0%"
        assert "0.0%" not in phrase and " 0%" not in phrase
        assert "  " not in phrase
    sentence = comparison_sentence("robbery", value, FinancialYear(2021), baseline, NATIONAL_BASELINE)
    assert sentence.endswith(".") and sentence[0].isupper()
    if baseline == 0 and value > 0:
        word = "up from none"
    else:
        word = "increase" if value > baseline else "reduction" if value < baseline else "no change"
    assert word in sentence


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_percent_phrase_matches_rounding_rule(pct: float) -> None:
    phrase = percent_phrase(pct)
    if pct == 0:
        assert phrase == "no change"
        return
    shown = re.search(r"([\d,.]+)%", phrase)
    assert shown is not None
    text = shown.group(1)
    assert ("." in text) == (percent_places(pct) == 1 and "less than" not in phrase) or "less than" in phrase
    assert ("increase" in phrase) == (pct > 0)
