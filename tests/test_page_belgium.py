"""Belgium on the same footing (issue 5): every page for a Belgian selection, the `land`
parameter, Belgian benchmarks, names per language and the gemeente search (AppTest, real DB)."""

from __future__ import annotations

import contextvars

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_apptest_pages import (  # noqa: F401 (fixtures)
    PAGES,
    _fresh_app,
    box,
    db_file,
    run_app,
    texts_of,
)

from healthgap.ui import frame, land, texts

pytestmark = pytest.mark.shared_data

def notes(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.info, *at.warning, *at.error])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_belgian_default(page):
    at = run_app(page, land="be")
    assert not at.error, [e.value for e in at.error]
    assert box(at, land.K_LAND).value == "be"
    assert box(at, "_gemeente_widget").value == "21004"
    assert box(at, frame.K_INDICATOR).value.startswith("be_")
    assert texts_of(at).strip()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", [
    {"gemeente": "21015", "indicator": "be_income_per_return", "benchmark": "provincie"},
    {"gemeente": "62063", "land": "wal", "lang": "fr", "benchmark": "arrondissement"},
    {"gemeente": "44040", "indicator": "be_population_65_plus_pct", "benchmark": "peers",
     "lang": "en"},
], ids=["schaerbeek", "liege-fr", "melle-merged-en"])
def test_every_page_renders_for_other_belgian_selections(page, params):
    at = run_app(page, **params)
    assert not at.error, [e.value for e in at.error]
    assert texts_of(at).strip()


def test_a_belgian_code_selects_belgium_and_the_land_round_trips():
    at = run_app(gemeente="62063")
    assert box(at, land.K_LAND).value == "be"
    assert at.query_params["land"] == "be"
    assert at.query_params["gemeente"] == "62063"
    at = run_app(land="wal")
    assert box(at, "_gemeente_widget").value == "62063"
    assert at.query_params["land"] == "wal"


def test_an_invalid_land_falls_back_to_the_netherlands_with_a_note():
    at = run_app(land="xx")
    assert box(at, land.K_LAND).value == "nl"
    assert "'xx'" in notes(at)
    assert box(at, "_gemeente_widget").value == frame.DEFAULT_GEMEENTE
    assert "land" not in at.query_params


def test_the_dutch_default_is_unchanged():
    at = run_app()
    assert box(at, land.K_LAND).value == "nl"
    assert box(at, "_gemeente_widget").value == frame.DEFAULT_GEMEENTE
    assert list(box(at, frame.K_BENCH).options) == [
        box(at, frame.K_BENCH).format_func(b) for b in frame.BENCHMARKS]


def test_an_old_belgian_code_resolves_to_its_2025_successor_with_a_note():
    at = run_app(gemeente="44040", indicator="be_income_per_return")   # Melle -> Merelbeke-Melle
    assert box(at, "_gemeente_widget").value == "44088"
    assert "44040" in notes(at)


def test_a_region_lists_only_its_municipalities():
    at = run_app(land="bru")
    codes = [o for o in box(at, "_gemeente_widget").options]
    labels = [box(at, "_gemeente_widget").format_func(c) for c in codes]
    assert len(labels) == 19, labels


def test_benchmark_options_per_country():
    at = run_app(land="be")
    fmt = box(at, frame.K_BENCH).format_func
    assert [fmt(b) for b in frame.BENCHMARKS_BE] == list(box(at, frame.K_BENCH).options)
    assert "België" in box(at, frame.K_BENCH).options
    at = run_app(land="be", lang="fr", benchmark="nederland")
    assert box(at, frame.K_BENCH).value == "belgie"
    assert at.query_params["benchmark"] == "belgie"


@pytest.mark.parametrize(("lang", "shown", "other"), [
    ("nl", "Luik", "Liège"), ("fr", "Liège", "Luik"), ("en", "Liège", "Luik")])
def test_names_per_language_and_both_in_the_search_label(lang, shown, other):
    at = run_app(gemeente="62063", lang=lang)
    label = box(at, "_gemeente_widget").format_func("62063")
    assert label.startswith(shown) and other in label


