"""Every kind of bad input stops the build with a message naming the file, the place and what was
expected, and leaves the previous database byte-identical."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from conftest import FIXTURE_REGISTRY

from healthgap.build.errors import SourceError
from healthgap.build.pipeline import build_database, run_build

YA = "nl/health/rivm_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeente.csv"
RIVM = "nl/health/rivm_50090NED_gezondheid_gemeente_2012_2016_2020.csv"
INCOME = "nl/ses/cbs_inkomen_huishoudens_gemeente_2024voorlopig_tidy.csv"
KERN = "nl/ses/cbs_regionale_kerncijfers_gemeente_2025_tidy.csv"
MAP_2025 = "nl/boundaries/gemeente_2025.geojson"




def edit(sources: Path, rel: str, old: str, new: str) -> None:
    p = sources / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {rel}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails_and_keeps_db(sources: Path, db: Path, before: bytes, pattern: str) -> SourceError:
    with pytest.raises(SourceError, match=pattern) as info:
        build_database(sources, db, registry_file=FIXTURE_REGISTRY)
    assert db.read_bytes() == before
    assert not db.with_name(db.name + ".tmp").exists()
    return info.value


def test_unknown_area_code_is_rejected(setup):
    sources, db, before = setup
    edit(sources, YA, "GM0014    ;", "GM9999    ;")
    err = fails_and_keeps_db(sources, db, before, r"unknown area code 'GM9999': not an area of the 2024 division")
    assert err.path.endswith(YA) and err.where == "line 4"


def test_malformed_area_code_is_rejected(setup):
    sources, db, before = setup
    edit(sources, YA, "GM0014    ;", "GMXX14    ;")
    fails_and_keeps_db(sources, db, before, r"\(line 4, column RegioS\): malformed area code 'GMXX14'")


def test_duplicate_rows_are_rejected(setup):
    sources, db, before = setup
    edit(sources, YA, "3;T009002", "2;T009002;MW00000;GM0014    ;12.3;61.0\r\n3;T009002")
    fails_and_keeps_db(sources, db, before, r"duplicate row for area GM0014, period 2024, indicator ya_\w+, age 16-25")


def test_non_numeric_value_is_rejected(setup):
    sources, db, before = setup
    edit(sources, INCOME, "Particuliere huishoudens,130.2,35.0,30.2", "Particuliere huishoudens,130.2,35.0,abc")
    fails_and_keeps_db(sources, db, before, r"line 4, column med_gestandaardiseerd_inkomen_x1000eur\): "
                                            r"non-numeric value 'abc'")


def test_percentage_outside_0_to_100_is_rejected(setup):
    sources, db, before = setup
    edit(sources, YA, "GM0014    ;12.3", "GM0014    ;112.3")
    fails_and_keeps_db(sources, db, before, r"line 4, column HeeftSchulden_3\): percentage 112.3 outside 0-100")


def test_missing_required_column_is_rejected(setup):
    sources, db, before = setup
    edit(sources, YA, "HeeftSchulden_3", "Schulden")
    fails_and_keeps_db(sources, db, before, r"\(header\): required column\(s\) missing: HeeftSchulden_3")


def test_empty_file_is_rejected(setup):
    sources, db, before = setup
    (sources / KERN).write_text("", encoding="utf-8")
    fails_and_keeps_db(sources, db, before, r"cbs_regionale_kerncijfers_gemeente_2025_tidy.csv: file is empty")


def test_csv_cut_mid_row_is_rejected(setup):
    sources, db, before = setup
    p = sources / RIVM
    p.write_bytes(p.read_bytes()[:-40])
    fails_and_keeps_db(sources, db, before, r"\(line \d+\): \d+ fields where the header has 12; the file is truncated")


def test_truncated_json_is_rejected(setup):
    sources, db, before = setup
    p = sources / MAP_2025
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    fails_and_keeps_db(sources, db, before, r"gemeente_2025.geojson: invalid or truncated JSON")


def test_boundary_file_of_the_wrong_division_is_rejected(setup):
    sources, db, before = setup
    edit(sources, MAP_2025, '"statcode": "GM1979"', '"statcode": "GM0003"')
    edit(sources, MAP_2025, '"jrstatcode": "2025GM1979"', '"jrstatcode": "2025GM0003"')
    fails_and_keeps_db(sources, db, before, r"boundary codes do not match division year 2025 \(codes not "
                                            r"in the 2025 division: GM0003")


def test_missing_source_file_is_rejected(setup):
    sources, db, before = setup
    (sources / INCOME).unlink()
    fails_and_keeps_db(sources, db, before, r"file not found")


def test_cli_prints_the_error_and_exits_non_zero(setup, capsys, monkeypatch):
    sources, db, before = setup
    edit(sources, YA, "GM0014    ;", "GM9999    ;")
    monkeypatch.setattr("healthgap.build.pipeline.REGISTRY_FILE", FIXTURE_REGISTRY)
    code = run_build(argparse.Namespace(sources=str(sources), db=str(db)))
    err = capsys.readouterr().err
    assert code == 1
    assert "unknown area code 'GM9999'" in err and "was not changed" in err
    assert db.read_bytes() == before


def test_a_good_build_replaces_the_database(setup):
    sources, db, before = setup
    edit(sources, INCOME, "130.2,35.0,30.2", "130.2,35.0,30.4")
    build_database(sources, db, registry_file=FIXTURE_REGISTRY)
    assert db.read_bytes() != before
