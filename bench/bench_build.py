"""Full database build from the shared sources: prints build time and database size.

Budget (issue 2): build <= 30 s on the 2-core reference machine.
Usage: .venv/bin/python bench/bench_build.py [--sources DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from healthgap.build.pipeline import build_database  # noqa: E402
from healthgap.settings import sources_dir  # noqa: E402

BUDGET_S = 30.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", help="sources folder (default: ../shared/data)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    src = sources_dir(args.sources)
    times, report = [], None
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = build_database(src, db)
            times.append(time.perf_counter() - t0)
    assert report is not None
    med = statistics.median(times)
    print(f"sources: {src}")
    print(f"build time: median {med:.1f} s over {len(times)} runs "
          f"(min {min(times):.1f}, max {max(times):.1f}); budget {BUDGET_S:.0f} s")
    print(f"database size: {report.bytes / 1e6:.1f} MB")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in report.rows.items()))
    return 0 if med <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
