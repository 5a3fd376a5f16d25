"""The 21 WHO HEAT summary measures of inequality, computed like the WHO reference implementation.

One setting, date and dimension at a time, given in the HEAT Plus template columns::

    subgroup, estimate, se, population, favourable_indicator (1/0), indicator_scale,
    ordered_dimension (1/0), subgroup_order (1 = most disadvantaged; 0 if non-ordered),
    reference_subgroup (1 on the reference row)

Formulas, reference-subgroup rules and interval methods follow the WHO HEAT Plus technical notes
and the WHO R package healthequal (github.com/WHOequity/healthequal, files ``R/<measure>.R``),
which is the code behind HEAT. Where this module departs from healthequal it says so in the
docstring of the measure and in ``HeatResult.notes``. References:

* Schlotheuber A, Hosseinpoor AR. Summary measures of health inequality: a review of existing
  measures and their application. Int J Environ Res Public Health 2022;19(6):3697.
* Hosseinpoor AR et al. HEAT Plus: software for assessing health inequalities. Glob Health Action
  2018;11(sup1):1440783 (table 2: which measure applies to which dimension).
* Ahn J et al. Variance estimation and confidence intervals for 11 commonly used health disparity
  measures. JCO Clin Cancer Inform 2018;2:1-19 (BGV, TI, MLD, R standard errors).
* Ahn J et al. Improved Monte Carlo methods for estimating confidence intervals for eleven
  commonly used health disparity measures. PLoS One 2019;14(7) (simulated intervals).
* Walter SD. Calculation of attributable risks from epidemiological data. Int J Epidemiol
  1978;7(2):175-82 (PAF/PAR standard error).

Sign conventions (as healthequal): SII, RII, ACI and RCI compare the most advantaged end of the
ranking with the most disadvantaged end whatever the polarity; polarity only changes how they
read (a positive SII means "higher among the advantaged", which is good news for a favourable
indicator and bad news for an adverse one). Polarity does change the arithmetic where HEAT picks a
subgroup by performance: D and R (which subgroup is subtracted from which), MDB (best = highest or
lowest), PAF and PAR (best subgroup in non-ordered dimensions, truncation at zero).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr, ndtri

MEASURES: tuple[str, ...] = (
    "d", "r", "aci", "rci", "sii", "rii", "bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw",
    "mdru", "mdrw", "idisu", "idisw", "ti", "mld", "paf", "par",
)
# HEAT Plus applicability (Hosseinpoor et al. 2018, table 2; healthequal "Applicability").
ORDERED_ONLY = frozenset({"aci", "rci", "sii", "rii"})
NON_ORDERED_ONLY = frozenset({
    "bgv", "bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw", "ti",
    "mld",
})
ANY_DIMENSION = frozenset({"d", "r", "paf", "par"})
SIMULATED = frozenset({"bgsd", "cov", "mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu",
                       "idisw"})
NEEDS_POPULATION = frozenset(MEASURES) - {"d", "r", "mdbu", "mdru"}
NEEDS_REFERENCE = frozenset({"mdru", "mdrw"})

REQUIRED_COLUMNS = ("subgroup", "estimate", "se", "population", "favourable_indicator",
                    "indicator_scale", "ordered_dimension", "subgroup_order",
                    "reference_subgroup")

DEFAULT_SIMULATIONS = 1000
DEFAULT_SEED = 123456  # healthequal's default RNG seed for the simulated intervals


@dataclass(frozen=True)
class HeatResult:
    """One summary measure with its interval; ``se`` is on the scale the interval was built on."""

    measure: str
    estimate: float
    se: float
    lower: float
    upper: float
    method: str
    confidence: float
    notes: str = ""


@dataclass
class _Table:
    """A validated HEAT table, rows sorted by subgroup_order (ordered) or by subgroup name."""

    subgroup: np.ndarray
    est: np.ndarray
    se: np.ndarray
    pop: np.ndarray
    order: np.ndarray
    is_reference: np.ndarray
    favourable: bool
    ordered: bool
    scale: float
    fit: tuple[np.ndarray, np.ndarray] | None = None  # logistic fit shared by SII and RII
    has_se: bool = field(init=False)
    has_reference: bool = field(init=False)
    has_population: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_se = bool(np.isfinite(self.se).all())
        self.has_reference = bool(self.is_reference.any())
        self.has_population = bool(np.isfinite(self.pop).all())

    @property
    def n(self) -> int:
        return len(self.est)

    def shares(self) -> np.ndarray:
        return self.pop / self.pop.sum()

    def weighted_mean(self) -> float:
        return float(np.dot(self.shares(), self.est))


# --------------------------------------------------------------------------- public functions

def heat_measure(measure: str, data: pd.DataFrame, confidence: float = 0.95,
                 simulations: int = DEFAULT_SIMULATIONS, seed: int | None = DEFAULT_SEED
                 ) -> HeatResult:
    """Compute one WHO HEAT summary measure (abbreviation, any case) for one HEAT table.

    ``simulations`` and ``seed`` only matter for the measures whose interval HEAT simulates
    (BGSD, COV, MDMU, MDMW, MDBU, MDBW, MDRU, MDRW, IDISU, IDISW). Raises ``ValueError`` for an
    unknown measure, a measure that HEAT does not apply to this kind of dimension, or invalid data.
    """
    key = _measure_key(measure)
    table = _validate(data)
    _check_applicable(key, table)
    return _results([key], table, confidence, simulations, seed)[key]


def heat_measures(data: pd.DataFrame, measures: Iterable[str] | None = None,
                  confidence: float = 0.95, simulations: int = DEFAULT_SIMULATIONS,
                  seed: int | None = DEFAULT_SEED) -> dict[str, HeatResult]:
    """Compute several HEAT measures on one table, validating once and sharing one simulation.

    ``measures=None`` computes every measure HEAT applies to this dimension (see
    :func:`applicable_measures`). Keys of the result are the lower-case abbreviations.
    """
    table = _validate(data)
    keys = applicable_measures(table) if measures is None else [_measure_key(m) for m in measures]
    for key in keys:
        _check_applicable(key, table)
    return _results(keys, table, confidence, simulations, seed)


def heat_summary(data: pd.DataFrame, by: list[str] | tuple[str, ...],
                 measures: Iterable[str] | None = None, confidence: float = 0.95,
                 simulations: int = DEFAULT_SIMULATIONS, seed: int | None = DEFAULT_SEED
                 ) -> pd.DataFrame:
    """HEAT measures for every group of a long table (e.g. by indicator, period, dimension).

    ``data`` holds many HEAT tables stacked, told apart by the ``by`` columns. The columns are
    converted once and each group is validated and computed on numpy arrays, which is what makes
    every measure for every indicator x period fit in the dashboard's time budget. With
    ``measures=None`` each group gets the measures HEAT applies to its dimension; a listed
    measure that does not apply to a group raises ``ValueError`` naming the group. Returns one
    row per group and measure: the ``by`` columns, then measure, estimate, se, lower, upper,
    method, confidence, notes.
    """
    by = list(by)
    missing = [c for c in by if c not in data.columns]
    if missing:
        raise ValueError(f"Grouping column(s) {', '.join(missing)} not in data.")
    keys = None if measures is None else [_measure_key(m) for m in measures]
    cols = _columns(data)
    codes = data.groupby(by, sort=True, dropna=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    key_frame = data[by].iloc[order[np.r_[0, bounds]]].reset_index(drop=True)
    records = []
    for g, rows in enumerate(np.split(order, bounds)):
        try:
            table = _table(cols, rows)
            if keys is None:
                wanted = [k for k in MEASURES if _inapplicable(k, table) is None]
            else:
                wanted = keys
                for key in wanted:
                    _check_applicable(key, table)
            results = _results(wanted, table, confidence, simulations, seed)
        except ValueError as err:
            group = ", ".join(f"{c}={v}" for c, v in zip(by, key_frame.iloc[g], strict=True))
            raise ValueError(f"In group {group}: {err}") from err
        for result in results.values():
            records.append((g, result.measure, result.estimate, result.se, result.lower,
                            result.upper, result.method, result.confidence, result.notes))
    out = pd.DataFrame.from_records(records, columns=[
        "_group", "measure", "estimate", "se", "lower", "upper", "method", "confidence", "notes"])
    keys_out = key_frame.iloc[out["_group"].to_numpy()].reset_index(drop=True)
    return pd.concat([keys_out, out.drop(columns="_group")], axis=1)


def applicable_measures(data: pd.DataFrame | _Table) -> list[str]:
    """The measures HEAT computes for this dimension: ordered, non-ordered (>2) or binary."""
    table = data if isinstance(data, _Table) else _validate(data)
    return [key for key in MEASURES if _inapplicable(key, table) is None]


# --------------------------------------------------------------------------- validation

def _measure_key(measure: str) -> str:
    key = str(measure).strip().lower()
    if key not in MEASURES:
        raise ValueError(f"Unknown HEAT measure {measure!r}; use one of "
                         f"{', '.join(m.upper() for m in MEASURES)}.")
    return key


def _inapplicable(key: str, t: _Table) -> str | None:
    """Why HEAT does not compute this measure for this table, or None when it does."""
    if key in ORDERED_ONLY and not t.ordered:
        return (f"{key.upper()} applies only to ordered dimensions (HEAT); this table has "
                "ordered_dimension = 0. Use D, R, PAF, PAR or a non-ordered measure.")
    if key in ORDERED_ONLY and t.n < 3:
        return f"{key.upper()} needs more than two ordered subgroups; got {t.n}."
    if key in NON_ORDERED_ONLY and t.ordered:
        return (f"{key.upper()} applies only to non-ordered dimensions in HEAT; this table has "
                "ordered_dimension = 1. Use SII, RII, ACI or RCI instead.")
    if key in NON_ORDERED_ONLY and t.n < 3:
        return (f"{key.upper()} needs more than two subgroups; a binary dimension only supports "
                "D, R, PAF and PAR.")
    if key in NEEDS_POPULATION and not t.has_population:
        return (f"{key.upper()} weights subgroups by population: give a population for every "
                "subgroup.")
    if key in NEEDS_REFERENCE and not t.has_reference:
        return (f"{key.upper()} needs a reference subgroup: set reference_subgroup = 1 on "
                "exactly one row.")
    return None


def _check_applicable(key: str, t: _Table) -> None:
    reason = _inapplicable(key, t)
    if reason:
        raise ValueError(reason)


def _as_float(values: pd.Series) -> np.ndarray:
    plain = values.to_numpy()
    if plain.dtype.kind in "fiub":  # the common case, without pandas' NA handling
        return plain.astype(float, copy=False)
    try:
        return values.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _columns(data: pd.DataFrame) -> dict[str, np.ndarray]:
    """The HEAT Plus columns as numpy arrays (the only pandas work, done once per frame)."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError("data must be a pandas DataFrame in the HEAT Plus template columns.")
    missing = [c for c in REQUIRED_COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(f"data lacks the HEAT Plus column(s) {', '.join(missing)}.")
    cols = {c: _as_float(data[c]) for c in REQUIRED_COLUMNS if c != "subgroup"}
    cols["subgroup"] = data["subgroup"].to_numpy(dtype=object)
    return cols


def _validate(data: pd.DataFrame) -> _Table:
    return _table(_columns(data))


def _same_flag(values: np.ndarray, name: str) -> int:
    first = values[0]
    if not (first in (0, 1) and np.all(values == first)):
        raise ValueError(f"{name} must be the same 0 or 1 on every row; got "
                         f"{sorted(set(values.tolist()))}.")
    return int(first)


def _table(cols: dict[str, np.ndarray], rows: np.ndarray | slice = slice(None)) -> _Table:
    """Validate one table (numpy only, so a long table can be split cheaply)."""
    subgroup = cols["subgroup"][rows]
    n = len(subgroup)
    if n == 0:
        raise ValueError("data has no rows: give one row per subgroup.")
    if len(set(subgroup.tolist())) != n:
        seen, dupes = set(), set()
        for s in subgroup.tolist():
            (dupes if s in seen else seen).add(s)
        raise ValueError(f"Duplicate subgroup(s) {', '.join(sorted(map(str, dupes)))}: give one "
                         "row per subgroup for one setting, date and dimension.")
    est = cols["estimate"][rows]
    if not np.all(np.isfinite(est)):
        bad = [str(s) for s in subgroup[~np.isfinite(est)]]
        raise ValueError(f"Estimate missing or not a number for subgroup(s) {', '.join(bad)}; "
                         "drop those rows or supply the estimate.")
    se = cols["se"][rows]
    if np.any(se[np.isfinite(se)] < 0):
        raise ValueError("Standard errors must not be negative.")
    pop = cols["population"][rows]
    nonpositive = np.isfinite(pop) & (pop <= 0)
    if nonpositive.any():
        bad = [str(s) for s in subgroup[nonpositive]]
        raise ValueError(f"Population must be positive; subgroup(s) {', '.join(bad)} have 0 or "
                         "less. Drop empty subgroups before computing measures.")
    favourable = _same_flag(cols["favourable_indicator"][rows], "favourable_indicator")
    ordered = _same_flag(cols["ordered_dimension"][rows], "ordered_dimension")
    scales = cols["indicator_scale"][rows]
    scale = scales[0]
    if not (np.isfinite(scale) and scale > 0 and np.all(scales == scale)):
        raise ValueError("indicator_scale must be one positive number on every row "
                         "(100 for percentages, 1000 for rates per 1000, 1 otherwise).")
    order = cols["subgroup_order"][rows]
    ref = np.nan_to_num(cols["reference_subgroup"][rows], nan=0.0)
    if not np.all((ref == 0) | (ref == 1)):
        raise ValueError("reference_subgroup must be 1 on the reference row and 0 elsewhere.")
    if ref.sum() > 1:
        raise ValueError("More than one row has reference_subgroup = 1; mark exactly one.")
    if ordered:
        if not np.array_equal(np.sort(order), np.arange(1, n + 1)):
            raise ValueError("In an ordered dimension subgroup_order must number the subgroups "
                             f"1..{n} (1 = most disadvantaged), each once; got "
                             f"{order.tolist()}.")
        sort = np.argsort(order, kind="stable")
    else:
        sort = np.argsort(subgroup.astype(str), kind="stable")
    return _Table(subgroup=subgroup[sort], est=est[sort], se=se[sort], pop=pop[sort],
                  order=order[sort], is_reference=ref[sort].astype(bool),
                  favourable=bool(favourable), ordered=bool(ordered), scale=float(scale))


# --------------------------------------------------------------------------- dispatch

def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence}.")
    return float(ndtri(1 - (1 - confidence) / 2))


