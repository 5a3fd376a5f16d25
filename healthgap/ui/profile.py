"""Assemble one gemeente's values with the range of all gemeenten and its benchmark.

Used by Gemeenteprofiel and Overzicht: one row per indicator (its chosen or newest period for the
age group), with the spine-chart range, the benchmark value and the comparison outcome.
"""

from __future__ import annotations

import pandas as pd

from healthgap.ui import benchmark, charts, compare, fmt
from healthgap.ui.data import q
from healthgap.ui.frame import Selection, ordered_catalog

TREND_ARROW = " → "


def gemeente_profile(sel: Selection, age_group: str | None = None) -> pd.DataFrame:
    age = age_group or sel.age_group
    own = q("profile", sel.gemeente, age)
    if own.empty:
        return pd.DataFrame()
    cat = ordered_catalog().set_index("indicator_id")
    rows = []
    for ind_id, vals in own.groupby("indicator_id", sort=False):
        if ind_id not in cat.index:
            continue
        info = cat.loc[ind_id]
        have = vals[vals["value"].notna()]
        if have.empty:
            continue
        period = sel.period if sel.period in set(have["period"]) else max(have["period"])
        cur = have[have["period"] == period].iloc[0]
        trend = TREND_ARROW.join(
            f"{fmt.period_label(p)}: {fmt.number(v, int(info['decimals']))}"
            for p, v in vals.sort_values("period")[["period", "value"]].itertuples(index=False))
        rows.append({"indicator_id": ind_id, "label": info["label_nl"], "theme": info["theme"],
                     "period": period, "value": cur["value"], "status": cur["status"],
                     "lower": cur["lower"], "upper": cur["upper"],
                     "division_year": int(cur["division_year"]), "area_code": sel.gemeente,
                     "province_code": cur["province_code"], "ggd_code": cur["ggd_code"],
                     "polarity": info["polarity"], "unit": info["unit"],
                     "decimals": int(info["decimals"]), "modelled": bool(info["modelled"]),
                     "source_id": cur["source_id"], "trend": trend})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    ranges = []
    for (year, period), _part in df.groupby(["division_year", "period"]):
        allv = q("level_values", "gemeente", int(year), age, period)
        r = charts.spine_rows(allv)
        r["period"] = period
        ranges.append(r)
    df = df.merge(pd.concat(ranges), on=["indicator_id", "period"], how="left")
    bench_values, labels, notes, refs = [], [], [], []
    for r in df.itertuples():
        b = benchmark.resolve(sel.benchmark, r.indicator_id, r.period, age,
                              pd.DataFrame([r._asdict()]), sel.gemeente)
        bench_values.append(b.per_area.iloc[0])
        labels.append(b.label)
        notes.append(b.note)
        refs.append(b.reference_codes)
    df["benchmark"], df["benchmark_label"], df["benchmark_note"] = bench_values, labels, notes
    df["difference"] = df["value"] - df["benchmark"]
    df["category"], df["comparison_text"], df["method_text"] = None, None, None
    try:
        for polarity, part in df.groupby("polarity"):
            cmp = compare.compare_areas(part, polarity, set().union(*refs))
            df.loc[part.index, "category"] = cmp["category"].to_numpy()
            df.loc[part.index, "comparison_text"] = cmp["text"].to_numpy()
            df.loc[part.index, "method_text"] = cmp.attrs.get("method_text")
    except compare.ComparisonUnavailable:
        pass
    return df
