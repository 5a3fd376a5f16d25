"""3. Gemeenteprofiel: spine chart per theme and a table with benchmark, difference and trend."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import charts, exports, fmt, footer, frame, present, profile_print, takeaway
from healthgap.ui.profile import ages_with_values, gemeente_profile, profile_table
from healthgap.ui.texts import t

sel = frame.current()
st.title(t("profiel.title", gemeente=sel.gemeente_name))
st.write(t("profiel.intro" if sel.country == "NL" else "kaart_be.profile_intro",
           gemeente=sel.gemeente_name, age=fmt.age_label(sel.age_group)))

df = gemeente_profile(sel)
if df.empty:
    st.warning(t("profiel.no_values", gemeente=sel.gemeente_name, age=fmt.age_label(sel.age_group),
                 options=ages_with_values(sel)))
    st.stop()

footer.use_sources(df["source_id"].unique())
notes = [n for n in df["benchmark_note"].dropna().unique()]
for n in notes:
    st.info(n)
method = df["method_text"].dropna()
st.caption(t("profiel.benchmark_caption", benchmark=df["benchmark_label"].iloc[0],
             method=method.iloc[0] if len(method) else t("compare.unavailable")))
if df["modelled"].any():
    st.caption(t("kaart.modelled_note"))

# the slide in presenter mode: the theme of the sidebar's indicator (else the first theme)
slide_theme = sel.indicator["theme"] if sel.indicator["theme"] in set(df["theme"]) \
    else frame.themes_in_order(df["theme"])[0]
for theme in frame.themes_in_order(df["theme"]):
    part = df[df["theme"] == theme].copy()
    if part.empty:
        continue
    heading = t("profiel.theme_heading", theme=frame.theme_label(theme), count=len(part))
    st.subheader(heading)
    part["label"] = [lab if p == sel.period else t("profiel.period_other", label=lab,
                                                      period=fmt.period_label(p))
                     for lab, p in zip(part["label"], part["period"], strict=True)]
    spine = charts.spine_chart(part)
    st.plotly_chart(spine, key=f"spine_{theme}", width="stretch", config={"displaylogo": False})
    exports.download_row(spine, t("export.profile_title", gemeente=sel.gemeente_name,
                                  heading=heading),
                         part["source_id"].unique(), f"spine_{theme}_export",
                         ("profiel", theme, sel.gemeente))
    if theme == slide_theme and present.is_on():
        present.slide(spine, t("export.profile_title", gemeente=sel.gemeente_name, heading=heading),
                      takeaway.for_selection(sel, df), part["source_id"].unique())

st.subheader(t("profiel.table_heading"))
table = profile_table(df)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("profiel.trend_note"))
exports.table_row(table, df["source_id"], "profiel_table", ("profiel", sel.gemeente, sel.age_group))

# one printable A4 page for a council memo (print it, or save it as PDF from the browser)
st.download_button(t("print.button"), data=profile_print.page(sel, df),
                   file_name=exports.file_stem("profiel", sel.gemeente, sel.age_group) + ".html",
                   mime="text/html", key="profiel_print", on_click="ignore",
                   icon=":material/print:", help=t("print.button_help"))
