"""Display geometry served as static files, so the browser loads it once by URL.

Inline GeoJSON would travel over the websocket on every rerun (about 1 MB for 355 gemeenten);
a file under `static/generated/` named by level, division year and database version is written
once per build and referenced as `app/static/generated/<file>` (see shared/ECOSYSTEM.md).
"""

from __future__ import annotations

import json
import os
import tempfile

import streamlit as st

from healthgap import store
from healthgap.settings import PROJECT_ROOT
from healthgap.ui import land
from healthgap.ui.data import db

GENERATED = PROJECT_ROOT / "static" / "generated"
URL_PREFIX = "app/static/generated/"


def file_name(level: str, division_year: int, version: str, parent: str | None = None,
              country: str = "NL") -> str:
    part = (f"_{parent}" if parent else "") + ("" if country == "NL" else f"_{country.lower()}")
    return f"{level}_{division_year}{part}_{version}.geojson"


@st.cache_resource(show_spinner=False, max_entries=64)
def _write(level: str, division_year: int, parent: str | None, version: str,
           country: str = "NL") -> str | None:
    name = file_name(level, division_year, version, parent, country)
    target = GENERATED / name
    if not target.is_file():
        fc = store.feature_collection(db(), level, division_year, parent, country)
        if not fc["features"]:
            return None
        GENERATED.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=GENERATED, suffix=".tmp")
        for feature in fc["features"]:
            feature["geometry"]["coordinates"] = _rounded(feature["geometry"]["coordinates"])
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(fc, fh, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: a browser never reads a half-written file
    return URL_PREFIX + name


DISPLAY_DECIMALS = 4  # ~10 m: invisible at map scale, a third fewer bytes than the stored 1e-5


def _rounded(coords):
    """Round positions for display and drop points that collapse onto their predecessor."""
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, DISPLAY_DECIMALS) for c in coords]
    out = [_rounded(c) for c in coords]
    if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], float):
        ring = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
        return ring if len(ring) >= 4 else out
    return out


def geojson_url(level: str, division_year: int, parent: str | None = None,
                country: str | None = None) -> str | None:
    """URL of the FeatureCollection (feature id = area code); None when no geometry exists."""
    return _write(level, int(division_year), parent, db().base_key, country or land.country())


def geojson_path(url: str):
    return GENERATED / url.removeprefix(URL_PREFIX)
