"""Eigen data: upload an indicator table, see exactly which rows are refused and why, and use the
accepted rows on every page, in this session only."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import fmt, uploads
from healthgap.ui.texts import t

st.title(t("eigen_data.title"))
st.write(t("eigen_data.intro"))
st.info(t("eigen_data.privacy"), icon=":material/lock:")

st.subheader(t("eigen_data.template_heading"))
st.write(t("eigen_data.template_intro"))
c1, c2 = st.columns(2)
c1.download_button(t("eigen_data.template_csv"), uploads.template_csv(),
                   file_name="gezondheidskloof_sjabloon.csv", mime="text/csv")
c2.download_button(t("eigen_data.template_excel"), uploads.template_excel(),
                   file_name="gezondheidskloof_sjabloon.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(t("eigen_data.upload_heading"))
file = st.file_uploader(t("eigen_data.upload_label"), type=["csv", "txt", "xlsx"],
                        help=t("eigen_data.upload_help",
                               mb=fmt.number(uploads.max_mb(), 0)),
                        key="eigen_data_file")
if file is not None:
    checked = uploads.check(file.getvalue(), file.name)
    if checked.error:
        st.error(t("eigen_data.refused", name=checked.file_name, reason=checked.error))
    else:
        v = checked.validation
        for w in checked.warnings:
            st.warning(w)
        summary = t("eigen_data.summary", name=checked.file_name, rows=fmt.count(v.n_rows),
                    valid=fmt.count(v.n_valid), rejected=fmt.count(v.n_rejected))
        if v.n_rejected:
            st.warning(summary)
            st.dataframe(v.report, hide_index=True, width="stretch",
                         column_config={"row": t("eigen_data.col_row"),
                                        "column": t("eigen_data.col_column"),
                                        "value": t("eigen_data.col_value"),
                                        "problem": t("eigen_data.col_problem"),
                                        "suggestion": t("eigen_data.col_suggestion")})
            st.download_button(t("eigen_data.report_download"), uploads.report_csv(v),
                               file_name=f"{checked.file_name}.rapport.csv", mime="text/csv")
        else:
            st.success(summary)
        if v.n_valid:
            label = (t("eigen_data.accept_some", valid=fmt.count(v.n_valid)) if v.n_rejected
                     else t("eigen_data.accept_all", valid=fmt.count(v.n_valid)))
            st.button(label, type="primary", key="eigen_data_accept",
                      on_click=uploads.accept_and_select, args=(v,))
        else:
            st.error(t("eigen_data.nothing_valid"))

added = st.session_state.pop(uploads.ADDED_KEY, None)
if added:
    st.success(t("eigen_data.accepted", count=len(added)))
    st.page_link("pages/kaart.py", label=t("eigen_data.to_map"), icon=":material/map:")

st.subheader(t("eigen_data.session_heading"))
table = uploads.uploaded_table()
if table.empty:
    st.write(t("eigen_data.session_empty"))
else:
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"indicator_id": t("eigen_data.col_id"),
                                "name": t("eigen_data.col_name"),
                                "periods": t("eigen_data.col_periods"),
                                "areas": t("eigen_data.col_areas"),
                                "levels": t("eigen_data.col_levels"),
                                "file": t("eigen_data.col_file")})
    st.caption(t("eigen_data.session_hint"))
    choice = st.selectbox(t("eigen_data.remove_label"), list(table["indicator_id"]),
                          format_func=dict(zip(table["indicator_id"], table["name"],
                                               strict=True)).get, key="eigen_data_remove_choice")
    st.button(t("eigen_data.remove"), key="eigen_data_remove", on_click=uploads.remove,
              args=(choice,))

st.subheader(t("eigen_data.cli_heading"))
st.markdown(t("eigen_data.cli"))
