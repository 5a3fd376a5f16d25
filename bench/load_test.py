"""Load test: concurrent sessions clicking through the real dashboard on 127.0.0.1.

Usage: .venv/bin/python bench/load_test.py [--sessions 25] [--duration 300] [--json PATH]
       (--quick: 30 s)

Starts `healthgap serve` on a free loopback port and drives N sessions with a minimal client of
Streamlit's own websocket protocol (the protobuf messages from `streamlit.proto`, endpoint
/_stcore/stream), the messages the browser's frontend sends: a rerun request with the page and
the changed widget's value. A headless browser per session would measure Chromium, not the
server: 25 contexts in one Chromium saturate both cores of the reference machine on their own.

Each session opens a random page, then, after a random think time of 1–3 s, does one of: switch
page, pick a gemeente, an indicator or a year in the sidebar (a random option of the selectbox
the server last sent). Latency = time from sending the request until the server's
`script_finished` for that run. Errors: an exception element in a run, a run that does not finish
within 30 s, or a dropped connection. Only ever connects to 127.0.0.1; stops by itself.
Goals (issue 8): 0 errors, p95 ≤ 1 s on the 2-core machine.

`--servers N` (a second scenario, not the issue's figure): N server processes, session i always
talks to server i mod N — what a reverse proxy with sticky sessions in front of N processes
gives at best (no proxy hop is measured). Streamlit runs every session's script under one GIL,
so one process uses about one core; see docs/deploy.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Figure, app_server, db_path, percentile, rss_kb  # noqa: E402

sys.path.insert(0, str(ROOT))

TIMEOUT_S = 30.0
ACTIONS = ("page", "gemeente", "indicator", "year")
SELECTBOX = {"gemeente": "Gemeente", "indicator": "Indicator", "year": "Jaar"}
EARLY_FOR_RERUN = 2  # ForwardMsg.ScriptFinishedStatus: this run was replaced by a newer one


class Session:
    """One simulated user: a websocket, the last page's selectboxes and the app's pages."""

    def __init__(self, base: str, rng: random.Random):
        self.ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        self.base, self.rng = base, rng
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.page_hash = ""
        self.query = ""
        self.selectboxes: dict[str, tuple[str, list[str]]] = {}  # label → (widget id, options)
        self.finished: asyncio.Future | None = None
        self.exceptions = 0

    # --- messages from the server -------------------------------------------------------------

    def on_message(self, data: bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            if etype == "selectbox":
                self.selectboxes[el.selectbox.label] = (el.selectbox.id, list(el.selectbox.options))
            elif etype == "exception":
                self.exceptions += 1
        elif kind == "script_finished" and msg.script_finished != EARLY_FOR_RERUN:
            if self.finished is not None and not self.finished.done():
                self.finished.set_result(msg.script_finished)

    # --- requests -----------------------------------------------------------------------------

    async def rerun(self, ws, page_name: str = "", widget=None) -> float:
        """Send one rerun request; seconds until its script finished (raises on errors)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.page_name = page_name
        if widget is not None:
            state = cs.widget_states.widgets.add()
            state.id, state.string_value = widget
        self.selectboxes = {}
        self.exceptions = 0
        self.finished = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        await ws.send(back.SerializeToString())
        await asyncio.wait_for(self.finished, TIMEOUT_S)
        elapsed = time.perf_counter() - t0
        if self.exceptions:
            raise RuntimeError(f"{self.exceptions} exception(s) shown")
        return elapsed

    def next_action(self) -> tuple[str, str, tuple[str, str] | None]:
        """(action, page name, widget change) of a random realistic click."""
        while True:
            action = self.rng.choice(ACTIONS)
            if action == "page":
                here = [p for p, h in self.pages.items() if h == self.page_hash]
                others = [p for p in self.pages if p not in here]
                if others:
                    target = self.rng.choice(others)
                    self.page_hash = self.pages[target]
                    return action, target, None
            elif SELECTBOX[action] in self.selectboxes:
                wid, options = self.selectboxes[SELECTBOX[action]]
                if len(options) > 1:
                    return action, "", (wid, self.rng.choice(options))


async def http_get(url: str) -> None:
    def get():
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as r:
            r.read()
    await asyncio.to_thread(get)


