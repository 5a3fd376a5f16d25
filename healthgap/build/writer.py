"""Writing the database: schema.sql, then the tables, into `<db>.tmp`, CHECKPOINT, close and
`os.replace` — an open reader keeps the old file and a failed build leaves it untouched."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 1

TABLE_ORDER = ["areas", "area_crosswalk", "geometries", "indicators", "indicator_values",
               "sources", "build_info"]


USER_TABLES = ("indicators", "indicator_values", "sources")  # what `healthgap data add` writes


def insert_frame(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    """Append `df` to table `name` in the table's own column order (`name` is always one of
    TABLE_ORDER, never user text; the rows travel as a registered frame, not as SQL)."""
    if name not in TABLE_ORDER:
        raise ValueError(f"not a database table: {name}")
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [name]).fetchall()]
    con.register("incoming", df[cols])
    con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
    con.unregister("incoming")


@contextlib.contextmanager
def atomic_database(db_path: Path, seed: Path | None = None):
    """A connection to `<db>.tmp` (a copy of `seed` when it exists); when the block succeeds:
    CHECKPOINT, close and `os.replace` over `db_path`. On any failure the tmp (and its WAL) is
    removed and `db_path` is untouched; an open reader keeps the old file either way."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    for stale in (tmp, wal):
        stale.unlink(missing_ok=True)
    try:
        if seed is not None and seed.exists():
            shutil.copy2(seed, tmp)
        con = duckdb.connect(str(tmp))
        try:
            yield con
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        raise


def write_database(db_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    with atomic_database(db_path) as con:
        con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
        for name in TABLE_ORDER:
            insert_frame(con, name, tables[name])


def create_user_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables indicators, indicator_values and sources exactly as in build/schema.sql."""
    schema = SCHEMA_FILE.read_text(encoding="utf-8")
    schema = re.sub(r"--[^\n]*", "", schema)
    for statement in schema.split(";"):
        m = re.search(r"CREATE\s+TABLE\s+(\w+)", statement)
        if m and m.group(1) in USER_TABLES:
            con.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))


def replace_user_upload(con: duckdb.DuckDBPyConnection, values: pd.DataFrame,
                        indicators: pd.DataFrame, source: dict) -> list[str]:
    """Insert an upload into a user database; an indicator already there loses its old rows
    (and a source no longer used is dropped). Returns the indicator ids that were replaced."""
    ids = sorted(set(indicators["indicator_id"]))
    replaced = [r[0] for r in con.execute(
        "SELECT indicator_id FROM indicators WHERE list_contains(?, indicator_id) ORDER BY 1",
        [ids]).fetchall()]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM indicator_values WHERE list_contains(?, indicator_id)", [ids])
        con.execute("DELETE FROM indicators WHERE list_contains(?, indicator_id)", [ids])
        con.execute("DELETE FROM sources WHERE source_id = ?", [source["source_id"]])
        insert_frame(con, "sources", pd.DataFrame([source]))
        insert_frame(con, "indicators", indicators)
        insert_frame(con, "indicator_values", values)
        con.execute("DELETE FROM sources WHERE source_id NOT IN (SELECT source_id FROM indicators) "
                    "AND source_id NOT IN (SELECT source_id FROM indicator_values)")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return replaced
