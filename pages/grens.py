"""Over de grens: Dutch and Belgian gemeenten on one map, for the indicator pairs that compare
(data/catalog/crossborder.toml); the definitions note is always shown."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import border_view, exports, fmt, footer, frame, maps, present
from healthgap.ui.texts import t

st.title(t("grens.title"))
st.caption(t("grens.intro"))

PAIRS = border_view.pair_ids()
pair_id = frame.page_param("paar", PAIRS, PAIRS[0], "grens_pair")
c1, c2 = st.columns([3, 2])
c1.selectbox(t("grens.pair_label"), PAIRS, key="grens_pair", format_func=border_view.label)
pair_id = st.session_state.grens_pair
YEARS = border_view.year_options(pair_id)
frame.page_param("periode", YEARS, YEARS[0], "grens_year")
c2.selectbox(t("grens.period_label"), YEARS, key="grens_year", help=t("grens.period_help"))
year = st.session_state.grens_year
frame.set_page_param("paar", pair_id)
frame.set_page_param("periode", year)

view = border_view.build(pair_id, year)
left, right = st.columns([3, 2])
with right:
    st.info(f"**{t('grens.notes_heading')}.** {border_view.differences(pair_id)}",
            icon=":material/info:")
    for side in (view.nl, view.be):
        if not side.exact:
            st.markdown(t("grens.period_missing", country=border_view.country_name(side.country),
                          year=year, shown=fmt.period_label(side.period)))

missing_side = next((s for s in (view.nl, view.be) if s.division_year is None), None)
if view.url is None or missing_side is not None:
    side = missing_side or view.nl
    left.warning(t("grens.no_map", pair=border_view.label(pair_id),
                   country=border_view.country_name(side.country),
                   period=fmt.period_label(side.period)))
else:
    footer.use_sources(view.source_ids)
    title = border_view.title(view)
    fig = border_view.figure(view, title)
    with left:
        st.plotly_chart(fig, key="grens_map", config=maps.PLOTLY_CONFIG, width="stretch")
        exports.download_row(fig, title, view.source_ids, "grens_export",
                             ("grens", pair_id, year))
    with right:
        counts = border_view.counts(view)
        st.caption(t("grens.counts", nl=fmt.count(counts["NL"]), be=fmt.count(counts["BE"]),
                     missing=fmt.count(counts["missing"])))
        st.caption(t("grens.divisions", nl_year=view.nl.division_year,
                     be_year=view.be.division_year))
    if present.is_on():
        present.slide(fig, title, border_view.slide_takeaway(view), view.source_ids,
                      config={**maps.PLOTLY_CONFIG, "displayModeBar": False})

    st.subheader(t("grens.table_heading"))
    table = border_view.national_table(view)
    st.dataframe(table, hide_index=True, width="stretch")
    exports.table_row(table, border_view.table_sources(view), "grens_table",
                      ("grens", pair_id, year))

st.caption(t("grens.no_health"))
