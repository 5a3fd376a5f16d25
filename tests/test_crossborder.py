"""data/catalog/crossborder.toml: every pair names real indicators and periods, in 3 languages."""

from __future__ import annotations

import tomllib

import pytest
from test_apptest_pages import db, db_file  # noqa: F401

from healthgap import store
from healthgap.settings import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "data" / "catalog" / "crossborder.toml"
PAIRS = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
LANGS = ("nl", "en", "fr")


def registry_ids() -> set[str]:
    text = (PROJECT_ROOT / "data" / "catalog" / "indicators.toml").read_text(encoding="utf-8")
    return set(tomllib.loads(text))


@pytest.mark.parametrize("pair_id", list(PAIRS))
def test_pair_names_indicators_of_the_registry_and_of_each_country(pair_id):
    p = PAIRS[pair_id]
    ids = registry_ids()
    assert p["nl"] in ids and p["be"] in ids
    assert not p["nl"].startswith("be_") and p["be"].startswith("be_")
    assert p["kind"] in ("same_definition", "within_country_quintile")
    assert p["nl_periods"] and p["be_periods"]


@pytest.mark.parametrize("pair_id", list(PAIRS))
def test_texts_exist_in_three_languages_and_differ(pair_id):
    p = PAIRS[pair_id]
    for field in ("label", "differences"):
        values = [p.get(f"{field}_{lang}") for lang in LANGS]
        assert all(isinstance(v, str) and v.strip() for v in values), (pair_id, field)
        assert len(set(values)) == 3, (pair_id, field, "copied, not translated")
    for side in ("reference_nl", "reference_be"):
        assert p[side].strip()


@pytest.mark.shared_data
@pytest.mark.parametrize("pair_id", list(PAIRS))
def test_listed_periods_are_exactly_the_gemeente_periods_in_the_database(pair_id, db):
    p = PAIRS[pair_id]
    for side in ("nl", "be"):
        have = set(store.periods_for(db, p[side], "gemeente")["period"])
        assert set(p[f"{side}_periods"]) == have, (pair_id, side)


def test_units_of_a_same_definition_pair_match():
    text = (PROJECT_ROOT / "data" / "catalog" / "indicators.toml").read_text(encoding="utf-8")
    reg = tomllib.loads(text)
    for pair_id, p in PAIRS.items():
        if p["kind"] == "same_definition":
            assert reg[p["nl"]]["unit"] == reg[p["be"]]["unit"], pair_id
            assert reg[p["nl"]]["scale"] == reg[p["be"]]["scale"], pair_id