def _results(keys: list[str], t: _Table, confidence: float, simulations: int,
             seed: int | None) -> dict[str, HeatResult]:
    z = _z(confidence)
    sim_keys = [k for k in keys if k in SIMULATED]
    simulated = {}
    if sim_keys:
        draws = _simulate(t, simulations, seed) if t.has_se else None
        simulated = _simulated(sim_keys, t, confidence, draws)
    return {k: simulated[k] if k in SIMULATED else _ANALYTIC[k](t, z, confidence) for k in keys}


def _normal(key: str, estimate: float, se: float, z: float, confidence: float, method: str,
            notes: str = "") -> HeatResult:
    if not math.isfinite(se):
        return HeatResult(key.upper(), estimate, math.nan, math.nan, math.nan, method, confidence,
                          (notes + " " if notes else "") + "No standard errors: no interval.")
    return HeatResult(key.upper(), estimate, se, estimate - z * se, estimate + z * se, method,
                      confidence, notes)


# --------------------------------------------------------------------------- simple measures

def _pair(t: _Table) -> tuple[int, int, str]:
    """Rows (i1, i2) compared by D = y1 - y2 and R = y1 / y2, as healthequal d.R / r.R.

    Ordered: favourable y1 = most advantaged, y2 = most disadvantaged; adverse the reverse.
    Non-ordered with a reference: favourable y1 = reference, y2 = lowest; adverse y1 = highest,
    y2 = reference. Non-ordered without one: highest and lowest estimate.
    """
    if t.ordered:
        adv, dis = t.n - 1, 0
        if t.favourable:
            return adv, dis, "most advantaged vs most disadvantaged"
        return dis, adv, "most disadvantaged vs most advantaged"
    hi, lo = int(np.argmax(t.est)), int(np.argmin(t.est))
    if t.has_reference:
        ref = int(np.flatnonzero(t.is_reference)[0])
        if t.favourable:
            return ref, lo, f"reference {t.subgroup[ref]} vs lowest {t.subgroup[lo]}"
        return hi, ref, f"highest {t.subgroup[hi]} vs reference {t.subgroup[ref]}"
    return hi, lo, f"highest {t.subgroup[hi]} vs lowest {t.subgroup[lo]}"


