"""Socio-economic gradients across areas (gemeenten, or the wijken of one gemeente).

Areas are ranked by a socio-economic (SES) measure, grouped into population-weighted quantiles
(quintiles by default; quantile 1 = most disadvantaged), and an indicator is summarised per
quantile as a population-weighted mean. From that table come the Q1-vs-Qn difference and ratio and
the WHO SII/RII (logistic, :mod:`indicators.heat`); over the areas themselves, the absolute and
relative concentration index.

Intervals: when every area value carries a standard error and the indicator is a proportion,
the quantile SEs follow from the area SEs and HEAT's analytic intervals are used. Otherwise (the
RIVM small-area estimates carry no SE) the intervals come from a seeded non-parametric bootstrap
over areas: areas are resampled with replacement, re-ranked into quantiles and every measure is
recomputed; the percentile interval of the replicates is reported (Efron & Tibshirani 1993). The
bootstrap treats the areas as the sampling unit, so it reflects how much the gradient depends on
which areas there happen to be, not the model error of each area's estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, ndtri

from indicators.heat import HeatResult, heat_measure

DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 20240101


@dataclass(frozen=True)
class GradientResult:
    """Gradient measures (keys: difference, ratio, sii, rii, aci, rci) and the quantile table."""

    quantiles: pd.DataFrame
    measures: dict[str, HeatResult]
    ci_method: str
    n_areas: int
    n_quantiles: int
    confidence: float
    notes: list[str] = field(default_factory=list)


def _ses_order(ses: np.ndarray, disadvantaged: str) -> np.ndarray:
    if disadvantaged not in ("low", "high"):
        raise ValueError('disadvantaged must be "low" (e.g. income) or "high" (e.g. the share '
                         'with "moeite met rondkomen").')
    key = ses if disadvantaged == "low" else -ses
    return np.argsort(key, kind="stable")


def _assign(sorted_pop: np.ndarray, n: int) -> np.ndarray:
    """Quantile (1..n) of each area, in SES order, by the midpoint of its cumulative share.

    Areas are never split: an area belongs to the quantile holding the middle of its population.
    Works on a 2-D array (replicates x areas) too.
    """
    cum = np.cumsum(sorted_pop, axis=-1)
    total = cum[..., -1:]
    mid = (cum - 0.5 * sorted_pop) / total
    return np.minimum((mid * n).astype(int) + 1, n)


def population_weighted_quantiles(df: pd.DataFrame, ses_col: str, pop_col: str, n: int = 5,
                                  disadvantaged: str = "low") -> pd.Series:
    """Population-weighted SES quantile of every area (1 = most disadvantaged), as Int64.

    Each quantile holds about 1/n of the population, not 1/n of the areas. ``disadvantaged="low"``
    for measures where a low value is worse off (median standardised household income);
    ``"high"`` where a high value is (share with "moeite met rondkomen"). Areas without an SES
    value get <NA>; ties keep the row order of ``df``.
    """
    _check_columns(df, [ses_col, pop_col])
    if n < 2:
        raise ValueError("n must be at least 2 (5 for quintiles, 10 for deciles).")
    ses = pd.to_numeric(df[ses_col], errors="coerce").to_numpy(dtype=float)
    pop = _population(df, pop_col)
    ok = np.isfinite(ses)
    if ok.sum() < n:
        raise ValueError(f"Only {int(ok.sum())} areas have a value of {ses_col}; "
                         f"{n} quantiles need at least {n} areas.")
    idx = np.flatnonzero(ok)
    order = idx[_ses_order(ses[idx], disadvantaged)]
    quantile = np.empty(len(df), dtype=float)
    quantile[:] = np.nan
    quantile[order] = _assign(pop[order], n)
    return pd.Series(quantile, index=df.index, name="quantile").astype("Int64")


def _check_columns(df: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"Column(s) {', '.join(missing)} not in the data.")


def _population(df: pd.DataFrame, pop_col: str) -> np.ndarray:
    pop = pd.to_numeric(df[pop_col], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError(f"{pop_col} must be a positive number for every area; drop areas "
                         "without population first.")
    return pop


def quantile_table(df: pd.DataFrame, value_col: str, ses_col: str, pop_col: str, n: int = 5,
                   disadvantaged: str = "low", se_col: str | None = None) -> pd.DataFrame:
    """Per SES quantile: population, population-weighted mean of the indicator, its SE (from the
    area SEs when ``se_col`` is given: sqrt(sum w_i^2 se_i^2) with w the population shares inside
    the quantile, treating areas as independent) and the number of areas."""
    if n < 2:
        raise ValueError("n must be at least 2 (5 for quintiles, 10 for deciles).")
    areas = _usable_areas(df, value_col, ses_col, pop_col, se_col)
    order = _ses_order(areas[ses_col].to_numpy(dtype=float), disadvantaged)
    return _table_in_order(areas.iloc[order], value_col, pop_col, se_col, n)


def _usable_areas(df, value_col, ses_col, pop_col, se_col) -> pd.DataFrame:
    cols = [value_col, ses_col, pop_col] + ([se_col] if se_col else [])
    _check_columns(df, cols)
    areas = df[cols].apply(pd.to_numeric, errors="coerce")
    areas = areas[np.isfinite(areas[[value_col, ses_col]]).all(axis=1)]
    _population(areas, pop_col)
    return areas.reset_index(drop=True)


def heat_table(quantiles: pd.DataFrame, favourable: bool, scale: float) -> pd.DataFrame:
    """The quantile table in HEAT Plus template columns (an ordered dimension)."""
    k = len(quantiles)
    return pd.DataFrame({
        "subgroup": [f"Q{q}" for q in quantiles["quantile"]],
        "estimate": quantiles["value"].to_numpy(),
        "se": quantiles["se"].to_numpy(),
        "population": quantiles["population"].to_numpy(),
        "favourable_indicator": int(favourable),
        "indicator_scale": scale,
        "ordered_dimension": 1,
        "subgroup_order": np.arange(1, k + 1),
        "reference_subgroup": 0,
    })


# --------------------------------------------------------------------------- vectorised core

def _quantile_stats(val, pop_eff, q, n):
    """Per replicate (rows) and quantile: population and weighted mean. q in 1..n."""
    onehot = q[..., None] == np.arange(1, n + 1)  # (B, N, n)
    qpop = np.einsum("bi,bik->bk", pop_eff, onehot)
    qsum = np.einsum("bi,bik->bk", pop_eff * val[None, :], onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        return qpop, qsum / qpop


def _sii_batch(values, pops, scale, logistic):
    """SII and RII per replicate row of a quantile table (NaN quantiles dropped by zero weight).

    Logistic: the point estimate of healthequal's quasibinomial fit (prior weights pop x pop, see
    ``heat._logistic_fit``) by batched IRLS. Linear: weighted least squares with pop weights
    (healthequal's ``linear=TRUE``), for indicators that are not proportions.
    """
    ok = np.isfinite(values) & (pops > 0)
    pops = np.where(ok, pops, 0.0)
    values = np.where(ok, values, 0.0)
    cum = np.cumsum(pops, axis=1)
    rank = (cum - 0.5 * pops) / cum[:, -1:]
    x = np.stack([np.ones_like(rank), rank], axis=-1)  # (B, n, 2)
    if logistic:
        p = np.clip(values / scale, 0.0, 1.0)
        prior = pops * pops
        mu = np.clip(p, 1e-6, 1 - 1e-6)
        eta = np.log(mu / (1 - mu))
        beta = np.zeros((len(values), 2))
        for _ in range(50):
            var = mu * (1 - mu)
            w = prior * var
            zw = eta + (p - mu) / var
            xtwx = np.einsum("bni,bn,bnj->bij", x, w, x)
            xtwz = np.einsum("bni,bn,bn->bi", x, w, zw)
            new = _solve2(xtwx, xtwz)
            eta = np.einsum("bni,bi->bn", x, new)
            mu = np.clip(expit(eta), 1e-12, 1 - 1e-12)
            if not np.any(np.abs(new - beta) >= 1e-10):
                beta = new
                break
            beta = new
        lo, hi = expit(beta[:, 0]), expit(beta[:, 0] + beta[:, 1])
        return (hi - lo) * scale, hi / lo
    w = pops
    xtwx = np.einsum("bni,bn,bnj->bij", x, w, x)
    xtwy = np.einsum("bni,bn,bn->bi", x, w, values)
    beta = _solve2(xtwx, xtwy)
    lo, hi = beta[:, 0], beta[:, 0] + beta[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return hi - lo, hi / lo


def _solve2(a, b):
    """Solve a batch of 2x2 systems; NaN where a replicate has one quantile only (singular)."""
    det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
    scale = np.abs(a[:, 0, 0] * a[:, 1, 1]) + np.finfo(float).tiny
    det = np.where(np.abs(det) > 1e-12 * scale, det, np.nan)
    return np.stack([(a[:, 1, 1] * b[:, 0] - a[:, 0, 1] * b[:, 1]) / det,
                     (a[:, 0, 0] * b[:, 1] - a[:, 1, 0] * b[:, 0]) / det], axis=1)


def _concentration_batch(val, pop_eff):
    """ACI = sum p_i (2 R_i - 1) y_i and RCI = ACI / mean over areas in SES order (rows = reps)."""
    cum = np.cumsum(pop_eff, axis=1)
    total = cum[:, -1:]
    share = pop_eff / total
    rank = (cum - 0.5 * pop_eff) / total
    aci = np.sum(share * (2 * rank - 1) * val[None, :], axis=1)
    mean = share @ val
    with np.errstate(divide="ignore", invalid="ignore"):
        return aci, aci / mean


def _all_measures(val, pop_eff, n, scale, logistic):
    """Every gradient measure for each replicate row of area weights (areas in SES order)."""
    q = _assign(pop_eff, n)
    q = np.where(pop_eff > 0, q, 0)
    qpop, qval = _quantile_stats(val, pop_eff, q, n)
    # First and last quantile that holds an area (an area bigger than 1/n can empty one).
    filled = np.isfinite(qval)
    rows = np.arange(len(qval))
    first = qval[rows, np.argmax(filled, axis=1)]
    last = qval[rows, n - 1 - np.argmax(filled[:, ::-1], axis=1)]
    sii, rii = _sii_batch(qval, qpop, scale, logistic)
    aci, rci = _concentration_batch(val, pop_eff)
    mean = (pop_eff @ val) / pop_eff.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"difference": first - last, "ratio": first / last, "sii": sii, "rii": rii,
                "aci": aci, "rci": rci, "par": last - mean}


# --------------------------------------------------------------------------- public entry point

_METHODS = {
    "difference": "Q1 minus Q{n} (most minus least disadvantaged), population-weighted means",
    "ratio": "Q1 / Q{n}, population-weighted means",
    "sii": "{model} on the quantile table (WHO HEAT)",
    "rii": "{model} on the quantile table (WHO HEAT)",
    "aci": "absolute concentration index over areas ranked by SES",
    "rci": "relative concentration index over areas ranked by SES (fraction)",
}


def socioeconomic_gradient(df: pd.DataFrame, value_col: str, ses_col: str, pop_col: str,
                           n: int = 5, disadvantaged: str = "low", favourable: bool = True,
                           scale: float = 100, se_col: str | None = None,
                           bootstrap: int = DEFAULT_BOOTSTRAP, seed: int | None = DEFAULT_SEED,
                           confidence: float = 0.95) -> GradientResult:
    """The gradient of an indicator across areas ranked by SES, with intervals.

    ``df`` has one row per area (gemeenten of a country or the wijken of one gemeente); areas
    without an indicator or SES value are left out (and counted in ``notes``). ``scale`` is the
    HEAT indicator scale (100 for percentages); SII/RII use HEAT's logistic model when every value
    lies within [0, scale], otherwise a population-weighted linear model. Signs: difference and
    ratio compare the most disadvantaged quantile with the least (Q1 - Qn, Q1 / Qn); SII, ACI and
    RCI follow HEAT (positive = higher among the advantaged), whatever ``favourable`` says.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    areas = _usable_areas(df, value_col, ses_col, pop_col, se_col)
    notes = []
    if len(areas) < len(df):
        notes.append(f"{len(df) - len(areas)} area(s) without {value_col} or {ses_col} left out.")
    if len(areas) < n:
        raise ValueError(f"{len(areas)} areas with data: {n} quantiles need at least {n}; "
                         "use fewer quantiles (n=3) for a gemeente with few wijken.")
    order = _ses_order(areas[ses_col].to_numpy(dtype=float), disadvantaged)
    areas = areas.iloc[order].reset_index(drop=True)
    val = areas[value_col].to_numpy(dtype=float)
    pop = areas[pop_col].to_numpy(dtype=float)
    logistic = bool(np.all((val >= 0) & (val <= scale)))
    model = "logistic regression" if logistic else "population-weighted linear regression"
    quantiles = _table_in_order(areas, value_col, pop_col, se_col, n)
    if len(quantiles) < n:
        notes.append(f"Only {len(quantiles)} of {n} quantiles hold an area (some areas hold "
                     "more than 1/n of the population); empty quantiles are skipped.")
    point = {k: float(v[0]) for k, v in _all_measures(val, pop[None, :], n, scale,
                                                       logistic).items()}
    heat = heat_table(quantiles, favourable, scale)
    analytic = (se_col is not None and logistic and len(quantiles) >= 3
                and np.all(np.isfinite(areas[se_col])))
    # Without SEs, SII/RII come from HEAT's logistic model fitted without healthequal's rounding
    # of population x proportion to whole counts: populations here are weights (they can be 1
    # per wijk), and the bootstrap replicates use the very same fit. With SEs the whole result,
    # point and interval, is heat_measure's on the quantile table.
    z = float(ndtri(1 - (1 - confidence) / 2))
    measures: dict[str, HeatResult] = {}
    if analytic:
        ci_method = "analytic: area SEs combined per quantile, WHO HEAT intervals"
        for key, heat_key in (("sii", "sii"), ("rii", "rii")):
            r = heat_measure(heat_key, heat, confidence=confidence)
            point[key] = r.estimate
            measures[key] = HeatResult(key.upper(), r.estimate, r.se, r.lower, r.upper,
                                       _METHODS[key].format(model=model, n=n), confidence,
                                       r.notes)
        q1, qn = quantiles.iloc[0], quantiles.iloc[-1]
        d_se = math.sqrt(q1["se"] ** 2 + qn["se"] ** 2)
        measures["difference"] = HeatResult("difference", point["difference"], d_se,
                                            point["difference"] - z * d_se,
                                            point["difference"] + z * d_se,
                                            _METHODS["difference"].format(n=n), confidence)
        log_se = math.sqrt((q1["se"] / q1["value"]) ** 2 + (qn["se"] / qn["value"]) ** 2)
        measures["ratio"] = HeatResult("ratio", point["ratio"], log_se,
                                       point["ratio"] * math.exp(-z * log_se),
                                       point["ratio"] * math.exp(z * log_se),
                                       _METHODS["ratio"].format(n=n) + " (log-scale interval)",
                                       confidence)
        boot_keys = ("aci", "rci")
        notes.append("Concentration indices: bootstrap over areas.")
    else:
        ci_method = (f"bootstrap over areas ({bootstrap} seeded resamples, re-ranked into "
                     "quantiles each time; percentile interval)")
        boot_keys = ("difference", "ratio", "sii", "rii", "aci", "rci")
        if se_col is None:
            notes.append("Area values carry no standard error, so intervals come from a "
                         "bootstrap over areas.")
    reps = _bootstrap(val, pop, n, scale, logistic, bootstrap, seed) if boot_keys else {}
    alpha = (1 - confidence) / 2
    for key in boot_keys:
        sims = reps[key][np.isfinite(reps[key])]
        lower, upper = (np.quantile(sims, [alpha, 1 - alpha]) if len(sims) > 1
                        else (math.nan, math.nan))
        se = float(np.std(sims, ddof=1)) if len(sims) > 1 else math.nan
        measures[key] = HeatResult(key.upper() if key in ("sii", "rii", "aci", "rci") else key,
                                   point[key], se, float(lower), float(upper),
                                   _METHODS[key].format(model=model, n=n), confidence,
                                   "Bootstrap over areas; se is the SD of the replicates.")
    ordered = {k: measures[k] for k in ("difference", "ratio", "sii", "rii", "aci", "rci")}
    return GradientResult(quantiles, ordered, ci_method, len(areas), n, confidence, notes)


def _table_in_order(areas, value_col, pop_col, se_col, n):
    """Quantile table of areas already sorted from most to least disadvantaged."""
    pop = areas[pop_col].to_numpy(dtype=float)
    q = _assign(pop, n)
    val = areas[value_col].to_numpy(dtype=float)
    se = areas[se_col].to_numpy(dtype=float) if se_col else np.full(len(areas), np.nan)
    rows = []
    for k in range(1, n + 1):
        m = q == k
        if m.any():
            w = pop[m] / pop[m].sum()
            rows.append({"quantile": k, "population": pop[m].sum(), "value": float(w @ val[m]),
                         "se": float(math.sqrt(np.sum(w**2 * se[m] ** 2))),
                         "n_areas": int(m.sum())})
    return pd.DataFrame(rows)


def area_bootstrap(df: pd.DataFrame, value_col: str, ses_col: str, pop_col: str, n: int = 5,
                   disadvantaged: str = "low", scale: float = 100,
                   bootstrap: int = DEFAULT_BOOTSTRAP, seed: int | None = DEFAULT_SEED
                   ) -> dict[str, np.ndarray]:
    """Bootstrap replicates over areas of every gradient measure, plus ``par`` (the most
    advantaged quantile minus the population-weighted mean, not truncated): for callers that
    need the replicates themselves (e.g. :mod:`indicators.impact`)."""
    areas = _usable_areas(df, value_col, ses_col, pop_col, None)
    if len(areas) < n:
        raise ValueError(f"{len(areas)} areas with data: {n} quantiles need at least {n}.")
    areas = areas.iloc[_ses_order(areas[ses_col].to_numpy(dtype=float), disadvantaged)]
    val = areas[value_col].to_numpy(dtype=float)
    logistic = bool(np.all((val >= 0) & (val <= scale)))
    return _bootstrap(val, areas[pop_col].to_numpy(dtype=float), n, scale, logistic, bootstrap,
                      seed)


def _bootstrap(val, pop, n, scale, logistic, reps, seed):
    if reps < 2:
        raise ValueError("bootstrap must be at least 2 resamples.")
    rng = np.random.default_rng(seed)
    # A resample is a count per area (multinomial); weighting an area by its count x population
    # equals duplicating it, and keeps the SES order without re-sorting.
    counts = rng.multinomial(len(val), np.full(len(val), 1 / len(val)), size=reps)
    return _all_measures(val, counts * pop[None, :], n, scale, logistic)
