"""Shared fixtures: `built_db` (the real database from the shared sources, built once per session),
`fixture_db` (built from the tiny files in tests/fixtures/sources), `good_db` + `setup` (a copy of
the fixture sources to damage beside a previously built database) and `serve_app` (the real
`healthgap serve` on a free loopback port)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from healthgap.build.pipeline import build_database
from healthgap.settings import PROJECT_ROOT, sources_dir

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


@pytest.fixture(scope="module")
def good_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("good") / "good.duckdb"
    build_database(FIXTURE_SOURCES, db, registry_file=FIXTURE_REGISTRY)
    return db


@pytest.fixture
def setup(tmp_path, good_db):
    """A copy of the fixture sources to damage and a previously built database."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_SOURCES, sources)
    db = tmp_path / "healthgap.duckdb"
    shutil.copy(good_db, db)
    return sources, db, db.read_bytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(base: str) -> int:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as r:
        return r.status


@contextlib.contextmanager
def serve_app(db: Path):
    """`healthgap serve` on 127.0.0.1 for `db`; yields (base URL, process), stops it after."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthgap.cli", "serve", "--port", str(port), "--db", str(db)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "HEALTHGAP_DB": str(db)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if health(base) == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"healthgap serve did not come up: {proc.stdout.read().decode()[-2000:]}")
    try:
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