def _difference(t: _Table, z: float, conf: float) -> HeatResult:
    i1, i2, which = _pair(t)
    d = float(t.est[i1] - t.est[i2])
    se = float(math.sqrt(t.se[i1] ** 2 + t.se[i2] ** 2))
    return _normal("d", d, se, z, conf, "analytic", which)


def _ratio(t: _Table, z: float, conf: float) -> HeatResult:
    i1, i2, which = _pair(t)
    y1, y2 = float(t.est[i1]), float(t.est[i2])
    if y2 == 0:
        raise ValueError(f"R is undefined: the estimate of {t.subgroup[i2]} is 0.")
    r = y1 / y2
    # Ahn et al. 2018: delta-method SE of R, interval built on log R.
    log_se = math.sqrt((t.se[i1] ** 2 + r**2 * t.se[i2] ** 2) / y2**2) / r if r > 0 else math.nan
    if not math.isfinite(log_se):
        return HeatResult("R", r, math.nan, math.nan, math.nan, "analytic", conf,
                          which + "; no interval (no SE or a non-positive ratio).")
    return HeatResult("R", r, log_se, math.exp(math.log(r) - z * log_se),
                      math.exp(math.log(r) + z * log_se), "analytic (log scale)", conf,
                      which + "; se is the SE of log R.")


