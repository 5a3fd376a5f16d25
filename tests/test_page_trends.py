"""Trends page: gemeente, benchmark and peers over the periods (AppTest, real database)."""

from __future__ import annotations

import pandas as pd
import pytest
from test_apptest_pages import _fresh_app, db, db_file, figure, run_app, texts_of  # noqa: F401

from healthgap import store
from healthgap.ui.trend_view import gap_change, is_harmonised, period_end_year

pytestmark = pytest.mark.shared_data

PAGE = "pages/trends.py"


def trace(spec: dict, name: str) -> dict:
    """The trace named `name`; for gemeente and benchmark the one with the (hoverable) markers."""
    named = [tr for tr in spec["data"] if tr.get("name") == name]
    return next((tr for tr in named if "markers" in tr.get("mode", "")), named[0])


def peer_traces(spec: dict) -> list[dict]:
    return [tr for tr in spec["data"] if tr.get("legendgroup") == "peers"]


def test_default_shows_three_periods_with_harmonised_points_flagged():
    at = run_app(PAGE, gemeente="GM0599")
    spec = figure(at)
    own = trace(spec, "Rotterdam")
    assert own["x"] == ["2012", "2016", "2020"]
    assert all(v is not None for v in own["y"])
    assert own["marker"]["symbol"] == ["circle-open", "circle-open", "circle"]
    assert any("herberekend op de gemeentegrenzen van 2020" in (tr.get("name") or "")
               for tr in spec["data"])
    table = at.dataframe[0].value
    assert list(table["Meetjaar"]) == ["2012", "2016", "2020"]
    assert list(table["Status"]) == ["modelschatting"] * 3
    assert table["Gemeentegrenzen"].str.contains("herberekend").tolist() == [True, True, False]
    text = texts_of(at)
    assert "niet te toetsen" in text and "Van 2012 tot 2020 veranderde Rotterdam" in text
    assert "Nederland" in trace(spec, "Nederland")["name"]


def test_another_gemeente_changes_the_numbers():
    first = run_app(PAGE, gemeente="GM0599")
    second = run_app(PAGE, gemeente="GM0363")
    assert trace(figure(first), "Rotterdam")["y"] != trace(figure(second), "Amsterdam")["y"]
    assert not first.dataframe[0].value.equals(second.dataframe[0].value)
    # the benchmark (Nederland) is the same line for both
    assert trace(figure(first), "Nederland")["y"] == trace(figure(second), "Nederland")["y"]


def test_peer_lines_are_on_by_default_and_the_url_switches_them_off():
    on = run_app(PAGE, gemeente="GM0599")
    assert len(peer_traces(figure(on))) == 10
    assert on.toggle(key="trends_peers").value is True
    off = run_app(PAGE, gemeente="GM0599", peers="False")
    assert peer_traces(figure(off)) == []
    assert off.toggle(key="trends_peers").value is False
    assert off.query_params["peers"] in ("False", ["False"])


def test_an_indicator_with_one_period_gives_a_message_and_suggestions():
    at = run_app(PAGE, gemeente="GM0599", indicator="limited_by_health")
    assert not at.main.get("plotly_chart")
    assert "maar één meetjaar" in texts_of(at)
    labels = [b.label for b in at.button]
    assert "Ervaren gezondheid goed of zeer goed" in labels


def test_an_indicator_without_gemeente_values_says_so():
    at = run_app(PAGE, gemeente="GM0599", indicator="life_expectancy_birth")
    assert not at.main.get("plotly_chart")
    assert "geen cijfers per gemeente" in texts_of(at)
    assert at.button  # indicators with several periods are offered


def test_an_age_group_with_one_period_offers_the_age_groups_with_more(db):  # noqa: F811
    periods = store.periods_for(db, "chronic_condition", "gemeente")
    assert set(periods.loc[periods["age_group"] == "18-64", "period"]) == {"2016"}
    at = run_app(PAGE, gemeente="GM0599", indicator="chronic_condition", jaar="2016",
                 leeftijd="18-64")
    assert not at.main.get("plotly_chart")
    assert "andere leeftijdsgroepen" in texts_of(at)
    assert "18 jaar en ouder" in [b.label for b in at.button]


def test_a_successor_code_shows_the_other_predecessors_line():
    at = run_app(PAGE, gemeente="GM1980")
    spec = figure(at)
    assert trace(spec, "Heerhugowaard")["x"] == ["2012", "2016", "2020"]
    partner = trace(spec, "Langedijk (voorganger)")
    assert all(v is not None for v in partner["y"])
    text = texts_of(at)
    assert "Dijk en Waard" in text and "per gemeente van 2020" in text
    assert "geen vergelijkbare gemeenten" in text  # merged since: no peer features


def test_benchmark_peers_uses_the_peer_mean_per_period():
    nl = run_app(PAGE, gemeente="GM0599")
    peers = run_app(PAGE, gemeente="GM0599", benchmark="peers")
    bench = trace(figure(peers), "de 10 meest vergelijkbare gemeenten")
    assert all(v is not None for v in bench["y"])
    assert bench["y"] != trace(figure(nl), "Nederland")["y"]
    assert "de 10 meest vergelijkbare gemeenten" in peers.dataframe[0].value.columns[2]


def test_a_benchmark_without_values_falls_back_with_one_note():
    at = run_app(PAGE, gemeente="GM0599", benchmark="provincie")
    notes = [i.value for i in at.info if "Provincie" in i.value]
    assert len(notes) == 1
    assert trace(figure(at), "Nederland")


# --- the helpers --------------------------------------------------------------------------------


def test_points_before_the_division_year_are_harmonised():
    assert is_harmonised("2012", 2020) and is_harmonised("2016", 2020)
    assert not is_harmonised("2020", 2020) and not is_harmonised("2019-2022", 2022)
    assert period_end_year("2019-2022") == 2022 and period_end_year("onbekend") is None


def test_gap_change_uses_the_first_and_last_period_with_both_values():
    table = pd.DataFrame({"period": ["2012", "2016", "2020"], "value": [70.0, float("nan"), 74.0],
                          "benchmark": [76.0, 75.0, 78.0]})
    c = gap_change(table, 1)
    assert (c.first, c.last) == ("2012", "2020")
    assert c.gap_first == pytest.approx(-6.0) and c.gap_last == pytest.approx(-4.0)
    assert c.gap_change == pytest.approx(-2.0) and c.direction == "narrowed"
    assert c.change_area == pytest.approx(4.0) and c.change_benchmark == pytest.approx(2.0)
    wider = table.assign(value=[75.0, 70.0, 70.0])
    assert gap_change(wider, 1).direction == "widened"
    assert gap_change(table.iloc[:1], 1) is None


def test_a_gemeente_that_absorbed_another_shows_it_as_its_own_line():
    at = run_app(PAGE, gemeente="GM0363")
    assert trace(figure(at), "Weesp (gemeente van 2020)")
    assert "Weesp (geheel of gedeeltelijk) bij Amsterdam gevoegd" in texts_of(at)


def test_a_split_gemeente_names_every_successor():
    at = run_app(PAGE, gemeente="GM0788")
    text = texts_of(at)
    assert "Haaren is na 2020 opgeheven en verdeeld over" in text and "Tilburg" in text
