"""The Ongelijkheid page (socio-economic gradient) renders and reacts (AppTest, real database)."""

from __future__ import annotations

import json

import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

from healthgap import store

pytestmark = pytest.mark.shared_data

PAGE = "pages/ongelijkheid.py"


def figures(at) -> list[dict]:
    out = []
    for el in at.get("plotly_chart"):
        spec = getattr(el.proto, "spec", None) or getattr(el.proto, "figure", None)
        spec = spec if isinstance(spec, str) else getattr(spec, "spec", "")
        if spec:
            out.append(json.loads(spec))
    return out


def measures(at):
    table = next(d.value for d in at.table if "Maat" in d.value.columns)
    return table.set_index("Maat")


def test_default_view_shows_every_part_with_intervals_and_methods():
    at = run_app(PAGE, gemeente="GM0599")
    assert not at.error and not at.warning, [e.value for e in at.error] + [
        w.value for w in at.warning]
    text = texts_of(at)
    assert at.title[0].value.startswith("Ongelijkheid: ")
    assert "Tussen de minst en de meest welgestelde gemeenten" in text
    table = measures(at)
    assert len(table) == 6 and table["95%-interval"].str.contains(" tot ").all()
    assert table["Methode"].str.len().gt(20).all()
    assert "bootstrap over de gebieden" in text and "1.000" in text
    assert "Gezien het inkomen verwacht je in Rotterdam" in text
    assert "Van 2012 tot 2020 veranderde de SII" in text
    assert "modelschattingen" in text
    scatter = figures(at)[0]
    names = [tr.get("name") for tr in scatter["data"]]
    assert "Rotterdam" in names and "gewogen regressielijn" in names
    assert "Rotterdam" in scatter["data"][names.index("Rotterdam")]["text"]


def test_wijk_level_uses_difficulty_making_ends_meet_and_equal_weights():
    at = run_app(PAGE, gemeente="GM0599", niveau="wijk")
    assert not at.error
    text = texts_of(at)
    assert at.session_state["ong_level"] == "wijk"
    assert "Het inkomen is niet per wijk beschikbaar" in text
    assert "wijken van Rotterdam" in text
    assert "Alle wijken wegen even zwaar" in text
    assert "tussen alle gemeenten, niet tussen de wijken" in text
    assert "Moeite met rondkomen" in at.subheader[0].value


def test_another_ses_measure_gives_other_numbers():
    income = run_app(PAGE, gemeente="GM0599")
    difficulty = run_app(PAGE, gemeente="GM0599", ses="difficulty_making_ends_meet")
    assert "Gezien het aandeel met moeite met rondkomen" in texts_of(difficulty)
    assert not measures(income)["Schatting"].equals(measures(difficulty)["Schatting"])
    assert "hetzelfde meetjaar" in texts_of(difficulty)


def test_choosing_another_gemeente_changes_the_expected_box_and_highlight():
    first = run_app(PAGE, gemeente="GM0599")
    second = run_app(PAGE, gemeente="GM0363")
    box = [m.value for m in first.markdown if m.value.startswith("Gezien")]
    other = [m.value for m in second.markdown if m.value.startswith("Gezien")]
    assert box and other and box != other
    assert "Amsterdam" in other[0]
    assert "Amsterdam" in [tr.get("name") for tr in figures(second)[0]["data"]]
    # the gradient over all gemeenten itself does not depend on the chosen gemeente
    assert measures(first)["Schatting"].equals(measures(second)["Schatting"])


def test_url_parameters_restore_the_page_choices():
    at = run_app(PAGE, gemeente="GM0599", niveau="wijk", ses="difficulty_making_ends_meet")
    assert at.session_state["ong_level"] == "wijk"
    assert at.session_state["ong_ses"] == "difficulty_making_ends_meet"
    assert at.query_params["niveau"] in ("wijk", ["wijk"])
    assert at.query_params["ses"] in ("difficulty_making_ends_meet",
                                      ["difficulty_making_ends_meet"])


def test_an_indicator_without_gemeente_data_says_so_and_offers_others():
    at = run_app(PAGE, indicator="life_expectancy_birth")
    assert any("niet per gemeente of wijk gepubliceerd" in w.value for w in at.warning)
    assert "Indicatoren met cijfers per gemeente zijn onder meer" in texts_of(at)
    assert not figures(at)


def test_a_gemeente_with_too_few_wijken_gets_a_sentence_and_the_alternative(db):  # noqa: F811
    vals = store.values_for(db, "self_rated_health_good", "2020", "18+", "wijk")
    counts = vals[vals["value"].notna()].groupby("parent_code").size()
    small = counts[counts < 6].index[0]
    at = run_app(PAGE, gemeente=small, niveau="wijk")
    assert not at.exception
    assert any("een gradiënt in SES-groepen heeft er minstens 6 nodig" in w.value
               for w in at.warning)
    assert "Alle gemeenten" in texts_of(at)
    assert not figures(at)


def test_an_age_group_without_wijk_values_points_to_one_that_has_them():
    at = run_app(PAGE, gemeente="GM0599", niveau="wijk", leeftijd="65+")
    assert any("Er zijn geen cijfers voor" in w.value for w in at.warning)
    assert "18 jaar en ouder" in texts_of(at)


def test_a_youth_indicator_with_one_survey_year_says_there_is_no_change():
    at = run_app(PAGE, gemeente="GM0599", indicator="ya_obesity")
    assert not at.error
    assert any("maar één meetjaar" in i.value for i in at.info)


def test_a_gemeente_merged_since_is_told_why_it_has_no_expected_value():
    at = run_app(PAGE, gemeente="GM0457")  # Weesp, part of Amsterdam since 2022
    assert not at.error
    assert any("sindsdien heringedeeld" in i.value for i in at.info)
    assert "Weesp" not in [tr.get("name") for tr in figures(at)[0]["data"]]


def test_an_age_group_with_one_survey_year_points_to_one_with_more():
    at = run_app(PAGE, gemeente="GM0599", indicator="chronic_condition", leeftijd="18-64",
                 jaar="2016")
    assert any("maar één meetjaar" in i.value for i in at.info)
    assert "18 jaar en ouder" in texts_of(at)