# --------------------------------------------------------------------------- ordered measures

def _ranks(t: _Table) -> np.ndarray:
    """Midpoint of each subgroup's cumulative population share, 0 = most disadvantaged."""
    cum = np.cumsum(t.pop)
    return (cum - 0.5 * t.pop) / cum[-1]


def _concentration(t: _Table, relative: bool) -> tuple[float, float]:
    """ACI (or RCI) and its SE by the 'convenient regression' of healthequal aci.R / rci.R.

    Regress 2*var(rank)*y (divided by the mean for RCI) on rank, each row scaled by sqrt(pop),
    without a constant but with sqrt(pop) as regressor; the rank coefficient is the index and
    its ordinary least-squares SE (residual variance on n - 2 df) is the SE HEAT reports.
    """
    rank = _ranks(t)
    w = t.pop / t.pop.sum()
    sigma2 = float(np.dot(w, (rank - 0.5) ** 2))
    mean = t.weighted_mean()
    sq = np.sqrt(t.pop)
    y = 2 * sigma2 * t.est * sq
    if relative:
        if mean == 0:
            raise ValueError("RCI is undefined when the population-weighted mean is 0.")
        y = y / mean
    x = np.column_stack([rank * sq, sq])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    dof = t.n - 2
    sigma_sq = float(resid @ resid) / dof
    cov = sigma_sq * np.linalg.inv(x.T @ x)
    return float(beta[0]), float(math.sqrt(max(cov[0, 0], 0.0)))


