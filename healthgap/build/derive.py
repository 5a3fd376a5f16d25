"""Indicators the build computes from other indicators and the areas (registry: `derived`
without `columns`). Each function returns rows in the indicator_values layout."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from healthgap.registry import Indicator, RegistryError


def population_density(ind: Indicator, values: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    pop = values[(values["indicator_id"] == "population_total")]
    land = areas[["area_code", "division_year", "land_area_km2"]]
    df = pop.merge(land, on=["area_code", "division_year"], how="left")
    dens = df["value"] / df["land_area_km2"].where(df["land_area_km2"] > 0)
    out = df[["area_code", "level", "division_year", "period", "age_group"]].copy()
    out["indicator_id"] = ind.id
    out["value"] = dens.to_numpy()
    out["status"] = np.where(dens.notna(), "observed", "suppressed")
    out["source_id"] = ind.source_id
    out["line"] = pd.NA
    return out


DERIVATIONS: dict[str, Callable[[Indicator, pd.DataFrame, pd.DataFrame], pd.DataFrame]] = {
    "population_density": population_density,
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
