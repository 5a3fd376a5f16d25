"""Checks on the assembled values before anything is written: every failure is a SourceError
naming the file and line, so a bad file never reaches the database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.build.errors import SourceError
from healthgap.registry import Indicator

KEY = ["area_code", "division_year", "period", "age_group", "indicator_id"]
STATUSES = {"observed", "modelled", "suppressed", "missing"}


def _where(row) -> str:
    line = row["line"]
    return f"line {int(line)}" if pd.notna(line) else "derived row"


def validate_values(values: pd.DataFrame, areas: pd.DataFrame, registry: dict[str, Indicator],
                    paths: dict[str, Path]) -> list[str]:
    """Raise on the first real error; return warnings for gaps that are not errors."""
    def path_of(row) -> Path | str:
        return paths.get(row["source_id"], row["source_id"])

    unknown_ind = ~values["indicator_id"].isin(registry)
    if unknown_ind.any():
        r = values[unknown_ind].iloc[0]
        raise SourceError(path_of(r), f"indicator {r['indicator_id']!r} has no registry entry in "
                                      "data/catalog/indicators.toml")

    bad_status = ~values["status"].isin(STATUSES)
    if bad_status.any():
        r = values[bad_status].iloc[0]
        raise SourceError(path_of(r), f"status {r['status']!r} is not one of {sorted(STATUSES)}",
                          where=_where(r))

    known = areas[["area_code", "division_year", "level"]].rename(columns={"level": "area_level"})
    m = values.merge(known, on=["area_code", "division_year"], how="left")
    missing = m["area_level"].isna()
    if missing.any():
        r = m[missing].iloc[0]
        raise SourceError(path_of(r), f"unknown area code {r['area_code']!r}: not an area of the "
                                      f"{r['division_year']} division (check the code and the "
                                      "file's division year)", where=_where(r))
    wrong = m["area_level"] != m["level"]
    if wrong.any():
        r = m[wrong].iloc[0]
        raise SourceError(path_of(r), f"{r['area_code']} is a {r['area_level']}, the file has it "
                                      f"as {r['level']}", where=_where(r))

    dup = values.duplicated(KEY, keep="first")
    if dup.any():
        r = values[dup].iloc[0]
        raise SourceError(path_of(r), "duplicate row for area "
                                      f"{r['area_code']}, period {r['period']}, indicator "
                                      f"{r['indicator_id']}, age {r['age_group']}; each may "
                                      "appear once", where=_where(r))

    zero_status = values["status"].isin(["suppressed", "missing"]) & values["value"].notna()
    if zero_status.any():
        r = values[zero_status].iloc[0]
        raise SourceError(path_of(r), "a suppressed or missing value must be empty",
                          where=_where(r))

    percent_ids = [i.id for i in registry.values() if i.unit == "percent"]
    pct = values["indicator_id"].isin(percent_ids) & ~values["value"].between(0, 100) & values["value"].notna()
    if pct.any():
        r = values[pct].iloc[0]
        col = next(iter(registry[r["indicator_id"]].columns.values()), r["indicator_id"])
        raise SourceError(path_of(r), f"percentage {r['value']} outside 0-100 for {r['area_code']}",
                          where=f"{_where(r)}, column {col}")

    have = set(values.loc[values["value"].notna(), "indicator_id"])
    return [f"indicator {i} has no values in any source" for i in registry if i not in have]
