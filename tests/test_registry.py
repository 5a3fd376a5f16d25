"""The indicator registry and source manifest load, validate, and reject bad entries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from healthgap.build.parsers import load_all
from healthgap.registry import (
    AGE_GROUPS,
    RegistryError,
    load_registry,
    load_sources,
    validate_indicator,
)


@pytest.fixture(scope="module")
def sources():
    return load_sources()


@pytest.fixture(scope="module")
def registry(sources):
    return load_registry(known_sources=set(sources))


def test_every_registry_entry_passes_validation(registry, sources):
    for ind in registry.values():
        validate_indicator(ind, set(sources))


def test_all_35_adult_indicators_of_50090ned_are_registered_for_gemeente_and_wijk(registry):
    adult = [i for i in registry.values() if "nl_rivm_50090_gemeente" in i.columns]
    assert len(adult) == 35
    assert all(i.columns["nl_rivm_50090_wijk"] == i.columns["nl_rivm_50090_gemeente"] for i in adult)
    assert all(i.modelled for i in adult)
    numbers = sorted(int(i.columns["nl_rivm_50090_gemeente"].rsplit("_", 1)[1]) for i in adult)
    assert numbers == list(range(4, 39))


def test_at_least_40_young_adult_indicators_with_their_own_ids(registry):
    young = [i for i in registry.values() if "nl_rivm_50140_jongvolwassenen" in i.columns]
    assert len(young) >= 40
    assert all(i.id.startswith("ya_") and i.age_groups == ("16-25",) for i in young)


def test_income_population_life_expectancy_and_gm2022_are_covered(registry):
    for ind_id in ("income_standardised_median", "income_disposable_mean", "population_total",
                   "population_65_plus_pct", "population_80_plus_pct", "population_under_20_pct",
                   "households_total", "one_person_households_pct", "average_household_size",
                   "population_density", "life_expectancy_birth", "life_expectancy_65"):
        assert ind_id in registry
    assert registry["population_density"].derived
    assert len([i for i in registry.values() if "nl_cbs_gezondheidsmonitor_2022_ggd" in i.columns]) == 8


def test_labels_are_translated_not_copied(registry):
    for ind in registry.values():
        assert len({ind.label_nl, ind.label_en, ind.label_fr}) == 3, ind.id


def test_every_indicator_source_is_in_the_manifest_and_every_parser_exists(registry, sources):
    parsers = load_all()
    for s in sources.values():
        assert s.parser in parsers, s.id
    for ind in registry.values():
        assert set(ind.columns) <= set(sources)
        assert ind.source_id in sources
        assert set(ind.age_groups) <= set(AGE_GROUPS)


def test_identical_label_copies_are_rejected(registry):
    ind = registry["self_rated_health_good"]
    with pytest.raises(RegistryError, match="translations, not identical copies"):
        validate_indicator(replace(ind, label_fr=ind.label_en))


def test_unknown_theme_and_missing_language_are_rejected(registry):
    ind = registry["self_rated_health_good"]
    with pytest.raises(RegistryError, match="theme 'health' is not one of"):
        validate_indicator(replace(ind, theme="health"))
    with pytest.raises(RegistryError, match="label_fr is empty"):
        validate_indicator(replace(ind, label_fr=" "))


def test_a_registry_file_with_a_missing_field_fails_loudly(tmp_path: Path):
    bad = tmp_path / "indicators.toml"
    bad.write_text('[x_rate]\nlabel_nl = "a"\nlabel_en = "b"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match=r"\[x_rate\]: missing field\(s\) label_fr"):
        load_registry(bad)


def test_a_column_for_an_unknown_source_is_rejected(registry):
    ind = registry["population_total"]
    with pytest.raises(RegistryError, match="unknown source 'nl_nowhere'"):
        validate_indicator(replace(ind, columns={"nl_nowhere": "x"}), {"nl_cbs_kerncijfers_2025"})