def test_brussels_is_bilingual_in_english_and_localised_otherwise():
    assert land.local_name("Brussel", "Brussel", "Bruxelles", "04000", "en") == \
        "Brussel / Bruxelles"
    assert land.local_name("Brussel", "Brussel", "Bruxelles", "04000", "fr") == "Bruxelles"
    assert land.local_name("Brussel", "Brussel", "Bruxelles", "04000", "nl") == "Brussel"
    at = run_app(gemeente="21004", lang="fr", page="pages/profiel.py")
    assert "Bruxelles" in at.title[0].value


def test_former_names_are_search_aliases():
    at = run_app(land="be", indicator="be_income_per_return")
    w = box(at, "_gemeente_widget")
    labels = [w.format_func(o) for o in w.options]
    assert any(lbl.startswith("Melle") and "Merelbeke-Melle" in lbl for lbl in labels)


def test_belgian_benchmarks_country_region_province_arrondissement():
    seen = {}
    for bench in ("belgie", "gewest", "provincie", "arrondissement"):
        at = run_app("pages/kaart.py", gemeente="62063", indicator="be_income_per_return",
                     benchmark=bench)
        seen[bench] = texts_of(at)
    assert "België" in seen["belgie"]
    assert "Waals Gewest" in seen["gewest"]
    assert "Provincie Luik" in seen["provincie"]
    assert "Arrondissement Luik" in seen["arrondissement"]


def test_brussels_has_no_province_and_falls_back_to_the_region():
    at = run_app("pages/kaart.py", gemeente="21004", indicator="be_income_per_return",
                 benchmark="provincie")
    assert "geen provincie" in notes(at)
    assert "Brussels Hoofdstedelijk Gewest" in texts_of(at)


def test_flanders_only_data_say_so_for_a_walloon_municipality():
    at = run_app("pages/kaart.py", gemeente="62063", indicator="be_covid_vaccinated_full_pct")
    assert "alleen voor Vlaanderen" in notes(at)


def test_brussels_sector_map_and_gradient():
    at = run_app("pages/kaart.py", gemeente="21004", indicator="be_bimd_health_score",
                 niveau="sector")
    assert at.query_params["niveau"] == "sector"
    assert at.get("plotly_chart")
    at = run_app("pages/ongelijkheid.py", gemeente="21004", indicator="be_bimd_health_score",
                 niveau="sector")
    assert "gezondheidsdomein" in texts_of(at)
    assert at.get("plotly_chart")


def test_bimd_municipal_map_on_the_2025_division():
    at = run_app("pages/kaart.py", land="be", gemeente="62063", indicator="be_bimd_health_score")
    assert not at.error, [e.value for e in at.error]
    assert at.query_params.get("niveau", "gemeente") == "gemeente"
    assert at.get("plotly_chart")
    assert "geen cijfer" not in notes(at)
    assert "kaart.no_data" not in texts_of(at)


def test_bimd_of_a_merged_municipality_says_why():
    at = run_app("pages/kaart.py", land="be", gemeente="72043", indicator="be_bimd_health_score")
    assert not at.error, [e.value for e in at.error]
    assert "589 gemeenten van 2018" in notes(at) and "fusie" in notes(at)
    assert at.get("plotly_chart")          # the map of the other municipalities is still drawn
    at = run_app("pages/profiel.py", land="be", gemeente="11002", indicator="be_bimd_rank")
    assert "fusie" in notes(at)            # Antwerpen 2025 (with Borsbeek): no carried value


def test_sector_only_index_says_where_it_exists():
    at = run_app("pages/kaart.py", land="be", gemeente="21004",
                 indicator="be_bimd_without_health_score")
    assert "alleen per Brusselse statistische sector" in notes(at)


@pytest.mark.parametrize("lang,words", [("nl", "niet als bewijs"), ("fr", "pas comme la preuve"),
                                        ("en", "not as evidence")])
