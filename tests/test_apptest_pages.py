"""The dashboard pages render and react to the selection (Streamlit AppTest, real database).

Uses the session fixture `built_db` (tests/conftest.py builds the real DB from the shared data);
HEALTHGAP_TEST_DB points at an existing database instead, for quick local runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from healthgap import store
from healthgap.settings import PROJECT_ROOT
from healthgap.ui import texts
from healthgap.ui.frame import page_files

pytestmark = pytest.mark.shared_data

APP = str(PROJECT_ROOT / "app.py")
PAGES = [str(p.relative_to(PROJECT_ROOT)) for p, _, _ in page_files()]


@pytest.fixture(scope="session")
def db_file(request) -> Path:
    override = os.environ.get("HEALTHGAP_TEST_DB")
    if override:
        return Path(override)
    return Path(request.getfixturevalue("built_db"))


@pytest.fixture(scope="session")
def db(db_file):
    s = store.connect(db_file)
    yield s
    s.con.close()


@pytest.fixture(autouse=True)
def _fresh_app(db_file, monkeypatch):
    """A fresh cache per test, and Streamlit's legacy pages/ mode off as `healthgap serve` does:
    AppTest resets that flag before every run, so without this a page switch would run the
    page script without app.py (no frame, no language, no footer)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setenv("HEALTHGAP_DB", str(db_file))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    # A run in English or French leaves its language as the process's last choice (used outside
    # script threads); later tests that call t() directly expect the default, Dutch.
    texts._LAST[0] = texts.DEFAULT_LANGUAGE


