"""Facts about the Belgian part of the database built from ../shared/data/be."""

from __future__ import annotations

import pytest
from test_build_shared import con, one  # noqa: F401 (the read-only connection fixture)

pytestmark = pytest.mark.shared_data


def test_three_divisions_589_581_565(con):
    counts = dict(one(con, "SELECT division_year, count(*) FROM areas WHERE country = 'BE' "
                           "AND level = 'gemeente' GROUP BY 1"))
    assert counts == {2018: 589, 2019: 581, 2025: 565}


def test_brussels_19_municipalities_no_province(con):
    rows = one(con, "SELECT count(*), count(province_code) FROM areas WHERE country = 'BE' AND "
                    "level = 'gemeente' AND division_year = 2025 AND region_code = '04000'")
    assert rows == [(19, 0)]


def test_every_old_code_reaches_a_2025_code(con):
    for year, n in ((2018, 589), (2019, 581)):
        got = one(con, "SELECT count(DISTINCT c.old_code) FROM area_crosswalk c JOIN areas a ON "
                       "a.area_code = c.new_code AND a.division_year = 2025 AND a.country = 'BE' "
                       "WHERE c.old_year = ? AND c.new_year = 2025", [year])
        assert got == [(n,)]


def test_walloon_2019_renumbers(con):
    rows = one(con, "SELECT old_code, new_code FROM area_crosswalk WHERE old_year = 2018 AND "
                    "new_year = 2019 AND kind = 'renumber' ORDER BY 1")
    assert len(rows) == 11
    assert ("55022", "58001") in rows  # La Louvière
    assert one(con, "SELECT kind FROM area_crosswalk WHERE old_code = '11002' AND old_year = 2019 "
                    "AND new_year = 2025") == [("merge",)]  # Antwerpen keeps 11002, took in Borsbeek
    assert one(con, "SELECT new_code FROM area_crosswalk WHERE old_code = '71022' AND old_year = 2019 "
                    "AND new_year = 2025") == [("71072",)]  # Hasselt renumbered


def test_bilingual_names(con):
    def names(code):
        return one(con, "SELECT name, name_nl, name_fr FROM areas WHERE area_code = ? AND "
                        "division_year = 2019", [code])[0]
    assert names("62063") == ("Liège", "Luik", "Liège")
    assert names("53053") == ("Mons", "Bergen", "Mons")
    assert names("21004") == ("Brussel", "Brussel", "Bruxelles")
    assert names("11002") == ("Antwerpen", "Antwerpen", "Anvers")


def test_refnis_qualifiers_are_kept_only_for_real_homonyms(con):
    def names(code, year=2025):
        return one(con, "SELECT name, name_nl, name_fr FROM areas WHERE area_code = ? AND "
                        "level = 'gemeente' AND division_year = ?", [code, year])[0]
    # Statbel: "Aalst (Aalst)", "Hove (Antwerpen)": no other municipality has that name
    assert names("41002") == ("Aalst", "Aalst", "Alost")
    assert names("11021") == ("Hove", "Hove", "Hove")
    # French has two Saint-Nicolas (Liège's and Sint-Niklaas): the qualifier stays in French
    assert names("62093") == ("Saint-Nicolas", "Saint-Nicolas", "Saint-Nicolas (Liège)")
    assert names("46021")[2] == "Saint-Nicolas (Saint-Nicolas)"
    dup = one(con, "SELECT count(*) FROM (SELECT division_year, name_fr FROM areas WHERE "
                   "country = 'BE' AND level = 'gemeente' AND name_fr IS NOT NULL "
                   "GROUP BY ALL HAVING count(*) > 1)")
    assert dup == [(0,)]


def test_zwijndrecht_moves_province(con):
    assert one(con, "SELECT province_code FROM areas WHERE area_code = '11056' AND division_year = 2019") == [("10000",)]
    assert one(con, "SELECT province_code FROM areas WHERE area_code = '46030' AND division_year = 2025") == [("40000",)]


