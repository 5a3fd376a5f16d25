"""Every page in headless Chromium: first render, bytes sent, map switch, server memory.

Usage: .venv/bin/python bench/bench_pages.py [--quick] [--json PATH]

* First full render of each page (script idle, and its map or chart drawn), warm browser cache
  (one context, after a warm-up load: a returning user) and cold cache (a fresh context per
  load: a first visit), as a ratio to an empty Streamlit page served the same way and to the
  page with only the shared frame (/frame-only). Loads are interleaved so drift hits all alike.
  Goals (issue 8): Kaart ≤ 1.5 × empty, the other pages ≤ 1.3 × empty (warm cache).
* Bytes sent to the browser per page on a first visit: all HTTP response bodies plus websocket
  frames; "data" leaves out Streamlit's own JavaScript/CSS bundle (/static/), which a browser
  caches. Goal: national map ≤ 400 KB.
* Indicator switch on Kaart in the browser (type in the sidebar's "Indicator" box, Enter) until
  the map shows the new title, versus a bare st.plotly_chart of the same figures switched by a
  selectbox (goal ≤ 2 ×); plus the server's rerun time seen on the websocket (rerun request →
  script finished; goal ≤ 250 ms median).
* Resident memory (VmRSS) of a fresh app server after N sessions (browser contexts, kept open)
  each visited every page through the sidebar navigation (N = 10, 3 with --quick).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    IDLE,
    ROOT,
    VIEWPORT,
    Figure,
    app_server,
    db_path,
    empty_server,
    launch,
    main_for,
    median,
    quiet_streamlit,
    render_time,
    rss_kb,
    script_server,
    wait_drawn,
)

sys.path.insert(0, str(ROOT))

MAP = ".choroplethlayer path"
CHART = ".main-svg"
SWITCHES_FULL, SWITCHES_QUICK = 8, 4


def page_slugs() -> list[str]:
    from healthgap.ui.frame import page_files

    return [slug for _, slug, _ in page_files() if slug != "frame-only"]


def page_url(base: str, slug: str, default_slug: str) -> str:
    return f"{base}/" if slug == default_slug else f"{base}/{slug}"


# --- first render and bytes -------------------------------------------------------------------


class Traffic:
    """Bytes a page received: HTTP response bodies (split into bundle and data) and websocket
    frames. Attach before navigating; read after the page is drawn."""

    def __init__(self, page):
        self.requests, self.ws_bytes = [], 0
        page.on("requestfinished", lambda req: self.requests.append(req))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        self.ws_bytes += len(payload)

    def totals(self) -> tuple[int, int]:
        """(all bytes, data bytes without Streamlit's /static/ bundle)."""
        bundle = data = 0
        for req in self.requests:
            try:
                n = req.sizes()["responseBodySize"]
            except Exception:
                continue
            path = req.url.split("//", 1)[-1].split("/", 1)[-1]
            if path.startswith("static/"):
                bundle += n
            else:
                data += n
        return bundle + data + self.ws_bytes, data + self.ws_bytes


def render_figures(pw, base: str, empty: str, slugs: list[str], repeats: int,
                   cold_repeats: int) -> list[Figure]:
    default = slugs[0]
    browser = launch(pw)
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    targets = {"(empty)": (f"{empty}/", None), "(frame)": (f"{base}/frame-only", None)}
    for slug in slugs:  # warm-up load; a page with a plotly chart waits for it from now on
        url = page_url(base, slug, default)
        sel = MAP if slug == "kaart" else None
        render_time(page, url, sel)
        if sel is None:
            page.wait_for_timeout(2500)
            sel = CHART if page.locator(CHART).count() else None
        targets[slug] = (url, sel)
    for url, sel in list(targets.values())[:2]:
        render_time(page, url, sel)
    warm = {k: [] for k in targets}
    for _ in range(repeats):
        for name, (url, sel) in targets.items():
            warm[name].append(render_time(page, url, sel))
    ctx.close()
    cold = {k: [] for k in targets}
    sizes: dict[str, tuple[int, int]] = {}
    for r in range(cold_repeats):
        for name, (url, sel) in targets.items():
            c = browser.new_context(viewport=VIEWPORT)
            p = c.new_page()
            traffic = Traffic(p) if r == 0 else None
            cold[name].append(render_time(p, url, sel))
            if traffic:
                p.wait_for_timeout(1000)  # late responses (fonts, the map's GeoJSON)
                sizes[name] = traffic.totals()
            c.close()
    browser.close()

    we, wf = median(warm["(empty)"]), median(warm["(frame)"])
    ce, cf = median(cold["(empty)"]), median(cold["(frame)"])
    out = [Figure("empty Streamlit page, first render, warm cache", round(we, 2), "s", None,
                  f"median of {repeats}; cold cache {ce:.2f} s (median of {cold_repeats})"),
           Figure("frame-only page / empty page, warm cache", round(wf / we, 2), "×", None,
                  f"frame-only {wf:.2f} s warm, {cf:.2f} s cold ({cf / ce:.2f}× empty)")]
    for slug in slugs:
        w, c = median(warm[slug]), median(cold[slug])
        goal = 1.5 if slug == "kaart" else 1.3
        out.append(Figure(f"/{slug}: first render / empty page, warm cache", round(w / we, 2),
                          "×", goal, f"{w:.2f} s; {w / wf:.2f}× the frame-only page; waits for "
                          f"{targets[slug][1] or 'idle script'}"))
        out.append(Figure(f"/{slug}: first render / empty page, cold cache", round(c / ce, 2),
                          "×", goal, f"{c:.2f} s; {c / cf:.2f}× the frame-only page"))
    for name, (total, data) in sizes.items():
        goal = 400 if name == "kaart" else None
        label = name if name.startswith("(") else f"/{name}"
        out.append(Figure(f"{label}: bytes received on a first visit, data", round(data / 1024),
                          "KB", goal, f"websocket frames + responses outside /static/; with "
                          f"Streamlit's JS/CSS bundle {total / 1024:.0f} KB"))
    return out


# --- indicator switch on the map --------------------------------------------------------------


def switch_options(n: int) -> list[tuple[str, str, str]]:
    """(indicator id, sidebar option text, label in the map title) of n map indicators."""
    from bench_map import map_indicators

    from healthgap.ui.frame import DEFAULT_INDICATORS, ordered_catalog, theme_label
    from healthgap.ui.texts import t

    cat = ordered_catalog().set_index("indicator_id")
    out = []
    for ind in map_indicators(4 * n + 1):
        r = cat.loc[ind]
        # not the first view's indicator (no switch); not a label with brackets: the
        # combobox's search did not list those for their own text
        if ind in DEFAULT_INDICATORS or "(" in r.label:
            continue
        out.append((ind, t("frame.indicator_option", theme=theme_label(r.theme), label=r.label),
                    r.label))
    return out[:n]


class RerunClock:
    """Server rerun time seen on the websocket: rerun request sent → script_finished received."""

    def __init__(self, page):
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.BackMsg, self.ForwardMsg = BackMsg, ForwardMsg
        self.sent: float | None = None
        self.times: list[float] = []
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        msg = self.BackMsg()
        try:
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        except Exception:
            return
        if msg.WhichOneof("type") == "rerun_script":
            self.sent = time.perf_counter()

    def _received(self, payload) -> None:
        if self.sent is None or not isinstance(payload, bytes):
            return
        msg = self.ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        if msg.WhichOneof("type") == "script_finished":
            self.times.append(time.perf_counter() - self.sent)
            self.sent = None


def switch_in_browser(page, options: list[tuple[str, str]]) -> list[float]:
    """Pick each (option text, title text) in the "Indicator" box; seconds until the map's
    title shows it and the script is idle."""
    times = []
    for option, title in options:
        box = page.get_by_role("combobox", name="Indicator")
        box.click()
        box.fill(option)
        # Enter picks the highlighted option: wait until the filtered list shows it
        page.get_by_role("option", name=option).first.wait_for(timeout=10_000)
        t0 = time.perf_counter()
        box.press("Enter")
        try:
            page.wait_for_function(
                "t => { const g = document.querySelector('.gtitle');"
                " return g && g.textContent.includes(t)"
                " && document.querySelectorAll('.choroplethlayer path').length > 0; }",
                arg=title, timeout=60_000)
        except Exception:
            (ROOT / "screenshots").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "screenshots" / "bench_switch_timeout.png"))
            raise
        page.wait_for_selector(IDLE, state="attached", timeout=60_000)
        times.append(time.perf_counter() - t0)
        page.wait_for_timeout(300)
    return times


