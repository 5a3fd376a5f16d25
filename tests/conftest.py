"""Shared fixtures: `built_db` (the real database from the shared sources, built once per session)
and `fixture_db` (built from the tiny files in tests/fixtures/sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthgap.build.pipeline import build_database
from healthgap.settings import sources_dir

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SOURCES = FIXTURES / "sources"
FIXTURE_REGISTRY = FIXTURES / "catalog" / "indicators.toml"
# One file every real sources folder has; its absence means the shared data is not beside the checkout.
SHARED_MARKER = Path("nl") / "health" / "rivm_50090NED_gezondheid_gemeente_2012_2016_2020.csv"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """Path of a database built from `healthgap.settings.sources_dir()` (../shared/data or
    HEALTHGAP_SOURCES), once per test session."""
    src = sources_dir()
    if not (src / SHARED_MARKER).is_file():
        pytest.skip(f"shared data not found in {src}: put ../shared/data beside the checkout or set "
                    "HEALTHGAP_SOURCES")
    db = tmp_path_factory.mktemp("built_db") / "healthgap.duckdb"
    build_database(src, db)
    return db


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """Path of a database built from tests/fixtures/sources with tests/fixtures/catalog."""
    db = tmp_path_factory.mktemp("fixture_db") / "healthgap.duckdb"
    build_database(FIXTURE_SOURCES, db, registry_file=FIXTURE_REGISTRY)
    return db
