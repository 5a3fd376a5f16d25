"""Full database build from the shared sources: prints build time and database size.

Budget (issue 2): build <= 30 s on the 2-core reference machine.
Usage: .venv/bin/python bench/bench_build.py [--quick] [--json PATH]
Builds into a temporary folder (the real data/healthgap.duckdb is never touched).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Figure, main_for, median  # noqa: E402

sys.path.insert(0, str(ROOT))

from healthgap.build.pipeline import build_database  # noqa: E402
from healthgap.settings import sources_dir  # noqa: E402

BUDGET_S = 30.0


def figures(quick: bool = False) -> list[Figure]:
    src = sources_dir(None)
    times, report = [], None
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            report = build_database(src, db)
            times.append(time.perf_counter() - t0)
    assert report is not None
    rows = ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
    return [
        Figure("data build time (median)", round(median(times), 1), "s", BUDGET_S,
               f"{len(times)} runs, min {min(times):.1f}, max {max(times):.1f}; sources {src}"),
        Figure("database size", round(report.bytes / 1e6, 1), "MB", None, f"rows: {rows}"),
    ]


if __name__ == "__main__":
    sys.exit(main_for(figures, __doc__))
