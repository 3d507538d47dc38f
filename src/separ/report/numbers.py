"""Numbers as a Korean report prints them: rounded half up, fixed decimals per column.

Python's own formatting rounds the binary value (7.25 prints as "7.2"); a reader checking
a mean by hand rounds half up (반올림) and expects "7.3". A column mixing "47" and "27.4"
reads as two kinds of number, so every value of a column gets the same decimals.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real
from typing import Any

MAX_DECIMALS = 2
"""No report number needs more: shares and means are read to a tenth or a hundredth."""


def is_number(value: Any) -> bool:
    """A real number that is printed as one (not a bool, not NaN)."""
    return (
        isinstance(value, Real)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and math.isnan(value))
    )


def half_up(value: float, decimals: int) -> Decimal:
    """``value`` rounded half up to ``decimals`` places, from its shortest decimal form."""
    return Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def decimals_of(values: list[Any]) -> int:
    """The decimals a column needs: the most any of its numbers shows, at most two."""
    most = 0
    for value in values:
        if not is_number(value) or isinstance(value, Integral):
            continue
        rounded = half_up(float(value), MAX_DECIMALS).normalize()
        exponent = rounded.as_tuple().exponent
        assert isinstance(exponent, int)
        most = max(most, -exponent)
    return most


def fixed(value: float, decimals: int, grouped: bool = False) -> str:
    """``value`` with exactly ``decimals`` places, rounded half up; "1,234.5" if ``grouped``."""
    rounded = half_up(value, decimals)
    return f"{rounded:{',' if grouped else ''}.{decimals}f}"


def one_decimal(value: float) -> str:
    """A mean in a sentence: one decimal, half up, none when whole ("10.4", "9")."""
    return fixed(value, 1).removesuffix(".0")


def _present(values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None and v == v and v != ""]


def numeric_column(values: list[Any]) -> bool:
    """Every filled cell a number: the column is right-aligned and formatted as numbers."""
    present = _present(values)
    return bool(present) and all(is_number(v) for v in present)


def grouped_column(values: list[Any]) -> bool:
    """Thousands separators for amounts, but not for a column of years (2022, not 2,022)."""
    present = _present(values)
    return not all(float(v).is_integer() and 1900 <= float(v) <= 2200 for v in present)


def excel_format(decimals: int, grouped: bool) -> str:
    """The Excel number format that shows what the printed table shows."""
    return ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
