"""Benchmark comparison as OHID Fingertips does it, with a fallback for values without a CI.

Polarity changes only the wording (higher → better or worse), never the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
DIRECTIONS = ("much_lower", "lower", "similar", "higher", "much_higher", "not_compared")
_WORDING = {
    "high_is_good": {"much_higher": "much_better", "higher": "better", "lower": "worse", "much_lower": "much_worse"},
    "low_is_good": {"much_higher": "much_worse", "higher": "worse", "lower": "better", "much_lower": "much_better"},
    "no_judgement": {},
}


@dataclass(frozen=True)
class ComparisonResult:
    """Direction on the value scale, its polarity wording, and how it was decided."""

    direction: str
    outcome: str
    method: str
    benchmark: float


def _check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES} (got {polarity!r}); see the indicator registry")


def word_by_polarity(direction: str, polarity: str) -> str:
    """Turn higher/lower into better/worse for an indicator's polarity; no_judgement keeps the direction."""
    _check_polarity(polarity)
    return _WORDING[polarity].get(direction, direction)


def compare_with_benchmark(
    value, lower, upper, benchmark, polarity: str = "no_judgement",
    lower_998=None, upper_998=None, is_benchmark_area: bool = False,
) -> ComparisonResult:
    """Fingertips comparison: similar when the benchmark lies inside the 95 % CI, else higher/lower.

    With 99.8 % limits too, an area whose 99.8 % CI also excludes the benchmark is much higher/lower.
    An area is never compared with itself (`is_benchmark_area`) → not_compared; so are missing values.
    Reference: OHID Fingertips technical guide, "Comparing indicator values with a benchmark".
    """
    _check_polarity(polarity)
    method = "ci_overlap_95_998" if lower_998 is not None else "ci_overlap_95"
    numbers = [value, lower, upper, benchmark]
    if is_benchmark_area or any(v is None or pd.isna(v) for v in numbers):
        return ComparisonResult("not_compared", "not_compared", method, benchmark)
    if lower > upper:
        raise ValueError(f"lower ({lower}) exceeds upper ({upper}); check the order of the limits")
    if lower > benchmark:
        direction = "much_higher" if lower_998 is not None and lower_998 > benchmark else "higher"
    elif upper < benchmark:
        direction = "much_lower" if upper_998 is not None and upper_998 < benchmark else "lower"
    else:
        direction = "similar"
    return ComparisonResult(direction, word_by_polarity(direction, polarity), method, benchmark)


def compare_areas_with_benchmark(
    frame: pd.DataFrame, benchmark, polarity: str = "no_judgement", benchmark_area: str | None = None,
) -> pd.DataFrame:
    """Vectorised `compare_with_benchmark` over a DataFrame indexed by area_code.

    Columns value, lower, upper (and optional lower_998, upper_998); `benchmark` is a number or a
    Series aligned on the index (e.g. each area's parent region). Returns direction, outcome, method.
    """
    _check_polarity(polarity)
    bench = pd.Series(benchmark, index=frame.index, dtype=float) if np.isscalar(benchmark) else benchmark.reindex(frame.index).astype(float)
    if (frame["lower"] > frame["upper"]).any():
        raise ValueError("some rows have lower > upper; check the order of the limits")
    higher = frame["lower"] > bench
    lower = frame["upper"] < bench
    direction = np.where(higher, "higher", np.where(lower, "lower", "similar")).astype(object)
    two_levels = {"lower_998", "upper_998"} <= set(frame.columns)
    if two_levels:
        direction[(higher & (frame["lower_998"] > bench)).to_numpy()] = "much_higher"
        direction[(lower & (frame["upper_998"] < bench)).to_numpy()] = "much_lower"
    missing = frame[["value", "lower", "upper"]].isna().any(axis=1) | bench.isna()
    if benchmark_area is not None:
        missing |= frame.index == benchmark_area
    direction[missing.to_numpy()] = "not_compared"
    out = pd.DataFrame({"direction": direction}, index=frame.index)
    out["outcome"] = [word_by_polarity(d, polarity) for d in direction]
    out["method"] = "ci_overlap_95_998" if two_levels else "ci_overlap_95"
    return out


