"""The police precept by council tax band, from the Band D amount, to the penny.

A PCC sets one figure, the Band D precept.  Every other band is a fixed statutory proportion
of it (Local Government Finance Act 1992, s.5: Band A is 6/9 of Band D … Band H 18/9), and
annual reports print the table of all eight bands with the change from the year before,
annual and weekly.  Published tables follow one convention, which seed 003 (West Midlands,
2023-24) reproduces to the penny from Band D £187.55 and £202.55:

* each band's amount is Band D × its proportion, rounded to the penny (half up);
* the annual change is the difference of the two *rounded* amounts (Band F: £292.57 − £270.91
  = £21.66, where 13/9 of £15.00 would be £21.67);
* the weekly change is the annual change over 52 weeks, rounded to the penny.

The arithmetic is exact: amounts are ``Decimal`` and proportions ``Fraction``, and rounding to
the penny works on the exact fraction (a float cannot hold £0.10).  The document shows each
amount as text made from the exact figure; its cell carries the value as a float beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scorecard.numbers import round_exact

WEEKS_IN_YEAR = 52

#: The statutory proportions of Band D, band by band.
BANDS: tuple[tuple[str, Fraction], ...] = (
    ("A", Fraction(6, 9)), ("B", Fraction(7, 9)), ("C", Fraction(8, 9)), ("D", Fraction(9, 9)),
    ("E", Fraction(11, 9)), ("F", Fraction(13, 9)), ("G", Fraction(15, 9)), ("H", Fraction(18, 9)),
)


def to_penny(amount: Decimal | Fraction) -> Decimal:
    """Round an amount of money to the penny by the project's one rule (``numbers``), exactly."""
    return round_exact(amount, 2)


#: Pounds as people write them: "202.55", "£1,002.50", "200"; commas only between thousands.
_POUNDS = re.compile(r"£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d{1,2}))?")
#: The largest amount read (a police budget is hundreds of millions; a precept a few hundred pounds).
MAX_POUNDS = Decimal(10) ** 12


def pounds(text: str | int | float | Decimal) -> Decimal:
    """An amount as a configuration gives it (``202.55``, ``"£202.55"``): pounds and at most two
    places of pence, above zero and below £1 trillion; ValueError saying what is wrong
    otherwise.  A float is read by its shortest decimal form (YAML's 202.55 is 202.55, not
    202.55000000000001)."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not an amount of money (write it as 202.55)")
    written = str(text).strip()
    found = _POUNDS.fullmatch(written)
    if found is None:
        if re.fullmatch(r"£?[\d,]+\.\d{3,}", written):
            raise ValueError(f"{text!r} has more than two decimal places: give pounds and pence")
        raise ValueError(f"{text!r} is not an amount of money above zero (write it as 202.55)")
    value = Decimal(found["whole"].replace(",", "") + "." + (found["pence"] or "0").ljust(2, "0"))
    if value <= 0:
        raise ValueError(f"{text!r} is not an amount of money above zero")
    if value >= MAX_POUNDS:
        raise ValueError(f"{text!r} is more than £1 trillion: not an amount this report can hold")
    return value


@dataclass(frozen=True)
class BandRow:
    band: str  # "A" … "H"
    proportion: Fraction  # of Band D
    previous: Decimal
    current: Decimal
    annual_change: Decimal
    weekly_change: Decimal

    @property
    def proportion_text(self) -> str:
        """As published: "6/9" … "18/9" (ninths, not reduced)."""
        return f"{self.proportion.numerator * 9 // self.proportion.denominator}/9"


def band_amount(band_d: Decimal, proportion: Fraction) -> Decimal:
    return to_penny(Fraction(band_d) * proportion)


def precept_by_band(previous_band_d: Decimal, current_band_d: Decimal) -> tuple[BandRow, ...]:
    """The eight bands for two years, by the convention in the module docstring."""
    rows = []
    for band, proportion in BANDS:
        before, now = band_amount(previous_band_d, proportion), band_amount(current_band_d, proportion)
        annual = now - before
        rows.append(BandRow(band, proportion, before, now, annual, to_penny(annual / WEEKS_IN_YEAR)))
    return tuple(rows)


__all__ = ["BANDS", "MAX_POUNDS", "WEEKS_IN_YEAR", "BandRow", "band_amount", "pounds", "precept_by_band", "to_penny"]
