"""Writing the database: schema.sql, then the tables, into `<db>.tmp`, CHECKPOINT, close and
`os.replace` — an open reader keeps the old file and a failed build leaves it untouched."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 1

TABLE_ORDER = ["areas", "area_crosswalk", "geometries", "indicators", "indicator_values",
               "sources", "build_info"]


def write_database(db_path: Path, tables: dict[str, pd.DataFrame]) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
            for name in TABLE_ORDER:
                df = tables[name]
                cols = [r[0] for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position", [name]).fetchall()]
                con.register("incoming", df[cols])
                con.execute(f"INSERT INTO {name} SELECT * FROM incoming")  # name from TABLE_ORDER
                con.unregister("incoming")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
