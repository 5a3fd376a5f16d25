"""PNG and SVG downloads of every chart and map, drawn offline by kaleido in Debian's Chromium.

The exported figure is a copy of the one on screen (same traces, so the same numbers) with the
title on top, the legend kept and the source + licence line of the figure's own sources at the
bottom. Maps reference their geometry by the app's static URL and plotly's world topology by
`app/static/topo/`; neither URL exists for kaleido, so the export inlines the geometry file and
points plotly at the topology folder with a file:// URL (shared/ECOSYSTEM.md).

Drawing an image starts Chromium (seconds), so buttons get a callable: Streamlit runs it only
when the user clicks, and the page's own render does not get slower.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from healthgap.ui import downloads, fmt, geometry
from healthgap.ui.data import q
from healthgap.ui.texts import t

TOPO_DIR = Path(__file__).resolve().parents[2] / "static" / "topo"
CHROMIUM = Path("/usr/bin/chromium")
# Presentation size: 1280×720 CSS pixels drawn at scale 1.5 gives a 1920×1080 PNG with text
# large enough for a slide; the SVG keeps the 1280×720 viewport.
WIDTH, HEIGHT, SCALE = 1280, 720, 1.5
SOURCE_WRAP = 170  # characters per source line before it wraps
_LINE_PX = 19


def _prepare_kaleido() -> None:
    if not os.environ.get("BROWSER_PATH") and CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(CHROMIUM)
    pio.defaults.topojson = TOPO_DIR.as_uri() + "/"


def source_line(source_ids) -> str:
    """The footer's source + licence sentence for each of the figure's own sources."""
    ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str)]
    if not ids:
        return ""
    src = q("sources", ids)
    lines = [t("footer.source_line", attribution=fmt.attribution(row.attribution), publisher=row.publisher,
               licence=row.licence, period=row.period if isinstance(row.period, str) else "–")
             for row in src.itertuples()]
    return "\n".join(lines)


def _wrap(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        out += textwrap.wrap(line, SOURCE_WRAP) or [""]
    return out


def figure_for_export(fig: go.Figure, title: str, source_line: str) -> go.Figure:
    """A copy of `fig` with title, legend, white background and the source line baked in."""
    out = go.Figure(fig)
    lines = _wrap(source_line)
    base_b = max(int(out.layout.margin.b or 0), 70)
    bottom = base_b + _LINE_PX * len(lines) + 16
    top = 90
    out.update_layout(
        template="plotly_white", paper_bgcolor="white", width=WIDTH, height=HEIGHT,
        font={"family": "Arial, Helvetica, sans-serif", "size": 14, "color": "#222222"},
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.985, "yanchor": "top",
               "yref": "container", "font": {"size": 22}},
        margin={"t": top, "b": bottom, "l": max(int(out.layout.margin.l or 0), 60),
                "r": max(int(out.layout.margin.r or 0), 40)},
    )
    if out.layout.showlegend is not False:
        out.update_layout(legend={"bgcolor": "rgba(255,255,255,0.9)"})
        legend_y = out.layout.legend.y
        if legend_y is not None and legend_y < 0:
            # a legend under the plot would sit below the source line: put it above the plot
            out.update_layout(legend={"y": 1.01, "yanchor": "bottom", "yref": "paper"})
    if lines and any(lines):
        # anchored to the plot area (annotations have no page coordinates): shift it back to the
        # page's left margin and just under the x axis labels
        out.add_annotation(
            text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, xanchor="left",
            yanchor="top", xshift=-(out.layout.margin.l - 16), yshift=-(base_b - 10),
            showarrow=False, align="left", font={"size": 12, "color": "#444444"})
    return out


def _inline_geometry(spec: dict) -> dict:
    """Swap each trace's geometry URL for the geometry itself (kaleido has no app server)."""
    cache: dict[str, dict] = {}
    for trace in spec.get("data", []):
        url = trace.get("geojson")
        if isinstance(url, str):
            if url not in cache:
                cache[url] = json.loads(geometry.geojson_path(url).read_text(encoding="utf-8"))
            trace["geojson"] = cache[url]
    return spec


@st.cache_data(show_spinner=False, max_entries=64)
def _render(fig_json: str, kind: str) -> bytes:
    _prepare_kaleido()
    spec = _inline_geometry(json.loads(fig_json))
    scale = SCALE if kind == "png" else 1
    try:
        return pio.to_image(spec, format=kind, width=WIDTH, height=HEIGHT, scale=scale,
                            validate=False)
    except Exception as exc:  # kaleido raises its own (internal) error classes
        # Under load kaleido sometimes runs before its page in Chromium has loaded
        # ("kaleido_scopes is not defined"); a second attempt gets a ready page.
        if "kaleido_scopes" not in str(exc):
            raise
        return pio.to_image(spec, format=kind, width=WIDTH, height=HEIGHT, scale=scale,
                            validate=False)


def to_png(fig: go.Figure) -> bytes:
    return _render(fig.to_json(), "png")


def to_svg(fig: go.Figure) -> bytes:
    return _render(fig.to_json(), "svg")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def file_stem(page: str, *parts: str) -> str:
    return "_".join(["gezondheidskloof", _slug(page)] + [_slug(p) for p in parts if p])


def download_row(fig: go.Figure, title: str | None, source_ids, key: str,
                 name: tuple[str, ...] = ()) -> None:
    """Two download buttons (PNG, SVG) in a small popover; images are drawn only on click.

    `name` = (page, indicator, gemeente, ...) gives `gezondheidskloof_<page>_<indicator>_...`.
    """
    stem = file_stem(*(name or (key,)))
    if title is None:
        title = fig.layout.title.text or ""
    line = source_line(source_ids)  # texts and sources are read now: a click runs outside the run

    # the export copy is built on click: building it (a plotly figure copy and layout update)
    # took a tenth of every chart page's run when it was done for each run (py-spy)
    def png() -> bytes:
        return to_png(figure_for_export(fig, title, line))

    def svg() -> bytes:
        return to_svg(figure_for_export(fig, title, line))

    with st.popover(t("export.button"), icon=":material/download:"):
        st.caption(t("export.help"))
        left, right = st.columns(2)
        left.download_button(t("export.png"), data=png,
                             file_name=f"{stem}.png", mime="image/png", key=f"{key}_png",
                             on_click="ignore", width="stretch")
        right.download_button(t("export.svg"), data=svg,
                              file_name=f"{stem}.svg", mime="image/svg+xml", key=f"{key}_svg",
                              on_click="ignore", width="stretch")


def table_row(table, source_ids, key: str, name: tuple[str, ...] = ()) -> None:
    """CSV and Excel of a page table as shown, with source and licence per row (and the sources
    sheet in Excel). `source_ids`: one id per row, or one for the whole table."""
    ids = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    table = table if isinstance(table, pd.DataFrame) else pd.DataFrame(table)
    sources = q("sources", sorted(set(ids)))
    full = downloads.with_sources(table, ids, sources)
    stem = file_stem(*(name or (key,)))
    sheets = downloads.sheet_names()  # in this run's language (the click runs outside it)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("tables.csv"), data=lambda: downloads.table_csv(full),
                         file_name=f"{stem}.csv", mime="text/csv", key=f"{key}_csv",
                         on_click="ignore", icon=":material/table:")
    right.download_button(t("tables.excel"), data=lambda: downloads.to_excel(full, sources, sheets),
                          file_name=f"{stem}.xlsx", key=f"{key}_xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/grid_on:")
