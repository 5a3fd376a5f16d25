"""Kaart page, server side: indicator switch time and bytes of the national map.

Usage: .venv/bin/python bench/bench_map.py [--quick] [--json PATH]
Goals (issues 4 and 8): switch ≤ 250 ms median; national GeoJSON + figure JSON ≤ 400 KB.
The browser side (first render, switch in the browser, bytes per page) is bench_pages.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Figure, db_path, main_for, median, quiet_streamlit  # noqa: E402

sys.path.insert(0, str(ROOT))


def kaart_work(indicator_id: str, catalog, benchmark_kind: str = "nederland",
               title: str = "x"):
    """What the Kaart page does on the server for one indicator (values → figure JSON)."""
    from healthgap.ui import benchmark, compare, geometry, maps
    from healthgap.ui.data import q

    info = catalog.set_index("indicator_id").loc[indicator_id]
    p = q("periods_for", indicator_id, "gemeente").iloc[0]
    df = q("values_for", indicator_id, p["period"], p["age_group"], "gemeente").reset_index(drop=True)
    url = geometry.geojson_url("gemeente", int(p["division_year"]))
    b = benchmark.resolve(benchmark_kind, indicator_id, p["period"], p["age_group"], df, "GM0363")
    df["benchmark"] = b.per_area.to_numpy()
    cmp = compare.compare_areas(df, info["polarity"], b.reference_codes)
    df["category"], df["comparison_text"] = cmp["category"], cmp["text"]
    classes = maps.classify(df["value"], "quantiles", 5)
    groups = maps.value_groups(df, classes, info["unit"], int(info["decimals"]))
    fig = maps.choropleth(url, df, groups, info["unit"], int(info["decimals"]), title=title)
    maps.highlight(fig, url, "GM0363")
    return url, fig.to_json()


def map_indicators(n: int) -> list[str]:
    """The first n indicators (catalogue order) that have gemeente values."""
    from healthgap.ui.frame import ordered_catalog

    catalog = ordered_catalog()
    return [r.indicator_id for r in catalog.itertuples() if "gemeente" in r.levels][:n]


def figures(quick: bool = False) -> list[Figure]:
    os.environ["HEALTHGAP_DB"] = str(db_path())
    quiet_streamlit()
    from healthgap.ui import geometry
    from healthgap.ui.frame import ordered_catalog

    catalog = ordered_catalog()
    ids = map_indicators(6 if quick else 11)
    url, figure_json = kaart_work(ids[0], catalog)  # warm: geometry file, catalog, imports
    times = []
    for ind in ids[1:]:
        t0 = time.perf_counter()
        kaart_work(ind, catalog)
        times.append((time.perf_counter() - t0) * 1000)
    geo = geometry.geojson_path(url).stat().st_size / 1024
    fig_kb = len(figure_json.encode()) / 1024
    return [
        Figure("map switch, server work per uncached indicator (median)", round(median(times)),
               "ms", 250, f"{len(times)} switches, min {min(times):.0f}, max {max(times):.0f}"),
        Figure("national map: GeoJSON (once, by URL) + figure JSON", round(geo + fig_kb), "KB",
               400, f"GeoJSON {geo:.0f} KB, figure JSON per rerun {fig_kb:.0f} KB"),
    ]


if __name__ == "__main__":
    sys.exit(main_for(figures, __doc__))
