"""Boundary geometry: decoding GeoJSON/TopoJSON, areas in an equal-area projection, display
simplification and the overlay that turns two divisions into a crosswalk.

Projected work happens in a metric CRS given per country (NL: EPSG:28992, BE later: 31370).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

METRIC_CRS = {"NL": "EPSG:28992", "BE": "EPSG:31370"}
WGS84 = "EPSG:4326"


def _arc_coords(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates per arc (delta-decoded when the topology is quantised)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        a = np.asarray(arc, dtype="float64")[:, :2]
        if transform:
            a = np.cumsum(a, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(a)
    return arcs


def _ring(arcs: list[np.ndarray], refs: list[int]) -> np.ndarray:
    parts = []
    for k, ref in enumerate(refs):
        a = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        parts.append(a if k == 0 else a[1:])  # consecutive arcs share their end point
    return np.concatenate(parts)


def topojson_geometry(arcs: list[np.ndarray], geom: dict):
    kind = geom.get("type")
    if kind == "Polygon":
        rings = [_ring(arcs, r) for r in geom["arcs"]]
        return Polygon(rings[0], rings[1:])
    if kind == "MultiPolygon":
        polys = []
        for poly in geom["arcs"]:
            rings = [_ring(arcs, r) for r in poly]
            polys.append(Polygon(rings[0], rings[1:]))
        return MultiPolygon(polys)
    return None


def topojson_features(topology: dict, object_name: str) -> list[tuple[dict, object, object]]:
    """(properties, id, geometry) per geometry of one TopoJSON object."""
    arcs = _arc_coords(topology)
    out = []
    for g in topology["objects"][object_name].get("geometries", []):
        out.append((g.get("properties") or {}, g.get("id"), topojson_geometry(arcs, g)))
    return out


def geojson_features(collection: dict) -> list[tuple[dict, object, object]]:
    # shapely's shape() reads coordinates in GeoJSON (lon, lat) order and ignores any legacy
    # `crs` member, which is what the PDOK 2020 file needs (its URN would make GDAL swap axes).
    return [(f.get("properties") or {}, f.get("id"), shape(f["geometry"]) if f.get("geometry") else None)
            for f in collection.get("features", [])]


def _polygonal(geom):
    """make_valid can return a GeometryCollection with stray lines or points: keep the area."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def make_valid(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    fixed = [_polygonal(g) for g in shapely.make_valid(geoms.values)]
    return gpd.GeoSeries(fixed, index=geoms.index, crs=geoms.crs)


def area_km2(gdf: gpd.GeoDataFrame, country: str) -> pd.Series:
    return gdf.geometry.to_crs(METRIC_CRS[country]).area / 1e6


def display_geojson(gdf: gpd.GeoDataFrame, country: str, tolerance_m: float) -> pd.Series:
    """GeoJSON text per area: coverage-simplified in metres, WGS84, 1e-5 grid, exterior rings
    clockwise (plotly's geo subplot draws counter-clockwise rings as the inverted polygon)."""
    metric = make_valid(gdf.geometry.to_crs(METRIC_CRS[country]))
    simple = metric.simplify_coverage(tolerance_m)
    wgs = simple.to_crs(WGS84).values
    wgs = shapely.set_precision(wgs, 1e-5)
    wgs = shapely.orient_polygons(wgs, exterior_cw=True)
    return pd.Series(shapely.to_geojson(wgs), index=gdf.index)


def overlay_shares(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, country: str,
                   min_share: float = 0.05) -> pd.DataFrame:
    """Share of each old area's surface inside each new area (columns old_code, new_code, share).

    Boundary files of different years come from differently simplified sources, so slivers below
    `min_share` are artefacts and dropped; the remaining shares are rescaled to sum to 1.
    """
    crs = METRIC_CRS[country]
    o = make_valid(old.geometry.to_crs(crs))
    n = make_valid(new.geometry.to_crs(crs))
    tree = shapely.STRtree(n.values)
    oi, ni = tree.query(o.values, predicate="intersects")
    inter = shapely.area(shapely.intersection(o.values[oi], n.values[ni]))
    df = pd.DataFrame({"old_code": old["code"].to_numpy()[oi], "new_code": new["code"].to_numpy()[ni],
                       "share": inter / shapely.area(o.values[oi])})
    df = df[df["share"] >= min_share].copy()
    df["share"] = df["share"] / df.groupby("old_code")["share"].transform("sum")
    return df.reset_index(drop=True)
