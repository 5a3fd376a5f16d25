"""Gap and inequality measures: pure Python over numbers and DataFrames (never imports streamlit)."""
