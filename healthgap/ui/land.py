"""The country (or Belgian region) the dashboard shows, and area names in the user's language.

The frame's first choice is the `land`: Nederland (default), België, one Belgian region
(Vlaanderen, Brussel, Wallonië) or both countries ("nlbe"). It decides the indicator catalogue
(the source's country), the gemeente list (regions filter Belgium's municipalities by
`region_code` and narrow the map) and the benchmarks on offer. With both countries the gemeente
list holds both, and the country of the chosen gemeente decides the catalogue and benchmarks:
indicators are defined per country, so a page shows the two side by side only where they compare
(data/catalog/crossborder.toml) and peers are sought across the border. Belgian areas carry names per language (`name_nl`, `name_fr`); `localize` puts the one of
the run's language in `name` (English: the official name; Brussels' bilingual municipalities
both, "Brussel / Bruxelles").
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from healthgap.ui import texts

LANDS = ("nl", "be", "vl", "bru", "wal", "nlbe")
BOTH = "nlbe"
COUNTRY_OF = {"nl": "NL", "be": "BE", "vl": "BE", "bru": "BE", "wal": "BE"}
REGION_OF = {"vl": "02000", "wal": "03000", "bru": "04000"}
LAND_OF_REGION = {code: land for land, code in REGION_OF.items()}
BE_COUNTRY = "01000"
BRUSSELS = "04000"
# the first view per land: a familiar municipality (any valid code works)
DEFAULT_GEMEENTE = {"nl": "GM0363", "be": "21004", "bru": "21004", "vl": "11002",
                    "wal": "62063", "nlbe": "GM0935"}  # both countries: Maastricht, on the border
DEFAULT_INDICATORS = {"NL": ("self_rated_health_good",),
                      "BE": ("be_population_65_plus_pct", "be_income_per_return")}
K_LAND = "sel_land"
_QUALIFIER = re.compile(r"\s+\([^()]*\)$")
K_GEMEENTE = "sel_gemeente"   # frame.K_GEMEENTE (both countries: its code decides the country)


def current() -> str:
    """The land chosen in this session ('nl' outside a Streamlit session)."""
    try:
        land = st.session_state.get(K_LAND)
    except Exception:  # no script run context
        land = None
    return land if land in LANDS else "nl"


def country(land: str | None = None, code: str | None = None) -> str:
    """NL or BE: the land's country; with both countries the country of `code` (default: the
    session's gemeente)."""
    land = land or current()
    if land != BOTH:
        return COUNTRY_OF[land]
    if code is None:
        try:
            code = st.session_state.get(K_GEMEENTE)
        except Exception:  # no script run context
            code = None
    return "BE" if is_belgian_code(code) else "NL"


def default_gemeente(country_code: str, land: str | None = None) -> str:
    """The first view's gemeente; with both countries one on each side of the border
    (Maastricht, Liège) so a switch of country lands near it."""
    land = land or current()
    if land == BOTH:
        return {"NL": "GM0935", "BE": "62063"}[country_code]
    return DEFAULT_GEMEENTE[land]


def is_both(land: str | None = None) -> bool:
    return (land or current()) == BOTH


def region(land: str | None = None) -> str | None:
    return REGION_OF.get(land or current())


def is_belgian_code(code: str | None) -> bool:
    """NIS codes are digits (municipalities 5, Brussels sectors 9 characters); Dutch codes
    start with letters (GM, WK, PV, NL)."""
    return isinstance(code, str) and len(code) >= 5 and code[:5].isdigit()


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def local_name(name, name_nl=None, name_fr=None, region_code=None,
               language: str | None = None) -> str:
    """One area's name in the run's language (Dutch areas: their only name)."""
    lang = language or texts.language()
    nl, fr, official = _text(name_nl), _text(name_fr), _text(name) or ""
    if lang == "nl":
        return nl or official
    if lang == "fr":
        return fr or official
    if region_code == BRUSSELS and nl and fr and nl != fr:
        return f"{nl} / {fr}"
    return official


def option_label(name, name_nl=None, name_fr=None, region_code=None) -> str:
    """Selectbox label: the local name plus the other language's, 'Luik (Liège)', so typing
    either finds the municipality."""
    shown = local_name(name, name_nl, name_fr, region_code)
    # a name that only adds Statbel's arrondissement qualifier ("Saint-Nicolas (Liège)" next to
    # "Saint-Nicolas") says nothing new and would nest brackets
    short = [_QUALIFIER.sub("", n) for n in (_text(name), _text(name_nl), _text(name_fr)) if n]
    others = [n for n in dict.fromkeys(short) if n not in shown]
    return f"{shown} ({' / '.join(others)})" if others else shown


def localize(df: pd.DataFrame) -> pd.DataFrame:
    """`name` in the run's language where the rows carry name_nl/name_fr (a copy; Dutch rows and
    frames without those columns are returned as they are)."""
    if not isinstance(df, pd.DataFrame) or df.empty or "name_fr" not in df.columns \
            or "name_nl" not in df.columns or not df["name_fr"].notna().any():
        return df
    out = df.copy()
    regions = out["region_code"] if "region_code" in out.columns else pd.Series(None, out.index)
    out["name"] = [local_name(n, a, b, r) for n, a, b, r in
                   zip(out["name"], out["name_nl"], out["name_fr"], regions, strict=True)]
    return out