def _aci(t: _Table, z: float, conf: float) -> HeatResult:
    aci, se = _concentration(t, relative=False)
    return _normal("aci", aci, se, z, conf, "analytic (convenient regression)",
                   "Indicator scale; positive = concentrated among the advantaged.")


def _rci(t: _Table, z: float, conf: float) -> HeatResult:
    rci, se = _concentration(t, relative=True)
    return _normal("rci", rci, se, z, conf, "analytic (convenient regression)",
                   "A fraction between -1 and 1 (multiply by 100 for HEAT's display).")


def _logistic_fit(t: _Table) -> tuple[np.ndarray, np.ndarray]:
    if t.fit is None:
        t.fit = _fit_logistic(t)
    return t.fit


def _fit_logistic(t: _Table) -> tuple[np.ndarray, np.ndarray]:
    """Logistic fit of healthequal sii.R / rii.R: returns (beta, HC1 covariance).

    healthequal builds counts y = round(estimate / scale * ceiling(pop)) and fits
    ``glm(cbind(y, n - y) ~ rank, weights = pop, family = quasibinomial)``. R multiplies the prior
    weights by the binomial totals, so each row carries pop * n; reproduced here by IRLS. The
    covariance is the sandwich::vcovHC "HC1" one marginaleffects uses (n/(n-k) correction with
    n = number of subgroups).
    """
    n_tot = np.ceil(t.pop)
    p = t.est / t.scale
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("SII/RII (logistic) need estimates between 0 and indicator_scale; "
                         "check indicator_scale (100 for percentages).")
    y = np.round(p * n_tot)
    prop = y / n_tot
    prior = t.pop * n_tot
    x = np.column_stack([np.ones(t.n), _ranks(t)])
    mu = (n_tot * prop + 0.5) / (n_tot + 1)  # R's binomial mustart
    eta = np.log(mu / (1 - mu))
    beta = np.zeros(2)
    for _ in range(100):
        var = mu * (1 - mu)
        work = prior * var
        zwork = eta + (prop - mu) / var
        xtw = x.T * work
        new = np.linalg.solve(xtw @ x, xtw @ zwork)
        eta = x @ new
        mu = expit(eta)
        done = np.max(np.abs(new - beta)) < 1e-12 * (1 + np.max(np.abs(new)))
        beta = new
        if done:
            break
    var = mu * (1 - mu)
    bread = np.linalg.inv((x.T * (prior * var)) @ x)
    score = x * (prior * (prop - mu))[:, None]
    meat = score.T @ score
    k = x.shape[1]
    hc1 = t.n / (t.n - k) if t.n > k else math.nan
    return beta, hc1 * bread @ meat @ bread


