"""Time one PHE SII with 100,000 Monte-Carlo repetitions (median of several runs).

Target (issue 3): ≤ 0.5 s. Uses shared/reference/phe_sii_input.csv beside the checkout.
Usage: .venv/bin/python bench/bench_measures_phe.py [--quick] [--json PATH]
"""

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Figure, main_for, median  # noqa: E402

sys.path.insert(0, str(ROOT))
from indicators.phe_sii import phe_sii  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "phe_sii_input.csv"


def figures(quick: bool = False) -> list[Figure]:
    data = pd.read_csv(REFERENCE)
    deciles = data[data["case"] == "life_expectancy_deciles"]
    runs = 3 if quick else 7
    times = []
    for run in range(runs):
        start = time.perf_counter()
        phe_sii(deciles, repetitions=100_000, seed=run)
        times.append(time.perf_counter() - start)
    return [Figure("PHE SII, 10 deciles, 100,000 Monte-Carlo repetitions (median)",
                   round(median(times), 3), "s", 0.5, f"{runs} runs")]


if __name__ == "__main__":
    sys.exit(main_for(figures, __doc__))