def run_app(page: str | None = None, session: dict | None = None, **params) -> AppTest:
    """A fresh app: URL parameters and session values are set before the first run.

    AppTest 1.67 resets PagesManager.uses_pages_directory before each run, so with a folder named
    pages/ beside app.py every later run takes Streamlit's legacy multipage path and executes the
    page script without app.py (no sidebar). Every interaction therefore starts a fresh AppTest
    with the state the interaction would leave behind (healthgap serve switches legacy mode off).
    The real widget clicks are covered by tests/test_browser.py.
    """
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.error]
    parts += [m.label + " " + m.value for m in at.metric]
    parts += [h.value for h in at.title] + [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def figure(at: AppTest) -> dict:
    """The page's one plotly chart as figure JSON (AppTest cannot draw it)."""
    charts = at.main.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def box(at: AppTest, key: str):
    """A sidebar selectbox by its session key."""
    return next(b for b in at.sidebar.selectbox if b.key == key)


def sidebar_box(at: AppTest, label: str):
    return next(b for b in at.sidebar.selectbox if b.label == label)


def a_gemeente_with_data(db, exclude: str) -> str:
    cat = store.indicator_catalog(db)
    ind = cat[cat["levels"].map(lambda lv: lv is not None and "gemeente" in list(lv))].iloc[0]
    p = store.periods_for(db, ind["indicator_id"], "gemeente").iloc[0]
    vals = store.values_for(db, ind["indicator_id"], p["period"], p["age_group"], "gemeente")
    vals = vals[vals["value"].notna() & (vals["area_code"] != exclude)]
    return vals.sort_values("value").iloc[0]["area_code"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_the_default_selection(page):
    at = run_app(page)
    assert not at.error, [e.value for e in at.error]
    assert texts_of(at).strip()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_another_gemeente_age_and_benchmark(page, db):
    other = a_gemeente_with_data(db, "GM0363")
    at = run_app(page, gemeente=other, leeftijd="65+", benchmark="provincie")
    assert not at.error, [e.value for e in at.error]
    assert at.query_params["gemeente"] == [other] or at.query_params["gemeente"] == other


def test_choosing_a_gemeente_changes_the_numbers_and_title(db):
    first = run_app(session={"sel_gemeente": "GM0363"})
    other = a_gemeente_with_data(db, "GM0363")
    second = run_app(session={"sel_gemeente": other})
    name = store.area(db, other)["name"]
    assert name in second.title[0].value and name not in first.title[0].value
    assert [m.value for m in first.metric] != [m.value for m in second.metric]
    assert sidebar_box(second, "Gemeente").value == other
    assert second.query_params["gemeente"] in (other, [other])


def test_url_parameters_restore_the_selection(db):
    cat = store.indicator_catalog(db)
    row = cat[cat["levels"].map(lambda lv: lv is not None and "gemeente" in list(lv))].iloc[-1]
    periods = store.periods_for(db, row["indicator_id"], "gemeente")
    p = periods.iloc[-1]
    gm = a_gemeente_with_data(db, "GM0363")
    at = run_app(gemeente=gm, indicator=row["indicator_id"], jaar=p["period"],
                 leeftijd=p["age_group"], benchmark="ggd")
    assert sidebar_box(at, "Indicator").value == row["indicator_id"]
    assert sidebar_box(at, "Jaar").value == p["period"]
    assert sidebar_box(at, "Leeftijdsgroep").value == p["age_group"]
    assert sidebar_box(at, "Vergelijken met").value == "ggd"
    assert sidebar_box(at, "Gemeente").value == gm


def test_unknown_indicator_in_the_url_falls_back_with_a_note():
    at = run_app(indicator="bestaat_niet", gemeente="GM0363")
    assert "bestaat_niet" in texts_of(at)
    assert at.query_params["indicator"] != "bestaat_niet"


def test_merged_gemeente_code_in_the_url_becomes_its_successor_with_a_note(db):
    cw = store.crosswalk(db)
    merges = cw[cw["kind"] == "merge"]
    if merges.empty:
        pytest.skip("the database holds no municipal mergers")
    cat = store.indicator_catalog(db)
    for m in merges.itertuples():
        for r in cat.itertuples():
            if r.levels is None or "gemeente" not in list(r.levels):
                continue
            periods = store.periods_for(db, r.indicator_id, "gemeente")
            newer = periods[periods["division_year"] >= m.new_year]
            if newer.empty:
                continue
            p = newer.iloc[0]
            at = run_app(gemeente=m.old_code, indicator=r.indicator_id, jaar=p["period"],
                         leeftijd=p["age_group"])
            successor = sidebar_box(at, "Gemeente").value
            assert successor != m.old_code
            assert successor in text_codes(at) or successor in texts_of(at)
            assert "opvolger" in texts_of(at)
            return
    pytest.skip("no indicator on a division after a merger")


def text_codes(at: AppTest) -> str:
    return " ".join(str(v) for v in at.query_params.values())


def test_a_gemeente_without_data_for_the_indicator_gets_a_clear_message(db):
    cat = store.indicator_catalog(db)
    for r in cat.itertuples():
        if r.levels is None or "gemeente" not in list(r.levels):
            continue
        for p in store.periods_for(db, r.indicator_id, "gemeente").itertuples():
            vals = store.values_for(db, r.indicator_id, p.period, p.age_group, "gemeente",
                                    int(p.division_year))
            gms = store.areas(db, "gemeente", int(p.division_year))
            have = set(vals.loc[vals["value"].notna(), "area_code"])
            lacking = sorted(set(gms["area_code"]) - have)
            if not lacking:
                continue
            at = run_app(gemeente=lacking[0], indicator=r.indicator_id, jaar=p.period,
                         leeftijd=p.age_group)
            assert sidebar_box(at, "Gemeente").value == lacking[0]
            messages = " ".join(e.value for e in list(at.info) + list(at.warning))
            assert "geen cijfer" in messages
            return
    pytest.skip("every gemeente has a value for every indicator")


def test_map_figure_loads_geometry_by_url_and_offline_topology():
    at = run_app("pages/kaart.py")
    charts = at.main.get("plotly_chart")
    assert charts, "no plotly chart on the Kaart page"
    spec = json.loads(charts[0].proto.spec)
    geojsons = {trace.get("geojson") for trace in spec["data"]}
    assert all(isinstance(g, str) and g.startswith("app/static/generated/") for g in geojsons)
    assert json.loads(charts[0].proto.config)["topojsonURL"] == "app/static/topo/"
    # the colour bar states every class in words (limits with the unit)
    ticktext = spec["data"][0]["colorbar"]["ticktext"]
    assert len(ticktext) >= 2 and all(" tot " in label or "gegevens" in label for label in ticktext)


def test_database_missing_gives_a_page_message_not_an_exception(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHGAP_DB", str(tmp_path / "geen.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("healthgap" in e.value for e in at.error) or "healthgap" in texts_of(at)


def test_data_page_table_has_rows_and_download_files(db):
    at = run_app("pages/data.py")
    frames = [d.value for d in at.dataframe]
    assert frames and isinstance(frames[0], pd.DataFrame) and len(frames[0]) > 0
