"""7. Data: filter the long table, look at it, download it with its sources and licences."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import downloads, fmt, footer, labels
from healthgap.ui.data import db, q
from healthgap.ui.frame import theme_label
from healthgap.ui.texts import t

MAX_SHOWN = 2000

st.title(t("pages.data.title"))
st.write(t("data.intro"))

opts = q("value_filter_options")
c1, c2, c3, c4 = st.columns(4)
themes = c1.multiselect(t("data.theme_label"), sorted(opts["theme"].unique()),
                        format_func=theme_label, key="data_theme",
                        placeholder=t("data.placeholder"))
srcs = c2.multiselect(t("data.source_label"), sorted(opts["source_id"].unique()), key="data_source",
                        placeholder=t("data.placeholder"))
levels = c3.multiselect(t("data.level_label"), sorted(opts["level"].unique()),
                        format_func=labels.optional("levels."), key="data_level",
                        placeholder=t("data.placeholder"))
periods = c4.multiselect(t("data.period_label"), sorted(opts["period"].unique()),
                         format_func=fmt.period_label, key="data_period",
                        placeholder=t("data.placeholder"))

filters = (themes or None, srcs or None, levels or None, periods or None)
summary = q("value_table_summary", *filters)
if not summary["rows"]:
    m = opts
    for col, chosen in (("theme", themes), ("source_id", srcs), ("level", levels)):
        if chosen and m[m[col].isin(chosen)].shape[0]:
            m = m[m[col].isin(chosen)]
    suggestion = ", ".join(fmt.period_label(p) for p in sorted(m["period"].unique())[-3:])
    st.warning(t("data.empty", suggestion=suggestion or fmt.MISSING))
else:
    st.caption(t("data.count", rows=fmt.count(summary["rows"]), shown=fmt.count(MAX_SHOWN)))
    # only the rows shown are read; the download buttons read the whole table on click
    st.dataframe(q("value_table", *filters, limit=MAX_SHOWN), hide_index=True, width="stretch")
    st.caption(t("data.column_help"))
    footer.use_sources(summary["sources"])
    sheets = downloads.sheet_names()
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("data.csv"), data=downloads.table_file("csv", filters, sheets),
                       file_name="gezondheidskloof.csv", mime="text/csv")
    d2.download_button(t("data.excel"), data=downloads.table_file("xlsx", filters, sheets),
                       file_name="gezondheidskloof.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    d3.download_button(t("data.parquet"), data=downloads.table_file("parquet", filters, sheets),
                       file_name="gezondheidskloof.parquet", mime="application/octet-stream")

st.subheader(t("data.duckdb_heading"))
path = str(db().path)
st.markdown(t("data.duckdb_text", path=path))
st.code(t("data.snippet_python", path=path), language="python")
st.code(t("data.snippet_r", path=path), language="r")
st.code(t("data.snippet_cli", path=path), language="bash")
