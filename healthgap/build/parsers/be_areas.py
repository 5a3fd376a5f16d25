"""The Belgian rows of `areas`: every municipality of the 2018, 2019 and 2025 divisions, their
arrondissements, provinces, regions and Belgium (01000) per division, and the Brussels statistical
sectors that have a geometry.

parent_code: sector -> gemeente -> arrondissement -> province (Brussels: region 04000) ->
region -> 01000. province_code is NULL in Brussels (no province); region_code is always filled.
land_area_km2 comes from the geometry (EPSG:31370). The 2018 division has no map: a 2018
municipality whose territory did not change in 2019 (unchanged or renumbered) takes the area of its
2019 code; the 15 that merged in 2019 have none; higher 2018 areas add up their 2019 successors."""

from __future__ import annotations

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.parsers.be_boundaries import be_land_areas
from healthgap.build.parsers.be_regions import be_reference


def be_areas(ctx: BuildContext) -> pd.DataFrame:
    ref = be_reference(ctx)
    m = ref.municipalities
    gem = pd.DataFrame({"area_code": m["code"], "name": m["name"], "name_fr": m["name_fr"],
                        "name_de": m["name_de"], "name_nl": m["name_nl"], "level": "gemeente",
                        "division_year": m["division_year"], "country": "BE", "parent_code": m["arr"],
                        "province_code": m["prov"], "region_code": m["region"], "ggd_code": None})
    gem = display_names(gem)
    h = ref.higher
    hig = pd.DataFrame({"area_code": h["code"], "name": h["name"], "name_fr": h["name_fr"],
                        "name_de": h["name_de"], "name_nl": h["name_nl"], "level": h["level"],
                        "division_year": h["division_year"], "country": "BE",
                        "parent_code": h["parent"], "province_code": h["prov"],
                        "region_code": h["region"], "ggd_code": None})
    parts = [gem, hig]
    be_bounds = [b for b in ctx.boundaries if len(b) and b["country"].iloc[0] == "BE"]
    sectors = [b[b["level"] == "sector"] for b in be_bounds]
    sectors = [s for s in sectors if len(s)]
    if sectors:
        s = pd.concat(sectors, ignore_index=True)
        look = gem.set_index(["area_code", "division_year"])
        keys = list(zip(s["parent_code"], s["division_year"], strict=True))
        parts.append(pd.DataFrame({
            "area_code": s["code"], "name": s["name"], "name_fr": None, "name_de": None,
            "name_nl": None, "level": "sector", "division_year": s["division_year"], "country": "BE",
            "parent_code": s["parent_code"],
            "province_code": [look.at[k, "province_code"] for k in keys],
            "region_code": [look.at[k, "region_code"] for k in keys], "ggd_code": None}))
    areas = pd.concat(parts, ignore_index=True)
    land = be_land_areas(be_bounds)
    areas = areas.merge(land, on=["area_code", "division_year", "level"], how="left")

    # 2018: territory of the 2019 successor when it did not merge.
    cw = ref.crosswalk[(ref.crosswalk["old_year"] == 2018) & (ref.crosswalk["new_year"] == 2019)]
    area19 = areas[(areas["division_year"] == 2019) & (areas["level"] == "gemeente")].set_index("area_code")["land_area_km2"]
    same = cw[cw["kind"] != "merge"]
    a18 = dict(zip(same["old_code"], same["new_code"].map(area19), strict=True))
    sel18 = (areas["division_year"] == 2018) & (areas["level"] == "gemeente")
    areas.loc[sel18, "land_area_km2"] = areas.loc[sel18, "area_code"].map(a18)
    succ = dict(zip(cw["old_code"], cw["new_code"], strict=True))
    m18 = ref.parents(2018)
    m18["succ"] = m18["gemeente"].map(succ)
    for level in ("arrondissement", "province", "region", "country"):
        tot = (m18.dropna(subset=[level]).drop_duplicates([level, "succ"])
               .assign(a=lambda d: d["succ"].map(area19)).groupby(level)["a"].sum(min_count=1))
        sel = (areas["division_year"] == 2018) & (areas["level"] == level)
        areas.loc[sel, "land_area_km2"] = areas.loc[sel, "area_code"].map(tot).round(3)
    return areas


QUALIFIER = r"\s+\([^()]*\)$"


def display_names(gem: pd.DataFrame) -> pd.DataFrame:
    """Statbel's REFNIS names add the arrondissement to many municipalities ("Aalst (Aalst)",
    "Hove (Antwerpen)"); it is kept only where the short name would be shared by two
    municipalities of the same division in that language (French "Saint-Nicolas (Liège)" and
    "Saint-Nicolas (Saint-Nicolas)"), else the municipality's own name is shown. The search
    still finds both forms through the other language's name and the former names."""
    out = gem.copy()
    for col in ("name", "name_nl", "name_fr", "name_de"):
        names = out[col]
        short = names.where(names.isna(), names.astype("string").str.replace(QUALIFIER, "",
                                                                              regex=True))
        clash = short.groupby([out["division_year"], short]).transform("size") > 1
        out[col] = names.where(clash | names.isna(), short)
    return out

