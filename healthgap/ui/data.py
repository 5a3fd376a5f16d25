"""Cached access to `healthgap.store` for the pages.

One read-only connection per database file is shared by all sessions (`st.cache_resource`,
re-opened when the build replaced the file); query results are cached per database version
(`st.cache_data`, keyed by the file signature), so a rebuild invalidates them automatically.

A session that uploaded its own figures (page Eigen data) gets its own overlay connection
(`store.connect_overlay`): the built file read-only plus the uploads, kept in that session's state
only, so no other session sees them. Its cache key carries a digest of the uploads. Figures added
with `healthgap data add` (the analyst's user database) are visible to every session of that
server, through a shared overlay.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from healthgap import settings, store
from healthgap.ui import land

K_UPLOADS = "_eigen_data"     # indicator_id -> {"indicators": df, "indicator_values": df, "sources": df}
K_OVERLAY = "_overlay_store"


@st.cache_resource(show_spinner=False, validate=lambda s: s.is_current(),
                   on_release=lambda s: s.con.close())
def _open(path: str) -> store.Store:
    return store.connect(path)


@st.cache_resource(show_spinner=False, validate=lambda s: s.is_current(),
                   on_release=lambda s: s.con.close())
def _open_with_user_db(path: str, user_db: str, user_signature: tuple) -> store.Store:
    key = hashlib.sha256(repr(user_signature).encode()).hexdigest()[:8]
    return store.connect_overlay(path, user_db, None, extra_key=f"u{key}")


def session_uploads() -> dict:
    """This session's accepted uploads (empty outside a Streamlit session)."""
    try:
        return st.session_state.get(K_UPLOADS) or {}
    except Exception:  # no script run context (bench scripts, plain Python)
        return {}


def upload_frames(uploads: dict) -> dict[str, pd.DataFrame]:
    out = {}
    for table in store.USER_TABLES:
        parts = [u[table] for u in uploads.values() if table in u and len(u[table])]
        out[table] = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out


def uploads_digest(uploads: dict) -> str:
    h = hashlib.sha256()
    for ind_id in sorted(uploads):
        src = uploads[ind_id].get("sources")
        h.update(ind_id.encode())
        if src is not None and len(src):
            h.update(str(list(src["source_id"])).encode())
    return h.hexdigest()[:10]


def db() -> store.Store:
    """The connection for this session; raises store.DatabaseUnavailable with a plain reason."""
    base = str(settings.db_path())
    user = settings.user_db_path()
    user_sig = store.file_signature(user) if user.is_file() else None
    uploads = session_uploads()
    if not uploads:
        if user_sig is None:
            return _open(base)
        return _open_with_user_db(base, str(user), user_sig)
    key = uploads_digest(uploads) + ("" if user_sig is None else
                                     hashlib.sha256(repr(user_sig).encode()).hexdigest()[:6])
    current = st.session_state.get(K_OVERLAY)
    if current is not None and current.extra_key == key and current.is_current():
        return current
    if current is not None:
        current.con.close()
    overlay = store.connect_overlay(base, user if user_sig else None, upload_frames(uploads),
                                    extra_key=key)
    st.session_state[K_OVERLAY] = overlay
    return overlay


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, version: str, name: str, args: tuple, kwargs: tuple):
    return getattr(store, name)(db(), *args, **dict(kwargs))


def q(name: str, *args, **kwargs):
    """Call `healthgap.store.<name>(db, *args, **kwargs)` through the cache."""
    s = db()
    out = _cached(str(s.path), s.key, name, args, tuple(sorted(kwargs.items())))
    # Belgian names in the run's language (a copy; the cached frame is shared by languages)
    return land.localize(out) if isinstance(out, pd.DataFrame) else out


def clear() -> None:
    _cached.clear()
    _open.clear()
    _open_with_user_db.clear()
