"""The one data-access module: every SQL statement the dashboard reads with lives here.

Pages and UI helpers call the named functions below with a `Store` (one read-only DuckDB
connection). Rules that keep DuckDB 2.0 safe under Streamlit (see shared/ECOSYSTEM.md):
- a connection is not thread-safe, so every query runs on its own `cursor()`;
- `execute()` streams, so each query is fetched completely before the next one starts;
- the build replaces the file atomically, so `Store.is_current()` tells the cache layer to reopen.
Queries are parameterised; the only text ever formatted into SQL is a fixed column list.
Functions return pandas DataFrames (or plain values) and never import streamlit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd


class DatabaseUnavailable(RuntimeError):
    """The database file is missing, unreadable or not a healthgap database."""


@dataclass(frozen=True)
class Store:
    path: Path
    con: duckdb.DuckDBPyConnection
    signature: tuple[int, int, int]  # (inode, mtime_ns, size) of the file when it was opened
    extra_key: str = ""  # what the user added on top of the built database (overlay stores)

    def query(self, sql: str, params: list | tuple | dict | None = None) -> pd.DataFrame:
        cur = self.con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: list | tuple | dict | None = None) -> list[tuple]:
        cur = self.con.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def is_current(self) -> bool:
        """False when the file was rebuilt (atomic replace) or removed since it was opened."""
        try:
            return file_signature(self.path) == self.signature
        except DatabaseUnavailable:
            return False

    @property
    def key(self) -> str:
        """A short text that changes whenever the database file changes (cache key, file names)."""
        return f"{self.base_key}-{self.extra_key}" if self.extra_key else self.base_key

    @property
    def base_key(self) -> str:
        """Changes only with the built file (geometry files are named by it, never by uploads)."""
        ino, mtime, size = self.signature
        return f"{ino:x}{mtime:x}{size:x}"[-12:]


def file_signature(path: Path) -> tuple[int, int, int]:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"De database {path} bestaat niet. Bouw hem met `healthgap data build` "
            f"of start het dashboard met `healthgap serve`."
        ) from exc
    return (st.st_ino, st.st_mtime_ns, st.st_size)


REQUIRED_TABLES = ("areas", "indicators", "indicator_values", "sources", "geometries")


def connect(path: str | os.PathLike) -> Store:
    """Open the database read-only; raise DatabaseUnavailable with a plain reason otherwise."""
    path = Path(path)
    signature = file_signature(path)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"De database {path} kan niet worden geopend: {exc}") from exc
    store = Store(path=path, con=con, signature=signature)
    present = {r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")}
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        con.close()
        raise DatabaseUnavailable(
            f"De database {path} mist de tabellen {', '.join(missing)}; bouw hem opnieuw met "
            f"`healthgap data build`."
        )
    return store


# --- the user's own figures on top of the built database ---------------------------------------

USER_TABLES = ("indicators", "indicator_values", "sources")  # the tables users can add rows to
BASE_ONLY_TABLES = ("areas", "area_crosswalk", "geometries", "build_info")


def connect_overlay(path: str | os.PathLike, user_db: str | os.PathLike | None = None,
                    uploads: dict[str, pd.DataFrame] | None = None, extra_key: str = "") -> Store:
    """The built database with the user's own figures added, read through one connection.

    An in-memory DuckDB attaches the built file (and the analyst's user database from
    `healthgap data add`, when given) read-only and keeps this session's uploads in its own
    memory; views named like the built tables show base + user rows, so every function in this
    module works unchanged. Nothing is ever written to either file, and another session never
    sees this session's uploads (each session has its own overlay connection).
    `uploads` maps table name (USER_TABLES) to a validated DataFrame with that table's columns.
    """
    path = Path(path)
    signature = file_signature(path)
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS base (READ_ONLY)", [str(path)])
        sources = ["base"]
        if user_db is not None and Path(user_db).is_file():
            con.execute("ATTACH ? AS userdb (READ_ONLY)", [str(user_db)])
            present = {r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'userdb'"
            ).fetchall()}
            if set(USER_TABLES) <= present:
                sources.append("userdb")
        for table in USER_TABLES:
            # an empty copy of the built table's columns and types, filled with the uploads
            con.execute(f"CREATE TABLE upload_{table} AS SELECT * FROM base.{table} LIMIT 0")
            frame = (uploads or {}).get(table)
            if frame is not None and len(frame):
                con.register("incoming", frame)
                con.execute(f"INSERT INTO upload_{table} BY NAME SELECT * FROM incoming")
                con.unregister("incoming")
            parts = [f"SELECT * FROM {db}.{table}" for db in sources]
            parts.append(f"SELECT * FROM upload_{table}")
            con.execute(f"CREATE VIEW {table} AS " + " UNION ALL BY NAME ".join(parts))
        for table in BASE_ONLY_TABLES:
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM base.{table}")
    except duckdb.Error as exc:
        con.close()
        raise DatabaseUnavailable(f"De database {path} kan niet worden geopend met uw eigen "
                                  f"gegevens erbij: {exc}") from exc
    return Store(path=path, con=con, signature=signature, extra_key=extra_key)


def all_areas(store: Store) -> pd.DataFrame:
    """Every area of every division (for checking uploaded area codes)."""
    return store.query(
        "SELECT area_code, name, level, division_year FROM areas ORDER BY area_code, division_year")


# --- registry and metadata --------------------------------------------------------------------


def indicator_catalog(store: Store, country: str = "NL") -> pd.DataFrame:
    """Every indicator of one country (that of its footer source) with its registry fields plus
    the periods, age groups and levels it has."""
    return store.query(
        """
        SELECT i.*, a.periods, a.age_groups, a.levels, a.division_years
        FROM indicators i
        LEFT JOIN (
            SELECT indicator_id,
                   list_sort(list_distinct(list(period))) AS periods,
                   list_sort(list_distinct(list(age_group))) AS age_groups,
                   list_sort(list_distinct(list(level))) AS levels,
                   list_sort(list_distinct(list(division_year))) AS division_years
            FROM indicator_values WHERE value IS NOT NULL GROUP BY indicator_id
        ) a USING (indicator_id)
        WHERE i.source_id IN (SELECT source_id FROM sources WHERE country = ?)
        ORDER BY i.theme, i.label_nl
        """,
        [country],
    )


def indicator(store: Store, indicator_id: str) -> dict | None:
    df = store.query("SELECT * FROM indicators WHERE indicator_id = ?", [indicator_id])
    return None if df.empty else df.iloc[0].to_dict()


def periods_for(store: Store, indicator_id: str, level: str = "gemeente") -> pd.DataFrame:
    """Periods and age groups with at least one value at `level`, newest period first."""
    return store.query(
        """
        SELECT period, age_group, division_year, count(value) AS n_values
        FROM indicator_values
        WHERE indicator_id = ? AND level = ?
        GROUP BY period, age_group, division_year
        HAVING count(value) > 0
        ORDER BY period DESC, age_group
        """,
        [indicator_id, level],
    )


def sources(store: Store, source_ids: list[str] | None = None) -> pd.DataFrame:
    if source_ids is None:
        return store.query("SELECT * FROM sources ORDER BY country, publisher, source_id")
    return store.query(
        "SELECT * FROM sources WHERE list_contains(?, source_id) ORDER BY publisher, source_id",
        [list(source_ids)],
    )


def build_info(store: Store) -> dict:
    df = store.query("SELECT * FROM build_info ORDER BY built_at DESC LIMIT 1")
    return {} if df.empty else df.iloc[0].to_dict()


# --- areas ------------------------------------------------------------------------------------


def area(store: Store, code: str, division_year: int | None = None) -> dict | None:
    """One area; the newest division holding the code unless `division_year` is given."""
    df = store.query(
        """
        SELECT * FROM areas WHERE area_code = ? AND (? IS NULL OR division_year = ?)
        ORDER BY division_year DESC LIMIT 1
        """,
        [code, division_year, division_year],
    )
    return None if df.empty else df.iloc[0].to_dict()


def areas(store: Store, level: str, division_year: int, country: str = "NL") -> pd.DataFrame:
    """Areas of one level and division of one country (NL and BE share division years)."""
    return store.query(
        """
        SELECT area_code, name, parent_code, province_code, ggd_code, land_area_km2,
               name_fr, name_de, name_nl, region_code
        FROM areas WHERE level = ? AND division_year = ? AND country = ? ORDER BY name
        """,
        [level, division_year, country],
    )


def division_years(store: Store, level: str = "gemeente", country: str = "NL") -> list[int]:
    return [r[0] for r in store.rows(
        "SELECT DISTINCT division_year FROM areas WHERE level = ? AND country = ? ORDER BY 1",
        [level, country])]


def crosswalk(store: Store, country: str | None = "NL") -> pd.DataFrame:
    """The merger table of one country (None: all), with the names of both codes."""
    return store.query(
        """
        SELECT c.*, o.name AS old_name, n.name AS new_name
        FROM area_crosswalk c
        LEFT JOIN areas o ON o.area_code = c.old_code AND o.division_year = c.old_year
        LEFT JOIN areas n ON n.area_code = c.new_code AND n.division_year = c.new_year
        WHERE c.kind <> 'unchanged' AND (?::VARCHAR IS NULL OR o.country = ?)
        ORDER BY c.old_year, c.old_code, c.share_of_old DESC
        """,
        [country, country],
    )


def search_areas(store: Store, text: str, level: str = "gemeente", limit: int = 20,
                 country: str = "NL") -> pd.DataFrame:
    """Areas whose current or former name contains `text` (case-insensitive).

    A former name (from area_crosswalk) returns the successor with `matched_name` set to the old
    name, so searching "Appingedam" finds Eemsdelta.
    """
    pattern = f"%{text.strip()}%"
    return store.query(
        """
        WITH direct AS (
            SELECT area_code, name, division_year, name AS matched_name, 0 AS via_old
            FROM areas WHERE level = ? AND country = ?
              AND (name ILIKE ? OR name_nl ILIKE ? OR name_fr ILIKE ? OR name_de ILIKE ?)
        ), former AS (
            SELECT n.area_code, n.name, n.division_year, o.name AS matched_name, 1 AS via_old
            FROM area_crosswalk c
            JOIN areas o ON o.area_code = c.old_code AND o.division_year = c.old_year
            JOIN areas n ON n.area_code = c.new_code AND n.division_year = c.new_year
            WHERE o.level = ? AND o.country = ?
              AND (o.name ILIKE ? OR o.name_nl ILIKE ? OR o.name_fr ILIKE ?)
              AND c.kind IN ('merge', 'split', 'renumber')
        )
        SELECT area_code, any_value(name) AS name, max(division_year) AS division_year,
               min(via_old) AS via_old, string_agg(DISTINCT matched_name, ', ') AS matched_name
        FROM (SELECT * FROM direct UNION ALL SELECT * FROM former)
        GROUP BY area_code
        ORDER BY via_old, name
        LIMIT ?
        """,
        [level, country, pattern, pattern, pattern, pattern, level, country, pattern, pattern,
         pattern, limit],
    )


def feature_collection(store: Store, level: str, division_year: int,
                       parent_code: str | None = None, country: str = "NL") -> dict:
    """GeoJSON FeatureCollection of one level and division (optionally the wijken of one gemeente).

    Feature `id` is the area code (plotly's `featureidkey="id"`); rings stay clockwise as stored.
    """
    rows = store.rows(
        """
        SELECT g.area_code, a.name, g.geojson
        FROM geometries g
        LEFT JOIN areas a ON a.area_code = g.area_code AND a.division_year = g.division_year
        WHERE g.level = ? AND g.division_year = ? AND (? IS NULL OR a.parent_code = ?)
          AND a.country = ?
        ORDER BY g.area_code
        """,
        [level, division_year, parent_code, parent_code, country],
    )
    features = [
        {"type": "Feature", "id": code, "properties": {"name": name},
         "geometry": json.loads(geom)}
        for code, name, geom in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def geometry_years(store: Store, level: str, country: str = "NL") -> list[int]:
    return [r[0] for r in store.rows(
        """
        SELECT DISTINCT g.division_year FROM geometries g
        JOIN areas a ON a.area_code = g.area_code AND a.division_year = g.division_year
        WHERE g.level = ? AND a.country = ? ORDER BY 1
        """, [level, country])]


# --- values -----------------------------------------------------------------------------------

_VALUE_COLUMNS = """v.area_code, a.name, v.level, v.division_year, v.period, v.age_group,
    v.indicator_id, v.value, v.lower, v.upper, v.numerator, v.denominator, v.status, v.source_id,
    a.parent_code, a.province_code, a.ggd_code, a.region_code, a.name_nl, a.name_fr"""


def values_for(store: Store, indicator_id: str, period: str, age_group: str,
               level: str = "gemeente", division_year: int | None = None,
               parent_code: str | None = None) -> pd.DataFrame:
    """All areas of one level for one indicator, period and age group (suppressed rows included)."""
    return store.query(
        f"""
        SELECT {_VALUE_COLUMNS}
        FROM indicator_values v
        LEFT JOIN areas a ON a.area_code = v.area_code AND a.division_year = v.division_year
        WHERE v.indicator_id = ? AND v.period = ? AND v.age_group = ? AND v.level = ?
          AND (? IS NULL OR v.division_year = ?) AND (? IS NULL OR a.parent_code = ?)
        ORDER BY a.name
        """,
        [indicator_id, period, age_group, level, division_year, division_year,
         parent_code, parent_code],
    )


def value_of(store: Store, area_code: str, indicator_id: str, period: str,
             age_group: str, division_year: int | None = None) -> dict | None:
    """One area's value; the newest division's row, or that of `division_year` only (a Belgian
    code such as Antwerpen 11002 names another territory in 2019 than in 2025)."""
    df = store.query(
        f"""
        SELECT {_VALUE_COLUMNS}
        FROM indicator_values v
        LEFT JOIN areas a ON a.area_code = v.area_code AND a.division_year = v.division_year
        WHERE v.area_code = ? AND v.indicator_id = ? AND v.period = ? AND v.age_group = ?
          AND (? IS NULL OR v.division_year = ?)
        ORDER BY v.division_year DESC LIMIT 1
        """,
        [area_code, indicator_id, period, age_group, division_year, division_year],
    )
    return None if df.empty else df.iloc[0].to_dict()


def profile(store: Store, area_code: str, age_group: str | None = None,
            division_year: int | None = None) -> pd.DataFrame:
    """Every value of one area over all indicators and periods (for profile, overview, trends);
    with `division_year`, only the rows of that division."""
    return store.query(
        f"""
        SELECT {_VALUE_COLUMNS}
        FROM indicator_values v
        LEFT JOIN areas a ON a.area_code = v.area_code AND a.division_year = v.division_year
        WHERE v.area_code = ? AND (? IS NULL OR v.age_group = ?)
          AND (? IS NULL OR v.division_year = ?)
        ORDER BY v.indicator_id, v.period, v.age_group
        """,
        [area_code, age_group, age_group, division_year, division_year],
    )


def level_values(store: Store, level: str, division_year: int, age_group: str,
                 period: str | None = None, country: str = "NL") -> pd.DataFrame:
    """Every indicator's values for all areas of one level (ranges for the spine chart)."""
    return store.query(
        """
        SELECT area_code, indicator_id, period, value, status
        FROM indicator_values
        WHERE level = ? AND division_year = ? AND age_group = ? AND (? IS NULL OR period = ?)
          AND source_id IN (SELECT source_id FROM sources WHERE country = ?)
        """,
        [level, division_year, age_group, period, period, country],
    )


def time_series(store: Store, area_codes: list[str], indicator_id: str,
                age_group: str) -> pd.DataFrame:
    """Values of several areas for one indicator over all periods."""
    return store.query(
        f"""
        SELECT {_VALUE_COLUMNS}
        FROM indicator_values v
        LEFT JOIN areas a ON a.area_code = v.area_code AND a.division_year = v.division_year
        WHERE list_contains(?, v.area_code) AND v.indicator_id = ? AND v.age_group = ?
        ORDER BY v.area_code, v.period
        """,
        [list(area_codes), indicator_id, age_group],
    )


def value_table(store: Store, themes: list[str] | None = None,
                source_ids: list[str] | None = None, levels: list[str] | None = None,
                periods: list[str] | None = None, limit: int | None = None) -> pd.DataFrame:
    """The long table joined with names and registry labels, filtered (Data page)."""
    return store.query(
        """
        SELECT v.indicator_id, i.label_nl AS indicator, i.theme, i.unit, v.area_code, a.name,
               v.level, v.division_year, v.period, v.age_group, v.value, v.lower, v.upper,
               v.numerator, v.denominator, v.status, v.source_id, i.licence
        FROM indicator_values v
        JOIN indicators i USING (indicator_id)
        LEFT JOIN areas a ON a.area_code = v.area_code AND a.division_year = v.division_year
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], i.theme))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.source_id))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.level))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.period))
        ORDER BY i.theme, v.indicator_id, v.level, v.area_code, v.period, v.age_group
        LIMIT ?
        """,
        [themes, themes, source_ids, source_ids, levels, levels, periods, periods, limit],
    )


def value_table_summary(store: Store, themes: list[str] | None = None,
                        source_ids: list[str] | None = None, levels: list[str] | None = None,
                        periods: list[str] | None = None) -> dict:
    """Row count and sources of `value_table` with the same filters, without fetching the rows."""
    count, sources = store.rows(
        """
        SELECT count(*), list(DISTINCT v.source_id ORDER BY v.source_id)
        FROM indicator_values v
        JOIN indicators i USING (indicator_id)
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], i.theme))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.source_id))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.level))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], v.period))
        """,
        [themes, themes, source_ids, source_ids, levels, levels, periods, periods],
    )[0]
    return {"rows": int(count), "sources": [s for s in sources or [] if s is not None]}


def value_filter_options(store: Store) -> pd.DataFrame:
    """Distinct (theme, source, level, period) combinations for the Data page filters."""
    return store.query(
        """
        SELECT DISTINCT i.theme, v.source_id, v.level, v.period
        FROM indicator_values v JOIN indicators i USING (indicator_id)
        ORDER BY 1, 2, 3, 4
        """
    )


# --- user uploads (issue 7): reads of the built database (writes: healthgap/build/writer.py) ---

# all_areas() and USER_TABLES are defined above, next to connect_overlay.


def indicator_ids(store: Store) -> list[str]:
    return [r[0] for r in store.rows("SELECT indicator_id FROM indicators ORDER BY 1")]
