"""Data shaping for the page "Over de grens": one map of Dutch and Belgian gemeenten for the
indicator pairs of data/catalog/crossborder.toml.

Each side keeps its own period and division: the newest gemeente division of that country that
has values for the period and a map (NL 2025 or 2024; BE 2025 where the values were re-aggregated,
else 2019). A same-definition pair gets one set of classes for both countries; a
`within_country_quintile` pair shows only each gemeente's quintile within its own country
(indicators/relative.py), never the amounts. The combined geometry is written once as a static
file and referenced by URL (see geometry.py).
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from healthgap import store
from healthgap.settings import PROJECT_ROOT
from healthgap.ui import fmt, geometry, maps
from healthgap.ui.data import db, q
from healthgap.ui.texts import language, raw, t
from indicators.relative import within_country_quantile

CATALOG = PROJECT_ROOT / "data" / "catalog" / "crossborder.toml"
KINDS = ("same_definition", "within_country_quintile")
COUNTRIES = ("NL", "BE")
N_QUINTILES = 5


@lru_cache(maxsize=1)
def pairs() -> dict[str, dict]:
    with open(CATALOG, "rb") as fh:
        return tomllib.load(fh)


def pair_ids() -> list[str]:
    return list(pairs())


def label(pair_id: str) -> str:
    p = pairs()[pair_id]
    return p.get(f"label_{language()}") or p["label_nl"]


def differences(pair_id: str) -> str:
    p = pairs()[pair_id]
    return p.get(f"differences_{language()}") or p["differences_nl"]


def year_options(pair_id: str) -> list[str]:
    """Every period either side has, newest first (the page's period choice)."""
    p = pairs()[pair_id]
    return sorted(set(p["nl_periods"]) | set(p["be_periods"]), reverse=True)


def nearest_period(periods: list[str], year: str) -> str:
    """`year` itself when present, else the closest period (the later one on a tie)."""
    if year in periods:
        return year
    return min(periods, key=lambda p: (abs(int(p) - int(year)), -int(p)))


def country_name(country: str) -> str:
    return t("grens.country_nl") if country == "NL" else t("grens.country_be")


@dataclass
class Side:
    country: str
    indicator_id: str
    indicator: dict
    period: str
    exact: bool                 # the chosen year itself (False: nearest period)
    division_year: int | None
    values: pd.DataFrame        # every gemeente of that division, missing ones included
    national: float | None
    source_ids: list[str] = field(default_factory=list)


@dataclass
class BorderView:
    pair_id: str
    kind: str
    year: str
    nl: Side
    be: Side
    df: pd.DataFrame            # both countries: area_code, name, country, value, group
    groups: list                # (colour, label, mask) for maps.choropleth
    legend_title: str
    url: str | None
    source_ids: list[str]


def _division(indicator_id: str, period: str, country: str) -> int | None:
    periods = q("periods_for", indicator_id, "gemeente")
    years = set(periods[periods["period"] == period]["division_year"].astype(int))
    with_map = years & set(q("geometry_years", "gemeente", country=country))
    return max(with_map) if with_map else None


def _side(pair: dict, country: str, year: str) -> Side:
    key = country.lower()
    indicator_id = pair[key]
    period = nearest_period(pair[f"{key}_periods"], year)
    ind = q("indicator", indicator_id) or {}
    dy = _division(indicator_id, period, country)
    if dy is None:
        empty = pd.DataFrame(columns=["area_code", "name", "value", "status", "source_id"])
        return Side(country, indicator_id, ind, period, period == year, None, empty, None)
    vals = q("values_for", indicator_id, period, "all", "gemeente", dy)
    vals = maps.with_all_areas(vals, q("areas", "gemeente", dy, country=country))
    nat = q("values_for", indicator_id, period, "all", "country")
    nat = nat[nat["value"].notna()]
    national = float(nat["value"].iloc[0]) if not nat.empty else None
    sources = [s for s in vals["source_id"].dropna().unique() if isinstance(s, str)]
    return Side(country, indicator_id, ind, period, period == year, dy,
                vals.reset_index(drop=True), national, sources)


def pair_of(indicator_id: str | None) -> str | None:
    """The cross-border pair an indicator belongs to (either side), or None."""
    for pair_id, pair in pairs().items():
        if indicator_id in (pair["nl"], pair["be"]):
            return pair_id
    return None


def side_near(pair_id: str, country: str, year: str) -> Side:
    """One country's side of a pair at the period nearest `year`."""
    return _side(pairs()[pair_id], country, year)


def build(pair_id: str, year: str) -> BorderView:
    pair = pairs()[pair_id]
    nl, be = _side(pair, "NL", year), _side(pair, "BE", year)
    parts = []
    for side in (nl, be):
        part = side.values[["area_code", "name", "value", "status"]].copy()
        part["country"] = side.country
        part["period"] = side.period
        if pair["kind"] == "within_country_quintile":
            part["quintile"] = within_country_quantile(part["value"], N_QUINTILES).to_numpy()
        parts.append(part)
    df = pd.concat(parts, ignore_index=True)
    if pair["kind"] == "within_country_quintile":
        groups = quintile_groups(df)
        legend = t("grens.legend_quintile")
    else:
        unit, decimals = nl.indicator.get("unit", ""), int(nl.indicator.get("decimals", 1))
        classes = maps.classify(df["value"], "quantiles", 5)
        groups = maps.value_groups(df, classes, unit, decimals)
        legend = t("grens.legend_shared")
    url = combined_geojson_url(nl.division_year, be.division_year)
    return BorderView(pair_id, pair["kind"], year, nl, be, df, groups, legend, url,
                      nl.source_ids + be.source_ids)


def quintile_groups(df: pd.DataFrame) -> list:
    names = {1: t("grens.quintile_1"), 2: t("grens.quintile_2"), 3: t("grens.quintile_3"),
             4: t("grens.quintile_4"), 5: t("grens.quintile_5")}
    palette = maps.SEQUENTIAL[N_QUINTILES]
    groups = [(palette[k - 1], names[k], df["quintile"] == k) for k in range(1, N_QUINTILES + 1)]
    groups.append((maps.CATEGORY_COLOURS["no_data"], t("map.no_data"), df["quintile"].isna()))
    return groups


def hover_rows(view: BorderView) -> np.ndarray:
    """customdata per area: name, what is shown (value or quintile), country and period."""
    df = view.df
    if view.kind == "within_country_quintile":
        shown = [t("grens.hover_quintile", quintile=fmt.count(qv), country=country_name(c))
                 if not fmt.is_missing(qv) else t("map.no_data")
                 for qv, c in zip(df["quintile"], df["country"], strict=True)]
    else:
        unit, decimals = view.nl.indicator.get("unit", ""), int(view.nl.indicator.get("decimals", 1))
        shown = [fmt.value_with_unit(v, unit, decimals) for v in df["value"]]
    where = [t("grens.hover_where", country=country_name(c), period=fmt.period_label(p))
             for c, p in zip(df["country"], df["period"], strict=True)]
    return np.column_stack([df["name"].fillna(df["area_code"]), shown, where])


def title(view: BorderView) -> str:
    """The map's title: the pair and each country's period."""
    return t("grens.map_title", pair=label(view.pair_id),
             nl_period=fmt.period_label(view.nl.period),
             be_period=fmt.period_label(view.be.period))


def slide_takeaway(view: BorderView) -> str:
    """The presenter slide's one line: what the colours mean for this kind of pair."""
    return t("grens.slide_quintile") if view.kind == "within_country_quintile" \
        else t("grens.slide_same")


def figure(view: BorderView, title: str) -> go.Figure:
    unit = view.nl.indicator.get("unit", "")
    fig = maps.choropleth(view.url, view.df, view.groups, unit, 1, height=660, title=title,
                          legend_title=view.legend_title)
    # every row is in one group (the no-data group included), so the rows line up with the trace
    fig.data[0].customdata = hover_rows(view)
    fig.data[0].hovertemplate = raw("grens.hover") + "<extra></extra>"
    return fig


def national_table(view: BorderView) -> pd.DataFrame:
    """National value per country with its period and source; for a quintile pair the amounts
    are left out on purpose (different concepts)."""
    rows = []
    for side in (view.nl, view.be):
        ind = side.indicator
        if view.kind == "within_country_quintile":
            value = t("grens.value_not_shown")
        else:
            value = fmt.value_with_unit(side.national, ind.get("unit", ""),
                                        int(ind.get("decimals", 1)))
        src = q("sources", side.source_ids) if side.source_ids else pd.DataFrame()
        rows.append({
            t("grens.col_country"): country_name(side.country),
            t("grens.col_indicator"): ind.get(f"label_{language()}") or ind.get("label_nl", ""),
            t("grens.col_period"): fmt.period_label(side.period),
            t("grens.col_value"): value,
            t("grens.col_gemeenten"): fmt.count(int(side.values["value"].notna().sum())),
            t("grens.col_source"): ", ".join(src["publisher"].unique()) if not src.empty
            else fmt.MISSING,
        })
    return pd.DataFrame(rows)


def table_sources(view: BorderView) -> list[str]:
    return [(side.source_ids or ["-"])[0] for side in (view.nl, view.be)]


# --- one combined GeoJSON of both countries, written once per database version -------------


def combined_file_name(nl_year: int, be_year: int, version: str) -> str:
    return f"border_nl{nl_year}_be{be_year}_{version}.geojson"


@st.cache_resource(show_spinner=False, max_entries=16)
def _write_combined(nl_year: int, be_year: int, version: str) -> str | None:
    name = combined_file_name(nl_year, be_year, version)
    target = geometry.GENERATED / name
    if not target.is_file():
        features = []
        for country, year in (("NL", nl_year), ("BE", be_year)):
            fc = store.feature_collection(db(), "gemeente", year, None, country=country)
            for feature in fc["features"]:
                feature["geometry"]["coordinates"] = geometry._rounded(
                    feature["geometry"]["coordinates"])
                feature["properties"]["country"] = country
            features += fc["features"]
        if not features:
            return None
        geometry.GENERATED.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=geometry.GENERATED, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"type": "FeatureCollection", "features": features}, fh,
                      separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: a browser never reads a half-written file
    return geometry.URL_PREFIX + name


def combined_geojson_url(nl_year: int | None, be_year: int | None) -> str | None:
    if nl_year is None or be_year is None:
        return None
    return _write_combined(int(nl_year), int(be_year), db().base_key)


def counts(view: BorderView) -> dict[str, int]:
    """Gemeenten with a value per country, and those without (either country)."""
    has = view.df["value"].notna()
    return {"NL": int((has & (view.df["country"] == "NL")).sum()),
            "BE": int((has & (view.df["country"] == "BE")).sum()),
            "missing": int((~has).sum())}
