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
    """Outcome per row of `df` (area_code, value, lower, upper, benchmark).

    With confidence limits on every value: the Fingertips test (benchmark inside the 95 % CI).
    Without them (RIVM model estimates): z-score bands against the spread of all areas in `df`,
    which says how unusual an area is, not whether a difference is significant. Returns a frame
    aligned with `df` with `category` (outcome name) and `text`; `attrs['method_text']` says
    which method was used, in a sentence for the page.
    """
    mod = _module()
    frame = df.set_index("area_code")[["value", "lower", "upper"]].astype(float)
    bench = pd.Series(df["benchmark"].to_numpy(dtype=float), index=frame.index)
    has_value = frame["value"].notna()
    with_ci = bool(has_value.any()) and bool(frame.loc[has_value, ["lower", "upper"]].notna().all().all())
    if with_ci:
        out = mod.compare_areas_with_benchmark(frame, bench, polarity)
    else:
        out = mod.classify_by_zscore(frame["value"], bench, polarity)
    method = str(out["method"].iloc[0]) if len(out) else "zscore_bands"
    outcome = out["outcome"].where(~out.index.isin(list(reference_codes)), "not_compared")
    # a value without a benchmark value is not compared, and must not read as "the benchmark itself"
    no_bench = bench.isna().to_numpy() & frame["value"].notna().to_numpy() & (
        outcome == "not_compared").to_numpy()
    outcome = outcome.mask(no_bench, "no_benchmark")
    result = pd.DataFrame({"category": outcome.to_numpy()}, index=df.index)
    result["text"] = [t(f"compare.category.{c}") for c in result["category"]]
    result.attrs["method"] = method
    compared = ~result["category"].isin(["not_compared", "no_benchmark"])
    # no method sentence when nothing was compared (e.g. no benchmark value at all)
    result.attrs["method_text"] = t(f"compare.method.{method}") if compared.any() else None
    return result
