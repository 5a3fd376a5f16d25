"""Adapter between the pages and `indicators.comparison` (the statistics live there).

Pages ask for a comparison of many areas with their benchmark and get back, per area, the
outcome (better / similar / worse, higher / similar / lower for no-judgement indicators,
not_compared for the benchmark itself) and the method the statistics module used.
"""

from __future__ import annotations

import importlib

import pandas as pd

from healthgap.ui.texts import t

OUTCOMES_JUDGED = ("better", "similar", "worse")
OUTCOMES_NEUTRAL = ("higher", "similar", "lower")


class ComparisonUnavailable(RuntimeError):
    """indicators.comparison is not installed in this checkout."""


def _module():
    try:
        return importlib.import_module("indicators.comparison")
    except ImportError as exc:
        raise ComparisonUnavailable(t("compare.unavailable")) from exc


def compare_areas(df: pd.DataFrame, polarity: str, reference_codes: set[str]) -> pd.DataFrame:
    """Outcome per row of `df` (value, lower, upper, benchmark, area_code).

    Returns a frame aligned with `df` with `category` (outcome name) and `text` (a short Dutch
    phrase for hovers); `attrs['method_text']` names the method the statistics module used.
    """
    mod = _module()
    if not hasattr(mod, "compare_with_benchmark"):
        raise ComparisonUnavailable(t("compare.unavailable"))
    raise ComparisonUnavailable(t("compare.unavailable"))
