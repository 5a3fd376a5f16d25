"""Confidence intervals for proportions, counts, rates and means (scalars or numpy arrays).

Formulas follow OHID/PHE's PHEindicatormethods; see docs/methods.md, section "Intervals".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

# Fingertips shows counts below this with exact Poisson limits and from it with Byar's.
EXACT_POISSON_BELOW = 10


@dataclass(frozen=True)
class IntervalResult:
    """A self-describing estimate: value with its limits, the method and the confidence level."""

    value: float | np.ndarray
    lower: float | np.ndarray
    upper: float | np.ndarray
    method: str | np.ndarray
    confidence: float


def _z(confidence: float) -> float:
    _check_confidence(confidence)
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(
            f"confidence must lie strictly between 0 and 1 (got {confidence!r}); "
            "pass 0.95 for 95 % or 0.998 for 99.8 %"
        )


def _out(array: np.ndarray, scalar: bool):
    return float(array) if scalar else array


def _as_array(name: str, values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if np.any(array[~np.isnan(array)] < 0):
        raise ValueError(f"{name} must not be negative; check the input for sign errors")
    return array


def wilson_interval(numerator, denominator, confidence: float = 0.95):
    """Wilson score interval for a proportion, on the 0–1 scale.

    (2x + z² ± z·√(z² + 4x(1 − x/n))) / (2(n + z²))  — Wilson EB (1927), J Am Stat Assoc 22:209;
    as in PHEindicatormethods' phe_proportion. NaN inputs give NaN limits.
    """
    z = _z(confidence)
    scalar = np.ndim(numerator) == 0 and np.ndim(denominator) == 0
    x = _as_array("numerator", numerator)
    n = _as_array("denominator", denominator)
    if np.any(n == 0):
        raise ValueError("denominator must be greater than 0; drop areas without a population first")
    if np.any(x > n):
        raise ValueError("numerator must not exceed denominator; check that the columns are not swapped")
    root = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    lower = (2 * x + z**2 - root) / (2 * (n + z**2))
    upper = (2 * x + z**2 + root) / (2 * (n + z**2))
    return _out(lower, scalar), _out(upper, scalar)


def byar_interval(count, confidence: float = 0.95):
    """Byar's approximation to the exact Poisson interval for a count.

    lower = O·(1 − 1/(9O) − z/(3√O))³, upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³ —
    Breslow NE & Day NE (1987), Statistical Methods in Cancer Research vol II, p 69.
    A count of 0 has lower limit 0. Use `count_interval` for Fingertips' exact-below-10 rule.
    """
    z = _z(confidence)
    scalar = np.ndim(count) == 0
    o = _as_array("count", count)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(o > 0, o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3, 0.0)
    lower = np.where(np.isnan(o), np.nan, lower)
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    return _out(lower, scalar), _out(upper, scalar)


def exact_poisson_interval(count, confidence: float = 0.95):
    """Exact (Garwood) Poisson interval for a count from the chi-square distribution.

    lower = χ²(α/2; 2O)/2, upper = χ²(1 − α/2; 2O + 2)/2 — Garwood F (1936), Biometrika 28:437.
    """
    _check_confidence(confidence)
    alpha = 1 - confidence
    scalar = np.ndim(count) == 0
    o = _as_array("count", count)
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
    lower = np.where(np.isnan(o), np.nan, lower)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return _out(lower, scalar), _out(upper, scalar)


def count_interval(count, confidence: float = 0.95) -> IntervalResult:
    """Interval for a count as Fingertips shows it: exact Poisson below 10 events, Byar from 10."""
    scalar = np.ndim(count) == 0
    o = _as_array("count", count)
    exact_lower, exact_upper = exact_poisson_interval(o, confidence)
    byar_lower, byar_upper = byar_interval(o, confidence)
    exact = o < EXACT_POISSON_BELOW
    lower = np.where(exact, exact_lower, byar_lower)
    upper = np.where(exact, exact_upper, byar_upper)
    method = np.where(exact, "exact_poisson", "byar")
    return IntervalResult(
        value=_out(o, scalar),
        lower=_out(lower, scalar),
        upper=_out(upper, scalar),
        method=str(method) if scalar else method,
        confidence=confidence,
    )


def rate_interval(count, population, multiplier: float = 100_000, confidence: float = 0.95) -> IntervalResult:
    """Crude rate count / population × multiplier with its count interval scaled the same way.

    Exact Poisson below 10 events, Byar from 10 (PHEindicatormethods' phe_rate).
    """
    scalar = np.ndim(count) == 0 and np.ndim(population) == 0
    pop = _as_array("population", population)
    if np.any(pop == 0):
        raise ValueError("population must be greater than 0; drop areas without a population first")
    counts = count_interval(count, confidence)
    scale = multiplier / pop
    return IntervalResult(
        value=_out(np.asarray(counts.value) * scale, scalar),
        lower=_out(np.asarray(counts.lower) * scale, scalar),
        upper=_out(np.asarray(counts.upper) * scale, scalar),
        method=counts.method,
        confidence=confidence,
    )


def proportion_interval(numerator, denominator, multiplier: float = 1, confidence: float = 0.95) -> IntervalResult:
    """Proportion numerator / denominator × multiplier with its Wilson score limits."""
    scalar = np.ndim(numerator) == 0 and np.ndim(denominator) == 0
    lower, upper = wilson_interval(numerator, denominator, confidence)
    value = np.asarray(numerator, dtype=float) / np.asarray(denominator, dtype=float)
    return IntervalResult(
        value=_out(value * multiplier, scalar),
        lower=_out(np.asarray(lower) * multiplier, scalar),
        upper=_out(np.asarray(upper) * multiplier, scalar),
        method="wilson",
        confidence=confidence,
    )


def student_t_interval(mean, sd, n, confidence: float = 0.95):
    """Student t interval for a mean: mean ± t(1 − α/2; n − 1) · sd / √n.

    Student (1908), Biometrika 6:1; as in PHEindicatormethods' phe_mean.
    """
    _check_confidence(confidence)
    scalar = np.ndim(mean) == 0 and np.ndim(sd) == 0 and np.ndim(n) == 0
    m = np.asarray(mean, dtype=float)
    s = _as_array("sd", sd)
    size = np.asarray(n, dtype=float)
    if np.any(size < 2):
        raise ValueError("n must be at least 2 for a t interval; an interval needs two observations")
    half = stats.t.ppf(1 - (1 - confidence) / 2, size - 1) * s / np.sqrt(size)
    return _out(m - half, scalar), _out(m + half, scalar)
