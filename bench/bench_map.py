"""Kaart page figures: indicator switch time, bytes sent, first render vs an empty Streamlit page.

Usage: .venv/bin/python bench/bench_map.py [--db PATH] [--no-browser]
Goals (issue 4): switch ≤ 250 ms median; national GeoJSON + figure JSON ≤ 400 KB;
first full render of Kaart ≤ 1.5 × an empty Streamlit page. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def kaart_work(indicator_id: str, catalog, benchmark_kind: str = "nederland"):
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
    fig = maps.choropleth(url, df, groups, info["unit"], int(info["decimals"]), title="x")
    maps.highlight(fig, url, "GM0363")
    return url, fig.to_json()


def server_figures(db: Path) -> None:
    os.environ["HEALTHGAP_DB"] = str(db)
    from healthgap.ui import geometry
    from healthgap.ui.frame import ordered_catalog

    catalog = ordered_catalog()
    ids = [r.indicator_id for r in catalog.itertuples() if "gemeente" in r.levels][:11]
    url, figure_json = kaart_work(ids[0], catalog)  # warm: geometry file, catalog, imports
    times = []
    for ind in ids[1:]:
        t0 = time.perf_counter()
        kaart_work(ind, catalog)
        times.append((time.perf_counter() - t0) * 1000)
    geo_bytes = geometry.geojson_path(url).stat().st_size
    print(f"indicator switch (server work, uncached indicator): median "
          f"{statistics.median(times):.0f} ms over {len(times)} switches "
          f"(min {min(times):.0f}, max {max(times):.0f}); goal ≤ 250 ms")
    print(f"national gemeente GeoJSON (by URL, once): {geo_bytes / 1024:.0f} KB; figure JSON per "
          f"rerun: {len(figure_json.encode()) / 1024:.0f} KB; total "
          f"{(geo_bytes + len(figure_json.encode())) / 1024:.0f} KB; goal ≤ 400 KB")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(180):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def render_time(page, url: str, selector: str | None) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    if selector:
        try:
            page.wait_for_selector(selector, state="attached", timeout=120_000)
        except Exception:
            page.screenshot(path=str(ROOT / "screenshots" / "bench_timeout.png"))
            raise
    return time.perf_counter() - t0


def browser_figures(db: Path, repeats: int = 5) -> dict:
    """First full render of Kaart and of an empty Streamlit page, warm and cold browser cache.

    Warm: one browser context, pages loaded once before measuring (a returning user; the
    browser keeps Streamlit's and plotly's JavaScript). Cold: a fresh context per load (a first
    visit: every script is fetched and compiled again, plotly.js alone is 4.7 MB). Internet
    access is blocked with a host-resolver rule instead of request interception, because
    Playwright switches the HTTP cache off whenever a route is installed.
    """
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "HEALTHGAP_DB": str(db), "HEALTHGAP_BENCH_FRAME_PAGE": "1"}
    p_app, p_empty = free_port(), free_port()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.py"
        empty.write_text("import streamlit as st\n\nst.write('leeg')\n")
        app = start([sys.executable, "-m", "healthgap.cli", "serve", "--port", str(p_app),
                     "--db", str(db)], p_app, env)
        blank = start([sys.executable, "-m", "streamlit", "run", str(empty), "--server.port",
                       str(p_empty), "--server.headless", "true"], p_empty, env)
        kaart_url, empty_url = f"http://127.0.0.1:{p_app}/kaart", f"http://127.0.0.1:{p_empty}/"
        frame_url = f"http://127.0.0.1:{p_app}/frame-only"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = ctx.new_page()
                render_time(page, kaart_url, ".choroplethlayer path")  # warm servers and cache
                render_time(page, empty_url, None)
                render_time(page, frame_url, None)
                warm_k, warm_e, warm_f = [], [], []
                for _ in range(repeats):  # interleaved, so drift hits all alike
                    warm_k.append(render_time(page, kaart_url, ".choroplethlayer path"))
                    warm_e.append(render_time(page, empty_url, None))
                    warm_f.append(render_time(page, frame_url, None))
                ctx.close()
                cold_k, cold_e = [], []
                for _ in range(repeats):
                    for url, sel, acc in ((kaart_url, ".choroplethlayer path", cold_k),
                                          (empty_url, None, cold_e)):
                        c = browser.new_context(viewport={"width": 1440, "height": 1000})
                        acc.append(render_time(c.new_page(), url, sel))
                        c.close()
                browser.close()
        finally:
            for proc in (app, blank):
                proc.terminate()
                proc.wait(timeout=15)
    for name, k_t, e_t in (("warm cache", warm_k, warm_e), ("cold cache", cold_k, cold_e)):
        k, e = statistics.median(k_t), statistics.median(e_t)
        out[name] = {"kaart_s": round(k, 3), "empty_s": round(e, 3), "ratio": round(k / e, 2)}
        print(f"first full render, headless Chromium, {name} (median of {repeats}): Kaart "
              f"{k:.2f} s, empty Streamlit page {e:.2f} s, ratio {k / e:.2f}× (goal ≤ 1.5×)")
    f = statistics.median(warm_f)
    k = statistics.median(warm_k)
    out["frame_only_warm_s"] = round(f, 3)
    print(f"  of which the shared frame alone (sidebar, navigation, footer; warm cache): {f:.2f} s "
          f"= {f / statistics.median(warm_e):.2f}× the empty page; Kaart = {k / f:.2f}× the frame")
    return out


def main() -> int:
    from healthgap import settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database file (default: HEALTHGAP_DB or data/healthgap.duckdb)")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    db = settings.db_path(args.db)
    if not db.is_file():
        print(f"{db} does not exist; build it with `healthgap data build`", file=sys.stderr)
        return 1
    server_figures(db)
    if not args.no_browser and Path(CHROMIUM).exists():
        browser_figures(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
