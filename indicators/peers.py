"""Peer groups: the municipalities most like a target on standardised features."""

from __future__ import annotations

import numpy as np
import pandas as pd


def find_peers(features: pd.DataFrame, target: str, k: int = 10, weights: dict | None = None,
               columns: list[str] | None = None) -> pd.DataFrame:
    """The k areas nearest to `target` in weighted Euclidean distance on z-scores.

    z = (x − mean)/sd per feature over all areas; d² = Σ w_f·(z_f − z_target,f)² over the features
    both areas have, rescaled by (total weight / weight used) so a missing feature neither helps nor
    hurts. Areas missing more than half the weight are left out. Returns distance, the number of
    features used and one `contrib_<feature>` column (w·Δz²) per feature, nearest first.
    """
    if target not in features.index:
        raise ValueError(f"target {target!r} is not in the features' index; check the area_code")
    if features.index.duplicated().any():
        raise ValueError("features must have one row per area_code")
    columns = list(columns or features.columns)
    if k < 1:
        raise ValueError("k must be at least 1")
    w = pd.Series({c: 1.0 for c in columns}) if weights is None else pd.Series(weights, dtype=float).reindex(columns).fillna(0.0)
    if (w < 0).any() or w.sum() == 0:
        raise ValueError("weights must be non-negative and not all zero")
    data = features[columns].astype(float)
    sd = data.std(ddof=0).replace(0, np.nan)
    z = (data - data.mean()) / sd
    if z.loc[target].isna().all():
        raise ValueError(f"target {target!r} has no usable feature values")
    contrib = (z - z.loc[target]) ** 2 * w
    present = contrib.notna().mul(w, axis=1).sum(axis=1)
    distance = np.sqrt(contrib.sum(axis=1, min_count=1) * w.sum() / present.replace(0, np.nan))
    out = contrib.add_prefix("contrib_")
    out.insert(0, "features_used", contrib.notna().sum(axis=1))
    out.insert(0, "distance", distance)
    out = out.drop(index=target)
    out = out[present.drop(index=target) >= w.sum() / 2]
    return out.sort_values(["distance"]).head(k)


def percentile_rank(values: pd.Series) -> pd.Series:
    """Position of each value among all (0-100; ties share their mean rank; NaN stays NaN):
    a relative income position that compares across years and price levels."""
    return values.astype(float).rank(pct=True) * 100
