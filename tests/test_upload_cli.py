"""`healthgap data add`: checks against the real built database (opened read-only, left
byte-identical), writes the user database atomically, refuses rejected rows unless told."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pytest

from healthgap import settings, store
from healthgap.build import writer
from healthgap.cli import main
from healthgap.upload import spec, userdb

pytestmark = pytest.mark.shared_data

GOOD = ("area_code;period;indicator_id;indicator_name;value;unit;polarity\r\n"
        "GM0363;2023;eigen_eenzaam;Eenzaam;45,2;percent;low_is_good\r\n"
        "GM0599;2023;eigen_eenzaam;Eenzaam;48,9;percent;low_is_good\r\n")
MIXED = GOOD + "GM9999;2023;eigen_eenzaam;Eenzaam;40;percent;low_is_good\r\n"


@pytest.fixture(scope="module")
def db_file(request) -> Path:
    override = os.environ.get("HEALTHGAP_TEST_DB")
    return Path(override) if override else Path(request.getfixturevalue("built_db"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(tmp_path, db_file, content: bytes | str, *extra: str, name="eigen.csv") -> int:
    f = tmp_path / name
    f.write_bytes(content.encode() if isinstance(content, str) else content)
    return main(["data", "add", str(f), "--db", str(db_file), "--user-db",
                 str(tmp_path / "user.duckdb"), *extra])


def user_rows(tmp_path) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "user.duckdb"), read_only=True)
    try:
        return con.execute("SELECT indicator_id, area_code, division_year, value, source_id "
                           "FROM indicator_values ORDER BY area_code").fetchall()
    finally:
        con.close()


def test_add_writes_the_user_db_and_never_the_built_db(tmp_path, db_file, capsys):
    before = sha(db_file)
    assert add(tmp_path, db_file, GOOD) == 0
    assert sha(db_file) == before
    out = capsys.readouterr().out
    assert "2 rijen gelezen, 2 goed, 0 afgekeurd" in out and "toegevoegd" in out
    rows = user_rows(tmp_path)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("eigen_eenzaam", "GM0363", 2025, 45.2), ("eigen_eenzaam", "GM0599", 2025, 48.9)]
    assert (tmp_path / "eigen.csv.rapport.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    con = duckdb.connect(str(tmp_path / "user.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert tables == {"indicators", "indicator_values", "sources"}


def test_rejected_rows_refuse_the_add_unless_accept_valid(tmp_path, db_file, capsys):
    assert add(tmp_path, db_file, GOOD) == 0
    previous = sha(tmp_path / "user.duckdb")
    built = sha(db_file)
    report = tmp_path / "r.csv"
    assert add(tmp_path, db_file, MIXED.replace("eigen_eenzaam", "eigen_b"),
               "--report", str(report)) == 1
    captured = capsys.readouterr()
    assert "rij 4, kolom area_code" in captured.out and "--accept-valid" in captured.err
    assert sha(tmp_path / "user.duckdb") == previous and sha(db_file) == built
    assert "GM9999" in report.read_text(encoding="utf-8-sig")
    assert add(tmp_path, db_file, MIXED.replace("eigen_eenzaam", "eigen_b"), "--accept-valid") == 0
    assert {r[0] for r in user_rows(tmp_path)} == {"eigen_eenzaam", "eigen_b"}
    assert sha(db_file) == built


def test_re_adding_an_indicator_replaces_its_rows(tmp_path, db_file, capsys):
    assert add(tmp_path, db_file, GOOD) == 0
    assert add(tmp_path, db_file, GOOD.replace("45,2", "41").replace("GM0599", "GM0344")) == 0
    assert "vervangen" in capsys.readouterr().out
    rows = user_rows(tmp_path)
    assert [(r[1], r[3]) for r in rows] == [("GM0344", 48.9), ("GM0363", 41.0)]
    con = duckdb.connect(str(tmp_path / "user.duckdb"), read_only=True)
    sources = con.execute("SELECT source_id FROM sources").fetchall()
    con.close()
    assert sources == [(rows[0][4],)]  # the replaced upload's source is gone


def test_a_failed_add_leaves_the_user_db_byte_identical(tmp_path, db_file, monkeypatch):
    assert add(tmp_path, db_file, GOOD) == 0
    previous = sha(tmp_path / "user.duckdb")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(writer, "replace_user_upload", broken)
    with pytest.raises(RuntimeError):
        add(tmp_path, db_file, GOOD.replace("eigen_eenzaam", "eigen_c"))
    assert sha(tmp_path / "user.duckdb") == previous
    assert not (tmp_path / "user.duckdb.tmp").exists()


def test_unreadable_files_and_builtin_ids_are_refused(tmp_path, db_file, capsys):
    built = sha(db_file)
    assert add(tmp_path, db_file, os.urandom(2000) + b"\0", name="x.csv") == 1
    assert "geen tabel" in capsys.readouterr().err
    assert add(tmp_path, db_file, GOOD.replace("eigen_eenzaam", "obesity"), "--accept-valid") == 1
    assert "eigen_obesity" in capsys.readouterr().out
    assert not (tmp_path / "user.duckdb").exists() and sha(db_file) == built


def test_template_files_add_cleanly(tmp_path, db_file):
    assert add(tmp_path, db_file, spec.template_excel(), name="sjabloon.xlsx") == 0
    assert len(user_rows(tmp_path)) == 3


def test_the_user_db_shows_through_the_overlay(tmp_path, db_file):
    assert add(tmp_path, db_file, GOOD) == 0
    s = store.connect_overlay(db_file, tmp_path / "user.duckdb")
    try:
        cat = store.indicator_catalog(s)
        assert "eigen_eenzaam" in set(cat["indicator_id"])
        assert store.value_of(s, "GM0363", "eigen_eenzaam", "2023", "all") is not None
    finally:
        s.con.close()


def test_user_db_path_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("HEALTHGAP_USER_DB", raising=False)
    assert userdb.user_db_path() == settings.DEFAULT_USER_DB
    monkeypatch.setenv("HEALTHGAP_USER_DB", str(tmp_path / "u.duckdb"))
    assert userdb.user_db_path() == tmp_path / "u.duckdb"
