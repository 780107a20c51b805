"""One rounding rule, half away from zero, and UK number formats."""

from __future__ import annotations

import pytest

from scorecard.numbers import (
    format_number,
    format_percent,
    format_signed_percent,
    percent_change,
    round_half_away,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(2.5, 0, 3.0), (-2.5, 0, -3.0), (0.05, 1, 0.1), (1.005, 2, 1.01), (1.25, 1, 1.3), (-1.25, 1, -1.3)],
)
def test_round_half_away_from_zero(value: float, places: int, expected: float) -> None:
    assert round_half_away(value, places) == expected


def test_seed_figures_round_as_published() -> None:
    # Seed 004 para 5: 53 homicides against 52 in the baseline, "a 1.9% increase".
    assert round_half_away(percent_change(53, 52) or 0, 1) == 1.9
    # Seed 001 para 20: 28,675 burglaries down to 19,018, "a 34% reduction".
    assert round_half_away(percent_change(19_018, 28_675) or 0, 0) == -34.0
    # Seed 001 para 21: 8,945 robberies down to 7,509, "a 16% reduction".
    assert round_half_away(percent_change(7_509, 8_945) or 0, 0) == -16.0


def test_uk_formats() -> None:
    assert format_number(28675) == "28,675"
    assert format_number(None) == "–"
    assert format_percent(1.94) == "1.9%"
    assert format_signed_percent(-33.7) == "-33.7%"
    assert format_signed_percent(-0.04) == "0.0%"  # never "-0.0%"
    assert format_signed_percent(1.95) == "+2.0%"


def test_percent_change_from_zero_is_undefined() -> None:
    assert percent_change(5, 0) is None
    assert percent_change(None, 5) is None


def test_percent_change_is_exact_at_halves() -> None:
    # In floats (17 - 40) / 40 * 100 is -57.49999999999999 and would round to 57%.
    assert round_half_away(percent_change(17, 40) or 0, 0) == -58.0


def test_an_exact_figure_rounds_by_the_same_rule() -> None:
    from decimal import Decimal
    from fractions import Fraction

    from scorecard.numbers import round_exact

    assert round_exact(Fraction(1, 8), 2) == Decimal("0.13")  # half away from zero
    assert round_exact(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert round_exact(Fraction(1, 200) - Fraction(1, 10**30), 2) == Decimal("0.00")  # no 28-digit shortcut
    assert str(round_exact(Decimal("10"), 2)) == "10.00"
