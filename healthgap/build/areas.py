"""The `areas` table: versioned reference data per (code, division year), from the boundary
files, the code lists and the region lookup."""

from __future__ import annotations

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.geometry import area_km2

COUNTRY_ROWS = {"NL": ("NL01", "Nederland")}
COLUMNS = ["area_code", "name", "name_fr", "name_de", "level", "division_year", "country",
           "parent_code", "province_code", "ggd_code", "land_area_km2", "name_nl", "region_code"]


def build_areas(ctx: BuildContext, crosswalk: pd.DataFrame, value_keys: pd.DataFrame) -> pd.DataFrame:
    """value_keys: distinct (country, level, division_year) the values refer to, so regions
    (provinces, GGD regions) exist for every division year a value uses."""
    parts = []
    for b in (b for b in ctx.boundaries if b["country"].iloc[0] != "BE"):
        df = pd.DataFrame({"area_code": b["code"], "name": b["name"], "level": b["level"],
                           "division_year": b["division_year"], "country": b["country"],
                           "parent_code": b["parent_code"],
                           "land_area_km2": area_km2(b, b["country"].iloc[0]).round(3)})
        parts.append(df)
    areas = pd.concat(parts, ignore_index=True)

    # Gemeenten of a listed division without a map of their own (no geometry, no area).
    known = set(zip(areas["area_code"], areas["division_year"], strict=True))
    extra = [{"area_code": c, "name": n, "level": lvl, "division_year": y, "country": country}
             for (country, lvl, y), codes in ctx.division_codes.items() if country != "BE"
             for c, n in codes.items() if (c, y) not in known]
    if extra:
        areas = pd.concat([areas, pd.DataFrame(extra)], ignore_index=True)

    nl_keys = value_keys[value_keys["country"] != "BE"]
    areas = _regions_for_value_years(areas, nl_keys)
    areas = _country_rows(areas, nl_keys)
    areas = _assign_regions(ctx, areas, crosswalk)
    for col in ("name_fr", "name_de", "name_nl", "region_code"):
        areas[col] = None
    if "BE" in ctx.country_refs:
        from healthgap.build.parsers.be_areas import be_areas
        areas = pd.concat([areas[COLUMNS], be_areas(ctx)[COLUMNS]], ignore_index=True)
    return areas[COLUMNS].sort_values(["country", "level", "division_year", "area_code"],
                                      ignore_index=True)


def _regions_for_value_years(areas: pd.DataFrame, value_keys: pd.DataFrame) -> pd.DataFrame:
    """Values per GGD region or province in a year without its own map are tied to the nearest
    mapped year of that level; the codes are stable over 2020-2025 (decision 0001)."""
    add = []
    for r in value_keys.itertuples():
        if r.level not in ("province", "ggd_region"):
            continue
        have = areas[(areas["country"] == r.country) & (areas["level"] == r.level)]
        years = sorted(set(have["division_year"]))
        if not years or r.division_year in years:
            continue
        nearest = min(years, key=lambda y: abs(y - r.division_year))
        copy = have[have["division_year"] == nearest].copy()
        copy["division_year"] = r.division_year
        add.append(copy)
    return pd.concat([areas, *add], ignore_index=True) if add else areas


def _country_rows(areas: pd.DataFrame, value_keys: pd.DataFrame) -> pd.DataFrame:
    rows = []
    pairs = set(zip(areas["country"], areas["division_year"], strict=True))
    pairs |= set(zip(value_keys["country"], value_keys["division_year"], strict=True))
    for country, year in sorted(pairs):
        code, name = COUNTRY_ROWS[country]
        gm = areas[(areas["country"] == country) & (areas["division_year"] == year)
                   & (areas["level"] == "gemeente")]["land_area_km2"]
        rows.append({"area_code": code, "name": name, "level": "country", "division_year": year,
                     "country": country, "parent_code": None,
                     "land_area_km2": round(float(gm.sum()), 3) if gm.notna().any() else None})
    return pd.concat([areas, pd.DataFrame(rows)], ignore_index=True)


def _assign_regions(ctx: BuildContext, areas: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    areas = areas.copy()
    areas["province_code"] = None
    areas["ggd_code"] = None
    lk = ctx.region_lookup
    if lk is not None:
        target = int(lk["division_year"].iloc[0])
        pv = dict(zip(lk["gm_code"], lk["pv_code"], strict=True))
        gg = dict(zip(lk["gm_code"], lk["ggd_code"], strict=True))
        # Earlier gemeenten take the regions of the 2025 successor holding most of their land.
        best = (crosswalk[crosswalk["new_year"] == target]
                .sort_values("share_of_old", ascending=False)
                .drop_duplicates(["old_code", "old_year"]))
        succ = {(r.old_code, r.old_year): r.new_code for r in best.itertuples()}
        gm = areas["level"] == "gemeente"
        for i in areas.index[gm]:
            code, year = areas.at[i, "area_code"], int(areas.at[i, "division_year"])
            now = code if year == target else succ.get((code, year), code)
            areas.at[i, "province_code"] = pv.get(now)
            areas.at[i, "ggd_code"] = gg.get(now)
        areas.loc[gm, "parent_code"] = areas.loc[gm, "province_code"]
    # Wijken inherit from their gemeente of the same division.
    gm_rows = areas[areas["level"] == "gemeente"].set_index(["area_code", "division_year"])
    wk = areas["level"] == "wijk"
    for i in areas.index[wk]:
        key = (areas.at[i, "parent_code"], areas.at[i, "division_year"])
        if key in gm_rows.index:
            areas.at[i, "province_code"] = gm_rows.at[key, "province_code"]
            areas.at[i, "ggd_code"] = gm_rows.at[key, "ggd_code"]
    for level in ("province", "ggd_region"):
        sel = areas["level"] == level
        areas.loc[sel, "parent_code"] = areas.loc[sel, "country"].map(
            {c: v[0] for c, v in COUNTRY_ROWS.items()})
    return areas
