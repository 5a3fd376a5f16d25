"""All user-facing copy, loaded from `data/texts/<lang>.toml`.

Whole sentences with named placeholders (`"{gemeente} scoort …"`), never fragments glued in code,
so a translation can reorder words. Keys are dotted paths into the TOML tables.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path

from healthgap.settings import DATA_DIR

TEXTS_DIR = DATA_DIR / "texts"
DEFAULT_LANGUAGE = "nl"


class MissingText(KeyError):
    """A text key or a placeholder the template needs is missing."""


@lru_cache(maxsize=4)
def load(language: str = DEFAULT_LANGUAGE) -> dict:
    path = Path(TEXTS_DIR) / f"{language}.toml"
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def flatten(table: dict, prefix: str = "") -> dict[str, str]:
    """{'a': {'b': 'x'}} -> {'a.b': 'x'}."""
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, full + "."))
        else:
            out[full] = value
    return out


@lru_cache(maxsize=4)
def _flat(language: str) -> dict[str, str]:
    return flatten(load(language))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The text for `key` with its named placeholders filled in."""
    try:
        template = _flat(language)[key]
    except KeyError:
        raise MissingText(f"Text key '{key}' is missing from data/texts/{language}.toml") from None
    needed = placeholders(template)
    missing = needed - values.keys()
    if missing:
        raise MissingText(f"Text '{key}' needs the placeholder(s) {sorted(missing)}")
    return template.format(**values) if needed else template


def t_optional(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str | None:
    """Like t(), but None when the key does not exist (for per-code labels with a fallback)."""
    if key not in _flat(language):
        return None
    return t(key, language, **values)


def has(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return key in _flat(language)


def raw(key: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The text exactly as stored, for templates another engine fills in (plotly hovers)."""
    try:
        return _flat(language)[key]
    except KeyError:
        raise MissingText(f"Text key '{key}' is missing from data/texts/{language}.toml") from None
