"""PHE slope and relative index of inequality (Low & Low 2004, as in PHEindicatormethods)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

# PHEindicatormethods derives every SE from 95 % limits, whatever the requested confidence.
_Z95 = float(stats.norm.ppf(0.975))
_VALUE_TYPES = ("other", "rate", "proportion")


@dataclass(frozen=True)
class PheSiiResult:
    """SII (value at least deprived − most deprived, × multiplier) and RII with Monte-Carlo limits."""

    sii: float
    rii: float
    intercept: float
    sii_lower: float
    sii_upper: float
    rii_lower: float
    rii_upper: float
    confidence: float
    repetitions: int
    method: str = "phe_sii_low_and_low_2004"


def _check(data: pd.DataFrame, value_type: str, confidence: float, repetitions: int) -> None:
    if value_type not in _VALUE_TYPES:
        raise ValueError(f"value_type must be one of {_VALUE_TYPES} (got {value_type!r})")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1 (got {confidence!r}); use 0.95 or 0.998")
    if repetitions < 1000:
        raise ValueError(f"repetitions must be at least 1000 (got {repetitions}); the default is 100,000")
    missing = {"quantile", "population", "value"} - set(data.columns)
    if missing:
        raise ValueError(f"data lacks the column(s) {sorted(missing)}; phe_sii needs quantile, population, value")
    if "se" not in data.columns and not {"lower_cl", "upper_cl"} <= set(data.columns):
        raise ValueError("data needs either an 'se' column or both 'lower_cl' and 'upper_cl'")
    if data["quantile"].duplicated().any():
        raise ValueError("each quantile must appear once; aggregate duplicated quantiles before calling phe_sii")
    if not 5 <= len(data) <= 100:
        raise ValueError(f"phe_sii needs between 5 and 100 quantiles (got {len(data)}), as PHE requires")
    if (data["population"].isna() | (data["population"] <= 0)).any():
        raise ValueError("every quantile needs a population greater than 0; drop or fill empty quantiles")
    if data["value"].isna().any():
        raise ValueError("every quantile needs a value; phe_sii cannot be computed with missing values")


def _standard_errors(data: pd.DataFrame, value_type: str, transform: bool) -> tuple[np.ndarray, np.ndarray]:
    """Centre and SE of each quantile's sampling distribution, on the transformed scale if asked."""
    value = data["value"].to_numpy(float)
    if value_type == "proportion" and ((value < 0) | (value > 1)).any():
        raise ValueError("proportions must lie between 0 and 1; divide percentages by 100 and use multiplier=100")
    if not transform or value_type == "other":
        if "se" in data.columns:
            se = data["se"].to_numpy(float)
        else:
            se = (data["upper_cl"].to_numpy(float) - data["lower_cl"].to_numpy(float)) / (2 * _Z95)
        if np.isnan(se).any() or (se < 0).any():
            raise ValueError("standard errors (or limits) must be present and upper_cl ≥ lower_cl")
        return value, se
    if "lower_cl" not in data.columns or "upper_cl" not in data.columns:
        raise ValueError("transform=True needs lower_cl and upper_cl (an SE is not on the transformed scale)")
    link = np.log if value_type == "rate" else (lambda p: np.log(p / (1 - p)))
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = link(value)
        se = (link(data["upper_cl"].to_numpy(float)) - link(data["lower_cl"].to_numpy(float))) / (2 * _Z95)
    if not (np.isfinite(centre).all() and np.isfinite(se).all()):
        raise ValueError("transform=True needs values and limits strictly inside the link's domain (no 0 or 1)")
    return centre, se


def phe_sii(
    data: pd.DataFrame,
    value_type: str = "other",
    transform: bool = False,
    multiplier: float = 1,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int | None = None,
) -> PheSiiResult:
    """Slope index of inequality and relative index of inequality, PHE method.

    Quantiles (1 = most deprived) get the rank x = midpoint of their cumulative population share.
    With a = population share, fit √a·y = β0·√a + β1·x√a (least squares, no free intercept):
    SII = β1 × multiplier (fitted value at x=1 minus x=0), RII = (β0 + β1)/β0; a negative
    multiplier flips the SII's sign and inverts the RII (and swaps the limits).
    CI: draw each quantile's value from N(value, se²) `repetitions` times (on the log scale for
    rates or logit scale for proportions when transform=True, then back-transformed), refit, and
    take the ordered samples at positions round(R·α/2) and round(R·(1 − α/2)).
    SE = (upper_cl − lower_cl)/(2·1.96) when no `se` column is given.
    Low A & Low A (2004), J Public Health 26:388–395; PHEindicatormethods::phe_sii.
    """
    _check(data, value_type, confidence, repetitions)
    data = data.sort_values("quantile")
    population = data["population"].to_numpy(float)
    share = population / population.sum()
    rank = np.cumsum(share) - share / 2
    root = np.sqrt(share)
    design = np.column_stack([root, rank * root])  # (q, 2)
    solver = np.linalg.solve(design.T @ design, design.T)  # (2, q): least squares in one product
    value = data["value"].to_numpy(float)
    intercept, slope = solver @ (root * value)

    centre, se = _standard_errors(data, value_type, transform)
    rng = np.random.default_rng(seed)
    draws = centre[:, None] + se[:, None] * rng.standard_normal((len(centre), repetitions))
    if transform and value_type == "rate":
        draws = np.exp(draws)
    elif transform and value_type == "proportion":
        draws = 1 / (1 + np.exp(-draws))
    sample_intercept, sample_slope = solver @ (root[:, None] * draws)
    with np.errstate(divide="ignore", invalid="ignore"):
        sample_rii = (sample_intercept + sample_slope) / sample_intercept
    rii = (intercept + slope) / intercept

    tail = (1 - confidence) / 2
    positions = np.array([round(repetitions * tail), round(repetitions * (1 - tail))]) - 1
    positions = np.clip(positions, 0, repetitions - 1)
    sii_low, sii_high = np.sort(sample_slope)[positions]
    rii_low, rii_high = np.sort(sample_rii)[positions]
    if multiplier < 0:
        sii_low, sii_high = sii_high, sii_low
        rii, rii_low, rii_high = 1 / rii, 1 / rii_high, 1 / rii_low
    return PheSiiResult(
        sii=float(multiplier * slope),
        rii=float(rii),
        intercept=float(intercept),
        sii_lower=float(multiplier * sii_low),
        sii_upper=float(multiplier * sii_high),
        rii_lower=float(rii_low),
        rii_upper=float(rii_high),
        confidence=confidence,
        repetitions=repetitions,
    )
