"""data/sources.toml: complete, unique, and describing the files in the reference folder."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import PurePosixPath

import pytest

from healthgap import fetch, settings

MANIFEST_TEXT = fetch.MANIFEST.read_text(encoding="utf-8")
ENTRIES = tomllib.loads(MANIFEST_TEXT)["sources"]
# Parser names the build reads (healthgap/build); a new parser needs a reader there first.
KNOWN_PARSERS = {
    "rivm_50090", "rivm_50140", "cbs_gm2022_ggd", "vzinfo_lv", "cbs_inkomen_tidy",
    "cbs_kerncijfers_tidy", "geojson_statcode", "topojson_minvws", "topojson_statcode",
    "nl_codes_by_year", "nl_region_lookup", "nl_changes",
    # Belgium
    "be_municipality_codes", "be_refnis", "be_linguistic_regime", "be_geojson_nis",
    "be_statbel_income", "be_statbel_income_2023", "be_statbel_population",
    "be_statbel_households_cars", "be_bimd_municipality", "be_bimd_sector",
    "be_bimd_sector_without_health", "be_vaccinnet_covid19", "be_sciensano_covid19_cases",
}


def test_every_entry_has_every_required_key():
    for sid, entry in ENTRIES.items():
        missing = [k for k in fetch.REQUIRED_KEYS if k not in entry]
        assert not missing, f"{sid} lacks {missing}"
        for key in ("publisher", "title", "licence", "attribution", "notes", "verified", "period"):
            assert isinstance(entry[key], str) and entry[key].strip(), f"{sid}: empty {key}"


def test_source_ids_are_unique_and_follow_the_country_prefix():
    ids = re.findall(r"^\[sources\.([A-Za-z0-9_]+)\]\s*$", MANIFEST_TEXT, flags=re.M)
    assert len(ids) == len(set(ids)) == len(ENTRIES)
    for sid in ids:
        assert sid.startswith(ENTRIES[sid]["country"].lower() + "_"), sid


def test_paths_are_unique_relative_and_inside_their_country_folder():
    paths = [e["path"] for e in ENTRIES.values()]
    assert len(paths) == len(set(paths))
    for sid, entry in ENTRIES.items():
        path = PurePosixPath(entry["path"])
        assert not path.is_absolute() and ".." not in path.parts, sid
        assert path.parts[0] == entry["country"].lower(), sid


def test_licences_and_attributions_are_stated():
    for sid, entry in ENTRIES.items():
        # Some Belgian copies state no licence (SOURCES.md); the manifest says so in words.
        assert ("CC BY" in entry["licence"] or "EUPL" in entry["licence"]
                or (entry["country"] == "BE" and "licence not stated" in entry["licence"])), sid
        assert entry["attribution"].startswith("Bron:"), sid


def test_parsers_are_ones_the_build_knows():
    assert {e["parser"] for e in ENTRIES.values()} <= KNOWN_PARSERS


def test_origins_are_complete_for_their_kind():
    for sid, entry in ENTRIES.items():
        origin = entry["origin"]
        assert origin["kind"] in fetch.ORIGIN_KINDS, sid
        if origin["kind"] == "https":
            assert origin["url"].startswith("https://"), sid
        elif origin["kind"] == "statline":
            assert origin["catalog"] in {"opendata.cbs.nl", "dataderden.cbs.nl"}, sid
            assert re.fullmatch(r"\d{5}NED", origin["table"]), sid
        elif origin["kind"] == "statbel":
            from healthgap.statbel_formats import CONVERTERS, origin_urls

            assert origin["convert"] in CONVERTERS, sid
            assert all(u.startswith("https://statbel.fgov.be/") for u in origin_urls(origin)), sid
        else:
            assert origin["derive"].strip(), sid


def test_division_year_is_an_integer_when_present():
    for sid, entry in ENTRIES.items():
        if "division_year" in entry:
            assert isinstance(entry["division_year"], int) and 2000 < entry["division_year"] < 2100, sid


def test_checksums_look_like_sha256():
    for sid, entry in ENTRIES.items():
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]), sid
        assert isinstance(entry["bytes"], int) and entry["bytes"] > 0, sid


def test_loader_reads_every_entry():
    assert set(fetch.load_manifest()) == set(ENTRIES)


@pytest.mark.shared_data
@pytest.mark.parametrize("sid", sorted(ENTRIES))
def test_reference_file_exists_with_the_recorded_checksum_and_size(sid):
    entry = ENTRIES[sid]
    root = settings.sources_dir()
    if not root.is_dir():
        pytest.skip(f"no sources folder at {root} (put ../shared/data beside the checkout)")
    file = root / entry["path"]
    assert file.is_file(), f"{sid}: {file} missing"
    data = file.read_bytes()
    assert len(data) == entry["bytes"], sid
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], sid
