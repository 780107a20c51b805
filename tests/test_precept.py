"""The precept by band (``scorecard.precept``), against the table seed 003 publishes.

Seed 003 (West Midlands PCC annual report 2023-24) prints all eight bands for 2022/23 and
2023/24 with the annual and weekly change; every figure here is computed from the two Band D
amounts alone and must match the seed to the penny (tests/golden/annual/).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from scorecard.precept import BANDS, band_amount, pounds, precept_by_band, to_penny

GOLDEN = Path(__file__).parent / "golden" / "annual" / "precept-west-midlands-2023-24.tsv"


def seed_rows() -> list[list[str]]:
    lines = [line for line in GOLDEN.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    header, *rows = (line.split("\t") for line in lines)
    assert header[0] == "Band" and len(rows) == 8
    return rows


def test_every_band_reproduces_seed_003_to_the_penny() -> None:
    computed = precept_by_band(Decimal("187.55"), Decimal("202.55"))
    for row, seed in zip(computed, seed_rows(), strict=True):
        assert [f"Band {row.band}", row.proportion_text, str(row.previous), str(row.current),
                str(row.annual_change), str(row.weekly_change)] == seed


def test_the_annual_change_is_the_difference_of_the_rounded_amounts() -> None:
    band_f = precept_by_band(Decimal("187.55"), Decimal("202.55"))[5]
    assert band_f.band == "F"
    assert band_f.annual_change == Decimal("21.66")  # 292.57 - 270.91, as published
    assert to_penny(Fraction(13, 9) * 15) == Decimal("21.67")  # not 13/9 of the Band D change


def test_the_proportions_are_the_statutory_ninths() -> None:
    assert [b for b, _ in BANDS] == list("ABCDEFGH")
    assert [str(p * 9) for _, p in BANDS] == ["6", "7", "8", "9", "11", "13", "15", "18"]


def test_a_penny_rounds_half_up() -> None:
    assert band_amount(Decimal("1.00"), Fraction(1, 8)) == Decimal("0.13")  # 0.125
    assert to_penny(Decimal("0.005")) == Decimal("0.01")


@pytest.mark.parametrize(("given", "expected"), [
    (202.55, Decimal("202.55")), ("£202.55", Decimal("202.55")), (200, Decimal("200")),
    ("1,002.50", Decimal("1002.50")),
])
def test_an_amount_is_read_exactly(given: object, expected: Decimal) -> None:
    assert pounds(given) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("given", "says"), [
    (202.555, "more than two decimal places"), ("abc", "not an amount of money"), (0, "above zero"),
    (-5, "above zero"), (True, "not an amount of money"), ("nan", "above zero"),
])
def test_a_bad_amount_says_what_is_wrong(given: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        pounds(given)  # type: ignore[arg-type]