def _sii(t: _Table, z: float, conf: float) -> HeatResult:
    beta, cov = _logistic_fit(t)
    mu0, mu1 = expit(beta[0]), expit(beta[0] + beta[1])
    grad = np.array([mu1 * (1 - mu1) - mu0 * (1 - mu0), mu1 * (1 - mu1)])
    se = float(math.sqrt(max(grad @ cov @ grad, 0.0))) * t.scale
    return _normal("sii", float(mu1 - mu0) * t.scale, se, z, conf,
                   "logistic regression, robust SE (HC1), delta method",
                   "Indicator scale; predicted most advantaged minus most disadvantaged.")


def _rii(t: _Table, z: float, conf: float) -> HeatResult:
    beta, cov = _logistic_fit(t)
    mu0, mu1 = expit(beta[0]), expit(beta[0] + beta[1])
    grad = np.array([mu0 - mu1, 1 - mu1])
    log_se = float(math.sqrt(max(grad @ cov @ grad, 0.0)))
    log_rii = float(math.log(mu1 / mu0))
    return HeatResult("RII", math.exp(log_rii), log_se, math.exp(log_rii - z * log_se),
                      math.exp(log_rii + z * log_se),
                      "logistic regression, robust SE (HC1), delta method (log scale)", conf,
                      "Predicted most advantaged / most disadvantaged; se is the SE of log RII.")


# --------------------------------------------------------------------------- weighted analytic

def _bgv(t: _Table, z: float, conf: float) -> HeatResult:
    """BGV = sum p_j (y_j - mu)^2; SE of Ahn et al. 2018 as in healthequal bgv.R."""
    w = t.shares()
    mu = float(w @ t.est)
    bgv = float(w @ (t.est - mu) ** 2)
    se2 = np.sum(w**2 * t.se**2 * (t.est - mu) ** 2)
    s2 = np.sum(w**2 * t.se**2)
    s4 = np.sum(w**4 * t.se**4)
    se4 = np.sum(w**2 * (1 - w) ** 2 * t.se**4)
    se = float(math.sqrt(4 * se2 + 2 * (s2**2 - s4 + se4)))
    return _normal("bgv", bgv, se, z, conf, "analytic", "Squared unit of the indicator.")


def _nonzero(est: np.ndarray) -> np.ndarray:
    # healthequal replaces zero estimates by 1e-6 so the logarithms exist.
    return np.where(est == 0, 1e-6, est)


def _theil(t: _Table, z: float, conf: float) -> HeatResult:
    """TI = sum p_j r_j ln r_j x 1000, r_j = y_j / mu; SE of healthequal ti.R (x 1000 too)."""
    if np.any(t.est < 0):
        raise ValueError("TI needs non-negative estimates.")
    y = _nonzero(t.est)
    w = t.shares()
    mu = float(w @ y)
    r = y / mu
    ti = float(np.sum(w * r * np.log(r))) * 1000
    prep = np.sum(r * (1 + np.log(r)) * w)
    se = float(math.sqrt(np.sum((1 + np.log(r) - prep) ** 2 * (w**2 * t.se**2 / mu**2)))) * 1000
    return _normal("ti", ti, se, z, conf, "analytic",
                   "x 1000. healthequal reports this SE without the x 1000; here it matches the "
                   "estimate's scale.")


