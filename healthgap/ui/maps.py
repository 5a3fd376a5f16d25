"""Choropleth builder: value classes or comparison categories, drawn with no internet.

plotly's geo subplot with geometry by URL (clockwise rings, a local empty world topology via
`PLOTLY_CONFIG`), one trace per class so the legend states each class in words and limits.
Areas without a value are a separate "geen gegevens" class, never coloured as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import jenkspy
import mapclassify
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from healthgap.ui import fmt
from healthgap.ui.texts import raw, t

PLOTLY_CONFIG = {"topojsonURL": "app/static/topo/", "displaylogo": False,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

CLASS_METHODS = ("quantiles", "natural_breaks", "equal_interval")
# Single-hue sequential blues for value classes (colour-blind safe, prints in grey).
SEQUENTIAL = {3: ["#c6dbef", "#6baed6", "#08519c"],
              4: ["#c6dbef", "#6baed6", "#2171b5", "#08306b"],
              5: ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"],
              6: ["#deebf7", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"],
              7: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]}
# Two ends of RdBu (judgement) and PuOr (no judgement) plus a neutral grey: stay distinct
# under simulated colour blindness (shared/ECOSYSTEM.md); labels carry the meaning too.
CATEGORY_COLOURS = {
    "much_better": "#2166ac", "better": "#92c5de", "similar": "#bababa",
    "worse": "#f4a582", "much_worse": "#b2182b",
    "much_higher": "#5e3c99", "higher": "#b2abd2", "lower": "#fdb863", "much_lower": "#e66101",
    "not_compared": "#e0e0e0", "no_benchmark": "#e0e0e0", "no_data": "#f7f7f7",
    "other_country": "#c9d3dc",   # a peer across the border: shown, not tested
}
NO_DATA_LINE = "#9e9e9e"
AREA_LINE = "#ffffff"


@dataclass(frozen=True)
class Classes:
    bounds: list[float]  # k+1 limits, lowest first
    index: np.ndarray    # class per area (-1: no value)
    method: str


def classify(values: pd.Series, method: str, k: int) -> Classes:
    """Class limits for the legend; NaN gets class -1 (the separate no-data class)."""
    if method not in CLASS_METHODS:
        raise ValueError(f"Unknown class method '{method}'; use one of {', '.join(CLASS_METHODS)}")
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    ok = ~np.isnan(v)
    index = np.full(len(v), -1, dtype=int)
    distinct = np.unique(v[ok])
    if distinct.size == 0:
        return Classes([], index, method)
    k = int(max(1, min(k, distinct.size)))
    if k == 1:
        index[ok] = 0
        return Classes([float(distinct[0]), float(distinct[-1])], index, method)
    if method == "natural_breaks":
        bounds = [float(b) for b in jenkspy.jenks_breaks(v[ok], n_classes=k)]
    elif method == "quantiles":
        bins = mapclassify.Quantiles(v[ok], k=k).bins
        bounds = [float(v[ok].min())] + [float(b) for b in bins]
    else:
        bins = mapclassify.EqualInterval(v[ok], k=k).bins
        bounds = [float(v[ok].min())] + [float(b) for b in bins]
    bounds = sorted(set(bounds))
    # class i holds values in (bounds[i], bounds[i+1]], the first class includes its minimum
    index[ok] = np.clip(np.searchsorted(bounds, v[ok], side="left") - 1, 0, len(bounds) - 2)
    return Classes(bounds, index, method)


def class_labels(classes: Classes, unit: str, decimals: int) -> list[str]:
    b = classes.bounds
    return [t("map.class_range", low=fmt.value_with_unit(b[i], unit, decimals),
              high=fmt.value_with_unit(b[i + 1], unit, decimals))
            for i in range(len(b) - 1)]


def hover_table(df: pd.DataFrame, unit: str, decimals: int) -> np.ndarray:
    """customdata per area: name, value text, status text, comparison text."""
    status = df["status"].map(lambda s: t(f"status.{s}") if isinstance(s, str) else fmt.MISSING)
    value = df["value"].map(lambda v: fmt.value_with_unit(v, unit, decimals))
    comparison = df.get("comparison_text", pd.Series(fmt.MISSING, index=df.index))
    return np.column_stack([df["name"].fillna(df["area_code"]), value, status,
                            comparison.fillna(fmt.MISSING)])


def discrete_colorscale(colours: list[str]) -> list[list]:
    """Step colorscale: z = i (0..n-1) gets colours[i] exactly, no blending between classes."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def choropleth(url: str, df: pd.DataFrame, groups: list[tuple[str, str, pd.Series]],
               unit: str, decimals: int, height: int = 640, title: str | None = None,
               legend_title: str | None = None, legend_at_bottom: bool = False) -> go.Figure:
    """One trace whose z is the group index; the colour bar lists every group in words.

    `groups` are (colour, legend label, boolean mask) in legend order; `df` needs area_code,
    name, value, status and optionally comparison_text. A single trace keeps the browser's work
    to one pass over the geometry (one trace per class cost a pass per class).
    """
    used = [(c, label, m.to_numpy(dtype=bool)) for c, label, m in groups if m.to_numpy().any()]
    z = np.full(len(df), np.nan)
    for k, (_, _, mask) in enumerate(used):
        z[mask & np.isnan(z)] = k
    keep = ~np.isnan(z)
    n = max(len(used), 1)
    no_data = np.zeros(len(df), dtype=bool)
    for colour, _, mask in used:
        if colour == CATEGORY_COLOURS["no_data"]:
            no_data |= mask
    # areas without a value get a darker outline so the pale "geen gegevens" fill stands out
    line_colours = np.where(no_data, NO_DATA_LINE, AREA_LINE)[keep]
    fig = go.Figure(go.Choropleth(
        geojson=url, featureidkey="id", locations=df["area_code"][keep], z=z[keep],
        zmin=-0.5, zmax=n - 0.5, colorscale=discrete_colorscale([c for c, _, _ in used] or
                                                                 [CATEGORY_COLOURS["no_data"]]),
        marker={"line": {"color": line_colours, "width": 0.5}},
        customdata=hover_table(df, unit, decimals)[keep],
        hovertemplate=raw("map.hover") + "<extra></extra>",
        colorbar={"title": {"text": legend_title or "", "side": "top",
                            "font": {"size": 13, "color": "#222222"}},
                  "tickvals": list(range(n)), "ticktext": [label for _, label, _ in used],
                  "x": 0.0, "xanchor": "left",
                  # Belgium's coast fills the top left corner; its south-west is empty
                  "y": 0.0 if legend_at_bottom else 1.0,
                  "yanchor": "bottom" if legend_at_bottom else "top",
                  "len": min(0.07 * n + 0.08, 0.6),
                  "thickness": 14, "outlinewidth": 0,
                  "tickfont": {"size": 13, "color": "#222222"},
                  "bgcolor": "rgba(255,255,255,0.85)"},
    ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator",
                    bgcolor="rgba(0,0,0,0)")
    fig.update_layout(
        height=height, margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 0},
        title={"text": title, "font": {"size": 16}} if title else None,
        dragmode=False, clickmode="event+select",
        hoverlabel={"bgcolor": "white", "font": {"size": 13}},
    )
    return fig


