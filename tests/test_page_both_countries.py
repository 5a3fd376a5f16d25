"""Both countries in the frame (issue 5): `land=nlbe` lists Dutch and Belgian gemeenten, the
chosen gemeente's country decides the catalogue and benchmarks, a gemeente across the border
carries the indicator to its counterpart, the map shows both countries where the indicator is
defined the same way, and peers are sought across the border (AppTest, real DB)."""

from __future__ import annotations

import pytest
from test_apptest_pages import (  # noqa: F401 (fixtures)
    PAGES,
    _fresh_app,
    box,
    db_file,
    figure,
    run_app,
    texts_of,
)

from healthgap.ui import frame, land

pytestmark = pytest.mark.shared_data


def test_both_countries_list_both_and_start_on_the_border():
    at = run_app(land="nlbe")
    gm = box(at, "_gemeente_widget")
    assert gm.value == "GM0935"                          # Maastricht
    # AppTest lists the labels: every gemeente of both countries, each with its country
    assert {"Amsterdam · NL", "Maastricht · NL", "Luik (Liège) · BE"} <= set(gm.options)
    assert sum(o.endswith("· NL") for o in gm.options) >= 342
    assert sum(o.endswith("· BE") for o in gm.options) >= 565
    assert box(at, land.K_LAND).value == "nlbe"
    assert at.query_params["land"] == "nlbe"
    assert not box(at, frame.K_INDICATOR).value.startswith("be_")


def test_a_belgian_gemeente_brings_the_belgian_catalogue_and_benchmarks():
    at = run_app(land="nlbe", gemeente="62063")
    assert box(at, land.K_LAND).value == "nlbe"       # the land stays: both countries
    assert box(at, frame.K_INDICATOR).value.startswith("be_")
    assert "België" in box(at, frame.K_BENCH).options and box(at, frame.K_BENCH).value == "belgie"


def test_a_link_with_the_other_countrys_indicator_takes_its_counterpart():
    at = run_app(land="nlbe", gemeente="62063", indicator="population_65_plus_pct")
    assert box(at, frame.K_INDICATOR).value == "be_population_65_plus_pct"
    assert "population_65_plus_pct" in texts_of(at)


def test_choosing_a_gemeente_across_the_border_carries_the_indicator():
    at = run_app(land="nlbe", gemeente="GM0935", indicator="population_65_plus_pct",
                 jaar="2025")
    at.sidebar.selectbox(key="_gemeente_widget").select("62063").run()
    assert not at.exception
    assert box(at, "_gemeente_widget").value == "62063"
    assert box(at, frame.K_INDICATOR).value == "be_population_65_plus_pct"
    assert at.query_params["gemeente"] == "62063"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("gemeente", ["GM0935", "62063"])
def test_every_page_renders_with_both_countries(page, gemeente):
    at = run_app(page, land="nlbe", gemeente=gemeente)
    assert not at.error, [e.value for e in at.error]
    assert texts_of(at).strip()


def test_peers_across_the_border_with_their_features_and_the_counterpart_bars():
    at = run_app("pages/vergelijken.py", land="nlbe", gemeente="GM0363",
                 indicator="population_65_plus_pct")
    peers = at.dataframe[0].value
    names = " ".join(map(str, peers.iloc[:, 0]))
    assert len(peers) == 11
    # Amsterdam's peers on size, density, 65+ and income position: both countries
    assert "Rotterdam · NL" in names and "Antwerpen · BE" in names
    income = next(c for c in peers.columns if "nkomen" in c)
    assert "percentiel" in income
    text = texts_of(at)
    assert "Beide landen" in text and "percentiel" in text
    # 65+ has a Belgian counterpart of the same definition: Belgian bars, not tested, named
    assert "niet getoetst" in text or "Ze tellen niet mee" in text
    assert "Belgische deprivatie-index" in text
    assert "tegelkaart toont alleen de gemeenten in Nederland" in text


def test_peers_across_the_border_without_a_counterpart_say_so():
    at = run_app("pages/vergelijken.py", land="nlbe", gemeente="GM0363",
                 indicator="self_rated_health_good")
    assert "niet met dezelfde definitie bestaat" in texts_of(at)


def test_peers_within_one_country_are_unchanged_outside_both_countries():
    at = run_app("pages/vergelijken.py", land="nl", gemeente="GM0363")
    names = " ".join(map(str, at.dataframe[0].value.iloc[:, 0]))
    assert "·" not in names and "Antwerpen" not in names


def _map_locations(at) -> set[str]:
    fig = figure(at)
    return {code for trace in fig["data"] if trace.get("name") != "selected"
            for code in trace.get("locations", [])}


def test_the_map_shows_both_countries_where_the_indicator_has_a_counterpart():
    at = run_app("pages/kaart.py", land="nlbe", gemeente="GM0935",
                 indicator="population_65_plus_pct")
    codes = _map_locations(at)
    assert "GM0935" in codes and "62063" in codes
    assert sum(c.startswith("GM") for c in codes) == 342 and \
        sum(not c.startswith("GM") for c in codes) >= 565
    text = texts_of(at)
    assert "Zelfde definitie" in text          # the definitions note, always shown


def test_the_map_of_an_indicator_without_counterpart_says_it_shows_one_country():
    at = run_app("pages/kaart.py", land="nlbe", gemeente="GM0935",
                 indicator="self_rated_health_good")
    codes = _map_locations(at)
    assert codes and all(c.startswith("GM") for c in codes)
    assert "bestaat alleen in Nederland" in texts_of(at)


@pytest.mark.parametrize(("choice", "count", "prefixes"), [
    ("bru", 19, ("21",)), ("wal", None, ("5", "6", "8", "9", "25")),
    ("vl", None, ("1", "3", "4", "7", "23", "24"))])
def test_a_region_narrows_the_map_to_its_municipalities(choice, count, prefixes):
    at = run_app("pages/kaart.py", land=choice, indicator="be_population_65_plus_pct")
    codes = _map_locations(at)
    assert codes and all(c.startswith(prefixes) for c in codes)
    if count:
        assert len(codes) == count
    assert "De kaart toont alleen" in texts_of(at)


def test_belgium_as_a_whole_still_maps_every_municipality():
    at = run_app("pages/kaart.py", land="be", indicator="be_population_65_plus_pct")
    assert len(_map_locations(at)) >= 565
