"""Reporting periods as types: the one place where calendar arithmetic lives.

Every period is a contiguous run of whole calendar months, so any two periods can be
compared, intersected and checked for coverage the same way, whatever grain a source
publishes at.  Policing mixes several calendars — financial quarters (Q1 = April–June),
financial years, calendar quarters, and the rolling "year ending June 2019" windows of
ONS releases — and analysts write each of them several ways; ``parse`` reads them all.

Months are stored as an ordinal (``year * 12 + month - 1``) so that arithmetic is integer
addition and cannot overflow a year boundary by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from scorecard.errors import UsageError

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTH_LOOKUP = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTH_LOOKUP.update({name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)})
_MONTH_LOOKUP["sept"] = 9


class PeriodError(UsageError, ValueError):
    """A period label that cannot be read, or a period that cannot exist.

    A usage error when the label came from the command line; readers of files catch it
    and raise an ``InputError`` naming the file and line.
    """


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month. ``Month(2019, 6)`` is June 2019."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"month must be 1-12, got {self.month}")
        if not 1900 <= self.year <= 2200:
            raise PeriodError(f"year {self.year} is out of range")

    @property
    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Month:
        return cls(ordinal // 12, ordinal % 12 + 1)

    @classmethod
    def from_date(cls, d: date) -> Month:
        return cls(d.year, d.month)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __add__(self, months: int) -> Month:
        return Month.from_ordinal(self.ordinal + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_ordinal(self.ordinal - months)

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def name(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def short(self) -> str:
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year}"

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True)
class Period:
    """Base class: a run of months from ``first`` to ``last`` inclusive.

    Subclasses fix the length and alignment and give the label people write.
    """

    kind: ClassVar[str] = "period"

    @property
    def first(self) -> Month:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def last(self) -> Month:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def label(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def long_label(self) -> str:
        """Label for prose ("the year ending June 2019"); defaults to ``label``."""
        return self.label

    @property
    def n_months(self) -> int:
        return self.last.ordinal - self.first.ordinal + 1

    def months(self) -> list[Month]:
        return [self.first + i for i in range(self.n_months)]

    def contains(self, other: Period | Month) -> bool:
        first, last = (other, other) if isinstance(other, Month) else (other.first, other.last)
        return self.first <= first and last <= self.last

    def shift(self, months: int) -> Period:  # pragma: no cover - abstract
        raise NotImplementedError

    def previous(self) -> Period:
        """The period an analyst compares with "last time".

        Fixed periods (month, quarter, year) step back by their own length. A rolling year
        steps back one quarter: statements are refreshed quarterly, so the previous
        statement's figure was the year ending three months earlier.
        """
        return self.shift(-self.n_months)

    def same_period_last_year(self) -> Period:
        return self.shift(-12)

    def span(self) -> MonthRange:
        return MonthRange(self.first, self.last)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class MonthPeriod(Period):
    """A single month as a reporting period."""

    kind: ClassVar[str] = "month"
    month: Month

    @property
    def first(self) -> Month:
        return self.month

    @property
    def last(self) -> Month:
        return self.month

    @property
    def label(self) -> str:
        return self.month.short()

    @property
    def long_label(self) -> str:
        return self.month.name()

    def shift(self, months: int) -> MonthPeriod:
        return MonthPeriod(self.month + months)


@dataclass(frozen=True)
class MonthRange(Period):
    """Any contiguous run of months, e.g. the custom window "Jan 2021 to Dec 2021"."""

    kind: ClassVar[str] = "range"
    start: Month
    end: Month

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"range ends ({self.end}) before it starts ({self.start})")

    @property
    def first(self) -> Month:
        return self.start

    @property
    def last(self) -> Month:
        return self.end

    @property
    def label(self) -> str:
        if self.start == self.end:
            return self.start.short()
        return f"{self.start.short()} to {self.end.short()}"

    @property
    def long_label(self) -> str:
        return f"{self.start.name()} to {self.end.name()}"

    def shift(self, months: int) -> MonthRange:
        return MonthRange(self.start + months, self.end + months)


def _fy_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class FinancialYear(Period):
    """April to March. ``FinancialYear(2018)`` is 2018-19 (April 2018 – March 2019)."""

    kind: ClassVar[str] = "financial_year"
    start_year: int

    @property
    def first(self) -> Month:
        return Month(self.start_year, 4)

    @property
    def last(self) -> Month:
        return Month(self.start_year + 1, 3)

    @property
    def label(self) -> str:
        return _fy_label(self.start_year)

    @property
    def long_label(self) -> str:
        return f"the financial year {self.label}"

    def shift(self, months: int) -> FinancialYear:
        if months % 12:
            raise PeriodError("a financial year can only move by whole years")
        return FinancialYear(self.start_year + months // 12)

    def quarters(self) -> list[FinancialQuarter]:
        return [FinancialQuarter(self.start_year, q) for q in (1, 2, 3, 4)]


@dataclass(frozen=True)
class FinancialQuarter(Period):
    """Q1 = April–June. ``FinancialQuarter(2024, 1)`` is "2024-25 Q1" (April–June 2024)."""

    kind: ClassVar[str] = "financial_quarter"
    start_year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"financial quarter must be 1-4, got {self.quarter}")

    @property
    def first(self) -> Month:
        return Month(self.start_year, 4) + 3 * (self.quarter - 1)

    @property
    def last(self) -> Month:
        return self.first + 2

    @property
    def label(self) -> str:
        return f"{_fy_label(self.start_year)} Q{self.quarter}"

    @property
    def long_label(self) -> str:
        return f"{self.label} ({self.first.short()} to {self.last.short()})"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @classmethod
    def containing(cls, month: Month) -> FinancialQuarter:
        offset = (month.ordinal - Month(month.year, 4).ordinal) % 12
        start_year = month.year if month.month >= 4 else month.year - 1
        return cls(start_year, offset // 3 + 1)

    def shift(self, months: int) -> FinancialQuarter:
        if months % 3:
            raise PeriodError("a quarter can only move by whole quarters")
        return FinancialQuarter.containing(self.first + months)


@dataclass(frozen=True)
class CalendarQuarter(Period):
    """Q1 = January–March. ``CalendarQuarter(2024, 1)`` is "2024 Q1"."""

    kind: ClassVar[str] = "calendar_quarter"
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"calendar quarter must be 1-4, got {self.quarter}")

    @property
    def first(self) -> Month:
        return Month(self.year, 3 * self.quarter - 2)

    @property
    def last(self) -> Month:
        return self.first + 2

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def long_label(self) -> str:
        return f"{self.first.short()} to {self.last.short()}"

    def shift(self, months: int) -> CalendarQuarter:
        if months % 3:
            raise PeriodError("a quarter can only move by whole quarters")
        m = self.first + months
        return CalendarQuarter(m.year, (m.month - 1) // 3 + 1)


@dataclass(frozen=True)
class CalendarYear(Period):
    """January to December."""

    kind: ClassVar[str] = "calendar_year"
    year: int

    @property
    def first(self) -> Month:
        return Month(self.year, 1)

    @property
    def last(self) -> Month:
        return Month(self.year, 12)

    @property
    def label(self) -> str:
        return str(self.year)

    @property
    def long_label(self) -> str:
        return f"the calendar year {self.year}"

    def shift(self, months: int) -> CalendarYear:
        if months % 12:
            raise PeriodError("a calendar year can only move by whole years")
        return CalendarYear(self.year + months // 12)


@dataclass(frozen=True)
class RollingYear(Period):
    """Twelve months ending with ``end``: "YE Jun 2019" is July 2018 – June 2019."""

    kind: ClassVar[str] = "rolling_year"
    end: Month

    @property
    def first(self) -> Month:
        return self.end - 11

    @property
    def last(self) -> Month:
        return self.end

    @property
    def label(self) -> str:
        return f"YE {self.end.short()}"

    @property
    def long_label(self) -> str:
        return f"the year ending {self.end.name()}"

    def shift(self, months: int) -> RollingYear:
        return RollingYear(self.end + months)

    def previous(self) -> RollingYear:
        return self.shift(-3)


NATIONAL_BASELINE = RollingYear(Month(2019, 6))
"""The Home Office baseline for the National Crime and Policing Measures (seed 001 para 4)."""


# --- parsing -----------------------------------------------------------------------------

def _year(text: str) -> int:
    y = int(text)
    if y < 100:
        y += 2000
    return y


def _month_name(text: str) -> int:
    key = text.strip().lower().rstrip(".")
    if key not in _MONTH_LOOKUP:
        raise PeriodError(f"unknown month name {text!r}")
    return _MONTH_LOOKUP[key]


def _fy_start(a: str, b: str | None) -> int:
    start = _year(a)
    if b is not None:
        end = _year(b) if len(b) == 4 else (start // 100) * 100 + int(b)
        if end < start:
            end += 100
        if end != start + 1:
            if len(b) == 2 and int(b) > 12:
                raise PeriodError(f"{a}-{b} is neither a month (months run 01 to 12) nor a financial year "
                                  f"(write {start}-{(start + 1) % 100:02d})")
            raise PeriodError(f"financial year {a}-{b} does not span consecutive years")
    return start


_MONTH_WORD = r"([A-Za-z]{3,9}\.?)"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 2019-06 (ISO month; "2011-12" is December 2011 — write 2011/12 for the financial year)
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month_iso"),
    # June 2019 / Jun 2019 / Jun-19 / Jun 19
    (re.compile(rf"^{_MONTH_WORD}[\s\-]+(\d{{2}}|\d{{4}})$"), "month_name"),
    # YE Jun 2019 / year ending June 2019 / 12 months to June 2019 / R12 Jun 19
    (re.compile(rf"^(?:ye|y/e|year\s+ending|year\s+to|12\s+months?\s+(?:to|ending)|r12|rolling\s+year\s+(?:to|ending))"
                rf"\s+{_MONTH_WORD}[\s\-]*(\d{{2}}|\d{{4}})$"), "rolling"),
    # 2024-25 Q1 / 2024/25 Q1 / Q1 2024-25 / Q1 2024/25 / FY2024-25 Q1 / Q1 24/25
    (re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*q([1-4])$"), "fq"),
    (re.compile(r"^q([1-4])\s+(?:fy\s*)?(\d{2}|\d{4})\s*[-/]\s*(\d{2}|\d{4})$"), "fq_rev"),
    # 2024-25 / 2024/25 / FY 2024-25 / FY24/25
    (re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[-/]\s*(\d{2}|\d{4})$"), "fy"),
    # 2024 Q1 / Q1 2024 (calendar)
    (re.compile(r"^(\d{4})\s*q([1-4])$"), "cq"),
    (re.compile(r"^q([1-4])\s+(\d{4})$"), "cq_rev"),
    # 2024 / CY2024
    (re.compile(r"^(?:cy\s*)?(\d{4})$"), "cy"),
]


def parse(label: str) -> Period:
    """Read a period label as analysts write it.

    >>> parse("2024-25 Q1").label
    '2024-25 Q1'
    >>> parse("year ending June 2019").label
    'YE Jun 2019'
    >>> parse("Jul 2018 to Jun 2019").label
    'Jul 2018 to Jun 2019'

    Ambiguity is resolved the way UK policing documents use it: "2024-25" is a financial
    year, "2024 Q1" a calendar quarter, "2024-25 Q1" a financial quarter.  The one true
    collision, "2011-12", is read as the ISO month December 2011; write "2011/12" or
    "FY2011-12" for the financial year.
    """
    text = " ".join(label.strip().split())
    if not text:
        raise PeriodError("empty period label")
    low = text.lower()
    for pattern, kind in _PATTERNS:
        m = pattern.match(low)
        if not m:
            continue
        g = m.groups()
        try:
            if kind == "month_iso":
                return MonthPeriod(Month(int(g[0]), int(g[1])))
            if kind == "month_name":
                return MonthPeriod(Month(_year(g[1]), _month_name(g[0])))
            if kind == "rolling":
                return RollingYear(Month(_year(g[1]), _month_name(g[0])))
            if kind == "fq":
                return FinancialQuarter(_fy_start(g[0], g[1]), int(g[2]))
            if kind == "fq_rev":
                return FinancialQuarter(_fy_start(g[1], g[2]), int(g[0]))
            if kind == "fy":
                return FinancialYear(_fy_start(g[0], g[1]))
            if kind == "cq":
                return CalendarQuarter(int(g[0]), int(g[1]))
            if kind == "cq_rev":
                return CalendarQuarter(int(g[1]), int(g[0]))
            if kind == "cy":
                return CalendarYear(int(g[0]))
        except ValueError as exc:
            raise PeriodError(f"cannot read period {label!r}: {exc}") from exc
    for sep in (" to ", " - ", " – ", " until "):
        if sep in low:
            idx = low.index(sep)
            start, end = parse(text[:idx]), parse(text[idx + len(sep):])
            return MonthRange(start.first, end.last)
    raise PeriodError(
        f"cannot read period {label!r}; try '2024-25 Q1', '2024-25', 'YE Jun 2019', "
        "'2024 Q1', '2024', '2024-06' or 'Jan 2024 to Jun 2024'"
    )


def parse_month(label: str) -> Month:
    """Read a single month ("2019-06", "Jun 2019", "June 2019")."""
    period = parse(label)
    if period.n_months != 1:
        raise PeriodError(f"{label!r} is not a single month")
    return period.first


def month_of(d: date) -> Month:
    return Month.from_date(d)


def month_range(first: Month, last: Month) -> list[Month]:
    return [first + i for i in range(last.ordinal - first.ordinal + 1)]


def units_within(period: Period, grain_months: int, align: int) -> list[MonthRange] | None:
    """Split ``period`` into whole source units of ``grain_months`` months.

    ``align`` is the calendar month (1-12) on which units start (4 for financial
    quarters, 1 for calendar quarters and months).  Returns None when the period does not
    consist of whole units — e.g. asking quarterly data for a single month.
    """
    if grain_months == 1:
        return [MonthRange(m, m) for m in period.months()]
    if (period.first.month - align) % grain_months or period.n_months % grain_months:
        return None
    return [
        MonthRange(period.first + i, period.first + i + grain_months - 1)
        for i in range(0, period.n_months, grain_months)
    ]
