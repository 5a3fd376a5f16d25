"""2. Kaart: choropleth of all gemeenten (or the wijken of one gemeente) for the chosen indicator."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import (
    benchmark,
    compare,
    exports,
    fmt,
    footer,
    frame,
    geometry,
    labels,
    land,
    maps,
    present,
    takeaway,
)
from healthgap.ui.data import q
from healthgap.ui.texts import t

sel = frame.current()
ind = sel.indicator
unit, decimals, polarity = ind["unit"], int(ind["decimals"]), ind["polarity"]

st.title(t("pages.kaart.title"))

MODES = ["classes", "comparison"]
mode = frame.page_param("kleur", MODES, "classes", "kaart_mode")
method = frame.page_param("klassen", list(maps.CLASS_METHODS), "quantiles", "kaart_method")
DETAIL = maps.detail_level(sel.country)   # wijk (NL) or Brussels' statistical sectors (BE)
has_wijk = DETAIL in ind["levels"] and bool(q("geometry_years", DETAIL, country=sel.country))
LEVELS = maps.map_levels(ind["levels"], DETAIL, has_wijk)
level = frame.page_param("niveau", LEVELS, LEVELS[0], "kaart_level")

c1, c2, c3 = st.columns([2, 2, 2])
c1.segmented_control(t("kaart.mode_label"), MODES, key="kaart_mode", required=True,
                     format_func=labels.prefixed("kaart.mode."))
if st.session_state.kaart_mode == "classes":
    c2.selectbox(t("kaart.method_label"), list(maps.CLASS_METHODS), key="kaart_method",
                 format_func=labels.prefixed("kaart.method."), help=t("kaart.method_help"))
c3.segmented_control(t("kaart.level_label"), LEVELS, key="kaart_level", required=True,
                     format_func=labels.prefixed("kaart.level.", gemeente=sel.gemeente_name))
if not has_wijk:
    c3.caption(t("kaart.no_wijk") if DETAIL == "wijk" else t("kaart_be.no_sector"))
for name, key in (("kleur", "kaart_mode"), ("klassen", "kaart_method"), ("niveau", "kaart_level")):
    frame.set_page_param(name, st.session_state[key])


@st.fragment
def map_and_panel() -> None:
    level = st.session_state.kaart_level
    parent = sel.gemeente if level == "wijk" else None
    df = q("values_for", sel.indicator_id, sel.period, sel.age_group, level,
           sel.division_year if level == "gemeente" else None, parent)
    geo_year = int(df["division_year"].max()) if not df.empty else sel.division_year
    url = geometry.geojson_url(level, geo_year, parent, sel.country)
    if df.empty or url is None:
        st.warning(t("kaart.no_data", indicator=ind["label"], period=fmt.period_label(sel.period),
                     age=fmt.age_label(sel.age_group),
                     level=t(f"kaart.level.{level}", gemeente=sel.gemeente_name)))
        other = q("periods_for", sel.indicator_id, level)
        if not other.empty:
            st.caption(t("kaart.try_other", options=", ".join(
                f"{fmt.period_label(r.period)} ({fmt.age_label(r.age_group)})"
                for r in other.itertuples())))
        return
    footer.use_sources(df["source_id"].unique())
    if level in ("gemeente", "sector"):   # areas without a value drawn as 'no data'
        df = maps.with_all_areas(df, q("areas", level, int(df["division_year"].iloc[0]),
                                       country=sel.country))
    df = df.reset_index(drop=True)
    bench = benchmark.resolve(st.session_state[frame.K_BENCH], sel.indicator_id, sel.period,
                              sel.age_group, df, sel.gemeente, sel.group)
    df["benchmark"] = bench.per_area.to_numpy()
    mode = st.session_state.kaart_mode
    comparison_method = None
    try:
        cmp = compare.compare_areas(df, polarity, bench.reference_codes)
        df["category"], df["comparison_text"] = cmp["category"], cmp["text"]
        comparison_method = cmp.attrs.get("method_text")
    except compare.ComparisonUnavailable as exc:
        if mode == "comparison":
            st.info(str(exc))
            mode = "classes"

    label = t("kaart.map_title", indicator=ind["label"], period=fmt.period_label(sel.period),
              age=fmt.age_label(sel.age_group))
    if mode == "comparison":
        groups = maps.category_groups(df, polarity)
        legend = t("kaart.legend_comparison", benchmark=bench.label)
    else:
        classes = maps.classify(df["value"], st.session_state.kaart_method, 5)
        groups = maps.value_groups(df, classes, unit, decimals)
        legend = t("kaart.legend_classes", method=t(f"kaart.method.{classes.method}"))
    fig = maps.choropleth(url, df, groups, unit, decimals, title=label, legend_title=legend,
                          legend_at_bottom=sel.country == "BE" and level == "gemeente")
    if sel.gemeente in set(df["area_code"]):
        maps.highlight(fig, url, sel.gemeente)

    left, right = st.columns([3, 1])
    with left:
        event = st.plotly_chart(fig, key="kaart_map", on_select="rerun", selection_mode="points",
                                config=maps.PLOTLY_CONFIG, width="stretch")
        # only a click on a gemeente selects it; on wijken/sectors the click fills the panel
        st.caption(t("kaart.click_help") if level == "gemeente" else t("kaart_detail.click_help"))
        exports.download_row(fig, label, df["source_id"].unique(), "kaart_export",
                             ("kaart", sel.indicator_id, level, sel.gemeente))
    if present.is_on():
        present.slide(fig, label, takeaway.for_selection(sel), df["source_id"].unique(),
                      config={**maps.PLOTLY_CONFIG, "displayModeBar": False})
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    clicked = points[0].get("location") if points else None
    if clicked and clicked != st.session_state.get("_kaart_last_click"):
        st.session_state["_kaart_last_click"] = clicked
        if level == "gemeente" and clicked != sel.gemeente:
            frame.select_gemeente(clicked)
            st.rerun(scope="app")

    with right:
        if bench.note:
            st.info(bench.note)
        focus = clicked if (clicked and level != "gemeente") else sel.gemeente
        row = df[df["area_code"] == focus]
        if row.empty and level == "sector" and sel.region_code == land.BRUSSELS:
            st.markdown(t("kaart_be.panel_sector_hint"))
        elif row.empty and level == "sector":
            st.markdown(t("kaart_be.sector_only_brussels"))
        elif row.empty and level == "wijk":
            st.markdown(t("kaart.panel_wijk_hint", name=sel.gemeente_name))
        elif row.empty:
            st.markdown(t("kaart.panel_not_on_map", name=sel.gemeente_name))
        else:
            r = row.iloc[0]
            st.subheader(r["name"] if isinstance(r["name"], str) else focus)
            st.metric(ind["label"], fmt.value_with_unit(r["value"], unit, decimals),
                      help=t(f"status.{r['status']}"))
            st.caption(t("kaart.panel_status", status=t(f"status.{r['status']}")))
            st.markdown(t("kaart.panel_benchmark", benchmark=bench.label,
                          value=fmt.value_with_unit(r["benchmark"], unit, decimals)))
            if "comparison_text" in df:
                st.markdown(t("kaart.panel_comparison", text=r["comparison_text"]))
        n_missing = int(df["value"].isna().sum())
        st.caption(t("kaart.panel_counts", shown=fmt.count(int(df["value"].notna().sum())),
                     missing=fmt.count(n_missing)))
        if comparison_method:
            st.caption(comparison_method)
        if bool(ind.get("modelled")):
            st.caption(t("kaart.modelled_note"))


map_and_panel()
