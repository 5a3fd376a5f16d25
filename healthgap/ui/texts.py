"""All user-facing copy, loaded from `data/texts/<lang>.toml`.

Whole sentences with named placeholders (`"{gemeente} scoort …"`), never fragments glued in code,
so a translation can reorder words. Keys are dotted paths into the TOML tables.
"""

from __future__ import annotations

import contextvars
import string
import tomllib
from functools import lru_cache
from pathlib import Path

from healthgap.settings import DATA_DIR

TEXTS_DIR = DATA_DIR / "texts"
DEFAULT_LANGUAGE = "nl"
LANGUAGES = ("nl", "en", "fr")

# The language of the current script run: the frame sets it at the start of every run (each
# Streamlit run is its own thread, so one session's choice never leaks into another's).
_CURRENT = contextvars.ContextVar("healthgap_language", default=None)
# Outside a script run's thread (AppTest calls widget format functions from the test's thread)
# the language last chosen in this process is used; script runs always set their own.
_LAST = [DEFAULT_LANGUAGE]


def set_language(language: str) -> str:
    """Use `language` for t() in this run; an unknown or untranslated one becomes Dutch."""
    chosen = language if language in available_languages() else DEFAULT_LANGUAGE
    _CURRENT.set(chosen)
    _LAST[0] = chosen
    return chosen


def language() -> str:
    return _CURRENT.get() or _LAST[0]


_current = language


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """The languages with a texts file (Dutch first)."""
    return tuple(lang for lang in LANGUAGES if (Path(TEXTS_DIR) / f"{lang}.toml").is_file())


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


def _template(key: str, lang: str) -> str:
    """The template in `lang`, else the Dutch one (tests keep the languages complete)."""
    flat = _flat(lang)
    if key in flat:
        return flat[key]
    try:
        return _flat(DEFAULT_LANGUAGE)[key]
    except KeyError:
        raise MissingText(f"Text key '{key}' is missing from data/texts/{lang}.toml") from None


def t(key: str, language: str | None = None, **values) -> str:
    """The text for `key` (in the run's language unless given) with its placeholders filled."""
    template = _template(key, language or _current())
    needed = placeholders(template)
    missing = needed - values.keys()
    if missing:
        raise MissingText(f"Text '{key}' needs the placeholder(s) {sorted(missing)}")
    return template.format(**values) if needed else template


def t_optional(key: str, language: str | None = None, **values) -> str | None:
    """Like t(), but None when the key does not exist (for per-code labels with a fallback)."""
    if key not in _flat(DEFAULT_LANGUAGE) and key not in _flat(language or _current()):
        return None
    return t(key, language, **values)


def has(key: str, language: str | None = None) -> bool:
    return key in _flat(language or _current()) or key in _flat(DEFAULT_LANGUAGE)


def raw(key: str, language: str | None = None) -> str:
    """The text exactly as stored, for templates another engine fills in (plotly hovers)."""
    return _template(key, language or _current())
