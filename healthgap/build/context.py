"""What the parsers hand to the rest of the build: reference lists, boundaries, values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from healthgap.registry import Indicator, Source

VALUE_COLUMNS = ["area_code", "level", "division_year", "period", "age_group", "indicator_id",
                 "value", "status", "source_id", "line"]


def name_key(name: str) -> str:
    """Names as keys for joining files that carry names only ('GGD Hollands-Midden' ==
    'GGD Hollands Midden')."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@dataclass
class BuildContext:
    sources_dir: Path
    registry: dict[str, Indicator]
    sources: dict[str, Source]
    # (country, level, division_year) -> {code: name}, from the reference lists
    division_codes: dict[tuple[str, str, int], dict[str, str]] = field(default_factory=dict)
    region_lookup: pd.DataFrame | None = None      # gemeente -> province/GGD of the latest division
    changes: pd.DataFrame | None = None            # published list of municipal changes
    boundaries: list[gpd.GeoDataFrame] = field(default_factory=list)
    values: list[pd.DataFrame] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)   # source id -> file read
    warnings: list[str] = field(default_factory=list)
    # Country-specific reference data a parser keeps for later stages (BE: code lists, hierarchy).
    country_refs: dict[str, dict] = field(default_factory=dict)

    def indicators_for(self, source_id: str) -> list[Indicator]:
        return [i for i in self.registry.values() if source_id in i.columns]

    def boundary_codes(self, country: str, level: str, year: int) -> dict[str, str]:
        """{code: name} of the boundary files read so far for this level and division year."""
        out: dict[str, str] = {}
        for b in self.boundaries:
            sel = b[(b["country"] == country) & (b["level"] == level) & (b["division_year"] == year)]
            out.update(zip(sel["code"], sel["name"], strict=True))
        return out

    def codes_for_name(self, country: str, level: str) -> dict[str, str]:
        """name key -> code over every boundary of the level (latest year wins)."""
        out: dict[str, str] = {}
        for b in sorted(self.boundaries, key=lambda b: int(b["division_year"].min())):
            sel = b[(b["country"] == country) & (b["level"] == level)]
            out.update({name_key(n): c for c, n in zip(sel["code"], sel["name"], strict=True)})
        return out

    def add_values(self, df: pd.DataFrame) -> None:
        self.values.append(df[VALUE_COLUMNS])
