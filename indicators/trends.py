"""Trend tests over time and change of a gap measure between two periods."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from indicators.comparison import word_by_polarity


@dataclass(frozen=True)
class TrendResult:
    direction: str  # increasing | decreasing | no_significant_change | not_computed
    outcome: str  # polarity wording: getting_better | getting_worse | same as direction
    chi_square: float
    p_value: float
    points: int
    method: str = "chi_square_linear_trend"


@dataclass(frozen=True)
class ChangeResult:
    change: float
    lower: float
    upper: float
    confidence: float
    method: str = "difference_of_independent_estimates"


def test_recent_trend(numerators, denominators, polarity: str = "no_judgement",
                      last: int = 5, confidence: float = 0.999) -> TrendResult:
    """Chi-square test for linear trend in proportions over the last `last` periods (Fingertips).

    Scores t = 1..k; p̄ = Σx/Σn; T = Σx·t − p̄·Σn·t; V = p̄(1−p̄)·(Σn·t² − (Σn·t)²/Σn);
    χ² = T²/V on 1 df. Armitage P (1955), Biometrics 11:375; Fingertips recent-trend method.
    Polarity only words the result (getting better/worse).
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    x = np.asarray(numerators, dtype=float)[-last:]
    n = np.asarray(denominators, dtype=float)[-last:]
    if x.shape != n.shape:
        raise ValueError("numerators and denominators must have the same length")
    if np.any(x < 0) or np.any(n < 0) or np.any(x > n):
        raise ValueError("counts must be non-negative and numerators must not exceed denominators")
    if len(x) < 3 or np.isnan(x).any() or np.isnan(n).any():
        return TrendResult("not_computed", "not_computed", float("nan"), float("nan"), len(x))
    t = np.arange(1, len(x) + 1, dtype=float)
    p = x.sum() / n.sum()
    numerator = (x * t).sum() - p * (n * t).sum()
    variance = p * (1 - p) * ((n * t * t).sum() - (n * t).sum() ** 2 / n.sum())
    if variance <= 0:
        return TrendResult("no_significant_change", "no_significant_change", 0.0, 1.0, len(x))
    chi = numerator**2 / variance
    p_value = float(stats.chi2.sf(chi, 1))
    if p_value >= 1 - confidence:
        direction = "no_significant_change"
        outcome = direction
    else:
        direction = "increasing" if numerator > 0 else "decreasing"
        worded = word_by_polarity("higher" if numerator > 0 else "lower", polarity)
        outcome = {"better": "getting_better", "worse": "getting_worse"}.get(worded, direction)
    return TrendResult(direction, outcome, float(chi), p_value, len(x))


test_recent_trend.__test__ = False  # a method, not a pytest test


def change_between_periods(est1: float, se1: float, est2: float, se2: float,
                           confidence: float = 0.95) -> ChangeResult:
    """Change est2 − est1 of a gap measure with a normal interval, SE = √(se1² + se2²).

    Assumes independent estimates (different periods, different samples); Altman DG & Bland JM
    (2003), BMJ 326:219 "Interaction revisited: the difference between two estimates".
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    if se1 < 0 or se2 < 0:
        raise ValueError("standard errors must not be negative")
    change = est2 - est1
    half = stats.norm.ppf(1 - (1 - confidence) / 2) * np.hypot(se1, se2)
    return ChangeResult(float(change), float(change - half), float(change + half), confidence)
