"""2. Kaart: choropleth of all gemeenten (or the wijken of one gemeente) for the chosen indicator."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import (
    benchmark,
    border_view,
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

# both countries: the map shows both where the indicator has a counterpart defined the same way
BOTH_PAIR = border_view.pair_of(sel.indicator_id) if land.is_both(sel.land) else None

c1, c2, c3 = st.columns([2, 2, 2])
if BOTH_PAIR is None:
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


def both_countries_map(pair_id: str) -> None:
    """Dutch and Belgian gemeenten on one map for an indicator with a counterpart of the same
    definition (or, for income, each gemeente's quintile within its own country)."""
    view = border_view.build(pair_id, sel.period)
    if view.url is None or view.nl.division_year is None or view.be.division_year is None:
        st.warning(t("kaart_both.no_map", pair=border_view.label(pair_id)))
        return
    footer.use_sources(view.source_ids)
    label = border_view.title(view)
    fig = border_view.figure(view, label)
    if sel.gemeente in set(view.df["area_code"]):
        maps.highlight(fig, view.url, sel.gemeente)
    left, right = st.columns([3, 1])
    with left:
        event = st.plotly_chart(fig, key="kaart_both_map", on_select="rerun",
                                selection_mode="points", config=maps.PLOTLY_CONFIG,
                                width="stretch")
        st.caption(t("kaart.click_help"))
        exports.download_row(fig, label, view.source_ids, "kaart_export",
                             ("kaart", "both", pair_id, sel.period, sel.gemeente))
    if present.is_on():
        present.slide(fig, label, border_view.slide_takeaway(view), view.source_ids,
                      config={**maps.PLOTLY_CONFIG, "displayModeBar": False})
    clicked, new = maps.take_click(event)
    if new:
        if clicked != sel.gemeente:
            frame.select_gemeente(clicked)
            st.rerun(scope="app")
    with right:
        row = view.df[view.df["area_code"] == sel.gemeente]
        if not row.empty:
            r = row.iloc[0]
            st.subheader(r["name"] if isinstance(r["name"], str) else sel.gemeente)
            side = view.nl if r["country"] == "NL" else view.be
            if view.kind == "within_country_quintile":
                shown = (t("grens.hover_quintile", quintile=fmt.count(r["quintile"]),
                           country=border_view.country_name(r["country"]))
                         if not fmt.is_missing(r["quintile"]) else t("map.no_data"))
            else:
                shown = fmt.value_with_unit(r["value"], side.indicator.get("unit", ""),
                                            int(side.indicator.get("decimals", 1)))
            st.metric(border_view.label(pair_id), shown)
            st.caption(t("grens.hover_where", country=border_view.country_name(r["country"]),
                         period=fmt.period_label(r["period"])))
        st.info(f"**{t('grens.notes_heading')}.** {border_view.differences(pair_id)}",
                icon=":material/info:")
        counts = border_view.counts(view)
        st.caption(t("grens.counts", nl=fmt.count(counts["NL"]), be=fmt.count(counts["BE"]),
                     missing=fmt.count(counts["missing"])))


@st.fragment
def map_and_panel() -> None:
    level = st.session_state.kaart_level
    if BOTH_PAIR is not None and level == "gemeente":
        both_countries_map(BOTH_PAIR)
        return
    if land.is_both(sel.land) and level == "gemeente":
        st.caption(t("kaart_both.own_country_only", indicator=ind["label"],
                     country=border_view.country_name(sel.country),
                     pairs=", ".join(border_view.label(p) for p in border_view.pair_ids())))
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
    areas = None
    if level in ("gemeente", "sector"):   # areas without a value drawn as 'no data'
        areas = q("areas", level, int(df["division_year"].iloc[0]), country=sel.country)
        df = maps.with_all_areas(df, areas)
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
    region = land.region(sel.land)
    if region and level == "gemeente":
        # a Belgian region: only its municipalities (compared as above, with all of Belgium's
        # spread; the classes below are the region's own)
        df = maps.in_region(df, areas, region)

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
    clicked, new = maps.take_click(event)
    if new:
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
        if region and level == "gemeente":
            st.caption(t("kaart_both.region_only", region=t(f"land.{sel.land}")))
        if comparison_method:
            st.caption(comparison_method)
        if bool(ind.get("modelled")):
            st.caption(t("kaart.modelled_note"))


map_and_panel()
