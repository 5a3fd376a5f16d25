"""Shared by the Belgian value parsers: municipal sums (numerator, denominator) -> rows for the
municipality and, where the indicator is a ratio of sums, for every arrondissement, province,
region and Belgium of the same division, and for the 2025 division.

An aggregate is written only when every municipality it contains has both sums (exact, never
partial); the 2019 -> 2025 and 2018 -> 2019 changes are whole-municipality unions, so a 2025 value
is exact in the same way. Scores that are not ratios of sums (BIMD, medians) are not aggregated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers.be_regions import BE_CURRENT, HIGHER_LEVELS, be_reference
from healthgap.registry import Source

KEYS = ["period", "age_group", "indicator_id"]


def _rows(df: pd.DataFrame, level: str, year: int, multiply: float, source: Source) -> pd.DataFrame:
    if "den" in df:
        v = df["num"] / df["den"].where(df["den"] > 0) * multiply
    else:
        v = df["num"] * multiply
    return pd.DataFrame({
        "area_code": df["code"].to_numpy(), "level": level, "division_year": int(year),
        "period": df["period"].to_numpy(), "age_group": df["age_group"].to_numpy(),
        "indicator_id": df["indicator_id"].to_numpy(), "value": v.to_numpy(dtype="float64"),
        "status": np.where(v.notna().to_numpy(), "observed", "suppressed"),
        "source_id": source.id, "line": pd.NA})


def _complete_sums(df: pd.DataFrame, groups: pd.Series, members: pd.Series) -> pd.DataFrame:
    """Sum num/den per group and key; keep only groups where all `members` (count of
    municipalities in the group) have both sums."""
    cols = ["num"] + (["den"] if "den" in df else [])
    d = df.assign(code=groups.to_numpy()).dropna(subset=["code"])
    ok = d[cols].notna().all(axis=1)
    g = d[ok].groupby(["code", *KEYS], sort=False)
    out = g[cols].sum().reset_index()
    out["n"] = g.size().to_numpy()
    return out[out["n"] == out["code"].map(members)].drop(columns="n")


def emit(ctx: BuildContext, source: Source, comps: pd.DataFrame, year: int, *,
         multiply: float = 1.0, aggregate: bool = True, to_current: bool = True,
         levels: tuple[str, ...] = HIGHER_LEVELS) -> None:
    """comps: one row per municipality and key with `code`, `period`, `age_group`,
    `indicator_id`, `num` and optionally `den` (value = num / den * multiply, else num * multiply).
    A municipality row with an empty sum is `suppressed` (NULL value, never 0)."""
    ref = be_reference(ctx)
    known = set(ref.municipalities.loc[ref.municipalities["division_year"] == year, "code"])
    unknown = sorted(set(comps["code"]) - known)
    if unknown:
        raise SourceError(ctx.paths.get(source.id, source.path),
                          f"unknown NIS code {unknown[0]!r}: not a municipality of the {year} division")
    frames = [_rows(comps, "gemeente", year, multiply, source)]
    if aggregate:
        frames += _higher(ref, comps, year, multiply, source, levels)
    if to_current and year != BE_CURRENT:
        succ = pd.Series(ref.to_year(year, BE_CURRENT))
        members = succ.value_counts()
        cur = _complete_sums(comps, comps["code"].map(succ), members)
        frames.append(_rows(cur, "gemeente", BE_CURRENT, multiply, source))
        if aggregate:
            frames += _higher(ref, cur, BE_CURRENT, multiply, source, levels)
    ctx.add_values(pd.concat(frames, ignore_index=True))


def _higher(ref, comps: pd.DataFrame, year: int, multiply: float, source: Source,
            levels: tuple[str, ...] = HIGHER_LEVELS) -> list:
    parents = ref.parents(year).set_index("gemeente")
    out = []
    for level in levels:
        up = parents[level]
        members = up.value_counts()
        sums = _complete_sums(comps, comps["code"].map(up), members)
        if len(sums):
            out.append(_rows(sums, level, year, multiply, source))
    return out


def published(ctx: BuildContext, source: Source, df: pd.DataFrame, year: int) -> None:
    """Values as published (scores, ranks, medians): no aggregation. df: code, level, period,
    age_group, indicator_id, value, line."""
    out = pd.DataFrame({
        "area_code": df["code"].to_numpy(), "level": df["level"].to_numpy(), "division_year": int(year),
        "period": df["period"].to_numpy(), "age_group": df["age_group"].to_numpy(),
        "indicator_id": df["indicator_id"].to_numpy(), "value": df["value"].to_numpy(dtype="float64"),
        "status": np.where(df["value"].notna().to_numpy(), "observed", "suppressed"),
        "source_id": source.id, "line": df["line"].to_numpy()})
    ctx.add_values(out)
