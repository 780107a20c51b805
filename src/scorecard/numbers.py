"""The one rounding rule and the UK number formats, used by every output.

Figures are computed unrounded and rounded once, here, when they are shown.  Python's
``round`` rounds half to even (``round(2.5) == 2``) and works on binary floats
(``round(1.005, 2) == 1.0``); published statistics round half away from zero on the
decimal figure, so we go through ``Decimal`` of the float's shortest repr.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_away(value: float, places: int = 0) -> float:
    """Round half away from zero: 2.5 -> 3, -2.5 -> -3, 1.005 -> 1.01 (2 places)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_exact(value: Fraction | Decimal, places: int) -> Decimal:
    """The same rule on an exact figure (money worked out in fractions): half away from zero,
    never through a float.  ``round_exact(Fraction(1, 8), 2) == Decimal("0.13")``."""
    scaled = abs(Fraction(value)) * 10**places
    whole = int(scaled + Fraction(1, 2))  # floor(x + 1/2): a half rounds up, away from zero
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def percent_change(value: float | None, base: float | None) -> float | None:
    """Unrounded % change from ``base`` to ``value``; None when it is undefined (base 0)."""
    if value is None or base is None or base == 0:
        return None
    # Exact arithmetic: in floats 17 against 40 gives -57.49999999999999, which would
    # round to 57% instead of 58%.
    return float((Fraction(value) - Fraction(base)) / abs(Fraction(base)) * 100)


def format_number(value: float | None, places: int = 0) -> str:
    """UK style: thousands separated by commas, "28,675"; a dash for a missing figure."""
    if value is None:
        return "–"
    rounded = round_half_away(value, places)
    if places == 0:
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}"


def format_percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return "–"
    return f"{format_number(value, places)}%"


def format_signed_percent(value: float | None, places: int = 1) -> str:
    """"+1.9%", "-34.0%", "0.0%": the sign is taken after rounding so -0.04 shows 0.0%."""
    if value is None:
        return "–"
    rounded = round_half_away(value, places)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "")
    return f"{sign}{format_number(abs(rounded), places)}%"
