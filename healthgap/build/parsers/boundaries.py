"""Boundary files (GeoJSON and TopoJSON, WGS84 lon/lat) -> one GeoDataFrame per file with
code, name, level, division year, country and source id."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.geometry import geojson_features, topojson_features
from healthgap.build.parsers import BOUNDARY, parser
from healthgap.build.parsers.nl_codes import nl_level
from healthgap.build.readers import read_json
from healthgap.registry import Source

LEVEL_OF = {"NL": nl_level}


def _division_year(source: Source, path: Path) -> int:
    if source.division_year is None:
        raise SourceError(path, f"source {source.id} has no division_year in data/sources.toml; "
                                "a boundary file belongs to one municipal division")
    return source.division_year


def _frame(ctx: BuildContext, source: Source, path: Path, features, code_key: str,
           name_key: str | None, parent_key: str | None = None) -> None:
    year = _division_year(source, path)
    level_of = LEVEL_OF[source.country]
    rows = []
    for n, (props, fid, geom) in enumerate(features, start=1):
        code = str(props.get(code_key) or fid or "").strip()
        where = f"feature {n}, property {code_key}"
        if not code:
            raise SourceError(path, "feature without an area code", where=where)
        level = level_of(code, path, where)
        jr = str(props.get("jrstatcode") or "")
        if jr and not jr.startswith(str(year)):
            raise SourceError(path, f"jrstatcode {jr!r} belongs to another year; this file is "
                                    f"listed as division {year}", where=f"feature {n}")
        if geom is None or geom.is_empty:
            raise SourceError(path, f"{code} has no geometry", where=f"feature {n}")
        name = str(props.get(name_key) or "").strip() if name_key else ""
        parent = str(props.get(parent_key) or "").strip() if parent_key else None
        rows.append({"code": code, "name": name, "level": level, "parent_code": parent or None,
                     "geometry": geom})
    if not rows:
        raise SourceError(path, "no features; the file is empty or truncated")
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    dup = gdf["code"].duplicated()
    if dup.any():
        raise SourceError(path, f"area {gdf.loc[dup, 'code'].iloc[0]} appears twice")
    gdf["division_year"] = year
    gdf["country"] = source.country
    gdf["source_id"] = source.id
    _check_against_reference(ctx, source, path, gdf, year)
    # Files without names (the minvws maps) take them from the reference list of that year.
    ref = ctx.division_codes.get((source.country, "gemeente", year), {})
    gdf["name"] = [n or ref.get(c, "") for c, n in zip(gdf["code"], gdf["name"], strict=True)]
    unnamed = gdf["name"] == ""
    if unnamed.any():
        raise SourceError(path, f"no name for {gdf.loc[unnamed, 'code'].iloc[0]} in the file or "
                                f"in the code list of division {year}")
    ctx.boundaries.append(gdf)


def _check_against_reference(ctx, source, path, gdf, year) -> None:
    """A map must hold exactly the gemeenten of its division year (a 2025 map with GM0003 is a
    wrong file, not a detail)."""
    ref = ctx.division_codes.get((source.country, "gemeente", year))
    gm = set(gdf.loc[gdf["level"] == "gemeente", "code"])
    if ref is None or not gm:
        return
    extra, absent = sorted(gm - set(ref)), sorted(set(ref) - gm)
    if extra or absent:
        parts = []
        if extra:
            parts.append(f"codes not in the {year} division: {', '.join(extra[:8])}")
        if absent:
            parts.append(f"codes of the {year} division missing: {', '.join(absent[:8])}")
        raise SourceError(path, "boundary codes do not match division year "
                                f"{year} ({'; '.join(parts)}); check that the file is the "
                                f"{year} map")


@parser("geojson_statcode", BOUNDARY)
def geojson_statcode(ctx: BuildContext, source: Source, path: Path) -> None:
    data = read_json(path)
    if data.get("type") != "FeatureCollection":
        raise SourceError(path, "expected a GeoJSON FeatureCollection")
    _frame(ctx, source, path, geojson_features(data), "statcode", "statnaam", "gmCode")


def _topology(path: Path) -> dict:
    data = read_json(path)
    if data.get("type") != "Topology" or not data.get("objects") or "arcs" not in data:
        raise SourceError(path, "expected a TopoJSON Topology with objects and arcs")
    return data


@parser("topojson_statcode", BOUNDARY)
def topojson_statcode(ctx: BuildContext, source: Source, path: Path) -> None:
    topo = _topology(path)
    # cartomap files hold one object named after the layer (wijk_2020, provincie_2025, ...)
    names = [n for n in topo["objects"] if re.match(r"^[a-z]+_\d{4}$", n)] or list(topo["objects"])
    try:
        features = topojson_features(topo, names[0])
    except (IndexError, KeyError, ValueError, TypeError) as exc:
        raise SourceError(path, f"TopoJSON arcs do not decode ({exc}); the file is damaged") from exc
    _frame(ctx, source, path, features, "statcode", "statnaam", "gmCode")


@parser("topojson_minvws", BOUNDARY)
def topojson_minvws(ctx: BuildContext, source: Source, path: Path) -> None:
    topo = _topology(path)
    if "gm_features" not in topo["objects"]:
        raise SourceError(path, "TopoJSON object gm_features missing (coronadashboard layout)")
    try:
        features = topojson_features(topo, "gm_features")
    except (IndexError, KeyError, ValueError, TypeError) as exc:
        raise SourceError(path, f"TopoJSON arcs do not decode ({exc}); the file is damaged") from exc
    _frame(ctx, source, path, features, "code", None)
