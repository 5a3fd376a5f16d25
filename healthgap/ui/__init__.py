"""Streamlit-side helpers: the shared frame, texts, number formats, maps and charts.

Only this package and `pages/` import streamlit; data comes from `healthgap.store`,
statistics from `indicators`.
"""