async def run_session(base: str, seed: int, until: float, stats: dict, start_delay: float) -> None:
    import websockets

    rng = random.Random(seed)
    s = Session(base, rng)
    await asyncio.sleep(start_delay)
    try:
        # what the frontend does first: health and host config, then the websocket
        await http_get(base + "/_stcore/health")
        await http_get(base + "/_stcore/host-config")
        async with websockets.connect(s.ws_url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=TIMEOUT_S) as ws:
            stats["connected"] += 1

            async def reader():
                async for data in ws:
                    if isinstance(data, bytes):
                        s.on_message(data)

            reading = asyncio.create_task(reader())
            first = rng.choice(["", "kaart", "profiel", "vergelijken", "ongelijkheid", "trends"])
            try:
                stats["latency"]["open"].append(await s.rerun(ws, page_name=first))
                while time.monotonic() < until:
                    await asyncio.sleep(rng.uniform(1.0, 3.0))
                    if time.monotonic() >= until:
                        break
                    action, page_name, widget = s.next_action()
                    try:
                        stats["latency"][action].append(
                            await s.rerun(ws, page_name=page_name, widget=widget))
                    except (TimeoutError, RuntimeError) as exc:
                        stats["errors"].append(f"{action}: {exc!r}")
                    if reading.done():
                        raise ConnectionError("connection closed by the server")
                stats["held"] += 1
            finally:
                reading.cancel()
    except Exception as exc:  # a dropped or refused connection
        stats["errors"].append(f"session: {exc!r}")


async def drive(bases: list[str], sessions: int, duration: float, seed: int) -> dict:
    stats = {"connected": 0, "held": 0, "errors": [], "latency": defaultdict(list)}
    until = time.monotonic() + duration
    ramp = min(10.0, duration / 4)  # sessions arrive over the first seconds, not all at once
    await asyncio.gather(*(run_session(bases[i % len(bases)], seed + i, until, stats,
                                       ramp * i / sessions)
                           for i in range(sessions)))
    return stats


def figures_for(stats: dict, sessions: int, duration: float, rss_mb: float,
                servers: int = 1) -> list[Figure]:
    clicks = [x for action, xs in stats["latency"].items() if action != "open" for x in xs]
    per = ", ".join(f"{a} {len(xs)} (p50 {percentile(xs, 50) * 1000:.0f} ms, p95 "
                    f"{percentile(xs, 95) * 1000:.0f} ms)"
                    for a, xs in sorted(stats["latency"].items()))
    errors = stats["errors"]
    figs = [
        Figure(f"load test: sessions held of {sessions} for {duration:.0f} s", stats["held"],
               "sessions", None, f"{stats['connected']} connected"),
        Figure("load test: interactions done", len(clicks), "clicks", None,
               f"{len(clicks) / duration:.1f} per second; {per}"),
        Figure("load test: latency p50", round(percentile(clicks, 50) * 1000), "ms", None,
               "request sent → script finished"),
        Figure("load test: latency p95", round(percentile(clicks, 95) * 1000), "ms", 1000),
        Figure("load test: errors", len(errors), "errors", 0, "; ".join(errors[:5])),
        Figure("load test: server memory (RSS) at the end", round(rss_mb), "MB", None,
               f"{servers} server processes together" if servers > 1 else ""),
    ]
    if servers > 1:  # a separate scenario: never reported under the figure names
        for f in figs:
            f.name = f.name.replace("load test:", f"load test, {servers} processes:")
            if f.goal is not None:
                f.note = (f.note + "; " if f.note else "") + "scenario, not the issue's figure"
    return figs


def figures(quick: bool = False, sessions: int = 25, duration: float | None = None,
            seed: int = 8, servers: int = 1) -> list[Figure]:
    duration = duration or (30.0 if quick else 300.0)
    with contextlib.ExitStack() as stack:
        running = [stack.enter_context(app_server(db_path(), frame_page=False))
                   for _ in range(servers)]
        bases = [base for base, _ in running]
        assert all(b.startswith("http://127.0.0.1:") for b in bases)  # loopback only
        stats = asyncio.run(drive(bases, sessions, duration, seed))
        rss = sum(rss_kb(proc.pid) for _, proc in running) / 1024
    return figures_for(stats, sessions, duration, rss, servers)


def main() -> int:
    import argparse
    import json

    from common import notes, table

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--duration", type=float, help="seconds (default 300, --quick 30)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--servers", type=int, default=1,
                    help="server processes, sessions spread over them (a second scenario)")
    ap.add_argument("--json", help="also write the figures to this JSON file (for run.py)")
    args = ap.parse_args()
    rows = [f.as_dict() for f in figures(args.quick, args.sessions, args.duration, args.seed,
                                               args.servers)]
    print(table(rows), notes(rows), sep="\n", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
