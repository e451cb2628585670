"""Numbers as a person writes them: three significant figures, thousands separators, units.

Every view formats figures through these functions, so the card, the Brief table, the
CLI and BACKEND_DESIGN.md say "12,800", "4.5 GB" and "about 40 a day" the same way.
"""

from __future__ import annotations

import math

_BYTES = ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB"))
_PERIODS = ((86_400.0, "a day"), (3_600.0, "an hour"), (60.0, "a minute"))


def sig(x: float, digits: int = 3) -> float:
    """`x` rounded to `digits` significant figures (0 stays 0)."""
    if not x or not math.isfinite(x):
        return 0.0 if not x else x
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def plain(x: float) -> str:
    """A figure with at most three significant figures and thousands separators: 12,800 · 4.5 · 0.35."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if not math.isfinite(x):
        return "unlimited" if x > 0 else str(x)
    r = sig(float(x))
    if r == int(r) and abs(r) >= 1:
        return f"{int(r):,}"
    return f"{r:,.{max(0, 2 - int(math.floor(math.log10(abs(r)))))}f}".rstrip("0").rstrip(".") if r else "0"


def human(x: float, unit: str = "") -> str:
    """`x` with its unit: bytes scale to KB..PB, millions and billions are spelled, others keep the unit."""
    if x is None:
        return ""
    if unit == "B":
        for size, name in _BYTES:
            if abs(x) >= size:
                return f"{plain(x / size)} {name}"
        return f"{plain(x)} B"
    if unit in ("USD", "EUR", "GBP"):
        sign = {"USD": "$", "EUR": "€", "GBP": "£"}[unit]
        return f"{sign}{plain(x)}"
    if unit == "fraction":
        return f"{x * 100:.10g}%"
    if abs(x) >= 1e9:
        text = f"{plain(x / 1e9)} billion"
    elif abs(x) >= 1e6:
        text = f"{plain(x / 1e6)} million"
    else:
        text = plain(x)
    return f"{text} {unit}".strip() if unit else text


def rate(per_second: float, what: str = "") -> str:
    """A rate a person can picture: '1,200/s', or for slow ones 'about 40 a day'."""
    noun = f" {what}" if what else ""
    if per_second >= 1 or per_second == 0:
        return f"{plain(per_second)}{noun}/s"
    for seconds, period in _PERIODS:
        if per_second * seconds >= 1 or seconds == 86_400.0:
            count = per_second * seconds
            if count < 1:
                return f"fewer than one{noun} a day"
            return f"about {plain(count)}{noun} {period}"
    return f"{plain(per_second)}{noun}/s"  # pragma: no cover - the loop always returns


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 service', '2 services': never 'service(s)'."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def percent(fraction: float) -> str:
    """0.999 -> '99.9%', without float noise (0.9990000000000001 -> 99.9%)."""
    return f"{sig(fraction * 100, 6):g}%"