def test_income_facts(con):
    assert one(con, "SELECT division_year, value FROM indicator_values WHERE indicator_id = "
                    "'be_tax_returns' AND area_code = '01000' AND period = '2023' ORDER BY 1") == \
        [(2019, 6_846_186.0), (2025, 6_846_186.0)]
    # Regions from the rounded municipal averages: within a euro of the exact figure.
    regions = one(con, "SELECT value FROM indicator_values WHERE indicator_id = 'be_income_per_return' "
                       "AND period = '2023' AND level = 'region' AND division_year = 2019")
    assert len(regions) == 3 and all(30 < v < 50 for (v,) in regions)
    v = one(con, "SELECT value FROM indicator_values WHERE indicator_id = 'be_income_per_return' AND "
                 "area_code = '11001' AND period = '2005' AND division_year = 2019")[0][0]
    assert v == pytest.approx(260615502.8 / 8065 / 1000)
    # aggregated to 2025 and to the regions
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_income_per_return' "
                    "AND period = '2020' AND division_year = 2025 AND level = 'gemeente'") == [(565,)]
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_income_per_return' "
                    "AND period = '2020' AND division_year = 2019 AND level = 'region'") == [(3,)]


def test_population_2020(con):
    assert one(con, "SELECT value FROM indicator_values WHERE indicator_id = 'be_population_total' AND "
                    "area_code = '01000' AND period = '2020' AND division_year = 2019") == [(11_492_641.0,)]
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_population_total' AND "
                    "period = '2010' AND division_year = 2018 AND level = 'gemeente'") == [(589,)]


def test_herstappe_covid_suppressed_not_zero(con):
    assert one(con, "SELECT value, status FROM indicator_values WHERE indicator_id = 'be_covid_cases_per_1000' "
                    "AND area_code = '73028' AND division_year = 2019") == [(None, "suppressed")]
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_covid_cases_per_1000' "
                    "AND value = 0") == [(0,)]


def test_bimd_health_domain_for_589(con):
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_bimd_health_score' AND "
                    "level = 'gemeente' AND division_year = 2018 AND period = '2011' AND value IS NOT NULL") == [(589,)]
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = 'be_bimd_without_health_score' "
                    "AND level = 'sector'") == [(672,)]


def _bimd(con, indicator, year, code, period="2011"):
    return one(con, "SELECT value FROM indicator_values WHERE indicator_id = ? AND level = 'gemeente' "
                    "AND division_year = ? AND area_code = ? AND period = ?",
               [indicator, year, code, period])


def test_bimd_carried_to_2019_and_2025_where_the_territory_did_not_change(con):
    # facts from ../shared/data/be/ses/bimd_2011_municipality.csv (2018 codes)
    for year in (2018, 2019, 2025):
        assert _bimd(con, "be_bimd_rank", year, "62063") == [(10.0,)]           # LIEGE
        assert _bimd(con, "be_bimd_health_rank", year, "21004") == [(427.0,)]   # BRUXELLES
        assert _bimd(con, "be_bimd_health_decile", year, "21004") == [(8.0,)]
    # Enghien: 55010 in 2018, renumbered 51067 in 2019 without territorial change
    assert _bimd(con, "be_bimd_rank", 2018, "55010") == [(217.0,)]
    for year in (2019, 2025):
        assert _bimd(con, "be_bimd_rank", year, "51067") == [(217.0,)]
        got = _bimd(con, "be_bimd_health_score", year, "51067")[0][0]
        assert got == pytest.approx(18.5943645165578)
    # Antwerpen 11002 kept its code but took in Borsbeek in 2025: a value in 2019, none in 2025
    assert _bimd(con, "be_bimd_rank", 2019, "11002") == _bimd(con, "be_bimd_rank", 2018, "11002")
    assert _bimd(con, "be_bimd_rank", 2025, "11002") == []


