"""Vergelijken: peers with their reasons, a hand-picked group, sorted bars and the tartan rug."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

pytestmark = pytest.mark.shared_data
PAGE = "pages/vergelijken.py"


def figures(at) -> dict[str, dict]:
    """Plotly figures on the page by element key (AppTest cannot draw them)."""
    out = {}
    for el in at.main.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out[el.proto.id] = spec
    return out


def arr(v) -> list:
    """A plotly array from figure JSON: a list, or plotly's typed array {dtype, bdata}."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v or [])


def main_bars(at) -> dict:
    for spec in figures(at).values():
        for trace in spec["data"]:
            if trace.get("type") == "bar" and trace.get("orientation") == "h" \
                    and arr(trace.get("x")) and arr(trace["x"])[0] is not None:
                return trace
    return {}


def bar_names(at) -> list[str]:
    return [n.replace("<b>", "").replace("</b>", "") for n in arr(main_bars(at).get("y"))]


def test_peers_are_listed_with_their_features_and_drawn_as_sorted_bars():
    at = run_app(PAGE, gemeente="GM0599")  # Rotterdam
    text = texts_of(at)
    assert "De 10 meest vergelijkbare gemeenten" in text
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0])[:2] == ["Rotterdam", "Amsterdam"]  # the gemeente first
    assert {"Afstand", "Verschilt het meest in"} <= set(table.columns)
    names = bar_names(at)
    assert "Rotterdam" in names and len(names) == 11
    values = arr(main_bars(at)["x"])
    assert values == sorted(values) and len(values) == 11
    assert "euclidische afstand" in text and "geen betrouwbaarheidsinterval" in text


def test_another_gemeente_gets_other_peers():
    first = run_app(PAGE, gemeente="GM0599").dataframe[0].value
    second = run_app(PAGE, gemeente="GM0200").dataframe[0].value  # Apeldoorn
    assert list(first.iloc[:, 0]) != list(second.iloc[:, 0])
    assert second.iloc[0, 0] == "Apeldoorn"


def test_a_hand_picked_group_from_the_url_is_compared_and_kept_in_the_url():
    at = run_app(PAGE, gemeente="GM0599", groep_type="groep", groep="GM0363,GM0344,GM0014")
    assert "Uw eigen groep (3 gemeenten)" in texts_of(at)
    assert sorted(bar_names(at)) == ["Amsterdam", "Groningen", "Rotterdam", "Utrecht"]
    assert at.query_params["groep"] in ("GM0363,GM0344,GM0014", ["GM0363,GM0344,GM0014"])
    assert at.radio[0].value == "groep"


def test_an_empty_own_group_falls_back_to_the_peers_with_a_note():
    at = run_app(PAGE, gemeente="GM0599", groep_type="groep")
    assert "Uw eigen groep is nog leeg" in texts_of(at)
    assert len(bar_names(at)) == 11


def test_a_gemeente_merged_since_gets_a_clear_message_not_an_error():
    at = run_app(PAGE, gemeente="GM0398")  # Heerhugowaard, part of Dijk en Waard since 2022
    assert "geen vergelijkbare gemeenten" in texts_of(at)
    assert not at.error


def test_tartan_rug_shows_every_indicator_of_the_theme_for_gemeente_and_group():
    at = run_app(PAGE, gemeente="GM0599", thema="alle")
    rug = [s for s in figures(at).values() if any(tr.get("type") == "heatmap" for tr in s["data"])]
    assert rug, "no tartan rug"
    heat = next(tr for tr in rug[0]["data"] if tr["type"] == "heatmap")
    assert heat["x"][:2] == ["Nederland", "Rotterdam"] and len(heat["x"]) == 12
    assert len(heat["y"]) > 30  # every 18+ indicator of the Gezondheidsmonitor
    assert at.selectbox(key="vergelijken_theme").value == "alle"


def test_indicator_without_gemeente_values_says_so_and_still_shows_the_rest():
    at = run_app(PAGE, indicator="life_expectancy_birth")
    text = texts_of(at)
    assert "geen cijfers per gemeente" in text
    assert "Alle indicatoren naast elkaar" in text


def test_peers_benchmark_colours_against_each_areas_own_peers():
    at = run_app(PAGE, gemeente="GM0599", benchmark="peers")
    assert "de 10 meest vergelijkbare gemeenten" in texts_of(at)
