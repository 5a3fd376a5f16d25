"""The indicator registry (data/catalog/indicators.toml) and the source manifest (data/sources.toml)
as frozen dataclasses, with the checks that make a bad entry fail loudly before any build.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from healthgap.settings import DATA_DIR

REGISTRY_FILE = DATA_DIR / "catalog" / "indicators.toml"
SOURCES_FILE = DATA_DIR / "sources.toml"

THEMES = ("health_status", "lifestyle", "mental_health", "social", "socio_economic", "population")
POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
VALUE_TYPES = ("proportion", "rate", "mean", "count", "other")
UNITS = ("percent", "euro_x1000", "count", "years", "per_km2", "per_100", "persons", "ratio",
         "per_1000", "index", "rank")
AGE_GROUPS = ("18+", "18-64", "65+", "16-25", "all")
LANGUAGES = ("nl", "en", "fr")
_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class RegistryError(ValueError):
    """An entry of indicators.toml or sources.toml is incomplete or inconsistent."""


@dataclass(frozen=True)
class Indicator:
    id: str
    label_nl: str
    label_en: str
    label_fr: str
    definition_nl: str
    definition_en: str
    definition_fr: str
    theme: str
    unit: str
    scale: float
    decimals: int
    polarity: str
    value_type: str
    age_groups: tuple[str, ...]
    modelled: bool
    licence: str
    # source id -> column name, or a {sum, divide_by, multiply} mapping for shares from counts
    columns: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    derived: str | None = None
    source: str | None = None

    @property
    def source_id(self) -> str:
        """The source named in footers: `source` when given, else the first source column."""
        return self.source or next(iter(self.columns))

    def label(self, lang: str = "nl") -> str:
        return getattr(self, f"label_{lang}")

    def definition(self, lang: str = "nl") -> str:
        return getattr(self, f"definition_{lang}")


@dataclass(frozen=True)
class Source:
    """One entry of data/sources.toml: what the build records and what fetch downloads."""

    id: str
    country: str
    publisher: str
    title: str
    licence: str
    attribution: str
    path: str
    parser: str
    period: str | None = None
    division_year: int | None = None
    origin: Mapping[str, Any] | str | None = None  # [sources.<id>.origin]: kind, table/url/...
    sha256: str = ""
    bytes: int = 0
    notes: str = ""
    verified: str = ""

    @property
    def origin_text(self) -> str | None:
        """The origin in one line for the sources table (OData table id or URL)."""
        return _origin_text(self.origin)


_INDICATOR_REQUIRED = ("label_nl", "label_en", "label_fr", "definition_nl", "definition_en",
                       "definition_fr", "theme", "unit", "scale", "decimals", "polarity",
                       "value_type", "age_groups", "modelled", "licence")
_SOURCE_REQUIRED = ("country", "publisher", "title", "licence", "attribution", "path", "parser")


def _load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML ({exc})") from exc


def _indicator(ind_id: str, raw: dict, where: str) -> Indicator:
    missing = [k for k in _INDICATOR_REQUIRED if k not in raw]
    if missing:
        raise RegistryError(f"{where} [{ind_id}]: missing field(s) {', '.join(missing)}")
    known = set(_INDICATOR_REQUIRED) | {"columns", "derived", "source"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RegistryError(f"{where} [{ind_id}]: unknown field(s) {', '.join(unknown)}")
    return Indicator(
        id=ind_id, **{k: raw[k] for k in _INDICATOR_REQUIRED if k not in ("age_groups", "scale")},
        scale=float(raw["scale"]), age_groups=tuple(raw["age_groups"]),
        columns=MappingProxyType(dict(raw.get("columns", {}))),
        derived=raw.get("derived"), source=raw.get("source"))


def validate_indicator(ind: Indicator, known_sources: set[str] | None = None) -> None:
    """Raise RegistryError naming the indicator and the field when an entry is not usable."""
    def fail(msg: str) -> None:
        raise RegistryError(f"indicator {ind.id!r}: {msg}")

    if not _ID.match(ind.id):
        fail("id must be snake_case (lower-case letters, digits, single underscores)")
    for lang in LANGUAGES:
        for kind in ("label", "definition"):
            text = getattr(ind, f"{kind}_{lang}")
            if not isinstance(text, str) or not text.strip():
                fail(f"{kind}_{lang} is empty; give a {kind} in every language ({', '.join(LANGUAGES)})")
    for kind in ("label", "definition"):
        texts = [getattr(ind, f"{kind}_{lang}").strip().casefold() for lang in LANGUAGES]
        if len(set(texts)) < len(texts):
            fail(f"{kind}s in {', '.join(LANGUAGES)} must be translations, not identical copies")
    for name, value, allowed in (("theme", ind.theme, THEMES), ("polarity", ind.polarity, POLARITIES),
                                 ("value_type", ind.value_type, VALUE_TYPES), ("unit", ind.unit, UNITS)):
        if value not in allowed:
            fail(f"{name} {value!r} is not one of {', '.join(allowed)}")
    if not ind.age_groups or any(a not in AGE_GROUPS for a in ind.age_groups):
        fail(f"age_groups {list(ind.age_groups)} must be a non-empty list from {', '.join(AGE_GROUPS)}")
    if not isinstance(ind.decimals, int) or isinstance(ind.decimals, bool) or ind.decimals < 0:
        fail("decimals must be a whole number >= 0")
    if ind.scale <= 0:
        fail("scale must be positive (100 for percent, 1 otherwise)")
    if ind.unit == "percent" and ind.scale != 100:
        fail("a percent indicator has scale 100")
    if not isinstance(ind.modelled, bool):
        fail("modelled must be true or false")
    if not ind.licence.strip():
        fail("licence is empty")
    if not ind.columns and not (ind.derived and ind.source):
        fail("give columns = { <source id> = <column> }, or `derived` and `source` for a "
             "value the build computes")
    for src, col in ind.columns.items():
        if known_sources is not None and src not in known_sources:
            fail(f"column for unknown source {src!r} (not in data/sources.toml)")
        if isinstance(col, str):
            if not col.strip():
                fail(f"empty column name for source {src!r}")
        elif isinstance(col, Mapping):
            if set(col) != {"sum", "divide_by", "multiply"} or not col["sum"]:
                fail(f"computed column for {src!r} needs exactly sum = [...], divide_by, multiply")
            if not ind.derived:
                fail("a computed column needs `derived` saying how it is computed")
        else:
            fail(f"column for {src!r} must be a name or a {{sum, divide_by, multiply}} table")
    if known_sources is not None and ind.source and ind.source not in known_sources:
        fail(f"source {ind.source!r} is not in data/sources.toml")


def load_registry(path: Path | None = None, known_sources: set[str] | None = None) -> dict[str, Indicator]:
    """All indicators by id, each validated; the first bad entry raises RegistryError."""
    path = path or REGISTRY_FILE
    raw = _load_toml(path)
    if not raw:
        raise RegistryError(f"{path}: no indicators")
    out: dict[str, Indicator] = {}
    for ind_id, entry in raw.items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: {ind_id!r} must be a table [{ind_id}]")
        ind = _indicator(ind_id, entry, str(path))
        validate_indicator(ind, known_sources)
        out[ind_id] = ind
    return out


def _origin_text(origin: Any) -> str | None:
    if isinstance(origin, str):
        return origin
    if isinstance(origin, Mapping):
        for key in ("table", "url", "url_template", "derive"):
            if origin.get(key):
                prefix = f"{origin['catalog']}/" if key == "table" and origin.get("catalog") else ""
                return f"{prefix}{origin[key]}"
    return None


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The source manifest by id. Unknown extra keys (notes, checksums, origin details) are kept
    in the TOML for fetch and ignored here."""
    path = path or SOURCES_FILE
    raw = _load_toml(path).get("sources")
    if not raw:
        raise RegistryError(f"{path}: no [sources.<id>] tables")
    out: dict[str, Source] = {}
    for sid, entry in raw.items():
        missing = [k for k in _SOURCE_REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise RegistryError(f"{path} [sources.{sid}]: missing field(s) {', '.join(missing)}")
        dy = entry.get("division_year")
        if dy is not None and not isinstance(dy, int):
            raise RegistryError(f"{path} [sources.{sid}]: division_year must be an integer")
        extra = {k: entry[k] for k in ("sha256", "bytes", "notes", "verified") if k in entry}
        out[sid] = Source(id=sid, **{k: entry[k] for k in _SOURCE_REQUIRED},
                          period=entry.get("period"), division_year=dy,
                          origin=entry.get("origin"), **extra)
    return out
