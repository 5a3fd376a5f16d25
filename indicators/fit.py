"""A population-weighted straight line through a scatter of areas, for drawing.

`weighted_fit_line` fits y = a + b·x by weighted least squares (statsmodels WLS, weights = the
areas' populations, i.e. residual variance sigma^2 / population, the same model as
:func:`indicators.expected.expected_from_ses` with one covariate) and returns the fitted line over
a grid of x values with the confidence band of the *mean* (not a prediction interval):

    yhat(x) = a + b x,   se(x) = sqrt(x0' Cov(a, b) x0),  x0 = (1, x),
    band = yhat ± t(1 - alpha/2; n - 2) · se(x)

Reference: Weisberg S. Applied Linear Regression, 4th ed. Wiley 2014, ch. 2 and 7 (WLS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats


@dataclass(frozen=True)
class FitLine:
    """The fitted line over ``grid``; ``lower``/``upper`` bound the mean's confidence band."""

    grid: np.ndarray
    fitted: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    intercept: float
    slope: float
    r_squared: float
    n: int
    confidence: float
    method: str


def weighted_fit_line(x, y, weights=None, points: int = 50,
                      confidence: float = 0.95) -> FitLine:
    """Weighted least-squares line of ``y`` on ``x`` over ``points`` evenly spaced x values.

    Pairs with a missing x, y or weight are left out; ``weights=None`` weighs every area equally.
    Weights must be positive. Needs at least three areas with two distinct x values.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    if points < 2:
        raise ValueError("points must be at least 2 (the two ends of the line).")
    xs = pd.to_numeric(pd.Series(np.asarray(x, dtype=object)), errors="coerce").to_numpy(float)
    ys = pd.to_numeric(pd.Series(np.asarray(y, dtype=object)), errors="coerce").to_numpy(float)
    if len(xs) != len(ys):
        raise ValueError("x and y must have the same length.")
    ws = (np.ones(len(xs)) if weights is None
          else pd.to_numeric(pd.Series(np.asarray(weights, dtype=object)),
                             errors="coerce").to_numpy(float))
    if len(ws) != len(xs):
        raise ValueError("weights must have one entry per area.")
    ok = np.isfinite(xs) & np.isfinite(ys) & np.isfinite(ws)
    if np.any(ws[ok] <= 0):
        raise ValueError("weights must be positive; drop areas without a population first.")
    xs, ys, ws = xs[ok], ys[ok], ws[ok]
    n = len(xs)
    if n < 3 or np.unique(xs).size < 2:
        raise ValueError(f"{n} areas with values: a line needs at least 3 areas with at least "
                         "two different x values.")
    model = sm.WLS(ys, sm.add_constant(xs, has_constant="add"), weights=ws / ws.mean()).fit()
    grid = np.linspace(xs.min(), xs.max(), points)
    design = sm.add_constant(grid, has_constant="add")
    fitted = design @ model.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", design, model.cov_params(), design))
    t_crit = stats.t.ppf(1 - (1 - confidence) / 2, n - 2)
    return FitLine(grid=grid, fitted=fitted, lower=fitted - t_crit * se,
                   upper=fitted + t_crit * se, intercept=float(model.params[0]),
                   slope=float(model.params[1]), r_squared=float(model.rsquared), n=n,
                   confidence=confidence,
                   method=("weighted least squares (statsmodels WLS), confidence band of the "
                           "mean"))
