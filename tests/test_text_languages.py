"""The English and French texts have exactly the Dutch keys, placeholders and markup, and are translated."""

from __future__ import annotations

import re
import tomllib

import pytest

from healthgap.ui.texts import TEXTS_DIR, flatten, placeholders

TRANSLATIONS = ("en", "fr")
MARKUP = re.compile(r"<br>|</?b>|<extra></extra>|\*\*|\{\{|\}\}|`")
MAX_COPIED_SHARE = 0.05


def flat(language: str) -> dict[str, str]:
    with open(TEXTS_DIR / f"{language}.toml", "rb") as fh:
        return flatten(tomllib.load(fh))


@pytest.mark.parametrize("language", ("nl", *TRANSLATIONS))
def test_file_parses_and_values_are_non_empty_strings(language):
    texts = flat(language)
    assert texts
    bad = [key for key, value in texts.items() if not isinstance(value, str) or not value.strip()]
    assert not bad, f"{language}.toml has empty or non-text values: {bad}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_same_keys_as_dutch(language):
    dutch, other = flat("nl"), flat(language)
    missing = sorted(dutch.keys() - other.keys())
    extra = sorted(other.keys() - dutch.keys())
    assert not missing and not extra, f"{language}.toml: missing {missing}, extra {extra}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_same_placeholders_as_dutch(language):
    dutch, other = flat("nl"), flat(language)
    wrong = {key: (sorted(placeholders(dutch[key])), sorted(placeholders(other[key])))
             for key in dutch.keys() & other.keys()
             if placeholders(dutch[key]) != placeholders(other[key])}
    assert not wrong, f"{language}.toml placeholders differ (nl, {language}): {wrong}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_same_markup_as_dutch(language):
    dutch, other = flat("nl"), flat(language)
    wrong = [key for key in dutch.keys() & other.keys()
             if sorted(MARKUP.findall(dutch[key])) != sorted(MARKUP.findall(other[key]))]
    assert not wrong, f"{language}.toml markup (<br>, <b>, **, doubled braces, backticks) differs: {wrong}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_values_are_translated_not_copied(language):
    dutch, other = flat("nl"), flat(language)
    long_keys = [key for key in dutch.keys() & other.keys() if len(dutch[key]) > 20]
    copied = sorted(key for key in long_keys if other[key] == dutch[key])
    assert len(copied) <= MAX_COPIED_SHARE * len(long_keys), \
        f"{language}.toml: {len(copied)} of {len(long_keys)} long values are identical to Dutch: {copied}"