BARE_APP = '''"""A bare plotly choropleth: the Kaart figures, nothing else (bench/bench_pages.py)."""
import json
from pathlib import Path

import plotly.io as pio
import streamlit as st

FIGS = json.loads((Path(__file__).parent / "figs.json").read_text())
choice = st.selectbox("Indicator", list(FIGS))
# the same offline topojson as the app (plotly otherwise fetches a world map from a CDN)
st.plotly_chart(pio.from_json(FIGS[choice]), key="map", width="stretch",
                config={"topojsonURL": "app/static/topo/", "displaylogo": False})
'''


def switch_figures(pw, base: str, n: int, empty: str | None = None,
                   repeats: int = 5) -> list[Figure]:
    from bench_map import kaart_work

    from healthgap.ui import geometry
    from healthgap.ui.frame import ordered_catalog

    opts = switch_options(n)
    browser = launch(pw)
    page = browser.new_page(viewport=VIEWPORT)
    clock = RerunClock(page)
    render_time(page, f"{base}/kaart", MAP)
    clock.times.clear()  # the first load's run is not a switch
    app_times = switch_in_browser(page, [(o, lab) for _, o, lab in opts])
    server_times = list(clock.times)
    page.close()

    catalog = ordered_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        figs, urls = {}, set()
        for ind, _, label in opts:
            url, fig_json = kaart_work(ind, catalog, title=label)
            figs[label] = fig_json
            urls.add(url)
        static = Path(tmp) / "static" / "generated"
        static.mkdir(parents=True)
        shutil.copytree(ROOT / "static" / "topo", Path(tmp) / "static" / "topo")
        for url in urls:  # indicators of other years use another division's GeoJSON
            path = geometry.geojson_path(url)
            (static / path.name).write_bytes(path.read_bytes())
        (Path(tmp) / "figs.json").write_text(json.dumps(figs))
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_APP)
        with script_server(script) as bare:
            page = browser.new_page(viewport=VIEWPORT)
            render_time(page, f"{bare}/", MAP)
            labels = list(figs)
            # the bare app starts on the first figure: switch to the others, then back to it
            bare_times = switch_in_browser(page, [(lab, lab) for lab in labels[1:] + labels[:1]])
            # yardstick for the Kaart's first-render goal: the bare map app (one selectbox and
            # the figure, nothing else) against the empty page, loaded alternately, warm cache
            first: dict[str, list[float]] = {"empty": [], "bare": []}
            if empty:
                for _ in range(repeats):
                    first["empty"].append(render_time(page, f"{empty}/", None))
                    first["bare"].append(render_time(page, f"{bare}/", MAP))
            page.close()
    browser.close()
    a, b = median(app_times), median(bare_times)
    yardstick = []
    if first["empty"]:
        fe, fb = median(first["empty"]), median(first["bare"])
        yardstick.append(Figure(
            "bare plotly map app: first render / empty page, warm cache", round(fb / fe, 2),
            "×", None, f"{fb:.2f} s vs {fe:.2f} s, median of {repeats}: one selectbox and the "
            "Kaart's figure, nothing else - the least a page with this map can take"))
    return yardstick + [
        Figure("map switch in the browser: Kaart (median)", round(a * 1000), "ms", None,
               f"{len(app_times)} switches to indicators not shown before"),
        Figure("map switch in the browser: bare plotly figure (median)", round(b * 1000), "ms",
               None, "same figures in a one-selectbox Streamlit app"),
        Figure("map switch in the browser: Kaart / bare figure", round(a / b, 2), "×", 2.0),
        Figure("map switch: server rerun seen on the websocket (median)",
               round(median(server_times) * 1000), "ms", 250,
               f"rerun request → script finished, {len(server_times)} reruns"),
    ]


