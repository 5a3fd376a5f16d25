"""Every page in English and French: texts, indicator names and number formats follow `lang`."""

from __future__ import annotations

import contextvars

import pytest
from test_apptest_pages import PAGES, _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

from healthgap.ui import fmt, texts

pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_english_and_french(page, lang):
    at = run_app(page, lang=lang, gemeente="GM0599")
    assert not at.error, [e.value for e in at.error]
    assert texts_of(at).strip()


def test_the_start_page_speaks_the_chosen_language_with_its_number_format():
    nl = run_app(gemeente="GM0599")
    en = run_app(gemeente="GM0599", lang="en")
    fr = run_app(gemeente="GM0599", lang="fr")
    assert nl.title[0].value != en.title[0].value != fr.title[0].value
    # the same value, three formats: 74,1% / 74.1% (decimal point in English)
    assert "74,1" in texts_of(nl) and "74.1" in texts_of(en) and "74,1" in texts_of(fr)
    assert en.title[0].value == "Overview for Rotterdam"
    assert "Rotterdam" in fr.title[0].value and fr.title[0].value != en.title[0].value
    assert en.query_params["lang"] in ("en", ["en"])
    assert "lang" not in nl.query_params


def test_an_unknown_language_falls_back_to_dutch():
    at = run_app(lang="xx")
    assert not at.exception
    assert at.title[0].value == run_app().title[0].value


def test_numbers_follow_the_language():
    # In a copy of the context: set_language() in the test's own thread would otherwise pin the
    # language that AppTest uses there (widget format functions) for every later test.
    contextvars.copy_context().run(_numbers_follow_the_language)


def _numbers_follow_the_language():
    try:
        texts.set_language("en")
        assert fmt.number(12345.678) == "12,345.7"
        texts.set_language("fr")
        assert fmt.number(12345.678) == "12\u202f345,7"
    finally:
        texts.set_language("nl")
    assert fmt.number(12345.678) == "12.345,7"
