"""Population attributable risk expressed in people.

HEAT's PAR (:mod:`indicators.heat`) is the improvement in the population-weighted mean if every
subgroup had the reference subgroup's level (the most advantaged quantile of an ordered
dimension, the best-performing subgroup of a non-ordered one). On a population of N people, in an
indicator on scale s (100 for percentages), that is

    people = |PAR| / s x N

fewer people with an adverse outcome (obesity) or more with a favourable one (good health). The
interval carries PAR's interval through the same linear map, so it is exactly as good as PAR's:
Walter's analytic interval when subgroup SEs are known, a bootstrap over areas otherwise.
A lower limit below zero means "possibly no improvement" and is reported as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.gradients import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_SEED,
    area_bootstrap,
    heat_table,
    quantile_table,
)
from indicators.heat import HeatResult, heat_measure


@dataclass(frozen=True)
class ImpactResult:
    """``people`` fewer (adverse) or more (favourable) people: see ``direction``."""

    people: float
    lower: float
    upper: float
    direction: str
    population: float
    par: HeatResult
    method: str
    confidence: float
    notes: list[str] = field(default_factory=list)


def people_from_par(par: HeatResult, population: float, scale: float, favourable: bool
                    ) -> ImpactResult:
    """Turn a PAR (indicator scale) and the population it refers to into a number of people."""
    if not math.isfinite(population) or population <= 0:
        raise ValueError("population must be a positive number of residents.")
    if scale <= 0:
        raise ValueError("scale must be positive (100 for percentages).")
    if par.measure.upper() != "PAR":
        raise ValueError(f"Expected a PAR result, got {par.measure}.")
    sign = 1.0 if favourable else -1.0  # adverse PAR is negative: improvement = fewer people

    def people(x: float) -> float:
        return sign * x / scale * population + 0.0  # + 0.0 turns -0.0 into 0.0

    notes = []
    estimate = max(people(par.estimate), 0.0)
    lo, hi = sorted((people(par.lower), people(par.upper)))
    if math.isfinite(lo) and lo < 0:
        notes.append("The interval reaches zero: possibly no improvement.")
        lo = 0.0
    return ImpactResult(
        people=estimate, lower=lo, upper=max(hi, 0.0) if math.isfinite(hi) else hi,
        direction="more" if favourable else "fewer", population=float(population), par=par,
        method=f"|PAR| / {scale:g} x population; interval from PAR ({par.method})",
        confidence=par.confidence, notes=notes)


def impact_of_matching_best_quantile(df: pd.DataFrame, value_col: str, ses_col: str,
                                     pop_col: str, n: int = 5, disadvantaged: str = "low",
                                     favourable: bool = True, scale: float = 100,
                                     se_col: str | None = None,
                                     bootstrap: int = DEFAULT_BOOTSTRAP,
                                     seed: int | None = DEFAULT_SEED,
                                     confidence: float = 0.95) -> ImpactResult:
    """People who would be better off if every area matched the best-off (most advantaged) SES
    quantile: e.g. "about N fewer adults with obesity if every wijk matched the richest fifth".

    ``pop_col`` must be the population the indicator is a share of (adults for an adult
    prevalence). With ``se_col`` the PAR interval is HEAT's analytic one on the quantile table;
    without, a seeded bootstrap over areas (see :mod:`indicators.gradients`).
    """
    quantiles = quantile_table(df, value_col, ses_col, pop_col, n, disadvantaged, se_col)
    table = heat_table(quantiles, favourable, scale)
    par = heat_measure("par", table, confidence=confidence)
    population = float(quantiles["population"].sum())
    notes = []
    if se_col is None or not np.all(np.isfinite(quantiles["se"])):
        reps = area_bootstrap(df, value_col, ses_col, pop_col, n, disadvantaged, scale,
                              bootstrap, seed)["par"]
        reps = reps[np.isfinite(reps)]
        reps = np.maximum(reps, 0) if favourable else np.minimum(reps, 0)  # HEAT's truncation
        alpha = (1 - confidence) / 2
        lower, upper = np.quantile(reps, [alpha, 1 - alpha])
        par = HeatResult("PAR", par.estimate, float(np.std(reps, ddof=1)), float(lower),
                         float(upper), f"bootstrap over areas ({bootstrap} seeded resamples)",
                         confidence, par.notes.split(";")[0] + "; percentile interval.")
        notes.append("Area values carry no standard error: PAR interval from a bootstrap over "
                     "areas.")
    result = people_from_par(par, population, scale, favourable)
    return ImpactResult(result.people, result.lower, result.upper, result.direction,
                        result.population, par, result.method, confidence,
                        notes + result.notes)
