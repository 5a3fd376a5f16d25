"""Run the benchmark suite and the load test; print one table of all figures; write JSON.

Usage: .venv/bin/python bench/run.py [--quick] [--only NAME ...] [--compare FILE] [--out FILE]
  (or `make bench`). Each script runs in its own process, one after the other, so they never
  compete for the two cores. A full run writes bench/results/latest.json (commit it); a quick
  or partial run writes bench/results/quick.json unless --out says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import ROOT, load_avg, notes, table  # noqa: E402

# cheap first, the browser and the 5-minute load test last
SCRIPTS = ("bench_build", "bench_map", "bench_measures_heat", "bench_measures_phe", "bench_pages",
           "load_test")


def selected(only: list[str] | None) -> list[str]:
    if not only:
        return list(SCRIPTS)
    wanted = [n.removesuffix(".py") for n in only]
    out = [s for s in SCRIPTS if any(w in (s, s.removeprefix("bench_")) for w in wanted)]
    unknown = [w for w in wanted if not any(w in (s, s.removeprefix("bench_")) for s in SCRIPTS)]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; choose from {', '.join(SCRIPTS)}")
    return out


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def previous_values(path: str | None) -> dict[str, float] | None:
    if not path:
        return None
    old = json.loads(Path(path).read_text())
    return {f["name"]: f["value"] for f in old["figures"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, load test 30 s")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help=f"run only these ({', '.join(SCRIPTS)}; 'bench_' may be left out)")
    ap.add_argument("--compare", metavar="FILE", help="add a column with an earlier run's values")
    ap.add_argument("--out", metavar="FILE", help="where to write the JSON results")
    args = ap.parse_args()
    scripts = selected(args.only)
    partial = args.quick or args.only
    out = Path(args.out) if args.out else HERE / "results" / (
        "quick.json" if partial else "latest.json")
    previous = previous_values(args.compare)

    started, load_before = dt.datetime.now().astimezone(), load_avg()
    figures, failed, seconds = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in scripts:
            print(f"== {name}", flush=True)
            target = Path(tmp) / f"{name}.json"
            cmd = [sys.executable, str(HERE / f"{name}.py"), "--json", str(target)]
            t0 = time.perf_counter()
            rc = subprocess.call(cmd + (["--quick"] if args.quick else []), cwd=ROOT)
            seconds[name] = round(time.perf_counter() - t0, 1)
            if rc != 0 or not target.exists():
                failed.append(name)
                continue
            for row in json.loads(target.read_text()):
                figures.append({"script": name, **row})

    result = {
        "started": started.isoformat(timespec="seconds"),
        "quick": bool(args.quick), "scripts": scripts, "failed": failed,
        "seconds_per_script": seconds, "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(), "processor": platform.machine()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_avg()],
        "figures": figures,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")

    print(f"\n== all figures ({'quick' if args.quick else 'full'} run, {os.cpu_count()} cpus, "
          f"load average before {load_before[0]:.2f}, after {result['load_average_after'][0]:.2f})")
    print(table(figures, previous))
    print("notes:\n" + notes(figures))
    missed = [f["name"] for f in figures if f["met"] is False]
    print(f"\n{len(figures)} figures, {len(missed)} goal(s) not met"
          + (f", FAILED: {', '.join(failed)}" if failed else "") + f"; written to {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
