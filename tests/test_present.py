"""Presenter mode and story links in the running app (Streamlit AppTest, real database)."""

from __future__ import annotations

import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

from healthgap import story
from healthgap.ui import present

pytestmark = pytest.mark.shared_data

STORY = [
    story.View("overzicht", {"gemeente": "GM0599", "indicator": "self_rated_health_good"},
               "Rotterdam in één getal"),
    story.View("kaart", {"gemeente": "GM0363", "indicator": "overweight", "kleur": "comparison"},
               "Overgewicht in het land"),
    story.View("ongelijkheid", {"gemeente": "GM0599", "indicator": "self_rated_health_good"}),
]
PRESENT_PAGES = ["pages/overzicht.py", "pages/kaart.py", "pages/profiel.py",
                 "pages/vergelijken.py", "pages/ongelijkheid.py", "pages/trends.py"]


@pytest.mark.parametrize("page", PRESENT_PAGES)
def test_present_parameter_turns_every_chart_page_into_a_slide(page):
    at = run_app(page, present="1", gemeente="GM0599")
    assert at.session_state[present.K_PRESENT] is True
    assert at.session_state[present.K_DONE] is True, "the page drew no slide"
    text = texts_of(at)
    assert "Bron:" in text and "licentie" in text          # the slide's source + licence line
    assert at.button(key="slide_stop").label == "Stoppen met presenteren"
    assert at.query_params["present"] == "1"


def test_the_slide_carries_a_guarded_takeaway_for_the_gemeente():
    at = run_app("pages/kaart.py", present="1", gemeente="GM0599",
                 indicator="self_rated_health_good", jaar="2020")
    takeaways = [m.value for m in at.markdown if m.value.startswith("Ervaren gezondheid")]
    assert any("Rotterdam" in s and "Nederland" in s and "2020" in s for s in takeaways), takeaways


def test_pages_without_a_chart_are_shown_whole_in_presenter_mode():
    at = run_app("pages/methoden.py", present="1")
    assert at.session_state[present.K_DONE] is False
    assert at.title and at.button(key="slide_stop")


def test_a_page_without_data_shows_its_message_in_presenter_mode(db):
    # wijk-only indicator at a level without values -> the page stops with its own message
    at = run_app("pages/trends.py", present="1", gemeente="GM0599", indicator="overweight",
                 leeftijd="65+", jaar="2020")
    assert not at.exception


def test_a_story_link_opens_on_its_slide_page_and_selection():
    token = story.encode(STORY)
    at = run_app(None, present="1", story=token, dia="2")
    assert at.session_state[present.K_SLIDE] == 1
    assert at.session_state["sel_gemeente"] == "GM0363"
    assert at.session_state["sel_indicator"] == "overweight"
    assert at.session_state["kaart_mode"] == "comparison"
    assert "Overgewicht in het land" in texts_of(at)          # the caption
    assert "Dia 2 van 3" in texts_of(at)
    assert at.query_params["dia"] == "2"


def test_next_and_previous_play_the_story_in_order():
    token = story.encode(STORY)
    at = run_app(None, present="1", story=token, dia="1")
    assert at.session_state["sel_gemeente"] == "GM0599"
    assert "Dia 1 van 3" in texts_of(at)
    at.button(key="slide_next").click().run()
    assert not at.exception
    assert at.session_state[present.K_SLIDE] == 1
    assert at.session_state["sel_gemeente"] == "GM0363"
    at.button(key="slide_next").click().run()
    assert at.session_state[present.K_SLIDE] == 2
    assert at.session_state["sel_gemeente"] == "GM0599"
    assert at.session_state["sel_indicator"] == "self_rated_health_good"
    assert at.button(key="slide_next").disabled
    at.button(key="slide_prev").click().run()
    assert at.session_state["sel_gemeente"] == "GM0363"


def test_stopping_keeps_the_current_view_without_presenter_parameters():
    at = run_app(None, present="1", story=story.encode(STORY), dia="2")
    at.button(key="slide_stop").click().run()
    assert not at.exception
    assert at.session_state[present.K_PRESENT] is False
    assert "present" not in at.query_params and "dia" not in at.query_params
    assert at.session_state["sel_gemeente"] == "GM0363"
    assert "story" in at.query_params                       # the story itself is kept


@pytest.mark.parametrize("lang, label", [("en", "Slide 1 of 3"), ("fr", "Diapositive 1 sur 3")])
def test_story_plays_in_the_language_of_the_link(lang, label):
    at = run_app(None, present="1", story=story.encode(STORY), lang=lang)
    assert label in texts_of(at)
    assert at.query_params["lang"] == lang


@pytest.mark.parametrize("token", ["eNqrVkrOz", "x" * 20_000, story.encode(
    [story.View("kaart", {"gemeente": "GM0363"})])[:-6] + "AAAAAA"])
