"""Gezondheidskloof: the Streamlit entry point (`healthgap serve` or `streamlit run app.py`).

Thin on purpose: page config, navigation over the files in pages/, the shared frame
(sidebar selection) and the footer. Pages hold the layout; data comes from healthgap.store.
"""

from __future__ import annotations

import streamlit as st

from healthgap.store import DatabaseUnavailable
from healthgap.ui import footer, frame
from healthgap.ui.texts import t


def run() -> None:
    # no page_icon: a material-symbol favicon is fetched from fonts.gstatic.com (not offline)
    st.set_page_config(page_title=t("app.title"),
                       layout="wide")
    frame.init_language()
    nav = frame.navigation()
    try:
        selection = frame.sidebar()
    except DatabaseUnavailable as exc:
        st.error(t("app.db_unavailable", reason=str(exc)), icon=":material/database_off:")
        st.markdown(t("app.db_unavailable_help"))
        st.stop()
    if selection is None:
        st.warning(t("app.no_selection"))
        st.stop()
    st.session_state["_selection"] = selection
    footer.reset()
    frame.show_notes(selection)
    nav.run()
    footer.render()


run()
