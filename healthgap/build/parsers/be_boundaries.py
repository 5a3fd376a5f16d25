"""Belgian boundary files (GeoJSON, WGS84): municipalities of one division (2019: 581 from
Statbel/bemaps, 2025: 565 dissolved from it) and the Brussels statistical sectors. The
arrondissements, provinces, regions and Belgium of that division are dissolved from the
municipalities, so every level of one division year shares one coverage."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.geometry import geojson_features
from healthgap.build.parsers import BOUNDARY, parser
from healthgap.build.parsers.be_regions import BE_COUNTRY_CODE, be_code, be_level, be_reference
from healthgap.build.readers import read_json
from healthgap.registry import Source

CODE_KEYS = ("CD_SECTOR_REFNIS", "CD_MUNTY_REFNIS", "nis")


def _features(path: Path) -> list:
    data = read_json(path)
    if data.get("type") != "FeatureCollection":
        raise SourceError(path, "expected a GeoJSON FeatureCollection")
    feats = geojson_features(data)
    if not feats:
        raise SourceError(path, "no features; the file is empty or truncated")
    return feats


@parser("be_geojson_nis", BOUNDARY)
def be_geojson_nis(ctx: BuildContext, source: Source, path: Path) -> None:
    if source.division_year is None:
        raise SourceError(path, f"source {source.id} has no division_year in data/sources.toml")
    year = source.division_year
    ref = be_reference(ctx)
    feats = _features(path)
    key = next((k for k in CODE_KEYS if k in feats[0][0]), None)
    if key is None:
        raise SourceError(path, f"no NIS code property; expected one of {', '.join(CODE_KEYS)}",
                          where="feature 1")
    rows = []
    for n, (props, _fid, geom) in enumerate(feats, start=1):
        code = be_code(props.get(key) or "")
        level = be_level(code, path, f"feature {n}, property {key}")
        if geom is None or geom.is_empty:
            raise SourceError(path, f"{code} has no geometry", where=f"feature {n}")
        parent = be_code(props["CD_MUNTY_REFNIS"]) if level == "sector" else None
        rows.append({"code": code, "level": level, "parent_code": parent, "geometry": geom,
                     "name_nl": props.get("TX_SECTOR_DESCR_NL"), "name_fr": props.get("TX_SECTOR_DESCR_FR")})
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    if gdf["code"].duplicated().any():
        raise SourceError(path, f"area {gdf.loc[gdf['code'].duplicated(), 'code'].iloc[0]} appears twice")
    levels = set(gdf["level"])
    if len(levels) != 1 or levels - {"gemeente", "sector"}:
        raise SourceError(path, f"expected municipalities or sectors only, found {sorted(levels)}")
    mun = ref.municipalities[ref.municipalities["division_year"] == year]
    names = dict(zip(mun["code"], mun["name"], strict=True))
    if levels == {"gemeente"}:
        got, want = set(gdf["code"]), set(names)
        if got != want:
            extra, absent = sorted(got - want), sorted(want - got)
            raise SourceError(path, f"boundary codes do not match the {year} division "
                                    f"(not in it: {', '.join(extra[:8]) or '-'}; missing: "
                                    f"{', '.join(absent[:8]) or '-'}); check that the file is the {year} map")
        gdf["name"] = gdf["code"].map(names)
    else:
        bad = ~gdf["parent_code"].isin(set(names))
        if bad.any():
            raise SourceError(path, f"sector {gdf.loc[bad, 'code'].iloc[0]} lies in a municipality "
                                    f"that is not in the {year} division")
        gdf["name"] = gdf["name_nl"].fillna("").str.strip()
        gdf.loc[gdf["name"] == "", "name"] = gdf["code"]
    gdf = gdf.drop(columns=["name_nl", "name_fr"])
    gdf["division_year"] = year
    gdf["country"] = source.country
    gdf["source_id"] = source.id
    ctx.boundaries.append(gdf)
    if levels == {"gemeente"}:
        ctx.boundaries.extend(_dissolved(ctx, gdf, year, source))


def _dissolved(ctx: BuildContext, gdf: gpd.GeoDataFrame, year: int, source: Source) -> list:
    """Arrondissements from the municipalities, then each higher level from the arrondissements
    (a union of a few dozen shapes instead of 581 each time)."""
    ref = be_reference(ctx)
    parents = ref.parents(year).set_index("gemeente")
    higher = ref.higher[ref.higher["division_year"] == year].set_index("code")
    arr_of = gdf["code"].map(parents["arrondissement"])
    arr_geom = {code: shapely.union_all(shapely.set_precision(part.geometry.values, 1e-6))
                for code, part in gdf.groupby(arr_of, sort=True)}
    arr_up = parents.drop_duplicates("arrondissement").set_index("arrondissement")
    out = []
    for level in ("arrondissement", "province", "region", "country"):
        if level == "arrondissement":
            geoms = arr_geom
        else:
            groups: dict[str, list] = {}
            for arr, geom in arr_geom.items():
                up = arr_up.at[arr, level]
                if isinstance(up, str) and up:  # Brussels has no province
                    groups.setdefault(up, []).append(geom)
            geoms = {code: shapely.union_all(parts) for code, parts in sorted(groups.items())}
        rows = [{"code": code, "level": level, "parent_code": higher.at[code, "parent"],
                 "name": higher.at[code, "name"], "geometry": geom} for code, geom in geoms.items()]
        g = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        g["division_year"] = year
        g["country"] = source.country
        g["source_id"] = source.id
        out.append(g)
    if set(out[-1]["code"]) != {BE_COUNTRY_CODE}:
        raise SourceError(ctx.paths.get(source.id, source.path), "dissolving to Belgium failed")
    return out


def be_land_areas(boundaries: list[gpd.GeoDataFrame]) -> pd.DataFrame:
    """(area_code, division_year, level, land_area_km2) of every BE boundary read."""
    from healthgap.build.geometry import area_km2
    frames = [pd.DataFrame({"area_code": b["code"], "division_year": b["division_year"],
                            "level": b["level"], "land_area_km2": area_km2(b, "BE").round(3)})
              for b in boundaries if len(b) and b["country"].iloc[0] == "BE"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["area_code", "division_year", "level", "land_area_km2"])