def test_a_damaged_story_link_gives_a_note_and_the_normal_page(token):
    at = run_app(None, present="1", story=token)
    assert not at.exception
    assert any("Het verhaal kon niet worden geladen" in w.value for w in at.warning)
    assert at.session_state[present.K_PRESENT] is False


def test_a_slide_number_outside_the_story_falls_back_to_the_first_with_a_note():
    at = run_app(None, present="1", story=story.encode(STORY), dia="9")
    assert at.session_state[present.K_SLIDE] == 0
    assert any("Dia 9 bestaat niet" in w.value for w in at.warning)


def test_adding_views_builds_a_story_in_the_url_and_play_starts_it():
    at = run_app("pages/kaart.py", gemeente="GM0599")
    at.text_input(key=present.K_CAPTION).input("Eerste dia").run()
    at.button(key="story_add").click().run()
    assert not at.exception
    views = at.session_state[present.K_STORY]
    assert len(views) == 1 and views[0].page == "kaart" and views[0].caption == "Eerste dia"
    assert views[0].params["gemeente"] == "GM0599"
    assert story.decode(at.query_params["story"], {"kaart"}) == views
    at.button(key="story_add").click().run()
    assert len(at.session_state[present.K_STORY]) == 2
    at.button(key="story_del_1").click().run()
    assert len(at.session_state[present.K_STORY]) == 1
    at.button(key="story_play").click().run()
    assert not at.exception
    assert at.session_state[present.K_PRESENT] is True
    assert at.session_state[present.K_SLIDE] == 0
    assert at.query_params["dia"] == "1"
    code = [c.value for c in at.code]
    assert any("present=1" in c and "story=" in c for c in code), code


def test_presenter_toggle_in_the_sidebar_switches_the_mode():
    at = run_app("pages/profiel.py", gemeente="GM0599")
    at.toggle(key=present.K_TOGGLE).set_value(True).run()
    assert at.session_state[present.K_PRESENT] is True
    assert at.session_state[present.K_DONE] is True
    assert at.query_params["present"] == "1"


def test_cached_comparisons_do_not_leak_one_language_into_another():
    """Sessions in different languages share the comparison cache: the benchmark name and the
    outcome words must still come out in each session's own language."""
    nl = texts_of(run_app(None, gemeente="GM0599"))
    en = texts_of(run_app(None, gemeente="GM0599", lang="en"))
    fr = texts_of(run_app(None, gemeente="GM0599", lang="fr"))
    assert "dan Nederland" in nl
    assert "than the Netherlands" in en and "dan Nederland" not in en
    assert "Nederland (" not in fr and "Pays-Bas" in fr


FULL_STATE = {"gemeente": "GM0599", "indicator": "overweight", "jaar": "2016", "leeftijd": "65+",
              "benchmark": "provincie", "kleur": "comparison", "klassen": "equal_interval",
              "niveau": "gemeente", "lang": "en"}


def _params(at) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def test_the_whole_state_of_a_page_round_trips_through_the_url():
    """Reload or share a link: the same gemeente, indicator, year, age, benchmark, colour mode,
    class method and language come back, and the URL stays as it was."""
    first = run_app("pages/kaart.py", **FULL_STATE)
    state = _params(first)
    assert {k: state.get(k) for k in FULL_STATE} == FULL_STATE
    again = run_app("pages/kaart.py", **state)
    assert _params(again) == state
    sel = again.session_state["_selection"]
    assert (sel.gemeente, sel.indicator_id, sel.period, sel.age_group, sel.benchmark) == \
        ("GM0599", "overweight", "2016", "65+", "provincie")
    assert again.session_state["kaart_mode"] == "comparison"
    assert again.session_state["kaart_method"] == "equal_interval"
    assert again.title[0].value == "Map"


def test_outdated_and_unknown_parameters_fall_back_with_notes_not_exceptions():
    # GM0007 Bellingwedde merged in 2018, before the oldest division in the data (2020): unknown
    # here, so the default gemeente with a note (merged codes the data knows are tested in
    # test_apptest_pages: they become their successor)
    at = run_app(None, gemeente="GM0007", indicator="no_such_thing", jaar="1999",
                 benchmark="mars", present="yes", dia="x", story="")
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "GM0007" in notes and "no_such_thing" in notes and "mars" in notes and "1999" in notes
    assert at.session_state["_selection"].gemeente == "GM0363"
    assert at.session_state[present.K_PRESENT] is False
    kaart = run_app("pages/kaart.py", kleur="rainbow")
    assert not kaart.exception
    assert any("rainbow" in i.value for i in kaart.info)
    assert kaart.session_state["kaart_mode"] == "classes"
