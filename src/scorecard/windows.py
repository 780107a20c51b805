"""Which months a statement's figures cover: its publication label, and each measure's window.

A statement is published for a quarter — "2024-25 Q1 update" — but what it can honestly say
about each measure depends on what the store holds: the Home Office tables run to the latest
published quarter, a force's hospital-admission figures are a November-to-October year, a
satisfaction rate covers a rolling six months.  So a statement has a **publication label**
and a **data-to month** (the last month any figure may cover, by default the end of the
statement's quarter), and every measure reports its **own latest complete window** up to that
month: the rolling twelve months for recorded crime, a local series' own latest period.
Each sentence, table row and chart then names its window, so nobody reads "the year ending
March 2024" as "April to June 2024".

``--period`` is read the way an analyst writes it (``StatementPeriod.read``):

* a financial quarter, ``2024-25 Q4``: the "2024-25 Q4 update", figures for the twelve months
  to the end of that quarter (the year ending March 2025) or the latest before it;
* a rolling year, ``YE Mar 2025``: the same figures, labelled "Year ending March 2025";
* a financial or calendar year, a month or a range: figures for the twelve months to its end.

Comparisons (``Comparison``) are stated per statement and per measure: against the national
baseline (year ending June 2019), the same window a year earlier, and the previous quarter's
window (what the last quarterly statement reported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from scorecard.periods import (
    FinancialQuarter,
    FinancialYear,
    Month,
    MonthPeriod,
    MonthRange,
    Period,
    RollingYear,
    parse,
)

Comparison = Literal["baseline", "year_before", "previous_quarter"]
COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)

#: What the seeds state by default: twelve months against the baseline and against the year before.
DEFAULT_COMPARISONS: tuple[Comparison, ...] = ("baseline", "year_before")
#: What a measure with no baseline figure falls back to (seed 002: a quarter against the one before).
FALLBACK_COMPARISONS: tuple[Comparison, ...] = ("previous_quarter",)


@dataclass(frozen=True)
class StatementPeriod:
    """What a statement is published for, and the last month its figures may cover."""

    label: str  # "2024-25 Q1 update", "Year ending March 2025"
    data_to: Month
    window_months: int = 12  # the window each measure reports, unless its own series says otherwise
    asked_as: str = ""  # the --period as given

    @classmethod
    def read(cls, text: str, *, window_months: int = 12) -> StatementPeriod:
        """A statement period from an analyst's label (see the module docstring)."""
        period = parse(text)
        if isinstance(period, FinancialQuarter):
            label = f"{period.label} update"
        elif isinstance(period, RollingYear):
            label = f"Year ending {period.end.name()}"
        elif isinstance(period, FinancialYear):
            label = f"{period.label} (year ending {period.last.name()})"
        else:
            label = period.label
        return cls(label=label, data_to=period.last, window_months=window_months, asked_as=text)

    def with_data_to(self, month: Month) -> StatementPeriod:
        return StatementPeriod(self.label, month, self.window_months, self.asked_as)


def window(first: Month, last: Month) -> Period:
    """The months ``first``..``last`` as the period people name them by: a rolling year ("YE Mar
    2024"), a financial quarter ("2024-25 Q1"), a month, or a plain range ("Nov 2020 to Oct 2021")."""
    n = last.ordinal - first.ordinal + 1
    if n == 12:
        return RollingYear(last)
    if n == 3 and first.month in (1, 4, 7, 10):
        return FinancialQuarter.containing(first)
    if n == 1:
        return MonthPeriod(first)
    return MonthRange(first, last)


def comparison_window(current: Period, comparison: Comparison, baseline: Period) -> Period:
    """The period ``current`` is compared with."""
    if comparison == "baseline":
        return baseline
    if comparison == "year_before":
        return window(current.first - 12, current.last - 12)
    return window(current.first - 3, current.last - 3)


def months_behind(period: Period, data_to: Month) -> int:
    """How many months before ``data_to`` a figure's window ends (0: as recent as it can be)."""
    return data_to.ordinal - period.last.ordinal


__all__ = [
    "COMPARISONS",
    "DEFAULT_COMPARISONS",
    "FALLBACK_COMPARISONS",
    "Comparison",
    "StatementPeriod",
    "comparison_window",
    "months_behind",
    "window",
]