def test_bimd_none_for_merged_municipalities(con):
    for code in ("72043", "12041"):   # Pelt (Neerpelt + Overpelt), Puurs-Sint-Amands (2019)
        for year in (2019, 2025):
            assert _bimd(con, "be_bimd_health_score", year, code) == []
    assert _bimd(con, "be_bimd_rank", 2025, "71072") == []   # Hasselt + Kortessem (2025)
    assert _bimd(con, "be_bimd_rank", 2019, "71022") == [(307.0,)]


def test_bimd_carried_counts(con):
    counts = dict(one(con, "SELECT division_year, count(*) FROM indicator_values WHERE indicator_id = "
                           "'be_bimd_health_score' AND level = 'gemeente' AND period = '2011' "
                           "AND value IS NOT NULL GROUP BY 1"))
    # 589 - 15 merged into 7 (2019); 565 - 14 merged in 2025 - the 7 mergers of 2019
    assert counts == {2018: 589, 2019: 574, 2025: 544}
    assert one(con, "SELECT count(*) FROM indicator_values WHERE indicator_id LIKE 'be_bimd%' "
                    "AND level <> 'gemeente' AND level <> 'sector'") == [(0,)]


def test_vaccination_flanders_only(con):
    regions = one(con, "SELECT DISTINCT a.region_code FROM indicator_values v JOIN areas a USING "
                       "(area_code, division_year) WHERE v.indicator_id = 'be_covid_vaccinated_full_pct' "
                       "AND v.level = 'gemeente'")
    assert regions == [("02000",)]


def test_be_geometries_small(con):
    kb = one(con, "SELECT sum(length(geojson)) / 1024 FROM geometries g JOIN areas a USING (area_code, division_year) "
                  "WHERE a.country = 'BE' AND g.level = 'gemeente' AND g.division_year = 2025")[0][0]
    assert kb < 600
    assert one(con, "SELECT count(*) FROM geometries WHERE level = 'region'") == [(6,)]


def test_stadsmonitor_catalogue_lists_health_indicators_with_urls():
    from healthgap.be_catalogue import CATALOGUE, read_catalogue
    from healthgap.settings import sources_dir

    path = sources_dir() / CATALOGUE
    if not path.is_file():
        pytest.skip("shared data not found")
    recs = read_catalogue(path)
    assert len(recs) == 422
    health = [r for r in recs if r["kind"] == "health"]
    assert len(health) == 28
    assert all(r["url"].startswith("https://") and r["url"].endswith(".xlsx") for r in health)
    assert any(r["title"] == "Antibioticumconsumptie" for r in health)


def test_store_reads_belgium_only_when_asked(built_db):
    from healthgap import store

    db = store.connect(built_db)
    assert len(store.areas(db, "gemeente", 2025)) == 342  # NL by default
    be = store.areas(db, "gemeente", 2025, country="BE")
    assert len(be) == 565 and set(be["region_code"]) == {"02000", "03000", "04000"}
    assert store.division_years(db, "gemeente", country="BE") == [2018, 2019, 2025]
    fc = store.feature_collection(db, "gemeente", 2025, country="BE")
    assert len(fc["features"]) == 565
    assert "01000" not in set(store.crosswalk(db)["old_code"])
    assert set(store.crosswalk(db, country="BE")["old_code"]) >= {"11007", "55022"}
    ids = set(store.indicator_catalog(db, country="BE")["indicator_id"])
    assert "be_income_per_return" in ids and "population_total" not in ids
    assert "be_income_per_return" not in set(store.indicator_catalog(db)["indicator_id"])
    # exonyms and former names find the current municipality
    luik = store.search_areas(db, "Luik", country="BE")
    assert "62063" in set(luik["area_code"])
    borsbeek = store.search_areas(db, "Borsbeek", country="BE")
    assert "11002" in set(borsbeek["area_code"])
    assert store.search_areas(db, "Luik").empty