def value_groups(df: pd.DataFrame, classes: Classes, unit: str, decimals: int):
    labels = class_labels(classes, unit, decimals)
    palette = SEQUENTIAL.get(len(labels), SEQUENTIAL[7][: len(labels)] or ["#4292c6"])
    idx = pd.Series(classes.index, index=df.index)
    groups = [(palette[i], labels[i], idx == i) for i in range(len(labels))]
    groups.append((CATEGORY_COLOURS["no_data"], t("map.no_data"), idx == -1))
    return groups


def category_groups(df: pd.DataFrame, polarity: str):
    """Comparison categories in legend order; `df['category']` holds the outcome names."""
    cats = (["much_higher", "higher", "similar", "lower", "much_lower"]
            if polarity == "no_judgement"
            else ["much_better", "better", "similar", "worse", "much_worse"])
    groups = [(CATEGORY_COLOURS[c], t(f"compare.category.{c}"), df["category"] == c)
              for c in cats]
    for other in ("not_compared", "no_benchmark"):
        groups.append((CATEGORY_COLOURS[other], t(f"compare.category.{other}"),
                       df["category"] == other))
    groups.append((CATEGORY_COLOURS["no_data"], t("map.no_data"),
                   ~df["category"].isin(cats + ["not_compared", "no_benchmark"])))
    return groups


def highlight(fig: go.Figure, url: str, code: str) -> None:
    """Outline the selected area on top of the classes (no fill, not in the legend)."""
    fig.add_trace(go.Choropleth(
        geojson=url, featureidkey="id", locations=[code], z=[0],
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        marker={"line": {"color": "#111111", "width": 2.5}}, showlegend=False,
        hoverinfo="skip", name="selected"))


def with_all_areas(df: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Every area of the map, those without a row as 'missing' (grey, never zero): uploaded
    figures often cover a few gemeenten, and the map still shows the whole country."""
    absent = areas[~areas["area_code"].isin(df["area_code"])]
    if absent.empty:
        return df
    extra = pd.DataFrame({"area_code": absent["area_code"].to_numpy(),
                          "name": absent["name"].to_numpy(), "status": "missing"})
    for col in ("parent_code", "province_code", "ggd_code"):
        if col in absent:
            extra[col] = absent[col].to_numpy()
    for col in df.columns:
        if col not in extra:
            extra[col] = df[col].iloc[0] if col in ("level", "division_year", "period",
                                                     "age_group", "indicator_id") else None
    return pd.concat([df, extra[df.columns]], ignore_index=True)


K_LAST_CLICK = "_kaart_last_click"


def take_click(event) -> tuple[str | None, bool]:
    """The area a map's selection event points at, and whether it is a new click: the event
    stays in the widget's state on later runs, which must not repeat what the click did."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    clicked = points[0].get("location") if points else None
    new = bool(clicked) and clicked != st.session_state.get(K_LAST_CLICK)
    if new:
        st.session_state[K_LAST_CLICK] = clicked
    return clicked, new


def in_region(df: pd.DataFrame, areas: pd.DataFrame, region: str | None) -> pd.DataFrame:
    """Only the areas of one Belgian region (the land Vlaanderen, Brussel or Wallonië); the map
    zooms to them (fitbounds on the locations drawn)."""
    if not region or "region_code" not in areas.columns:
        return df
    keep = set(areas.loc[areas["region_code"] == region, "area_code"])
    return df[df["area_code"].isin(keep)].reset_index(drop=True)


def detail_level(country: str) -> str:
    """The level below the gemeente: wijken in the Netherlands, statistical sectors (Brussels
    only) in Belgium."""
    return "sector" if country == "BE" else "wijk"


def map_levels(indicator_levels, detail: str, has_detail: bool) -> list[str]:
    """The map levels on offer: all gemeenten and/or the detailed level, those with values."""
    levels = list(indicator_levels or [])
    out = (["gemeente"] if "gemeente" in levels or not has_detail else []) + \
        ([detail] if has_detail else [])
    return out
