"""Periods as analysts write them, and the arithmetic statements rely on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.periods import (
    NATIONAL_BASELINE,
    CalendarQuarter,
    CalendarYear,
    FinancialQuarter,
    FinancialYear,
    Month,
    MonthPeriod,
    MonthRange,
    PeriodError,
    RollingYear,
    parse,
    parse_month,
    units_within,
)


def test_the_national_baseline_is_july_2018_to_june_2019() -> None:
    assert NATIONAL_BASELINE.label == "YE Jun 2019"
    assert (NATIONAL_BASELINE.first, NATIONAL_BASELINE.last) == (Month(2018, 7), Month(2019, 6))
    assert NATIONAL_BASELINE.long_label == "the year ending June 2019"


def test_financial_quarter_one_is_april_to_june() -> None:
    q = parse("2024-25 Q1")
    assert q == FinancialQuarter(2024, 1)
    assert (q.first, q.last) == (Month(2024, 4), Month(2024, 6))
    assert FinancialQuarter(2024, 4).first == Month(2025, 1)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2024-25 Q1", FinancialQuarter(2024, 1)),
        ("Q1 2024/25", FinancialQuarter(2024, 1)),
        ("Q3 21/22", FinancialQuarter(2021, 3)),
        ("2018/19", FinancialYear(2018)),
        ("FY2018-19", FinancialYear(2018)),
        ("2011/12", FinancialYear(2011)),
        ("YE Jun 2019", RollingYear(Month(2019, 6))),
        ("year ending June 2019", RollingYear(Month(2019, 6))),
        ("12 months to Dec 2021", RollingYear(Month(2021, 12))),
        ("2019-06", MonthPeriod(Month(2019, 6))),
        ("2011-12", MonthPeriod(Month(2011, 12))),  # ISO month, documented collision
        ("Jun-19", MonthPeriod(Month(2019, 6))),
        ("June 2019", MonthPeriod(Month(2019, 6))),
        ("Sept 2019", MonthPeriod(Month(2019, 9))),
        ("2024 Q1", CalendarQuarter(2024, 1)),
        ("Q4 2021", CalendarQuarter(2021, 4)),
        ("2024", CalendarYear(2024)),
        ("Jan 2021 to Dec 2021", MonthRange(Month(2021, 1), Month(2021, 12))),
        ("2019-06 to 2019-12", MonthRange(Month(2019, 6), Month(2019, 12))),
    ],
)
def test_labels_people_write(label: str, expected: object) -> None:
    assert parse(label) == expected


@pytest.mark.parametrize("label", ["", "2024-26", "2024-25 Q5", "YE Foo 2019", "13/2024", "Dec 2021 to Jan 2021"])
def test_unreadable_labels_say_what_would_work(label: str) -> None:
    with pytest.raises(PeriodError):
        parse(label)


def test_previous_and_same_period_last_year() -> None:
    q = parse("2024-25 Q1")
    assert q.previous().label == "2023-24 Q4"
    assert q.same_period_last_year().label == "2023-24 Q1"
    fy = parse("2021-22")
    assert fy.previous().label == "2020-21"
    # A rolling year's previous statement was a quarter earlier.
    assert parse("YE Jun 2019").previous().label == "YE Mar 2019"
    assert parse("YE Jun 2019").same_period_last_year().label == "YE Jun 2018"
    assert parse("Jan 2024").previous().label == "Dec 2023"


def test_a_rolling_year_ending_march_is_the_financial_year() -> None:
    assert parse("YE Mar 2019").span() == parse("2018-19").span()


def test_units_within_tells_whether_a_source_grain_answers_a_period() -> None:
    quarters = units_within(parse("YE Jun 2019"), grain_months=3, align=4)
    assert quarters is not None and len(quarters) == 4
    assert units_within(parse("2019-06"), grain_months=3, align=4) is None  # quarterly data, one month
    assert units_within(parse("2024 Q1"), grain_months=3, align=4) is not None  # Jan-Mar is FY Q4
    assert len(units_within(parse("2024-25"), grain_months=1, align=1) or []) == 12


def test_parse_month_refuses_longer_periods() -> None:
    assert parse_month("2024-01") == Month(2024, 1)
    with pytest.raises(PeriodError):
        parse_month("2024-25")


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(-60, 60))
def test_month_arithmetic_round_trips(year: int, month: int, shift: int) -> None:
    m = Month(year, month)
    assert (m + shift) - shift == m
    assert (m + shift).ordinal - m.ordinal == shift


@given(st.integers(2000, 2100), st.integers(1, 12))
def test_financial_quarter_containing_a_month_contains_it(year: int, month: int) -> None:
    m = Month(year, month)
    q = FinancialQuarter.containing(m)
    assert q.contains(m)
    assert q.previous().last + 1 == q.first