def test_brussels_gradient_of_the_health_domain_carries_the_caveat(lang, words):
    at = run_app("pages/ongelijkheid.py", land="bru", gemeente="21004", lang=lang,
                 indicator="be_bimd_health_score", niveau="sector")
    assert not at.error, [e.value for e in at.error]
    assert words in texts_of(at)
    at = run_app("pages/ongelijkheid.py", land="bru", gemeente="21004", lang=lang,
                 indicator="be_income_per_return")
    assert words not in texts_of(at)


def test_peers_within_belgium_with_their_features():
    at = run_app("pages/vergelijken.py", gemeente="62063", indicator="be_income_per_return")
    tables = [d.value for d in at.dataframe]
    assert tables and isinstance(tables[0], pd.DataFrame)
    peers = tables[0]
    assert len(peers) == 11
    assert "Luik" in " ".join(map(str, peers.iloc[:, 0]))


def _units_follow_the_language():
    from healthgap.ui import fmt
    texts.set_language("nl")
    assert fmt.value_with_unit(12.34, "per_1000") == "12,3 per 1.000"
    texts.set_language("fr")
    assert fmt.value_with_unit(12.34, "per_1000") == "12,3 pour 1\u202f000" or \
        fmt.value_with_unit(12.34, "per_1000") == "12,3 pour 1 000"
    texts.set_language("en")
    assert fmt.value_with_unit(1234.5, "per_1000", 0) == "1,234 per 1,000"
    assert fmt.value_with_unit(3.456, "index", 2) == "3.46"


def test_units_of_belgian_indicators_are_formatted():
    # in a copied context: set_language must not pin the test thread's language (AppTest
    # evaluates widget labels there)
    contextvars.copy_context().run(_units_follow_the_language)
    texts._LAST[0] = texts.DEFAULT_LANGUAGE


def _names_in_every_language(rows) -> list:
    bad = []
    for lang in ("nl", "fr", "en"):
        for code, name, nl, fr, region in rows:
            shown = land.local_name(name, nl, fr, region, language=lang)
            if not shown or not shown.strip() or shown in ("None", "nan") or shown == code:
                bad.append((lang, code, shown))
    return bad


def test_every_belgian_municipality_of_2019_and_2025_has_a_name_in_nl_fr_en(db_file):
    import duckdb
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        rows = con.execute("SELECT area_code, name, name_nl, name_fr, region_code FROM areas "
                           "WHERE country = 'BE' AND level = 'gemeente' AND division_year IN "
                           "(2019, 2025)").fetchall()
        no_fr = con.execute("SELECT count(*) FROM areas WHERE country = 'BE' AND level = "
                            "'gemeente' AND division_year = 2025 AND name_fr IS NULL").fetchone()
    finally:
        con.close()
    assert len(rows) == 581 + 565
    assert no_fr == (12,)   # new Flemish codes of 2025: Dutch name only (Statbel lists no French)
    assert _names_in_every_language(rows) == []


def test_french_labels_of_2025_municipalities_fall_back_to_the_dutch_name():
    at = run_app("pages/kaart.py", land="be", lang="fr", gemeente="71072")
    shown = list(box(at, "_gemeente_widget").options)   # AppTest gives the shown labels
    assert len(shown) >= 565
    assert all(s and s.strip() and "None" not in s and not s.strip().isdigit() for s in shown)
    assert any(s.startswith("Hasselt") for s in shown)
    assert any(s.startswith("Beveren-Kruibeke-Zwijndrecht") for s in shown)
    assert "Hasselt" in texts_of(at)


def test_search_labels_never_nest_brackets():
    # Statbel's arrondissement qualifiers stay only where a name is shared (French
    # Saint-Nicolas); the other language's name is added without its qualifier
    assert land.option_label("Saint-Nicolas", "Saint-Nicolas", "Saint-Nicolas (Liège)",
                             None, ) == "Saint-Nicolas"
    assert land.option_label("Sint-Niklaas", "Sint-Niklaas",
                             "Saint-Nicolas (Saint-Nicolas)") == "Sint-Niklaas (Saint-Nicolas)"
