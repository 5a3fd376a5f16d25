"""Benchmark: every applicable WHO HEAT measure for ~70 indicators x 3 periods across 355 areas.

Synthetic but realistic data: 355 gemeenten with populations drawn like Dutch municipalities
(lognormal, median ~28,000), 12 provinces, a standardised household income, and per indicator
and period an area prevalence (percent) with a gradient by income, an SE from its population, and
a polarity. For each indicator x period two HEAT tables are built:

* income quintiles (ordered): D, R, ACI, RCI, SII, RII, PAF, PAR with analytic intervals;
* provinces (non-ordered, 12 subgroups, a reference province): D, R, BGV, BGSD, COV, MDMU, MDMW,
  MDBU, MDBW, MDRU, MDRW, IDISU, IDISW, TI, MLD, PAF, PAR; BGSD, COV, MD* and IDIS* with
  simulated intervals (1,000 draws, seeded, one shared draw per table), the rest analytic.

Run: .venv/bin/python bench/bench_measures_heat.py [--json PATH]  (budget: <= 1 s for the measures)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Figure, main_for  # noqa: E402

sys.path.insert(0, str(ROOT))

from indicators.gradients import population_weighted_quantiles  # noqa: E402
from indicators.heat import heat_summary  # noqa: E402

N_AREAS, N_INDICATORS, PERIODS, N_PROVINCES = 355, 70, ("2016", "2020", "2022"), 12


def synthetic_values(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    areas = pd.DataFrame({
        "area": [f"GM{i:04d}" for i in range(N_AREAS)],
        "population": np.round(rng.lognormal(np.log(28_000), 0.8, N_AREAS)),
        "province": [f"PV{20 + i % N_PROVINCES}" for i in range(N_AREAS)],
        "income": rng.normal(31.0, 3.5, N_AREAS),
    })
    rows = []
    for k in range(N_INDICATORS):
        base = rng.uniform(5, 60)
        slope = rng.uniform(-1.5, 1.5)
        for period in PERIODS:
            value = np.clip(base + slope * (areas["income"] - 31) + rng.normal(0, 2, N_AREAS),
                            0.5, 99.5)
            # SE of a survey prevalence with ~4 % of the population sampled
            n = np.maximum(areas["population"] * 0.04, 30)
            se = 100 * np.sqrt(value / 100 * (1 - value / 100) / n)
            rows.append(pd.DataFrame({"indicator": f"ind{k:02d}", "period": period,
                                      "area": areas["area"], "value": value, "se": se,
                                      "favourable": int(slope > 0)}))
    return areas, pd.concat(rows, ignore_index=True)


def heat_long_table(areas: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """All HEAT tables (indicator x period x dimension) stacked in one long frame."""
    areas = areas.assign(quintile=population_weighted_quantiles(areas, "income", "population"))
    data = values.merge(areas, on="area")
    data["wv"] = data["population"] * data["value"]
    data["w2se2"] = data["population"] ** 2 * data["se"] ** 2
    parts = []
    for dimension, col in (("income quintile", "quintile"), ("province", "province")):
        g = (data.groupby(["indicator", "period", col], sort=True)
             .agg(population=("population", "sum"), wv=("wv", "sum"), w2se2=("w2se2", "sum"),
                  favourable_indicator=("favourable", "first"))
             .reset_index())
        ordered = col == "quintile"
        first = g.groupby(["indicator", "period"]).cumcount() == 0
        parts.append(pd.DataFrame({
            "indicator": g["indicator"], "period": g["period"], "dimension": dimension,
            "subgroup": g[col].astype(str),
            "estimate": g["wv"] / g["population"],
            "se": np.sqrt(g["w2se2"]) / g["population"],
            "population": g["population"],
            "favourable_indicator": g["favourable_indicator"],
            "indicator_scale": 100,
            "ordered_dimension": int(ordered),
            "subgroup_order": g[col].astype(int) if ordered else 0,
            # non-ordered: the first province (alphabetically) is the reference for MDRU/MDRW
            "reference_subgroup": 0 if ordered else first.astype(int),
        }))
    return pd.concat(parts, ignore_index=True)


def figures(quick: bool = False) -> list[Figure]:
    areas, values = synthetic_values()
    start = time.perf_counter()
    long = heat_long_table(areas, values)
    prepared = time.perf_counter()
    results = heat_summary(long, by=["indicator", "period", "dimension"])
    done = time.perf_counter()
    n_tables = long.groupby(["indicator", "period", "dimension"]).ngroups
    measures = ", ".join(sorted(results["measure"].unique()))
    return [Figure("all HEAT gap measures, all indicators (with intervals)",
                   round(done - start, 3), "s", 1.0,
                   f"{N_INDICATORS} indicators x {len(PERIODS)} periods x 2 dimensions = "
                   f"{n_tables} tables from {N_AREAS} areas, {len(results)} results "
                   f"({measures}); tables built in {prepared - start:.3f} s")]


if __name__ == "__main__":
    sys.exit(main_for(figures, __doc__))