# --- memory -----------------------------------------------------------------------------------


def memory_figures(pw, db: Path, slugs: list[str], sessions: int) -> list[Figure]:
    with app_server(db, frame_page=False) as (base, proc):
        idle = rss_kb(proc.pid)
        browser = launch(pw)
        contexts = []
        for _ in range(sessions):
            ctx = browser.new_context(viewport=VIEWPORT)
            contexts.append(ctx)
            page = ctx.new_page()
            render_time(page, f"{base}/", None)
            for slug in slugs[1:]:
                page.locator(f'[data-testid="stSidebarNav"] a[href$="/{slug}"]').click()
                page.wait_for_url(f"**/{slug}**")
                wait_drawn(page, MAP if slug == "kaart" else None, delay_ms=300)
        page.wait_for_timeout(1000)
        after = rss_kb(proc.pid)
        for ctx in contexts:
            ctx.close()
        browser.close()
    return [Figure(f"server memory (RSS) after {sessions} sessions visited every page",
                   round(after / 1024), "MB", None,
                   f"{idle / 1024:.0f} MB right after start; sessions kept open")]


def figures(quick: bool = False) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    db = db_path()
    os.environ["HEALTHGAP_DB"] = str(db)
    quiet_streamlit()
    slugs = page_slugs()
    out: list[Figure] = []
    with sync_playwright() as pw:
        with app_server(db) as (base, _), empty_server() as empty:
            out += render_figures(pw, base, empty, slugs, repeats=2 if quick else 5,
                                  cold_repeats=1 if quick else 3)
            out += switch_figures(pw, base, SWITCHES_QUICK if quick else SWITCHES_FULL, empty,
                                  repeats=2 if quick else 5)
        out += memory_figures(pw, db, slugs, 3 if quick else 10)
    return out


if __name__ == "__main__":
    sys.exit(main_for(figures, __doc__))
