"""4. Vergelijken: a gemeente next to its peers or a hand-picked group (bars and tartan rug)."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import (
    border_view,
    compare_view,
    exports,
    fmt,
    footer,
    frame,
    labels,
    present,
    takeaway,
)
from healthgap.ui.texts import t

sel = frame.current()
st.title(t("vergelijken.title", gemeente=sel.gemeente_name))
st.write(t("vergelijken.intro", gemeente=sel.gemeente_name))

default_kind = "groep" if sel.benchmark == "groep" and sel.group else "peers"
kind = frame.page_param("groep_type", list(compare_view.GROUP_KINDS), default_kind,
                        "vergelijken_kind")
st.radio(t("vergelijken.kind_label"), list(compare_view.GROUP_KINDS), key="vergelijken_kind",
         format_func=labels.prefixed("vergelijken.kind."), horizontal=True,
         help=t("vergelijken.kind_help"))
frame.set_page_param("groep_type", st.session_state.vergelijken_kind)

group = compare_view.resolve_group(sel, st.session_state.vergelijken_kind)
if group is None:
    st.warning(t("vergelijken.no_group", gemeente=sel.gemeente_name))
    st.caption(t("vergelijken.no_group_hint"))
    st.stop()
if group.note:
    st.info(group.note)

# why these gemeenten
if group.peer is not None:
    st.subheader(t("vergelijken.peers_heading", count=len(group.members)))
    table = compare_view.peer_table(sel, group)
    st.dataframe(table, hide_index=True, width="stretch", height=compare_view.table_height(table))
    exports.table_row(table, compare_view.feature_sources(), "vergelijken_peers",
                      ("vergelijken", "peers", sel.gemeente))
    st.caption(t("vergelijken.peers_method", periods=compare_view.feature_periods(group)))
    if group.cross:
        st.caption(t("vergelijken_both.peers_method"))
    footer.use_sources(compare_view.feature_sources())
else:
    st.subheader(t("vergelijken.group_heading", count=len(group.members)))
    st.caption(t("vergelijken.group_hint"))

# the chosen indicator, sorted
ind = sel.indicator
bars_heading = t("vergelijken.bars_heading", indicator=ind["label"],
                 period=fmt.period_label(sel.period), age=fmt.age_label(sel.age_group))
st.subheader(bars_heading)
bars = compare_view.bars(sel, group) if sel.level == "gemeente" else None
if bars is None:
    st.info(t("vergelijken.bars_missing", indicator=ind["label"],
              period=fmt.period_label(sel.period)))
    st.caption(t("vergelijken.bars_missing_hint"))
else:
    footer.use_sources(bars.sources)
    if bars.bench.note:
        st.info(bars.bench.note)
    bar_fig = compare_view.bar_chart(bars, ind)
    st.plotly_chart(bar_fig, key="vergelijken_bars", width="stretch",
                    config={"displaylogo": False})
    exports.download_row(bar_fig, bars_heading, bars.sources, "vergelijken_bars_export",
                         ("vergelijken", sel.indicator_id, sel.gemeente))
    if present.is_on():
        present.slide(bar_fig, bars_heading, takeaway.for_selection(sel), bars.sources)
    st.caption(t("vergelijken.bars_caption", benchmark=bars.bench.label,
                 country=border_view.country_name(sel.country),
                 method=bars.method_text or t("compare.unavailable"),
                 weighting=t("vergelijken.weighted" if bars.weighted else
                             "vergelijken.unweighted")))
    if bars.missing:
        st.caption(t("vergelijken.bars_no_value", names=", ".join(bars.missing)))
    if bars.abroad_note:
        st.caption(bars.abroad_note)
    if bars.table[["lower", "upper"]].isna().all().all():
        st.caption(t("vergelijken.no_intervals"))

# the tartan rug
st.subheader(t("vergelijken.tartan_heading"))
themes = compare_view.tartan_themes(sel)
if not themes:
    st.info(t("vergelijken.tartan_missing", age=fmt.age_label(sel.age_group)))
    st.stop()
theme_options = ["alle", *themes]
frame.page_param("thema", theme_options, themes[0], "vergelijken_theme")
st.selectbox(t("vergelijken.theme_label"), theme_options, key="vergelijken_theme",
             format_func=labels.theme_or_all("vergelijken.all_themes"))
frame.set_page_param("thema", st.session_state.vergelijken_theme)
chosen_theme = None if st.session_state.vergelijken_theme == "alle" \
    else st.session_state.vergelijken_theme
rug = compare_view.tartan(sel, group, chosen_theme)
if rug is None:
    st.info(t("vergelijken.tartan_missing", age=fmt.age_label(sel.age_group)))
else:
    footer.use_sources(rug.sources)
    rug_fig = compare_view.tartan_chart(rug)
    st.plotly_chart(rug_fig, key="vergelijken_tartan", width="stretch",
                    config={"displaylogo": False})
    exports.download_row(rug_fig, t("export.profile_title", gemeente=sel.gemeente_name,
                                    heading=t("vergelijken.tartan_heading")),
                         rug.sources, "vergelijken_tartan_export",
                         ("vergelijken", "tartan", st.session_state.vergelijken_theme,
                          sel.gemeente))
    st.caption(t("vergelijken.tartan_caption", benchmark=rug.bench_label,
                 method=rug.method_texts[0] if rug.method_texts else t("compare.unavailable")))
    if group.cross:
        st.caption(t("vergelijken_both.tartan_own",
                     where=t(f"vergelijken_both.where_{sel.country.lower()}")))
    if rug.modelled:
        st.caption(t("kaart.modelled_note"))
