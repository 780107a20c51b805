"""Numbers as documents write them, with the precision they are written to.

A claim is judged to the precision it is written with: "34%" is right for anything from 33.5%
to 34.5%, "1.9%" from 1.85% to 1.95%, and "five a month" from 4.5 to 5.5.  So a stated number
keeps its places, and ``within_rounding`` is the one rule every check uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: A number written with or without thousands separators and decimals: 1,118 / 7497 / 1.9.
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
#: "%", " per cent", " percent", "pc".
PERCENT = r"\s*(?:%|per\s?cent\b|pc\b)"
#: Numbers written as words, as prose writes small ones ("averaging five a month").
_UP_TO_TWENTY = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty")
WORDS: dict[str, int] = {w: n for n, w in enumerate(_UP_TO_TWENTY.split(" "))} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORD_NUMBER = r"\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b"


@dataclass(frozen=True)
class Stated:
    """A number as a document wrote it: its value, its decimal places and its text."""

    value: Decimal
    places: int
    text: str
    under: bool = False  # a bound: "less than 0.1%" holds for anything below it

    @classmethod
    def of(cls, whole: str, fraction: str | None, text: str | None = None) -> Stated:
        value = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else ""))
        return cls(value, len(fraction) if fraction else 0, text if text is not None else _join(whole, fraction))

    @classmethod
    def word(cls, word: str) -> Stated:
        return cls(Decimal(WORDS[word.lower()]), 0, word)

    @property
    def half(self) -> Decimal:
        """Half a unit of the last place written: what rounding can hide."""
        return half(self.places)

    def holds_for(self, exact: Decimal) -> bool:
        """Whether ``exact`` rounds to this number as written (or, for a bound, is below it)."""
        if self.under:
            return abs(exact) < self.value
        return within_rounding(exact, self.value, self.places)


def _join(whole: str, fraction: str | None) -> str:
    return whole + (f".{fraction}" if fraction else "")


def half(places: int) -> Decimal:
    return Decimal(5).scaleb(-places - 1)


def within_rounding(exact: Decimal, stated: Decimal, places: int) -> bool:
    return abs(exact - stated) <= half(places)


def show(value: Decimal, places: int) -> str:
    """A value to ``places`` decimals with thousands separators, as a person would check it."""
    return f"{value:,.{places}f}"


def plain(value: Decimal) -> str:
    return f"{value:,}"


def to_decimal(value: float) -> Decimal:
    """A store's float as the decimal it prints as (44.0 is 44)."""
    return Decimal(int(value)) if float(value).is_integer() else Decimal(repr(value))


_CELL_NUMBER = re.compile(rf"^\s*([-−+]?)\s*£?{NUMBER}\s*(%?)\s*$")


def cell(text: str) -> tuple[Stated | None, bool]:
    """A table cell's number (None when the cell is not one), signed as written ("−55", with
    the minus sign documents print, is a fall of 55), and whether it is a percentage."""
    m = _CELL_NUMBER.match(text)
    if not m:
        return None, False
    stated = Stated.of(m.group(2), m.group(3), text.strip())
    if m.group(1) in ("-", "−"):
        stated = Stated(-stated.value, stated.places, stated.text)
    return stated, bool(m.group(4))
