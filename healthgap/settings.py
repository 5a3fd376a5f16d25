"""Where the project finds its sources folder and its database.

Order for the sources folder: an explicit argument, then HEALTHGAP_SOURCES, then `data/sources/`
when it holds files, then `../shared/data` beside the checkout (how developers and CI work).
The database: an explicit argument, then HEALTHGAP_DB, then `data/healthgap.duckdb`.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SOURCES = DATA_DIR / "sources"
SHARED_SOURCES = PROJECT_ROOT.parent / "shared" / "data"
DEFAULT_DB = DATA_DIR / "healthgap.duckdb"


def sources_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("HEALTHGAP_SOURCES")
    if env:
        return Path(env).expanduser().resolve()
    if DEFAULT_SOURCES.is_dir() and any(DEFAULT_SOURCES.iterdir()):
        return DEFAULT_SOURCES
    if SHARED_SOURCES.is_dir():
        return SHARED_SOURCES
    return DEFAULT_SOURCES


def _chosen_path(explicit: str | os.PathLike | None, env_var: str, default: Path) -> Path:
    """An explicit argument, then the environment variable, then the default."""
    chosen = explicit or os.environ.get(env_var)
    return _resolved(os.fspath(chosen)) if chosen else default


@functools.lru_cache(maxsize=64)
def _resolved(chosen: str) -> Path:
    # the dashboard asks for the database path several times per page run; resolve() is a
    # series of system calls (6 % of the server's CPU under the load test)
    return Path(chosen).expanduser().resolve()


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    return _chosen_path(explicit, "HEALTHGAP_DB", DEFAULT_DB)


DEFAULT_USER_DB = DATA_DIR / "user.duckdb"


def user_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The analyst's own figures added with `healthgap data add` (never the built database):
    an explicit argument, then HEALTHGAP_USER_DB, then `data/user.duckdb`."""
    return _chosen_path(explicit, "HEALTHGAP_USER_DB", DEFAULT_USER_DB)
