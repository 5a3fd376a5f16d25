"""The build on the tiny fixture sources: areas, crosswalk, statuses, geometry, derived values."""

from __future__ import annotations

import json

import duckdb
import pytest
import shapely
from shapely.geometry import shape


@pytest.fixture(scope="module")
def con(fixture_db):
    c = duckdb.connect(str(fixture_db), read_only=True)
    yield c
    c.close()


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def test_gemeenten_exist_for_every_division_year(con):
    counts = dict(rows(con, "SELECT division_year, count(*) FROM areas WHERE level = 'gemeente' GROUP BY 1"))
    assert counts == {2020: 6, 2021: 4, 2022: 4, 2023: 3, 2024: 3, 2025: 3}


def test_every_value_refers_to_an_existing_area(con):
    orphans = rows(con, """SELECT count(*) FROM indicator_values v ANTI JOIN areas a
                           ON a.area_code = v.area_code AND a.division_year = v.division_year""")
    assert orphans == [(0,)]


def test_gemeenten_of_2020_get_province_and_ggd_via_their_2025_successor(con):
    assert rows(con, "SELECT province_code, ggd_code FROM areas WHERE area_code = 'GM0003' "
                     "AND division_year = 2020") == [("PV20", "GG0111")]
    assert rows(con, "SELECT parent_code, ggd_code FROM areas WHERE area_code = 'WK036300'") == [("GM0363", "GG3406")]


def test_crosswalk_maps_merged_gemeenten_to_their_2025_code(con):
    got = rows(con, "SELECT old_code, new_code, share_of_old, kind FROM area_crosswalk "
                    "WHERE old_year = 2020 AND new_code = 'GM1979' ORDER BY old_code")
    assert got == [("GM0003", "GM1979", 1.0, "merge"), ("GM0010", "GM1979", 1.0, "merge"),
                   ("GM0024", "GM1979", 1.0, "merge")]
    assert rows(con, "SELECT new_code, kind FROM area_crosswalk WHERE old_code = 'GM0457' AND old_year = 2022") == [("GM0363", "merge")]
    assert rows(con, "SELECT kind FROM area_crosswalk WHERE old_code = 'GM0014' AND old_year = 2024") == [("unchanged",)]


def test_land_area_is_measured_in_an_equal_area_projection(con):
    (km2,) = rows(con, "SELECT land_area_km2 FROM areas WHERE area_code = 'GM0003' AND division_year = 2020")[0]
    assert 70 < km2 < 80  # a 0.1 x 0.1 degree cell near 52 N is about 6.9 km x 11.1 km


def test_a_wave_that_did_not_ask_a_question_has_no_rows(con):
    assert rows(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = "
                     "'meets_physical_activity_guideline' AND period = '2012'") == [(0,)]
    assert rows(con, "SELECT count(*) FROM indicator_values WHERE indicator_id = "
                     "'meets_physical_activity_guideline' AND period = '2016' AND level = 'gemeente'") == [(12,)]


def test_one_empty_modelled_estimate_is_suppressed_not_zero(con):
    assert rows(con, "SELECT value, status FROM indicator_values WHERE indicator_id = 'overweight' "
                     "AND area_code = 'GM0024' AND period = '2016' AND age_group = '18+'") == [(None, "suppressed")]
    assert rows(con, "SELECT value, status FROM indicator_values WHERE indicator_id = 'self_rated_health_good' "
                     "AND area_code = 'NL01' AND period = '2012' AND age_group = '18+'") == [(75.0, "modelled")]


def test_young_adult_values_absent_gemeente_is_missing_and_cg01_is_ignored(con):
    assert rows(con, "SELECT status, value FROM indicator_values WHERE indicator_id = 'ya_has_debts' "
                     "AND area_code = 'GM1979'") == [("missing", None)]
    assert rows(con, "SELECT count(*) FROM indicator_values WHERE area_code = 'CG01'") == [(0,)]
    assert rows(con, "SELECT status FROM indicator_values WHERE indicator_id = 'ya_has_debts' "
                     "AND area_code = 'GM0363'") == [("suppressed",)]
    assert rows(con, "SELECT level, division_year FROM indicator_values WHERE area_code = 'GG0111' "
                     "AND indicator_id = 'ya_has_debts'") == [("ggd_region", 2024)]


def test_cbs_dot_is_suppressed_and_provisional_period_is_the_year(con):
    assert rows(con, "SELECT period, value, status FROM indicator_values WHERE area_code = 'GM0363' "
                     "AND indicator_id = 'income_standardised_median'") == [("2024", None, "suppressed")]


def test_ggd_names_become_codes_and_decimal_commas_numbers(con):
    assert rows(con, "SELECT value FROM indicator_values WHERE area_code = 'GG0111' "
                     "AND indicator_id = 'gm2022_smoker'") == [(19.3,)]
    assert rows(con, "SELECT value, period FROM indicator_values WHERE area_code = 'GG3406' "
                     "AND indicator_id = 'life_expectancy_birth_men'") == [(80.0, "2019-2022")]


def test_shares_from_counts_and_density_are_derived(con):
    (pct,) = rows(con, "SELECT value FROM indicator_values WHERE area_code = 'GM1979' AND "
                       "indicator_id = 'population_65_plus_pct'")[0]
    assert pct == pytest.approx(12000 / 45000 * 100)
    (dens, km2) = rows(con, """SELECT v.value, a.land_area_km2 FROM indicator_values v JOIN areas a
                               USING (area_code, division_year)
                               WHERE v.area_code = 'GM0014' AND v.indicator_id = 'population_density'""")[0]
    assert dens == pytest.approx(240000 / km2)


def test_display_geometry_is_clockwise_rounded_wgs84(con):
    for (text,) in rows(con, "SELECT geojson FROM geometries"):
        geom = shape(json.loads(text))
        for poly in getattr(geom, "geoms", [geom]):
            assert not shapely.is_ccw(poly.exterior)
        coords = shapely.get_coordinates(geom)
        assert ((coords[:, 0] > 3) & (coords[:, 0] < 8)).all()
        assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_build_records_sources_with_checksums_and_a_build_row(con):
    srcs = rows(con, "SELECT count(*), count(sha256), min(length(sha256)) FROM sources")
    assert srcs == [(19, 19, 64)]
    (n, version, schema) = rows(con, "SELECT count(*), any_value(code_version), any_value(schema_version) FROM build_info")[0]
    assert n == 1 and version and schema == 1


def test_every_fixture_registry_indicator_has_values_and_no_tmp_file_is_left(con, fixture_db):
    assert rows(con, "SELECT count(*) FROM indicators i ANTI JOIN (SELECT DISTINCT indicator_id "
                     "FROM indicator_values WHERE value IS NOT NULL) v USING (indicator_id)") == [(0,)]
    assert not fixture_db.with_name(fixture_db.name + ".tmp").exists()
