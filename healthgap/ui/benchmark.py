"""The benchmark value each area is compared with (Nederland, its province, its GGD region).

Only published values are used: when the database has no value for the chosen benchmark level,
the comparison falls back to Nederland and says so. Peer groups and hand-picked groups need the
statistics module (indicators.peers) and are resolved by the pages that build them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.ui.data import q
from healthgap.ui.texts import t

LEVEL_OF = {"nederland": "country", "provincie": "province", "ggd": "ggd_region"}
AREA_KEY = {"provincie": "province_code", "ggd": "ggd_code"}


@dataclass
class Benchmark:
    kind: str                 # nederland | provincie | ggd
    per_area: pd.Series       # benchmark value per area_code (NaN when unknown)
    label: str                # "Nederland", "de provincie Utrecht", ... for the selected area
    reference_codes: set[str]  # codes that ARE the benchmark (never compared with themselves)
    note: str | None = None


def _level_values(indicator_id: str, period: str, age: str, level: str) -> pd.DataFrame:
    return q("values_for", indicator_id, period, age, level)


def resolve(kind: str, indicator_id: str, period: str, age: str, areas: pd.DataFrame,
            selected: str | None = None) -> Benchmark:
    """Benchmark per row of `areas` (needs area_code, province_code, ggd_code)."""
    note = None
    if kind not in LEVEL_OF:
        note = t("benchmark_note.not_here", chosen=t(f"benchmark.{kind}.option"))
        kind = "nederland"
    ref = _level_values(indicator_id, period, age, LEVEL_OF[kind])
    ref = ref[ref["value"].notna()]
    if kind != "nederland":
        key = AREA_KEY[kind]
        mapped = areas[key].map(dict(zip(ref["area_code"], ref["value"], strict=True)))
        if mapped.notna().any():
            sel_row = areas[areas["area_code"] == selected]
            code = sel_row[key].iloc[0] if not sel_row.empty else None
            name = ref.loc[ref["area_code"] == code, "name"]
            label = t(f"benchmark.{kind}.name", name=name.iloc[0] if len(name) else code or "")
            return Benchmark(kind, pd.Series(mapped.to_numpy(), index=areas["area_code"]),
                             label, set(ref["area_code"]), note)
        note = t("benchmark_note.no_values", chosen=t(f"benchmark.{kind}.option"))
        kind = "nederland"
        ref = _level_values(indicator_id, period, age, "country")
        ref = ref[ref["value"].notna()]
    value = float(ref["value"].iloc[0]) if not ref.empty else float("nan")
    if ref.empty:
        note = t("benchmark_note.no_country")
    return Benchmark("nederland", pd.Series(value, index=areas["area_code"]),
                     t("benchmark.nederland.name"), set(ref["area_code"]), note)
