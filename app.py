"""Gezondheidskloof: the Streamlit entry point (`healthgap serve` or `streamlit run app.py`).

Thin on purpose: page config, navigation over the files in pages/, the shared frame
(sidebar selection) and the footer. Pages hold the layout; data comes from healthgap.store.
"""

from __future__ import annotations

import streamlit as st

from healthgap.store import DatabaseUnavailable
from healthgap.ui import footer, frame, present
from healthgap.ui.texts import t


def run() -> None:
    # no page_icon: a material-symbol favicon is fetched from fonts.gstatic.com (not offline)
    st.set_page_config(page_title=t("app.title"),
                       layout="wide")
    frame.init_language()
    nav = frame.navigation()
    present.start(nav)  # may apply a story slide (and switch page) before the sidebar reads it
    try:
        selection = frame.sidebar()
    except DatabaseUnavailable as exc:
        st.error(t("app.db_unavailable", reason=str(exc)), icon=":material/database_off:")
        st.markdown(t("app.db_unavailable_help"))
        st.stop()
    if selection is None:
        st.warning(t("app.no_selection"))
        st.stop()
    present.write_url()
    present.sidebar_panel()
    st.session_state["_selection"] = selection
    footer.reset()
    present.frame_start()
    frame.show_notes(selection)
    try:
        # in presenter mode this container is hidden and the page's main chart becomes the slide
        with st.container(key="page_body"):
            nav.run()
            footer.render()
    finally:
        present.frame_end()  # also when the page stopped early (st.stop)


run()
