"""Footer on every page: the sources whose figures the page showed, licence and data year.

Pages call `use_sources([...])` for what they draw; app.py renders the footer after the page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from healthgap.ui import fmt
from healthgap.ui.data import q
from healthgap.ui.texts import t

_KEY = "_footer_sources"


def reset() -> None:
    st.session_state[_KEY] = []


def use_sources(source_ids) -> None:
    used = st.session_state.setdefault(_KEY, [])
    for sid in source_ids:
        if isinstance(sid, str) and sid not in used:
            used.append(sid)


def render() -> None:
    used = st.session_state.get(_KEY, [])
    st.divider()
    st.markdown(f"**{t('footer.heading')}**")
    if not used:
        st.caption(t("footer.none"))
    else:
        src = q("sources", list(used))
        for row in src.itertuples():
            st.caption(t("footer.source_line", attribution=fmt.attribution(row.attribution),
                         publisher=row.publisher, licence=row.licence,
                         period=row.period if isinstance(row.period, str) else fmt.MISSING))
    info = q("build_info")
    if info:
        built = pd.Timestamp(info["built_at"]).strftime("%d-%m-%Y %H:%M")
        st.caption(t("footer.built", built_at=built, version=info.get("code_version", "")))
