"""The Methoden page shows docs/methods*.md in the run's language, English when a file is missing."""

from __future__ import annotations

import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

from healthgap.ui import texts

PAGE = "pages/methoden.py"
TITLES = {"nl": "Methoden: hoe de verschillen worden gemeten",
          "en": "Methods: how the gaps are measured",
          "fr": "comment les écarts sont mesurés"}


@pytest.mark.shared_data
@pytest.mark.parametrize(("params", "shown"), [({}, "nl"), ({"lang": "fr"}, "fr"),
                                               ({"lang": "en"}, "en")])
def test_the_measures_are_shown_in_the_chosen_language(params, shown):
    body = texts_of(run_app(PAGE, **params))
    assert TITLES[shown] in body
    for other in set(TITLES) - {shown}:
        assert TITLES[other] not in body
    assert "`wilson_interval`" in body  # the whole document, not only its title


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_every_language_has_its_own_methods_file(language):
    path = texts.doc_path("methods", language)
    assert path.name == ("methods.md" if language == "en" else f"methods.{language}.md")


def test_a_missing_translation_falls_back_to_english(tmp_path, monkeypatch):
    (tmp_path / "methods.md").write_text("# Methods", encoding="utf-8")
    monkeypatch.setattr(texts, "DOCS_DIR", tmp_path)
    assert texts.doc_path("methods", "fr") == tmp_path / "methods.md"
    (tmp_path / "methods.fr.md").write_text("# Méthodes", encoding="utf-8")
    assert texts.doc_path("methods", "fr") == tmp_path / "methods.fr.md"
    (tmp_path / "methods.md").unlink()
    assert texts.doc_path("methods", "nl") is None