def _mld(t: _Table, z: float, conf: float) -> HeatResult:
    """MLD = sum p_j (-ln(y_j / mu)) x 1000; SE of healthequal mld.R (x 1000 too)."""
    if np.any(t.est < 0):
        raise ValueError("MLD needs non-negative estimates.")
    y = _nonzero(t.est)
    w = t.shares()
    mu = float(w @ y)
    r = y / mu
    mld = float(np.sum(w * -np.log(r))) * 1000
    se = float(math.sqrt(np.sum(t.se**2 * w**2 / mu**2 * (1 - 1 / r) ** 2))) * 1000
    return _normal("mld", mld, se, z, conf, "analytic",
                   "x 1000. healthequal reports this SE without the x 1000; here it matches the "
                   "estimate's scale.")


def _attributable(t: _Table) -> tuple[float, float, float, float, str]:
    """(reference estimate, mean, raw PAF as a fraction, Walter SE of that fraction, note)."""
    if t.ordered:
        ref = t.n - 1
        which = f"reference = most advantaged ({t.subgroup[ref]})"
    else:
        ref = int(np.argmax(t.est) if t.favourable else np.argmin(t.est))
        which = f"reference = best-performing subgroup ({t.subgroup[ref]})"
    y_ref = float(t.est[ref])
    mu = t.weighted_mean()
    if mu == 0:
        raise ValueError("PAF/PAR are undefined when the population-weighted mean is 0.")
    # Walter (1978) 2x2 table, as healthequal paf.R / parisk.R.
    total = float(t.pop.sum())
    ref_pop = float(t.pop[ref])
    c = y_ref / t.scale * ref_pop
    d = ref_pop - c
    a = mu / t.scale * total - c
    b = total - a - ref_pop
    n = a + b + c + d
    var = (c * n * (a * d * (n - c) + b * c**2)) / ((a + c) ** 3 * (c + d) ** 3)
    se = math.sqrt(var) if var >= 0 else math.nan
    return y_ref, mu, (y_ref - mu) / mu, se, which


def _truncated(value: float, favourable: bool) -> float:
    # HEAT: no improvement possible -> 0 (favourable PAF/PAR < 0, adverse PAF/PAR > 0).
    if (favourable and value < 0) or (not favourable and value > 0):
        return 0.0
    return value


def _par(t: _Table, z: float, conf: float) -> HeatResult:
    y_ref, mu, _, paf_se, which = _attributable(t)
    par = _truncated(y_ref - mu, t.favourable)
    return _normal("par", par, mu * paf_se, z, conf, "analytic (Walter 1978)",
                   which + "; indicator scale; se = mean x SE of the attributable fraction.")


def _paf(t: _Table, z: float, conf: float) -> HeatResult:
    _, _, frac, se, which = _attributable(t)
    frac = _truncated(frac, t.favourable)
    # The Walter SE is on the fraction scale: build the interval there, then x 100. healthequal
    # adds the fraction-scale SE to the percent value, which gives a far too narrow interval.
    res = _normal("paf", frac * 100, se * 100, z, conf, "analytic (Walter 1978)",
                  which + "; percent; se is in percentage points (fraction SE x 100).")
    return res


_ANALYTIC = {
    "d": _difference, "r": _ratio, "aci": _aci, "rci": _rci, "sii": _sii, "rii": _rii,
    "bgv": _bgv, "ti": _theil, "mld": _mld, "par": _par, "paf": _paf,
}


# --------------------------------------------------------------------------- simulated measures

def _simulate(t: _Table, simulations: int, seed: int | None) -> np.ndarray:
    """Draws (simulations x subgroups) of each estimate from a normal with its SE, truncated to
    [0, 100] for percentages and to [0, inf) otherwise, as healthequal does by redrawing until
    the value is in range. Here out-of-range draws are replaced by draws from the truncated
    normal (inverse CDF), which gives the same distribution without a loop."""
    if simulations < 2:
        raise ValueError("simulations must be at least 2.")
    rng = np.random.default_rng(seed)
    upper = 100.0 if t.scale == 100 else np.inf
    draws = t.est + t.se * rng.standard_normal((simulations, t.n))
    bad = (draws < 0) | (draws > upper)
    if bad.any():
        rows, cols = np.nonzero(bad)
        mean, sd = t.est[cols], np.where(t.se[cols] > 0, t.se[cols], np.finfo(float).tiny)
        lo = ndtr((0 - mean) / sd)
        hi = ndtr((upper - mean) / sd)
        u = np.clip(lo + rng.random(len(cols)) * (hi - lo), 1e-300, 1 - 1e-16)
        draws[rows, cols] = np.clip(mean + sd * ndtri(u), 0, upper)
    return draws


