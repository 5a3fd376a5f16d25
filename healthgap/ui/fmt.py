"""Number and period formats in the run's language: Dutch decimal comma and thousands point,
French decimal comma and thousands (narrow no-break) space, English decimal point and thousands
comma; one glyph for missing.

Every number a page shows goes through this module so the format is the same everywhere.
"""

from __future__ import annotations

import math
from numbers import Real

from healthgap.ui.texts import language, t, t_optional

MISSING = "–"  # en dash: the one glyph for "no value" in tables, hovers and sentences


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


# (thousands separator, decimal separator) per language
SEPARATORS = {"nl": (".", ","), "fr": ("\u202f", ","), "en": (",", ".")}


def number(value, decimals: int = 1) -> str:
    """12345.678 -> '12.345,7' (nl), '12 345,7' (fr), '12,345.7' (en); None/NaN -> '–'."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{max(int(decimals), 0)}f}"
    thousands, decimal = SEPARATORS.get(language(), SEPARATORS["nl"])
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def signed(value, decimals: int = 1) -> str:
    """Difference with an explicit sign: '+2,3' / '−1,0' (true minus sign)."""
    if is_missing(value):
        return MISSING
    text = number(abs(float(value)), decimals)
    if round(float(value), int(decimals)) == 0:
        return text
    return ("+" if float(value) > 0 else "−") + text


def delta_arrow(value, decimals: int = 1) -> str:
    """st.metric arrow for a difference: Streamlit reads only an ASCII '-' as negative, and
    `signed` writes a true minus sign, so the direction is given explicitly."""
    if is_missing(value) or round(float(value), int(decimals)) == 0:
        return "off"
    return "up" if float(value) > 0 else "down"


def value_with_unit(value, unit: str, decimals: int = 1) -> str:
    """A value with its unit: '24,1%', '32,4 × € 1.000', '81,2 jaar'."""
    if is_missing(value):
        return MISSING
    return number(value, decimals) + unit_suffix(unit)


def difference_with_unit(value, unit: str, decimals: int = 1) -> str:
    """Differences of percentages are percentage points, not percent."""
    if is_missing(value):
        return MISSING
    suffix = t_optional(f"difference_suffix.{unit}")
    return signed(value, decimals) + (unit_suffix(unit) if suffix is None else suffix)


def unit_suffix(unit: str) -> str:
    """What follows a number of this unit ('%', ' jaar'); empty for plain counts and ratios."""
    return t_optional(f"unit_suffix.{unit}") or ""


def unit_label(unit: str) -> str:
    return unit_suffix(unit).strip()


def period_label(period: str) -> str:
    """'2019-2022' -> '2019–2022' (en dash between years); single years unchanged."""
    if period is None:
        return MISSING
    text = str(period).strip()
    return text.replace("-", "–") if text.count("-") == 1 and text.replace("-", "").isdigit() else text


def age_label(age_group: str) -> str:
    return t_optional(f"age_group.{age_group}") or str(age_group)


def count(n) -> str:
    if is_missing(n):
        return MISSING
    return number(int(n), 0)


def is_number(value) -> bool:
    return isinstance(value, Real) and not is_missing(value)


def date_label(day) -> str:
    """A date written out in the run's language: '3 december 2026', '3 December 2026',
    '3 décembre 2026'."""
    return t("date.long", day=day.day, month=t(f"date.month_{day.month}"), year=day.year)


DUTCH_SOURCE_PREFIX = "Bron:"


def attribution(text) -> str:
    """A source's attribution in the run's language: data/sources.toml writes every one as
    "Bron: ..." (the data's convention, tests/test_manifest.py); French and English pages get
    their own word for it ("Source :", "Source:") instead of the Dutch one."""
    if not isinstance(text, str):
        return MISSING
    if text.startswith(DUTCH_SOURCE_PREFIX):
        return t("footer_lang.source_prefix") + text[len(DUTCH_SOURCE_PREFIX):]
    return text
