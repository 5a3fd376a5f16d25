"""Assemble one gemeente's values with the range of all gemeenten and its benchmark.

Used by Gemeenteprofiel and Overzicht: one row per indicator (its chosen or newest period for the
age group), with the spine-chart range, the benchmark value and the comparison outcome.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from healthgap.ui import charts, fmt, texts
from healthgap.ui.compared import compared_areas
from healthgap.ui.data import db, q
from healthgap.ui.frame import Selection, ordered_catalog
from healthgap.ui.texts import t

TREND_ARROW = " → "


def ages_with_values(sel: Selection) -> str:
    """The age groups the gemeente has values for, as text (the 'try another age group' hint)."""
    own = q("profile", sel.gemeente, None, _division_of(sel))
    ages = own[own["value"].notna()]["age_group"].unique()
    return ", ".join(fmt.age_label(a) for a in ages) or fmt.MISSING


def gemeente_profile(sel: Selection, age_group: str | None = None) -> pd.DataFrame:
    """Cached per database version, language and the parts of the selection it reads: the rows
    are ~70 comparisons over all gemeenten, a third of a Profiel or Overzicht run when rebuilt
    on every run (py-spy under the load test)."""
    return _profile(db().key, texts.language(), sel.gemeente, age_group or sel.age_group,
                    sel.period, sel.benchmark,
                    tuple(sel.group) if sel.benchmark == "groep" else (), _division_of(sel))


def _division_of(sel: Selection) -> int | None:
    """Belgian rows of the gemeente list's division only: every Belgian municipal value exists
    on it (exact re-aggregations, BIMD carried where the territory did not change), and a code
    such as Antwerpen 11002 names another territory on an older division."""
    return getattr(sel, "gm_year", None) if getattr(sel, "country", "NL") == "BE" else None


@st.cache_data(show_spinner=False, max_entries=256)
def _profile(db_key: str, lang: str, gemeente: str, age: str, period: str, bench_kind: str,
             group: tuple, division_year: int | None = None) -> pd.DataFrame:
    sel = SimpleNamespace(gemeente=gemeente, period=period, benchmark=bench_kind,
                          group=list(group))
    own = q("profile", sel.gemeente, age, division_year)
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
        rows.append({"indicator_id": ind_id, "label": info["label"], "theme": info["theme"],
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
    extra = [_against_all(sel, age, r) for r in df.itertuples()]
    return pd.concat([df, pd.DataFrame(extra, index=df.index)], axis=1)


def _against_all(sel, age: str, r) -> dict:
    """Range of all gemeenten, benchmark and comparison outcome for one indicator row."""
    c = compared_areas(r.indicator_id, r.period, age, "gemeente", r.division_year,
                       sel.benchmark, sel.gemeente, sel.group, r.polarity)
    allv = c.table
    rng = charts.spine_rows(allv)
    out = {k: (rng[k].iloc[0] if len(rng) else float("nan")) for k in ("min", "p25", "p75", "max")}
    own = allv["area_code"] == sel.gemeente
    out.update(benchmark=allv.loc[own, "benchmark"].iloc[0] if own.any() else float("nan"),
               benchmark_label=c.bench_label, benchmark_note=c.bench_note,
               category=None, comparison_text=None, method_text=None)
    out["difference"] = r.value - out["benchmark"]
    if c.available and own.any():
        out.update(category=allv.loc[own, "category"].iloc[0],
                   comparison_text=allv.loc[own, "comparison_text"].iloc[0],
                   method_text=c.method_text)
    return out


def profile_table(df: pd.DataFrame, with_trend: bool = True) -> pd.DataFrame:
    """The profile as the table on screen (and in its CSV/Excel download): formatted values in
    the run's language, one row per indicator."""
    table = {
        t("profiel.col_indicator"): df["label"],
        t("profiel.col_period"): df["period"].map(fmt.period_label),
        t("profiel.col_value"): [fmt.value_with_unit(v, u, d) for v, u, d in
                                 zip(df["value"], df["unit"], df["decimals"], strict=True)],
        t("profiel.col_benchmark"): [fmt.value_with_unit(v, u, d) for v, u, d in
                                     zip(df["benchmark"], df["unit"], df["decimals"], strict=True)],
        t("profiel.col_difference"): [fmt.difference_with_unit(v, u, d) for v, u, d in
                                      zip(df["difference"], df["unit"], df["decimals"],
                                          strict=True)],
        t("profiel.col_outcome"): df["comparison_text"].fillna(fmt.MISSING),
    }
    if with_trend:
        table[t("profiel.col_trend")] = df["trend"]
        table[t("profiel.col_status")] = df["status"].map(lambda s: t(f"status.{s}"))
    return pd.DataFrame(table).reset_index(drop=True)
