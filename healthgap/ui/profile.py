"""Assemble one gemeente's values with the range of all gemeenten and its benchmark.

Used by Gemeenteprofiel and Overzicht: one row per indicator (its chosen or newest period for the
age group), with the spine-chart range, the benchmark value and the comparison outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from healthgap.ui import charts, fmt, texts
from healthgap.ui.compared import compared_areas, read_by_benchmark
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
    catalog = cat.to_dict("index")
    # plain records: pandas filtering per indicator (~70 groups, Arrow-backed strings) was a
    # third of a Profiel run under the load test
    by_indicator: dict[str, list[dict]] = {}
    for rec in own.to_dict("records"):
        by_indicator.setdefault(rec["indicator_id"], []).append(rec)
    rows = []
    for ind_id, vals in by_indicator.items():
        info = catalog.get(ind_id)
        if info is None:
            continue
        have = [v for v in vals if not fmt.is_missing(v["value"])]
        if not have:
            continue
        periods = {v["period"] for v in have}
        period = sel.period if sel.period in periods else max(periods)
        cur = next(v for v in have if v["period"] == period)
        trend = TREND_ARROW.join(
            f"{fmt.period_label(v['period'])}: {fmt.number(v['value'], int(info['decimals']))}"
            for v in sorted(vals, key=lambda v: v["period"]))
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


@dataclass(frozen=True)
class Summary:
    """One indicator over all gemeenten, reduced to what a profile row reads."""

    spine: dict                 # min, p25, p75, max of all values
    by_area: dict               # area_code -> (benchmark, category, comparison_text)
    bench_label: str
    bench_note: str | None
    method_text: str | None
    available: bool


def _against_all(sel, age: str, r) -> dict:
    """Range of all gemeenten, benchmark and comparison outcome for one indicator row."""
    c = _summary(r.indicator_id, r.period, age, int(r.division_year), sel.benchmark,
                 sel.gemeente, tuple(sel.group), r.polarity)
    out = dict(c.spine)
    bench, category, text = c.by_area.get(sel.gemeente, (float("nan"), None, None))
    out.update(benchmark=bench, benchmark_label=c.bench_label, benchmark_note=c.bench_note,
               category=None, comparison_text=None, method_text=None)
    out["difference"] = r.value - out["benchmark"]
    if c.available and sel.gemeente in c.by_area:
        out.update(category=category, comparison_text=text, method_text=c.method_text)
    return out


def _summary(indicator_id: str, period: str, age: str, division_year: int, bench_kind: str,
             gemeente: str, group: tuple, polarity: str) -> Summary:
    selected, group = read_by_benchmark(bench_kind, gemeente, group)
    return _summary_of(db().key, texts.language(), indicator_id, period, age, division_year,
                       bench_kind, selected, group, polarity)


# A resource cache, not a data cache: a profile reads ~70 of these per new gemeente, and
# unpickling each indicator's full comparison table (st.cache_data returns a copy) was half of
# the server's CPU under the load test (py-spy). The summary is small and never mutated.
@st.cache_resource(show_spinner=False, max_entries=1024)
def _summary_of(db_key: str, lang: str, indicator_id: str, period: str, age: str,
                division_year: int, bench_kind: str, selected: str | None, group: tuple,
                polarity: str) -> Summary:
    c = compared_areas(indicator_id, period, age, "gemeente", division_year, bench_kind,
                       selected, list(group), polarity)
    allv = c.table
    rng = charts.spine_rows(allv)
    spine = {k: (float(rng[k].iloc[0]) if len(rng) else float("nan"))
             for k in ("min", "p25", "p75", "max")}
    by_area = {code: (bench, cat if isinstance(cat, str) else None,
                      text if isinstance(text, str) else None)
               for code, bench, cat, text in zip(
                   allv["area_code"].tolist(), allv["benchmark"].astype(float).tolist(),
                   allv["category"].tolist(), allv["comparison_text"].tolist(), strict=True)}
    return Summary(spine, by_area, c.bench_label, c.bench_note, c.method_text, c.available)


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
