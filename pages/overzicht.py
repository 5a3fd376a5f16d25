"""1. Overzicht: where the chosen gemeente is worse or better than its benchmark, in sentences."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import exports, fmt, footer, frame, present, takeaway
from healthgap.ui.profile import ages_with_values, gemeente_profile, profile_table
from healthgap.ui.texts import t

sel = frame.current()
st.title(t("overzicht.title", gemeente=sel.gemeente_name))

df = gemeente_profile(sel)
if df.empty:
    st.warning(t("overzicht.no_data", gemeente=sel.gemeente_name, age=fmt.age_label(sel.age_group),
                 options=ages_with_values(sel)))
    st.stop()

footer.use_sources(df["source_id"].unique())
bench_label = df["benchmark_label"].iloc[0]
st.write(t("overzicht.intro", gemeente=sel.gemeente_name, benchmark=bench_label,
           age=fmt.age_label(sel.age_group)))
for note in df["benchmark_note"].dropna().unique():
    st.info(note)

# the indicator chosen in the sidebar, as two numbers
row = df[df["indicator_id"] == sel.indicator_id]
st.subheader(t("overzicht.selected_heading", indicator=sel.indicator["label"]))
if row.empty or fmt.is_missing(row.iloc[0]["value"]):
    status = row.iloc[0]["status"] if not row.empty else "missing"
    st.info(t("overzicht.selected_missing", indicator=sel.indicator["label"],
              period=fmt.period_label(sel.period), gemeente=sel.gemeente_name,
              status=t(f"status.{status}")))
else:
    r = row.iloc[0]
    # (label, value) of the gemeente and of its benchmark: the metrics and the presenter slide
    own = (t("overzicht.metric_value", gemeente=sel.gemeente_name,
             period=fmt.period_label(r["period"])),
           fmt.value_with_unit(r["value"], r["unit"], r["decimals"]))
    ref = (t("overzicht.metric_benchmark", benchmark=r["benchmark_label"],
             period=fmt.period_label(r["period"])),
           fmt.value_with_unit(r["benchmark"], r["unit"], r["decimals"]))
    c1, c2 = st.columns(2)
    c1.metric(*own, delta=fmt.difference_with_unit(r["difference"], r["unit"], r["decimals"]),
              delta_arrow=fmt.delta_arrow(r["difference"], r["decimals"]), delta_color="off")
    c2.metric(*ref)
    if present.is_on():  # the slide's texts are only needed while presenting
        present.numbers_slide(
            t("present.overzicht_title", indicator=sel.indicator["label"], gemeente=sel.gemeente_name),
            [own, ref], takeaway.comparison_sentence(next(row.itertuples()), sel.gemeente_name),
            row["source_id"].unique())


if df["category"].notna().any():
    left, right = st.columns(2)
    for col, kind in ((left, "worse"), (right, "better")):
        with col:
            st.subheader(t(f"overzicht.{kind}_heading", benchmark=bench_label))
            hits = df[df["category"].isin([f"much_{kind}", kind])].sort_values(
                "category", key=lambda c: c != f"much_{kind}")
            if hits.empty:
                st.write(t(f"overzicht.none_{kind}", gemeente=sel.gemeente_name,
                           benchmark=bench_label))
            for r in hits.itertuples():
                st.markdown(t("overzicht.bullet",
                              sentence=takeaway.comparison_sentence(r, sel.gemeente_name)))
    for kind in ("higher", "lower"):
        hits = df[df["category"].isin([f"much_{kind}", kind])]
        if not hits.empty:
            st.subheader(t(f"overzicht.{kind}_heading", benchmark=bench_label))
            for r in hits.itertuples():
                st.markdown(t("overzicht.bullet",
                              sentence=takeaway.comparison_sentence(r, sel.gemeente_name)))
    n_similar = int((df["category"] == "similar").sum())
    if n_similar:
        st.write(t("overzicht.similar", count=n_similar, gemeente=sel.gemeente_name,
                   benchmark=bench_label))
    st.caption(t("overzicht.method", method=df["method_text"].dropna().iloc[0]))
else:
    st.info(t("compare.unavailable"))
    st.caption(t("overzicht.no_comparison"))

st.subheader(t("overzicht.values_heading"))
table = profile_table(df, with_trend=False)
st.dataframe(table, hide_index=True, width="stretch")
exports.table_row(table, df["source_id"], "overzicht_table",
                  ("overzicht", sel.gemeente, sel.age_group))
if df["modelled"].any():
    st.caption(t("kaart.modelled_note"))
