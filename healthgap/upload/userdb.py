"""The user database: a separate DuckDB file with the tables indicators, indicator_values and
sources (columns as in build/schema.sql) holding the user's own uploads.

Written atomically: the existing file is copied to `<file>.tmp`, the upload inserted, CHECKPOINT,
close, `os.replace`; a failure leaves the previous file untouched. The built database is only ever
opened read-only (`healthgap.store.connect`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from healthgap import settings, store
from healthgap.build import writer
from healthgap.upload.validate import Validation

user_db_path = settings.user_db_path  # one rule for the CLI and the app


@dataclass(frozen=True)
class Reference:
    """What an upload is checked against, read from the built database."""
    areas: pd.DataFrame
    crosswalk: pd.DataFrame
    indicator_ids: list[str]


def reference_from(db: str | os.PathLike) -> Reference:
    """Areas (all divisions), crosswalk and built-in indicator ids; the file is opened read-only
    (raises store.DatabaseUnavailable)."""
    s = store.connect(db)
    try:
        return Reference(store.all_areas(s), store.crosswalk(s, country=None), store.indicator_ids(s))
    finally:
        s.con.close()


@dataclass(frozen=True)
class AddResult:
    user_db: Path
    n_added: int
    indicator_ids: list[str]
    replaced: list[str]


def add_to_user_db(validation: Validation, user_db: str | os.PathLike) -> AddResult:
    """Add the valid rows of `validation`; an indicator id already in the user database has its
    old rows replaced (listed in `AddResult.replaced`)."""
    user_db = Path(user_db)
    if validation.values.empty:
        raise ValueError("no valid rows to add")
    with writer.atomic_database(user_db, seed=user_db) as con:
        writer.create_user_tables(con)
        replaced = writer.replace_user_upload(con, validation.values, validation.indicators,
                                             validation.source)
    return AddResult(user_db, len(validation.values),
                     sorted(set(validation.indicators["indicator_id"])), replaced)