def classify_by_zscore(values: pd.Series, benchmark: float, polarity: str = "no_judgement",
                       bands: tuple[float, float] = (1.0, 2.0)) -> pd.DataFrame:
    """Fallback without CIs: z = (value − benchmark) / SD of the comparable areas' values.

    |z| < bands[0] similar; bands[0] ≤ |z| < bands[1] higher/lower; ≥ bands[1] much higher/lower.
    The band says how unusual an area is among its comparators, not whether a difference is
    statistically significant (as in GGD area profiles' z-score maps).
    """
    _check_polarity(polarity)
    sd = values.std(ddof=1)
    if not np.isfinite(sd) or sd == 0:
        z = pd.Series(0.0, index=values.index).where(values.notna())
    else:
        z = (values - benchmark) / sd
    # no benchmark value (e.g. no national figure for the indicator): nothing to compare with
    z = z.where(pd.Series(benchmark, index=values.index, dtype=float).notna())
    size = z.abs()
    direction = np.where(size < bands[0], "similar", np.where(size < bands[1], "", "much_")).astype(object)
    direction = np.where(direction == "similar", "similar",
                         direction + np.where(z > 0, "higher", "lower")).astype(object)
    direction[z.isna().to_numpy()] = "not_compared"
    out = pd.DataFrame({"z": z, "direction": direction}, index=values.index)
    out["outcome"] = [word_by_polarity(d, polarity) for d in direction]
    out["method"] = "zscore_bands"
    return out


def classify_by_quintile(values: pd.Series, polarity: str = "no_judgement") -> pd.DataFrame:
    """Fallback without CIs: quintile of the comparable areas (1 = lowest fifth of values).

    Quintiles 1/5 read as much_lower/much_higher, 2/4 as lower/higher and 3 as similar.
    """
    _check_polarity(polarity)
    valid = values.dropna()
    quintile = pd.Series(np.nan, index=values.index)
    if len(valid):
        ranks = valid.rank(method="average", pct=True)
        quintile[valid.index] = np.ceil(ranks * 5).clip(1, 5)
    names = {1: "much_lower", 2: "lower", 3: "similar", 4: "higher", 5: "much_higher"}
    direction = [names.get(q, "not_compared") if pd.notna(q) else "not_compared" for q in quintile]
    if len(valid) and valid.nunique() == 1:
        direction = ["similar" if pd.notna(v) else "not_compared" for v in values]
        quintile[valid.index] = 3
    out = pd.DataFrame({"quintile": quintile, "direction": direction}, index=values.index)
    out["outcome"] = [word_by_polarity(d, polarity) for d in direction]
    out["method"] = "quintiles"
    return out


def national_benchmark(values: pd.Series, country_code: str) -> float:
    """The country's own value (e.g. NL01) from a Series indexed by area_code."""
    if country_code not in values.index:
        raise ValueError(f"no value for the country {country_code!r}; load the country-level row first")
    return float(values[country_code])


def parent_benchmarks(values: pd.Series, parent_codes: pd.Series) -> pd.Series:
    """Each area's parent-region value (province, GGD region), aligned on the areas' index."""
    return pd.Series(values.reindex(parent_codes.to_numpy()).to_numpy(), index=parent_codes.index)


def group_benchmark(values: pd.Series, populations: pd.Series, members, exclude: str | None = None) -> float:
    """Population-weighted mean of a group (peer group or user-chosen), without the area itself."""
    members = [m for m in members if m != exclude]
    v = values.reindex(members)
    w = populations.reindex(members)
    if (w < 0).any():
        raise ValueError("populations must not be negative")
    keep = v.notna() & w.notna() & (w > 0)
    if not keep.any():
        return float("nan")
    return float(np.average(v[keep], weights=w[keep]))


def group_benchmarks(values: pd.Series, populations: pd.Series,
                     members_by_area: dict[str, list[str]]) -> pd.DataFrame:
    """Each area's group mean at once (its peers, or one hand-picked group), itself left out.

    Per area: the population-weighted mean of its group members' values when every member that
    has a value also has a population; otherwise the unweighted mean, so that a member without a
    known population never silently drops out. Returns, indexed like `members_by_area`,
    `benchmark` (NaN when no member has a value), `weighted` (bool) and `n_members` (members
    with a value). Same result as `group_benchmark` per area when all populations are known.
    """
    universe = values.index
    if populations.reindex(universe).lt(0).any():
        raise ValueError("populations must not be negative")
    position = {code: i for i, code in enumerate(universe)}
    areas = list(members_by_area)
    member = np.zeros((len(areas), len(universe)))
    for row, area in enumerate(areas):
        cols = [position[m] for m in members_by_area[area] if m != area and m in position]
        member[row, cols] = 1.0
    v = values.to_numpy(dtype=float)
    has = np.isfinite(v)
    pop = populations.reindex(universe).to_numpy(dtype=float)
    has_pop = np.isfinite(pop) & (pop > 0)
    used = member * has                      # members with a value
    n = used.sum(axis=1)
    missing_pop = (used * ~has_pop).sum(axis=1) > 0
    v0 = np.where(has, v, 0.0)
    w = np.where(has_pop, pop, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted_mean = (used @ (w * v0)) / (used @ w)
        plain_mean = (used @ v0) / n
    weighted = ~missing_pop & (n > 0)
    bench = np.where(weighted, weighted_mean, plain_mean)
    bench[n == 0] = np.nan
    return pd.DataFrame({"benchmark": bench, "weighted": weighted, "n_members": n.astype(int)},
                        index=pd.Index(areas, name=values.index.name))
