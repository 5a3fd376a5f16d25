"""Faults during `healthgap data build`: a build killed halfway and damaged source files.

A killed build must leave the previous database byte-identical and usable, and the next build
must clean up after it. Source files that are cut off, not of their format or empty must stop the
build with a SourceError naming the file, with nothing replaced (tests/test_build_errors.py covers
wrong values inside well-formed files; this file covers broken files).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURE_REGISTRY

from healthgap import store
from healthgap.build.errors import SourceError
from healthgap.build.pipeline import build_database
from healthgap.settings import PROJECT_ROOT

YA = "nl/health/rivm_50140NED_gezondheidsmonitor_jongvolwassenen_2024_gemeente.csv"
RIVM = "nl/health/rivm_50090NED_gezondheid_gemeente_2012_2016_2020.csv"
INCOME = "nl/ses/cbs_inkomen_huishoudens_gemeente_2024voorlopig_tidy.csv"
MAP_2025 = "nl/boundaries/gemeente_2025.geojson"

# Runs `healthgap data build` with the fixture registry and one hook that stops the process at a
# chosen moment: it writes a marker file and sleeps, so the test can SIGKILL it exactly there.
#   "mid-write": after the first tables were inserted into <db>.tmp
#   "before-replace": <db>.tmp complete and checkpointed, os.replace not yet done
BUILD_WITH_HOOK = r"""
import sys, time, types
from pathlib import Path
import healthgap.build.pipeline as pipeline
import healthgap.build.writer as writer
from healthgap.cli import main

point, marker, registry = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
pipeline.REGISTRY_FILE = registry

def stop_here():
    marker.write_text("ready")
    time.sleep(600)

if point == "mid-write":
    class Order(list):
        def __iter__(self):
            for i, name in enumerate(list.__iter__(self)):
                if i == 3:
                    stop_here()
                yield name
    writer.TABLE_ORDER = Order(writer.TABLE_ORDER)
elif point == "before-replace":
    writer.os = types.SimpleNamespace(replace=lambda *a: stop_here())
sys.exit(main(["data", "build", "--sources", sys.argv[4], "--db", sys.argv[5]]))
"""




def tmp_of(db: Path) -> Path:
    return db.with_name(db.name + ".tmp")


def kill_build_at(point: str, sources: Path, db: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"{point}.marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD_WITH_HOOK, point, str(marker), str(FIXTURE_REGISTRY),
         str(sources), str(db)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while not marker.exists():
            if proc.poll() is not None:
                pytest.fail(f"build ended before {point}: {proc.stdout.read().decode()[-2000:]}")
            if time.time() > deadline:
                pytest.fail(f"build never reached {point}")
            time.sleep(0.05)
        assert tmp_of(db).exists(), "the build should be writing <db>.tmp at this point"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", ["mid-write", "before-replace"])
def test_build_killed_halfway_keeps_the_previous_database_and_the_next_build_cleans_up(
        setup, tmp_path, point):
    sources, db, before = setup
    (sources / INCOME).write_text((sources / INCOME).read_text(encoding="utf-8")
                                  .replace("130.2,35.0,30.2", "130.2,35.0,30.4", 1), encoding="utf-8")

    kill_build_at(point, sources, db, tmp_path)

    # the previous database: same bytes, opens, and the app's store reads it
    assert db.read_bytes() == before
    s = store.connect(db)
    try:
        assert s.is_current()
        assert len(store.indicator_catalog(s)) > 0
    finally:
        s.con.close()
    # the killed build's half file is never what is served: the app opens only <db> itself
    assert tmp_of(db).exists()

    # the next build removes the stale .tmp (and its WAL) and replaces the database
    build_database(sources, db, registry_file=FIXTURE_REGISTRY)
    assert db.read_bytes() != before
    assert not tmp_of(db).exists()
    assert not db.with_name(db.name + ".tmp.wal").exists()
    s = store.connect(db)
    s.con.close()


# ---------------------------------------------------------------------------------------------
# Broken source files


def _truncate_mid_line(p: Path) -> None:
    data = p.read_bytes()
    lines = data.splitlines(keepends=True)
    # keep the header and half the rows, then half of the next line (no newline at the end)
    keep = max(2, len(lines) // 2)
    p.write_bytes(b"".join(lines[:keep]) + lines[keep][: len(lines[keep]) // 2])


def _not_json(p: Path) -> None:
    p.write_text("<html><body>502 Bad Gateway</body></html>\n", encoding="utf-8")


def _binary(p: Path) -> None:
    p.write_bytes(bytes(range(256)) * 64)


def _zip_named_csv(p: Path) -> None:
    p.write_bytes(b"PK\x03\x04" + bytes(200))  # an xlsx/zip saved under the .csv name


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _only_header(p: Path) -> None:
    p.write_bytes(p.read_bytes().splitlines(keepends=True)[0])


def _utf16(p: Path) -> None:
    p.write_bytes(p.read_text(encoding="utf-8-sig").encode("utf-16"))


def _geojson_not_a_feature_collection(p: Path) -> None:
    p.write_text('{"type": "Point", "coordinates": [5.1, 52.1]}', encoding="utf-8")


def _json_array(p: Path) -> None:
    p.write_text("[1, 2, 3]", encoding="utf-8")


BROKEN = [
    (RIVM, _truncate_mid_line),
    (YA, _truncate_mid_line),
    (INCOME, _truncate_mid_line),
    (RIVM, _binary),
    (YA, _zip_named_csv),
    (INCOME, _binary),
    (RIVM, _empty),
    (YA, _empty),
    (YA, _only_header),
    (RIVM, _utf16),
    (MAP_2025, _not_json),
    (MAP_2025, _binary),
    (MAP_2025, _empty),
    (MAP_2025, _geojson_not_a_feature_collection),
    (MAP_2025, _json_array),
]


@pytest.mark.parametrize(("rel", "damage"), BROKEN,
                         ids=[f"{Path(r).stem[:24]}-{d.__name__.strip('_')}" for r, d in BROKEN])
def test_a_broken_source_file_stops_the_build_naming_the_file_and_replaces_nothing(
        setup, rel, damage):
    sources, db, before = setup
    damage(sources / rel)
    with pytest.raises(SourceError) as info:
        build_database(sources, db, registry_file=FIXTURE_REGISTRY)
    err = info.value
    assert err.path.endswith(Path(rel).name), str(err)
    assert err.problem and "Traceback" not in str(err)
    assert db.read_bytes() == before
    assert not tmp_of(db).exists()


def test_the_cli_reports_a_broken_file_in_one_message_and_exits_1(setup):
    sources, db, before = setup
    _binary(sources / RIVM)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    code = (
        "import sys, healthgap.build.pipeline as p; from pathlib import Path;"
        f"p.REGISTRY_FILE = Path({str(FIXTURE_REGISTRY)!r});"
        "from healthgap.cli import main;"
        f"sys.exit(main(['data', 'build', '--sources', {str(sources)!r}, '--db', {str(db)!r}]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert Path(RIVM).name in out.stderr and "was not changed" in out.stderr
    assert db.read_bytes() == before
