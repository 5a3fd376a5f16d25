"""Expected value of an indicator given an area's socio-economic profile.

Model: weighted least squares of the indicator on SES covariates (with a constant) across
comparable areas, each area weighted by its population, so its residual variance is taken as
sigma^2 / population (a prevalence estimated over more residents varies less). statsmodels WLS.

For each area the expected value comes from the model fitted *without that area* (leave-one-out,
computed exactly from the hat matrix), because an area is never compared with itself. The gap it
leaves, observed - expected, gets a prediction interval from the externally studentised residual:

    gap_i = e_i / (1 - h_ii),   se_i = sqrt(s_(i)^2 / (w_i (1 - h_ii))),   df = n - p - 1

with e_i the residual, h_ii the leverage of the whitened design, s_(i)^2 the residual variance
without area i and w_i its (normalised) weight. Areas outside the fitting set get an ordinary
out-of-sample prediction interval. The split against a benchmark (the population-weighted mean of
the fitting areas) is: gap to benchmark = explained by SES (expected - benchmark) + not explained
by SES (observed - expected).

Reference: Weisberg S. Applied Linear Regression, 4th ed. Wiley 2014, ch. 9 (leave-one-out
residuals and prediction intervals).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats


@dataclass(frozen=True)
class ExpectedResult:
    """Per-area table plus the model's fit; ``table`` columns are documented in the function."""

    table: pd.DataFrame
    r_squared: float
    n: int
    covariates: tuple[str, ...]
    coefficients: dict[str, float]
    benchmark: float
    method: str
    confidence: float
    notes: list[str] = field(default_factory=list)


def expected_from_ses(df: pd.DataFrame, value_col: str, covariates: list[str] | tuple[str, ...],
                      pop_col: str, area_col: str | None = None,
                      fit_on: pd.Series | np.ndarray | None = None,
                      confidence: float = 0.95) -> ExpectedResult:
    """Expected value per area from its SES covariates, and observed - expected with an interval.

    ``fit_on`` (boolean, aligned with ``df``) picks the comparable areas the model is fitted on
    (e.g. gemeenten of one country); all areas with complete covariates get an expected value.
    Returned ``table`` columns: area, observed, expected, gap_to_benchmark, explained_by_ses,
    unexplained (= observed - expected), lower, upper (its prediction interval), position
    ("higher than expected", "lower than expected" or "as expected": polarity is for the UI),
    in_fit (whether the area helped fit the model).
    """
    covariates = tuple(covariates)
    if not covariates:
        raise ValueError("Give at least one SES covariate (e.g. median standardised income).")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    cols = [value_col, pop_col, *covariates]
    missing = [c for c in cols + ([area_col] if area_col else []) if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) {', '.join(missing)} not in the data.")
    data = df[cols].apply(pd.to_numeric, errors="coerce")
    area = df[area_col].to_numpy() if area_col else df.index.to_numpy()
    fit_mask = (np.ones(len(df), bool) if fit_on is None
                else np.asarray(fit_on, dtype=bool))
    if len(fit_mask) != len(df):
        raise ValueError("fit_on must have one entry per row of df.")
    pop = data[pop_col].to_numpy(dtype=float)
    if np.any(~np.isfinite(pop) | (pop <= 0)):
        raise ValueError(f"{pop_col} must be a positive number for every area.")
    x_ok = np.isfinite(data[list(covariates)]).all(axis=1).to_numpy()
    y = data[value_col].to_numpy(dtype=float)
    y_ok = np.isfinite(y)
    notes = []
    if (~x_ok).any():
        notes.append(f"{int((~x_ok).sum())} area(s) without complete covariates get no "
                     "expected value.")
    fit = fit_mask & x_ok & y_ok
    n, p = int(fit.sum()), len(covariates) + 1
    if n <= p + 1:
        raise ValueError(f"{n} areas to fit {p} coefficients: need at least {p + 2}.")
    x_all = sm.add_constant(data[list(covariates)].to_numpy(dtype=float), has_constant="add")
    w_all = pop / pop[fit].mean()  # normalised so sigma^2 is per average-sized area
    model = sm.WLS(y[fit], x_all[fit], weights=w_all[fit]).fit()

    expected = np.full(len(df), np.nan)
    se = np.full(len(df), np.nan)
    # Leverages and leave-one-out residual variances of the whitened design (sqrt(w) x).
    xw = x_all[fit] * np.sqrt(w_all[fit])[:, None]
    h = np.einsum("ij,jk,ik->i", xw, np.linalg.inv(xw.T @ xw), xw)
    resid = model.resid
    white = resid * np.sqrt(w_all[fit])
    gap_fit = resid / (1 - h)
    s2_loo = (white @ white - white**2 / (1 - h)) / (n - p - 1)
    se[fit] = np.sqrt(s2_loo / (w_all[fit] * (1 - h)))
    expected[fit] = y[fit] - gap_fit
    out = x_ok & ~fit
    if out.any():
        pred = model.get_prediction(x_all[out], weights=w_all[out])
        expected[out] = pred.predicted_mean
        se[out] = np.sqrt(pred.var_pred_mean + model.scale / w_all[out])
    t_in = stats.t.ppf(1 - (1 - confidence) / 2, n - p - 1)
    t_out = stats.t.ppf(1 - (1 - confidence) / 2, n - p)
    t_crit = np.where(fit, t_in, t_out)
    unexplained = y - expected
    lower, upper = unexplained - t_crit * se, unexplained + t_crit * se
    benchmark = float(np.average(y[fit], weights=pop[fit]))
    position = np.where(~np.isfinite(lower), "no expected value",
                        np.where(lower > 0, "higher than expected",
                                 np.where(upper < 0, "lower than expected", "as expected")))
    table = pd.DataFrame({
        "area": area, "observed": y, "expected": expected,
        "gap_to_benchmark": y - benchmark, "explained_by_ses": expected - benchmark,
        "unexplained": unexplained, "lower": lower, "upper": upper, "position": position,
        "in_fit": fit,
    })
    names = ("const", *covariates)
    return ExpectedResult(
        table=table, r_squared=float(model.rsquared), n=n, covariates=covariates,
        coefficients={k: float(v) for k, v in zip(names, model.params, strict=True)},
        benchmark=benchmark,
        method=("population-weighted least squares (statsmodels WLS); leave-one-out expected "
                "values and prediction intervals"),
        confidence=confidence, notes=notes)
