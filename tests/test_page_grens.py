"""Over de grens: one map of NL and BE gemeenten for the pairs that compare (AppTest, real DB)."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
from test_apptest_pages import _fresh_app, db, db_file, figure, run_app, texts_of  # noqa: F401

from healthgap.ui import border_view

pytestmark = pytest.mark.shared_data

PAGE = "pages/grens.py"


def locations(at) -> list[str]:
    return list(figure(at)["data"][0]["locations"])


def test_default_pair_shows_dutch_and_belgian_gemeenten_on_one_map():
    at = run_app(PAGE)
    assert not at.error, [e.value for e in at.error]
    codes = locations(at)
    assert any(c.startswith("GM") for c in codes)
    assert any(re.fullmatch(r"\d{5}", c) for c in codes)
    assert "11002" in codes and "GM0363" in codes  # Antwerpen, Amsterdam
    text = texts_of(at)
    assert "wachtregister" in text  # the definitions note
    assert "België heeft geen cijfers voor 2025; getoond: 2021" in text
    assert "Gezondheidsindicatoren staan niet op deze pagina" in text
    assert figure(at)["data"][0]["geojson"].startswith("app/static/generated/border_nl2025_be2025")


@pytest.mark.parametrize("pair", border_view.pair_ids())
def test_every_pair_renders_with_both_countries(pair):
    at = run_app(PAGE, paar=pair)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="grens_pair").value == pair
    codes = locations(at)
    assert sum(c.startswith("GM") for c in codes) >= 340
    assert sum(bool(re.fullmatch(r"\d{5}", c)) for c in codes) >= 565
    assert border_view.differences(pair)[:40] in texts_of(at)
    table = at.dataframe[0].value
    assert list(table["Land"]) == ["Nederland", "België"]


def test_income_pair_shows_quintiles_and_never_the_amounts():
    at = run_app(PAGE, paar="inkomenspositie")
    spec = figure(at)
    ticks = spec["data"][0]["colorbar"]["ticktext"]
    assert ticks[0].startswith("1: laagste 20%") and ticks[4].startswith("5: hoogste 20%")
    hovers = [row[1] for row in spec["data"][0]["customdata"]]
    assert all(h.startswith("Kwintiel") or h == "geen gegevens" for h in hovers)
    assert not any("€" in h for h in hovers)
    table = at.dataframe[0].value
    assert set(table["Landelijke waarde"]) == {"niet getoond: ander begrip per land"}
    # a median cannot be merged: Belgian gemeenten on the 2019 division (581)
    assert "België 2019" in texts_of(at)
    assert sum(bool(re.fullmatch(r"\d{5}", c)) for c in locations(at)) == 581


def test_shared_classes_span_both_countries():
    at = run_app(PAGE, paar="aandeel_65_plus")
    spec = figure(at)
    z = spec["data"][0]["z"]
    if isinstance(z, dict):  # plotly's binary array encoding
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).tolist()
    codes = spec["data"][0]["locations"]
    nl = {zv for zv, c in zip(z, codes, strict=True) if c.startswith("GM")}
    be = {zv for zv, c in zip(z, codes, strict=True) if not c.startswith("GM")}
    assert len(nl & be) >= 3  # the same classes are used on both sides of the border


def test_url_parameters_round_trip():
    at = run_app(PAGE, paar="dichtheid", periode="2015")
    assert at.selectbox(key="grens_pair").value == "dichtheid"
    assert at.selectbox(key="grens_year").value == "2015"
    assert at.query_params["paar"] in ("dichtheid", ["dichtheid"])
    assert at.query_params["periode"] in ("2015", ["2015"])
    text = texts_of(at)
    assert "Nederland heeft geen cijfers voor 2015; getoond: 2025" in text
    assert "België heeft geen cijfers" not in text


def test_an_invalid_pair_gives_a_note_and_the_default():
    at = run_app(PAGE, paar="levensverwachting")
    assert "levensverwachting" in texts_of(at)
    assert at.selectbox(key="grens_pair").value == border_view.pair_ids()[0]
    assert locations(at)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("waiting register", "Across the border", "Health indicators are not on this page")),
    ("fr", ("registre d'attente", "Par-delà la frontière", "Les indicateurs de santé")),
])
def test_the_notes_are_translated(lang, words):
    at = run_app(PAGE, lang=lang)
    text = texts_of(at)
    for w in words:
        assert w in text, w


@pytest.mark.parametrize("pair", ["aandeel_65_plus", "inkomenspositie"])
def test_presenter_mode_draws_the_map_as_a_slide(pair):
    from healthgap.ui import present

    at = run_app(PAGE, present="1", paar=pair)
    assert at.session_state[present.K_DONE] is True, "the page drew no slide"
    text = texts_of(at)
    assert "Bron:" in text
    wanted = "niet vergelijkbaar" if pair == "inkomenspositie" else "Eén legenda"
    assert wanted in text
