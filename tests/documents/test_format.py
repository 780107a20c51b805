"""The one formatting layer, as a table of examples: value and unit in, the text every format shows.

Expected texts are the published conventions the seeds follow (UK thousands commas, "12%" from
ten per cent up and "1.9%" below, percentages to one decimal place) and the rules of
scorecard.documents.format's docstring, written by hand.
"""

from __future__ import annotations

import pytest

from scorecard.documents import format as fmt

MINUS = "\u2212"


@pytest.mark.parametrize(("value", "unit", "text"), [
    (28_675, "count", "28,675"),          # seed 001 paragraph 20
    (28_675.0, "count", "28,675"),
    (0, "count", "0"),
    (2.5, "count", "3"),                   # half away from zero, never half to even
    (3.5, "count", "4"),
    (-0.4, "count", "0"),                  # never "-0"
    (75.5, "percentage", "75.5%"),
    (73.0, "percentage", "73%"),           # seed 002: "DA – 73%"
    (92.04, "percentage", "92%"),
    (12.25, "percentage", "12.3%"),        # 12.25 is exact in binary: half away from zero
    (-0.04, "percentage", "0%"),
    (1250.5, "pounds", "£1,250.50"),
    (5000.0, "pounds", "£5,000"),
    (0.125, "pounds", "£0.13"),
    (30, "seconds", "30 seconds"),
    (1, "seconds", "1 second"),
    (2.25, "minutes", "2.3 minutes"),
    (16.39, "rate_per_1000000", "16.4 per million people"),
    (6.405, "rate_per_1000", "6.41 per 1,000 people"),
    (None, "count", "–"),
])
def test_a_figure_reads_the_same_everywhere(value: float | None, unit: str, text: str) -> None:
    cell = fmt.figure(value, unit)
    assert (cell.text, cell.value) == (text, value)


@pytest.mark.parametrize(("value", "base", "unit", "text"), [
    (53, 52, "count", "+1.9%"),            # seed 004 paragraph 5: "a 1.9% increase"
    (46, 52, "count", f"{MINUS}12%"),      # seed 001 paragraph 4: "a 12% reduction"
    (19_018, 28_675, "count", f"{MINUS}34%"),  # seed 001 paragraph 20
    (17, 40, "count", f"{MINUS}58%"),      # exactly -57.5%: half away from zero in exact arithmetic
    (52, 52, "count", "0.0%"),
    (3, 0, "count", "new"),
    (0, 0, "count", "no change"),
    (75.5, 72.5, "percentage", "+3.0 pts"),
    (72.46, 72.5, "percentage", "0.0 pts"),   # never "-0.0"
    (None, 52, "count", "–"),
    (99.96, 90.9, "count", "+10%"),        # 9.96% rounds to 10.0: a whole percent, never "10.0%"
])
def test_a_change_reads_the_same_everywhere(value: float | None, base: float | None, unit: str, text: str) -> None:
    assert fmt.change(value, base, unit).text == text


def test_an_averaged_count_is_never_a_fraction_in_prose() -> None:
    assert fmt.average_count(15 * 3 / 12, 3).text == "about 4 a quarter"
    assert fmt.average_count(13, 3).text == "13 a quarter"
    assert fmt.average_count(8_083.75, 3).text == "about 8,084 a quarter"


def test_periods_are_their_labels() -> None:
    from scorecard.periods import parse

    assert fmt.period(parse("YE Mar 2024")).text == "YE Mar 2024"
    assert fmt.period(None).text == "–"
