"""Facts about the database built from the real shared sources (../shared/data)."""

from __future__ import annotations

import duckdb
import pytest

from healthgap.registry import load_registry

pytestmark = pytest.mark.shared_data

WADDEN = ["GM0060", "GM0088", "GM0093", "GM0096"]


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_50090ned_covers_355_gemeenten_of_the_2020_division(con):
    assert one(con, "SELECT count(DISTINCT area_code) FROM indicator_values WHERE source_id = "
                    "'nl_rivm_50090_gemeente' AND level = 'gemeente' AND division_year = 2020") == [(355,)]


def test_division_2025_has_342_gemeenten(con):
    assert one(con, "SELECT count(*) FROM areas WHERE level = 'gemeente' AND division_year = 2025 "
                    "AND country = 'NL'") == [(342,)]
    counts = dict(one(con, "SELECT division_year, count(*) FROM areas WHERE level = 'gemeente' "
                           "AND country = 'NL' GROUP BY 1"))
    assert counts == {2020: 355, 2021: 352, 2022: 345, 2023: 342, 2024: 342, 2025: 342}


def test_national_self_rated_health_2012_is_76_1(con):
    assert one(con, "SELECT value, status FROM indicator_values WHERE area_code = 'NL01' AND period = '2012' "
                    "AND age_group = '18+' AND indicator_id = 'self_rated_health_good'") == [(76.1, "modelled")]


def test_amsterdam_is_present_in_every_division_year(con):
    years = [r[0] for r in one(con, "SELECT division_year FROM areas WHERE area_code = 'GM0363' ORDER BY 1")]
    assert years == [2020, 2021, 2022, 2023, 2024, 2025]
    assert one(con, "SELECT count(DISTINCT division_year) FROM geometries WHERE area_code = 'GM0363'") == [(6,)]


def test_appingedam_delfzijl_loppersum_map_to_eemsdelta(con):
    got = one(con, "SELECT old_code, share_of_old FROM area_crosswalk WHERE old_year = 2020 "
                   "AND new_code = 'GM1979' ORDER BY old_code")
    assert got == [("GM0003", 1.0), ("GM0010", 1.0), ("GM0024", 1.0)]


@pytest.mark.parametrize("new_code, old_codes, old_year", [
    ("GM1982", {"GM0756", "GM0786", "GM0815", "GM1684", "GM1702"}, 2021),   # Land van Cuijk
    ("GM1991", {"GM0856", "GM1685"}, 2021),                                 # Maashorst
    ("GM1980", {"GM0398", "GM0416"}, 2021),                                 # Dijk en Waard
    ("GM1992", {"GM0501", "GM0530", "GM0614"}, 2022),                       # Voorne aan Zee
    ("GM0439", {"GM0370", "GM0439"}, 2021),                                 # Purmerend + Beemster
    ("GM0363", {"GM0363", "GM0457"}, 2022),                                 # Amsterdam + Weesp
])
def test_crosswalk_covers_the_mergers_up_to_2025(con, new_code, old_codes, old_year):
    got = {r[0] for r in one(con, "SELECT old_code FROM area_crosswalk WHERE new_code = ? AND old_year = ? "
                                  "AND new_year = 2025", [new_code, old_year])}
    assert got == old_codes


def test_haaren_is_split_over_four_gemeenten(con):
    got = one(con, "SELECT new_code, kind FROM area_crosswalk WHERE old_code = 'GM0788' ORDER BY new_code")
    assert [g[0] for g in got] == ["GM0757", "GM0824", "GM0855", "GM0865"]
    assert {g[1] for g in got} == {"split"}
    (total,) = one(con, "SELECT sum(share_of_old) FROM area_crosswalk WHERE old_code = 'GM0788'")[0]
    assert total == pytest.approx(1.0, abs=1e-3)


def test_every_gemeente_code_before_2025_is_in_the_crosswalk(con):
    assert one(con, """SELECT count(*) FROM areas a ANTI JOIN area_crosswalk c
                       ON c.old_code = a.area_code AND c.old_year = a.division_year
                       WHERE a.level = 'gemeente' AND a.division_year < 2025""") == [(0,)]


def test_wadden_islands_are_missing_in_the_young_adult_survey(con):
    got = one(con, "SELECT DISTINCT area_code, status FROM indicator_values WHERE source_id = "
                   "'nl_rivm_50140_jongvolwassenen' AND list_contains(?, area_code) ORDER BY 1", [WADDEN])
    assert got == [(c, "missing") for c in WADDEN]


def test_at_least_40_young_adult_indicators_have_values(con):
    (n,) = one(con, "SELECT count(DISTINCT indicator_id) FROM indicator_values WHERE age_group = '16-25' "
                    "AND value IS NOT NULL")[0]
    assert n >= 40


def test_registry_and_values_match_both_ways(con):
    registry = set(load_registry())
    in_db = {r[0] for r in one(con, "SELECT indicator_id FROM indicators")}
    with_values = {r[0] for r in one(con, "SELECT DISTINCT indicator_id FROM indicator_values WHERE value IS NOT NULL")}
    in_values = {r[0] for r in one(con, "SELECT DISTINCT indicator_id FROM indicator_values")}
    assert in_db == registry
    assert in_values <= registry
    assert with_values == registry


def test_every_value_refers_to_an_area_of_its_division(con):
    assert one(con, """SELECT count(*) FROM indicator_values v ANTI JOIN areas a
                       ON a.area_code = v.area_code AND a.division_year = v.division_year""") == [(0,)]


def test_every_gemeente_has_province_and_ggd(con):
    assert one(con, "SELECT count(*) FROM areas WHERE level IN ('gemeente', 'wijk') AND country = 'NL' "
                    "AND (province_code IS NULL OR ggd_code IS NULL)") == [(0,)]


def test_suppressed_and_missing_values_are_null_never_zero(con):
    assert one(con, "SELECT count(*) FROM indicator_values WHERE status IN ('suppressed', 'missing') "
                    "AND value IS NOT NULL") == [(0,)]


def test_national_gemeente_layers_stay_within_the_map_budget(con):
    # Per country: Belgium (581/565 gemeenten, Statbel 2021 boundaries) measures ~300 KB.
    budget = {"NL": 260_000, "BE": 320_000}
    for country, year, size in one(con, "SELECT a.country, g.division_year, sum(length(g.geojson)) "
                                        "FROM geometries g JOIN areas a USING (area_code, division_year, level) "
                                        "WHERE g.level = 'gemeente' GROUP BY 1, 2"):
        assert size <= budget[country], (country, year, size)


def test_amsterdam_density_is_plausible(con):
    (dens,) = one(con, "SELECT value FROM indicator_values WHERE area_code = 'GM0363' "
                       "AND indicator_id = 'population_density'")[0]
    assert 3000 < dens < 6000  # ~930k residents over ~219 km2 (land and water)


def test_value_keys_are_unique_without_a_primary_key_index(con):
    assert one(con, """SELECT count(*) FROM (SELECT 1 FROM indicator_values
                       GROUP BY area_code, division_year, period, age_group, indicator_id
                       HAVING count(*) > 1)""") == [(0,)]
