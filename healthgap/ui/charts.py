"""Charts for the profile pages: the spine chart (area vs the range of all areas) and bars.

The spine chart follows the PHE/OHID Fingertips layout: each indicator is a row; the grey bar
spans the worst to the best area, the darker band the 25th to 75th percentile, a black line
marks the benchmark and a dot the chosen area. Rows are oriented so "better" is to the right
(polarity only flips the axis, it never changes a number); no-judgement indicators run low→high.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from healthgap.ui import fmt
from healthgap.ui.maps import CATEGORY_COLOURS
from healthgap.ui.texts import raw, t

DOT_NEUTRAL = "#333333"


def spine_rows(values: pd.DataFrame) -> pd.DataFrame:
    """Range summary per indicator from the values of all areas (indicator_id, value)."""
    v = values.dropna(subset=["value"])
    g = v.groupby("indicator_id")["value"]
    out = pd.DataFrame({"min": g.min(), "p25": g.quantile(0.25), "p75": g.quantile(0.75),
                        "max": g.max(), "n": g.size()})
    return out.reset_index()


def spine_position(x, lo, hi, flip: bool):
    """Where x lies between the worst (0) and best (1) area; low_is_good rows flip."""
    span = hi - lo
    if not np.isfinite(span) or span == 0:
        return 0.5
    p = (x - lo) / span
    return 1 - p if flip else p


def spine_chart(rows: pd.DataFrame, height_per_row: int = 34) -> go.Figure:
    """`rows` columns: label, value, benchmark, min, p25, p75, max, polarity, unit, decimals,
    category (outcome or None)."""
    fig = go.Figure()
    labels = list(rows["label"])
    for i, r in enumerate(rows.itertuples()):
        flip = r.polarity == "low_is_good"
        lo, hi = float(r.min), float(r.max)
        q1, q3 = sorted((spine_position(r.p25, lo, hi, flip), spine_position(r.p75, lo, hi, flip)))
        y = labels[i]
        fig.add_trace(go.Scatter(x=[0, 1], y=[y, y], mode="lines", hoverinfo="skip",
                                 line={"color": "#d9d9d9", "width": 14}, showlegend=i == 0,
                                 name=t("profiel.legend_range")))
        fig.add_trace(go.Scatter(x=[q1, q3], y=[y, y], mode="lines", hoverinfo="skip",
                                 line={"color": "#969696", "width": 14}, showlegend=i == 0,
                                 name=t("profiel.legend_iqr")))
        if not fmt.is_missing(r.benchmark):
            fig.add_trace(go.Scatter(
                x=[spine_position(r.benchmark, lo, hi, flip)], y=[y], mode="markers",
                marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#000"}},
                showlegend=i == 0, name=t("profiel.legend_benchmark"),
                hovertemplate=t("profiel.hover_benchmark",
                                value=fmt.value_with_unit(r.benchmark, r.unit, r.decimals))
                + "<extra></extra>"))
        if not fmt.is_missing(r.value):
            colour = CATEGORY_COLOURS.get(r.category, DOT_NEUTRAL) if isinstance(
                r.category, str) else DOT_NEUTRAL
            fig.add_trace(go.Scatter(
                x=[spine_position(r.value, lo, hi, flip)], y=[y], mode="markers",
                marker={"size": 14, "color": colour, "line": {"width": 1.5, "color": "#fff"}},
                showlegend=False, name=t("profiel.legend_area"),
                hovertemplate=t("profiel.hover_area",
                                value=fmt.value_with_unit(r.value, r.unit, r.decimals),
                                low=fmt.value_with_unit(r.min, r.unit, r.decimals),
                                high=fmt.value_with_unit(r.max, r.unit, r.decimals))
                + "<extra></extra>"))
    # legend entry for the area dot in neutral colour (row dots carry the comparison colour)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("profiel.legend_area"),
                             marker={"size": 12, "color": DOT_NEUTRAL}))
    fig.update_xaxes(range=[-0.03, 1.03], tickvals=[0, 1],
                     ticktext=[t("profiel.axis_worse"), t("profiel.axis_better")],
                     showgrid=False, zeroline=False, fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True, tickfont={"size": 13})
    fig.update_layout(height=80 + height_per_row * len(rows), margin={"l": 10, "r": 10, "t": 30,
                                                                      "b": 10},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      plot_bgcolor="white", hoverlabel={"bgcolor": "white"})
    return fig


def hover_template(key: str) -> str:
    return raw(key) + "<extra></extra>"
