"""Municipal changes (herindelingen): every gemeente code of an earlier division -> its code(s)
in the latest division, from overlaying the boundary files of both years."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.geometry import overlay_shares

# Changes on 1 January 2021 as documented by CBS; checked against the overlay of the 2020 and
# later maps, and named in the crosswalk's note column.
DOCUMENTED = {
    ("NL", "GM0003", 2020): "Appingedam merged into Eemsdelta (GM1979) on 1-1-2021",
    ("NL", "GM0010", 2020): "Delfzijl merged into Eemsdelta (GM1979) on 1-1-2021",
    ("NL", "GM0024", 2020): "Loppersum merged into Eemsdelta (GM1979) on 1-1-2021",
    ("NL", "GM0788", 2020): "Haaren dissolved on 1-1-2021, divided over Boxtel, Oisterwijk, Tilburg and Vught",
}
DOCUMENTED_TARGETS = {("NL", "GM0003"): {"GM1979"}, ("NL", "GM0010"): {"GM1979"},
                      ("NL", "GM0024"): {"GM1979"},
                      ("NL", "GM0788"): {"GM0757", "GM0824", "GM0855", "GM0865"}}
COLUMNS = ["old_code", "old_year", "new_code", "new_year", "share_of_old", "kind", "note"]


def _gemeente_maps(ctx: BuildContext, country: str) -> dict[int, gpd.GeoDataFrame]:
    maps: dict[int, gpd.GeoDataFrame] = {}
    for b in ctx.boundaries:
        sel = b[(b["country"] == country) & (b["level"] == "gemeente")]
        if len(sel):
            maps[int(sel["division_year"].iloc[0])] = sel
    return maps


def build_crosswalk(ctx: BuildContext) -> pd.DataFrame:
    frames = []
    countries = sorted({b["country"].iloc[0] for b in ctx.boundaries if len(b)})
    if "BE" in ctx.country_refs:
        # Belgium publishes its changes as whole-municipality unions and renumberings
        # (regions/municipality_codes_2018_2019_2025.csv): no overlay needed.
        from healthgap.build.parsers.be_regions import be_reference
        frames.append(be_reference(ctx).crosswalk)
    for country in (c for c in countries if c != "BE"):
        maps = _gemeente_maps(ctx, country)
        if len(maps) < 2:
            continue
        target = max(maps)
        published = _published_notes(ctx)
        for year in sorted(y for y in maps if y < target):
            frames.append(_year_to_target(ctx, country, maps[year], maps[target], year, target,
                                          published))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _year_to_target(ctx: BuildContext, country: str, old: gpd.GeoDataFrame, new: gpd.GeoDataFrame,
                    year: int, target: int, published: dict[str, str]) -> pd.DataFrame:
    """A code that still exists in the target division maps to itself with share 1: from 2020 to
    2025 Dutch gemeenten only merged or were dissolved whole, and an overlay of two differently
    generalised maps puts 5-10 % of coastal gemeenten such as Urk in a neighbour (water areas
    drawn differently). Codes that ended are overlaid with the target map."""
    kept = old[old["code"].isin(set(new["code"]))]
    ended = old[~old["code"].isin(set(new["code"]))]
    shares = pd.DataFrame({"old_code": kept["code"], "new_code": kept["code"], "share": 1.0})
    if len(ended):
        shares = pd.concat([shares, overlay_shares(ended, new, country)], ignore_index=True)
        _check_documented(ctx, country, year, shares)
    n_new = shares.groupby("old_code")["new_code"].transform("size")
    n_old = shares.groupby("new_code")["old_code"].transform("size")
    kind = pd.Series("merge", index=shares.index)
    kind[(shares["old_code"] == shares["new_code"]) & (n_old == 1)] = "unchanged"
    kind[n_new > 1] = "split"
    notes = [None if k == "unchanged" else DOCUMENTED.get((country, o, year)) or published.get(o)
             for o, k in zip(shares["old_code"], kind, strict=True)]
    return pd.DataFrame({
        "old_code": shares["old_code"].to_numpy(), "old_year": year,
        "new_code": shares["new_code"].to_numpy(), "new_year": target,
        "share_of_old": shares["share"].round(4).to_numpy(), "kind": kind.to_numpy(),
        "note": notes})


def _published_notes(ctx: BuildContext) -> dict[str, str]:
    if ctx.changes is None:
        return {}
    notes: dict[str, str] = {}
    for r in ctx.changes[ctx.changes["share"] >= 0.05].itertuples():
        notes.setdefault(r.old_code, f"ended {r.new_year}: part of {r.new_code}")
    return notes


def _check_documented(ctx: BuildContext, country: str, year: int, shares: pd.DataFrame) -> None:
    for (c, code), targets in DOCUMENTED_TARGETS.items():
        if c != country or (country, code, year) not in DOCUMENTED:
            continue
        found = set(shares.loc[shares["old_code"] == code, "new_code"])
        if found and found != targets:
            ctx.warnings.append(f"crosswalk {code} {year}: overlay gives {sorted(found)}, "
                                f"CBS documents {sorted(targets)}")
