"""Relative position within one country: the quantile group of each area among its own country.

Used where the level of a measure cannot be compared across countries (Dutch standardised
household income against Belgian net taxable income per tax return): only the rank inside each
country is shown, never the amounts side by side.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def within_country_quantile(values, n: int = 5) -> pd.Series:
    """Quantile group 1..n of each value among the non-missing values passed (one country).

    Group = ceil(n * r / N), with r the rank of the value from lowest (1) to highest (N) and ties
    given their average rank, so equal values always share a group; N counts non-missing values
    only. Missing values (None, NaN) stay missing (NaN), never group 1. With N = 10 and n = 5 each
    group holds two areas. (Rank-based grouping as in Statbel's and CBS's decile tables.)
    """
    if int(n) != n or n < 2:
        raise ValueError("n must be a whole number of groups, at least 2")
    s = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    ranks = s.rank(method="average", ascending=True)
    total = int(s.notna().sum())
    out = pd.Series(np.nan, index=s.index, dtype=float)
    if total == 0:
        return out
    ok = ranks.notna()
    out[ok] = [float(max(1, math.ceil(round(n * r / total, 9)))) for r in ranks[ok]]
    return out
