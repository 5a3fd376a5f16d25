"""Cached access to `healthgap.store` for the pages.

One read-only connection per database file is shared by all sessions (`st.cache_resource`,
re-opened when the build replaced the file); query results are cached per database version
(`st.cache_data`, keyed by the file signature), so a rebuild invalidates them automatically.
"""

from __future__ import annotations

import streamlit as st

from healthgap import settings, store


@st.cache_resource(show_spinner=False, validate=lambda s: s.is_current(),
                   on_release=lambda s: s.con.close())
def _open(path: str) -> store.Store:
    return store.connect(path)


def db() -> store.Store:
    """The shared connection; raises store.DatabaseUnavailable with a plain reason."""
    return _open(str(settings.db_path()))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, version: str, name: str, args: tuple, kwargs: tuple):
    return getattr(store, name)(db(), *args, **dict(kwargs))


def q(name: str, *args, **kwargs):
    """Call `healthgap.store.<name>(db, *args, **kwargs)` through the cache."""
    s = db()
    return _cached(str(s.path), s.key, name, args, tuple(sorted(kwargs.items())))


def clear() -> None:
    _cached.clear()
    _open.clear()
