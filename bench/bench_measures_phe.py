"""Time one PHE SII with 100,000 Monte-Carlo repetitions (median of several runs).

Target (issue 3): ≤ 0.5 s. Uses shared/reference/phe_sii_input.csv beside the checkout.
"""

import statistics
import time
from pathlib import Path

import pandas as pd

from indicators.phe_sii import phe_sii

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "phe_sii_input.csv"


def main(runs: int = 7) -> float:
    data = pd.read_csv(REFERENCE)
    deciles = data[data["case"] == "life_expectancy_deciles"]
    times = []
    for run in range(runs):
        start = time.perf_counter()
        phe_sii(deciles, repetitions=100_000, seed=run)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"phe_sii, 10 quantiles, 100,000 repetitions: median {median:.3f} s over {runs} runs")
    return median


if __name__ == "__main__":
    main()
