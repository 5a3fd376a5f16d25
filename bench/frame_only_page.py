"""A page with nothing but the shared frame (sidebar, navigation, footer): bench/bench_pages.py
loads it to separate the cost of the frame from the cost of the Kaart page's own content.
Only in the navigation when HEALTHGAP_BENCH_FRAME_PAGE=1 (never for users)."""

import streamlit as st

st.write("")
