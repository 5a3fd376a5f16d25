"""Indicators the build computes from other indicators and the areas (registry: `derived`
without `columns`). Each function returns rows in the indicator_values layout."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from healthgap.registry import Indicator, RegistryError


def population_density(ind: Indicator, values: pd.DataFrame, areas: pd.DataFrame,
                       population_id: str = "population_total") -> pd.DataFrame:
    pop = values[(values["indicator_id"] == population_id)]
    land = areas[["area_code", "division_year", "land_area_km2"]]
    df = pop.merge(land, on=["area_code", "division_year"], how="left")
    dens = df["value"] / df["land_area_km2"].where(df["land_area_km2"] > 0)
    out = df[["area_code", "level", "division_year", "period", "age_group"]].copy()
    out["indicator_id"] = ind.id
    out["value"] = dens.to_numpy()
    # No land area (a Belgian 2018 municipality that merged in 2019 has no map) -> missing.
    out["status"] = np.where(dens.notna(), "observed",
                             np.where(df["value"].notna(), "missing", "suppressed"))
    out["source_id"] = ind.source_id
    out["line"] = pd.NA
    return out


DERIVATIONS: dict[str, Callable[[Indicator, pd.DataFrame, pd.DataFrame], pd.DataFrame]] = {
    "population_density": population_density,
    # Belgium: Statbel population / area of the Statbel 2021 boundary (EPSG:31370) of the same division.
    "be_population_density": lambda ind, values, areas: population_density(
        ind, values, areas, "be_population_total"),
}


def derive_values(registry: dict[str, Indicator], values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for ind in registry.values():
        if ind.columns:
            continue
        func = DERIVATIONS.get(ind.id)
        if func is None:
            raise RegistryError(f"indicator {ind.id!r} is derived but the build has no derivation "
                                "for it; add one to healthgap/build/derive.py")
        frames.append(func(ind, values, areas))
    return pd.concat(frames, ignore_index=True) if frames else values.iloc[:0]
