"""Shared helpers of the benchmark scripts: servers on loopback, headless Chromium, figures.

Every bench_*.py has `figures(quick) -> list[Figure]` and ends with `main_for(figures)`, so it
runs alone (prints its own table) and under bench/run.py (which collects the figures as JSON
through `--json PATH` and prints one table of all of them).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
VIEWPORT = {"width": 1440, "height": 1000}
# Block the internet without request interception: Playwright switches the HTTP cache off
# whenever a route is installed, which would make every "warm cache" load a cold one.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


# --- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure. `goal` is an upper bound (value ≤ goal is met); None: no goal."""

    name: str
    value: float
    unit: str
    goal: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.value is None or math.isnan(self.value):
            return None
        return self.value <= self.goal

    def as_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


def percentile(values, p: float) -> float:
    """The p-th percentile (0–100) with linear interpolation between closest ranks (numpy's
    default), NaN for no values."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def median(values) -> float:
    return percentile(values, 50)


def _fmt_value(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if abs(v) >= 100 or float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"


def table(rows: list[dict], previous: dict[str, float] | None = None) -> str:
    """A plain-text table of figure dicts: name, value, unit, goal, met (and the value of an
    earlier run by figure name, when `previous` is given)."""
    head = ["figure", "value", "unit", "goal", "met"] + (["before"] if previous else [])
    body = [[r["name"], _fmt_value(r["value"]), r["unit"],
             "" if r.get("goal") is None else f"≤ {_fmt_value(r['goal'])}",
             {True: "yes", False: "NO", None: ""}[r.get("met")]]
            + ([_fmt_value(previous.get(r["name"]))] if previous else []) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]

    def line(cells) -> str:
        return "  ".join(str(c).rjust(w) if i in (1, 5) else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(b) for b in body])


def notes(rows: list[dict]) -> str:
    return "\n".join(f"  {r['name']}: {r['note']}" for r in rows if r.get("note"))


def main_for(figures: Callable[[bool], list[Figure]], doc: str | None = None) -> int:
    """Command line of a bench script: `[--quick] [--json PATH]`; prints the table."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--json", help="also write the figures to this JSON file (for run.py)")
    args = ap.parse_args()
    rows = [f.as_dict() for f in figures(args.quick)]
    print(table(rows), notes(rows), sep="\n", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


def quiet_streamlit() -> None:
    """No "missing ScriptRunContext" warnings when page helpers run outside `streamlit run`."""
    from streamlit import logger

    logger.set_log_level("error")


def db_path() -> Path:
    sys.path.insert(0, str(ROOT))
    from healthgap import settings

    return settings.db_path(None)


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int, env: dict, cwd: Path = ROOT) -> subprocess.Popen:
    """Start a server and wait until its health endpoint answers."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(180):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"server on port {port} did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def app_server(db: Path, frame_page: bool = True) -> Iterator[tuple[str, subprocess.Popen]]:
    """The real dashboard (`healthgap serve`) on a free loopback port: (base URL, process)."""
    env = {**os.environ, "HEALTHGAP_DB": str(db)}
    if frame_page:
        env["HEALTHGAP_BENCH_FRAME_PAGE"] = "1"
    port = free_port()
    proc = start([sys.executable, "-m", "healthgap.cli", "serve", "--port", str(port),
                  "--address", "127.0.0.1", "--db", str(db)], port, env)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)


@contextmanager
def script_server(script: Path, env: dict | None = None) -> Iterator[str]:
    """A plain `streamlit run SCRIPT` on a free loopback port, configured like the app (no file
    watcher, static serving on). Yields the base URL."""
    cfg = script.parent / ".streamlit" / "config.toml"
    if not cfg.exists():
        cfg.parent.mkdir(exist_ok=True)
        cfg.write_text('[server]\nfileWatcherType = "none"\nenableStaticServing = true\n'
                       '[browser]\ngatherUsageStats = false\n[runner]\npostScriptGC = false\n')
    port = free_port()
    proc = start([sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
                  str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                 port, {**os.environ, **(env or {})}, cwd=script.parent)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@contextmanager
def empty_server() -> Iterator[str]:
    """An empty Streamlit page (one st.write) served the same way as the app."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "empty.py"
        script.write_text("import streamlit as st\n\nst.write('leeg')\n")
        with script_server(script) as url:
            yield url


def rss_kb(pid: int) -> int:
    """Resident set size of a process (VmRSS from /proc), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- browser ----------------------------------------------------------------------------------


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_drawn(page, selector: str | None, delay_ms: int = 0) -> None:
    if delay_ms:
        page.wait_for_timeout(delay_ms)
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    error = page.locator('[data-testid="stException"]')
    if error.count():  # a broken page never draws its chart: say why instead of timing out
        raise RuntimeError(f"{page.url} shows an exception: {error.first.inner_text()[:300]}")
    if selector:
        try:
            page.wait_for_selector(selector, state="attached", timeout=120_000)
        except Exception:
            (ROOT / "screenshots").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "screenshots" / "bench_timeout.png"))
            raise


def render_time(page, url: str, selector: str | None) -> float:
    """Seconds from navigation start until the script is idle and `selector` is in the page."""
    t0 = time.perf_counter()
    page.goto(url)
    wait_drawn(page, selector)
    return time.perf_counter() - t0


def load_avg() -> tuple[float, float, float]:
    return os.getloadavg()
