"""6. Trends: the gemeente's value over the periods next to its benchmark and peers."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import exports, fmt, footer, frame, present, trend_view
from healthgap.ui.texts import t

sel = frame.current()
ind = sel.indicator

st.title(t("trends.title", gemeente=sel.gemeente_name))


view = trend_view.build(sel)
if view is None:
    periods = trend_view.periods_of(sel.indicator_id, sel.age_group)
    if periods:
        st.info(t("trends.single_period", indicator=ind["label"],
                  age=fmt.age_label(sel.age_group),
                  periods=", ".join(fmt.period_label(p) for p in periods)))
    else:
        st.info(t("trends.no_gemeente_series", indicator=ind["label"]))
    picks, ages = trend_view.suggestions(sel)
    if ages:
        st.markdown(t("trends.try_age", ages=", ".join(fmt.age_label(a) for a in ages)))
        for age in ages:
            st.button(fmt.age_label(age), key=f"trends_age_{age}", on_click=trend_view.choose_age,
                      args=(age,))
    if picks:
        st.markdown(t("trends.try_indicators", theme=frame.theme_label(ind["theme"]),
                      labels="; ".join(label for _, label in picks)))
        for ind_id, label in picks:
            st.button(label, key=f"trends_pick_{ind_id}", on_click=frame.select_indicator,
                      args=(ind_id,))
    st.stop()

st.write(t("trends.intro", gemeente=sel.gemeente_name))
footer.use_sources(view.source_ids)

frame.page_param("peers", [True, False], True, "trends_peers")
st.toggle(t("trends.peers_toggle"), key="trends_peers",
          disabled=not view.peers_available, help=t("trends.peers_help"))
frame.set_page_param("peers", st.session_state["trends_peers"])

for note in view.notes:
    st.info(note)
partners = view.partners
if partners is not None:
    others = ", ".join(partners.names.values())
    if partners.kind == "split":
        st.info(t("trends.partners_split", gemeente=sel.gemeente_name, year=sel.division_year,
                  parts=", ".join(partners.split_into), successor=partners.successor_name,
                  others=others))
    elif partners.kind == "absorbed":
        st.info(t("trends.partners_absorbed", gemeente=sel.gemeente_name, others=others,
                  year=sel.division_year))
    else:
        st.info(t("trends.partners_note", gemeente=sel.gemeente_name, others=others,
                  successor=partners.successor_name, year=sel.division_year))

fig = trend_view.chart(view, sel, bool(st.session_state["trends_peers"]))
st.plotly_chart(fig, key="trends_chart", width="stretch", config={"displaylogo": False})
exports.download_row(fig, None, view.source_ids, "trends_export",
                     ("trends", sel.indicator_id, sel.gemeente))

if view.table["harmonised"].any():
    st.caption(t("trends.harmonised_caption", year=sel.division_year))
if not view.peers_available:
    st.caption(t("trends.no_peers", gemeente=sel.gemeente_name))
elif st.session_state["trends_peers"]:
    st.caption(t("trends.peers_caption", count=view.peer_count))

sentence = trend_view.change_sentence(view, sel)
present.slide(fig, t("present.trends_title", indicator=ind["label"], gemeente=sel.gemeente_name),
              sentence, view.source_ids)
if sentence:
    st.markdown(sentence)
st.caption(t("trends.method_caption", benchmark=view.benchmark_label))
if view.modelled:
    st.caption(t("trends.modelled_caption"))

st.subheader(t("trends.table_heading"))
trend_table = trend_view.table_rows(view, sel)
st.dataframe(trend_table, hide_index=True, width="stretch")
exports.table_row(trend_table, view.source_ids, "trends_table",
                  ("trends", sel.indicator_id, sel.gemeente))