def _simulated_values(keys: list[str], y: np.ndarray, t: _Table) -> np.ndarray:
    """Each simulated measure (rows, in ``keys`` order) for each row of y (sims x subgroups)."""
    n = t.n
    w = t.shares() if np.all(np.isfinite(t.pop)) else None
    out = np.empty((len(keys), len(y)))
    cache: dict[str, np.ndarray] = {}

    def from_mean() -> tuple[np.ndarray, np.ndarray]:
        if "mu" not in cache:
            cache["mu"] = y @ w
            cache["absdev"] = np.abs(y - cache["mu"][:, None])
        return cache["mu"], cache["absdev"]

    for i, key in enumerate(keys):
        if key in {"bgsd", "cov"}:
            mu, absdev = from_mean()
            bgsd = np.sqrt((absdev * absdev) @ w)
            out[i] = bgsd if key == "bgsd" else bgsd / mu * 100
        elif key in {"mdmu", "mdmw", "idisu", "idisw"}:
            mu, absdev = from_mean()
            mean_abs = absdev.sum(axis=1) / n if key in {"mdmu", "idisu"} else absdev @ w
            out[i] = mean_abs if key.startswith("md") else mean_abs / mu * 100
        elif key in {"mdbu", "mdbw"}:
            if "best" not in cache:
                best = y.max(axis=1) if t.favourable else y.min(axis=1)
                cache["best"] = np.abs(y - best[:, None])
            dev = cache["best"]
            out[i] = dev.sum(axis=1) / n if key == "mdbu" else dev @ w
        else:  # mdru, mdrw
            if "ref" not in cache:
                ref = y[:, int(np.flatnonzero(t.is_reference)[0])]
                cache["ref"] = np.abs(y - ref[:, None])
            dev = cache["ref"]
            out[i] = dev.sum(axis=1) / n if key == "mdru" else dev @ w
    return out


_SIM_NOTES = {
    "bgsd": "Indicator unit.",
    "cov": "Percent of the population-weighted mean.",
    "mdmu": "Unweighted mean absolute difference from the population-weighted mean.",
    "mdmw": "Population-weighted mean absolute difference from the weighted mean.",
    "mdbu": "Unweighted mean difference from the best-performing subgroup.",
    "mdbw": "Population-weighted mean difference from the best-performing subgroup.",
    "mdru": "Unweighted mean difference from the reference subgroup.",
    "mdrw": "Population-weighted mean difference from the reference subgroup.",
    "idisu": "Percent of the weighted mean, unweighted over subgroups.",
    "idisw": "Percent of the weighted mean, population-weighted. The simulation recomputes the "
             "mean in every draw (healthequal keeps the observed mean there).",
}


def _simulated(keys: list[str], t: _Table, conf: float, draws: np.ndarray | None
               ) -> dict[str, HeatResult]:
    """Simulated measures of one table, sharing one set of draws (percentile intervals)."""
    if any(k in {"cov", "idisu", "idisw"} for k in keys) and t.weighted_mean() == 0:
        raise ValueError("COV and IDIS are undefined when the population-weighted mean is 0.")
    estimates = _simulated_values(keys, t.est[None, :], t)[:, 0]
    results = {}
    if draws is None:
        for key, estimate in zip(keys, estimates, strict=True):
            results[key] = HeatResult(key.upper(), float(estimate), math.nan, math.nan, math.nan,
                                      "simulation", conf,
                                      _SIM_NOTES[key] + " No standard errors: no interval.")
        return results
    sims = _simulated_values(keys, draws, t)
    alpha = (1 - conf) / 2
    lowers, uppers = np.quantile(sims, [alpha, 1 - alpha], axis=1)
    sds = sims.std(axis=1, ddof=1)
    for i, key in enumerate(keys):
        estimate, lower, upper = float(estimates[i]), float(lowers[i]), float(uppers[i])
        note = (_SIM_NOTES[key] + f" Percentile interval of {draws.shape[0]} simulated data "
                "sets (truncated normal per subgroup); se is the SD of the simulated values.")
        if not lower <= estimate <= upper:
            note += (" The interval excludes the estimate: absolute-deviation measures are "
                     "biased upwards under simulation when subgroups are close (Ahn et al. "
                     "2019).")
        results[key] = HeatResult(key.upper(), estimate, float(sds[i]), lower, upper,
                                  "simulation", conf, note)
    return results
