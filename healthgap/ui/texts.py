"""All user-facing copy, loaded from `data/texts/<lang>.toml`.

Whole sentences with named placeholders (`"{gemeente} scoort …"`), never fragments glued in code,
so a translation can reorder words. Keys are dotted paths into the TOML tables.
"""

from __future__ import annotations

import contextvars
import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path

from healthgap.settings import DATA_DIR, PROJECT_ROOT

TEXTS_DIR = DATA_DIR / "texts"
DOCS_DIR = PROJECT_ROOT / "docs"
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


# French elides and contracts a small word before the next one ("de Utrecht" -> "d'Utrecht",
# "de les communes" -> "des communes", "à Le Rœulx" -> "au Rœulx"). A template cannot know which
# name will fill it, so the rule is applied where a template's text meets a filled-in value, and
# only there: a value's own text (a Dutch name, a file path) is never rewritten. No elision before
# h: the Dutch and Walloon place names that start with h take an aspirated h ("de Huy",
# "de Hainaut", "de Haarlem"), as in Walloon public writing.
_FR_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")
_FR_ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "ne": "n'", "jusque": "jusqu'",
              "lorsque": "lorsqu'", "puisque": "puisqu'"}
_FR_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}
_FR_TAIL = re.compile(r"(?:^|(?<=[\s(«\"]))(" + "|".join([*_FR_ELIDED, "à"]) + r") $", re.IGNORECASE)
_FR_ARTICLE = re.compile(r"(le|les) (?=\S)", re.IGNORECASE)


def _same_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def join_fr(before: str, value: str) -> tuple[str, str]:
    """`before` + `value` as French writes them: elision and contraction at the seam."""
    tail = _FR_TAIL.search(before)
    if not tail or not value:
        return before, value
    word = tail.group(1)
    head = before[:tail.start()]
    article = _FR_ARTICLE.match(value)
    if article and (word.lower(), article.group(1).lower()) in _FR_CONTRACTED:
        merged = _FR_CONTRACTED[(word.lower(), article.group(1).lower())]
        return head + _same_case(merged, word) + " ", value[article.end():]
    if word.lower() in _FR_ELIDED and value[0].lower() in _FR_VOWELS:
        return head + _same_case(_FR_ELIDED[word.lower()], word), value
    return before, value


# Per language: how the text before a placeholder joins the value filled in (None: as written).
_JOINS = {"fr": join_fr}


def fill(template: str, values: dict, language: str) -> str:
    """`template.format(**values)`, with the language's rules where text meets a value."""
    join = _JOINS.get(language)
    if join is None:
        return template.format(**values)
    formatter = string.Formatter()
    out = ""
    for literal, field, spec, conversion in formatter.parse(template):
        out += literal
        if field is None:
            continue
        obj, _ = formatter.get_field(field, (), values)
        text = formatter.format_field(formatter.convert_field(obj, conversion), spec or "")
        out, text = join(out, text)
        out += text
    return out


def t(key: str, language: str | None = None, **values) -> str:
    """The text for `key` (in the run's language unless given) with its placeholders filled."""
    lang = language or _current()
    template = _template(key, lang)
    needed = placeholders(template)
    missing = needed - values.keys()
    if missing:
        raise MissingText(f"Text '{key}' needs the placeholder(s) {sorted(missing)}")
    return fill(template, values, lang) if needed else template


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


def doc_path(name: str, language: str | None = None) -> Path | None:
    """docs/<name>.<lang>.md for the run's language, else the English original docs/<name>.md.

    English stays the unsuffixed original (the file the methods test checks against the code);
    a language without a translation file shows it rather than nothing. None when neither exists.
    """
    lang = language or _current()
    for candidate in (Path(DOCS_DIR) / f"{name}.{lang}.md", Path(DOCS_DIR) / f"{name}.md"):
        if candidate.is_file():
            return candidate
    return None
