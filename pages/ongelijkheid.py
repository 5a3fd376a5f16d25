"""5. Ongelijkheid: the socio-economic gradient of the chosen indicator across gemeenten (or the
wijken of one gemeente): scatter with a weighted line, SES quintiles, gap measures with intervals,
expected vs observed for the chosen gemeente and the change of the gap between survey years."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import exports, fmt, footer, frame, labels, present
from healthgap.ui import gradient_view as gv
from healthgap.ui.texts import t

sel = frame.current()
ind = sel.indicator
unit, decimals = ind["unit"], int(ind["decimals"])

st.title(t("ongelijkheid.title", indicator=ind["label"]))
st.write(t("ongelijkheid.intro", indicator=ind["label"], age=fmt.age_label(sel.age_group),
           period=fmt.period_label(sel.period)))

DETAIL = gv.detail_level(sel.country)   # wijk (NL) or Brussels' statistical sector (BE)
SES_AREA, SES_DETAIL = gv.ses_measures(sel.country)
if not (gv.has_level(ind, "gemeente") or gv.has_level(ind, DETAIL)):
    st.warning(t("ongelijkheid.no_area_data", indicator=ind["label"]))
    st.markdown(t("ongelijkheid.try_indicators",
                  labels=", ".join(gv.alternatives(ind)) or fmt.MISSING))
    st.stop()

# --- choices -----------------------------------------------------------------------------------
has_wijk = gv.has_level(ind, DETAIL)
LEVELS = ((["gemeente"] if gv.has_level(ind, "gemeente") else []) + [DETAIL]) if has_wijk \
    else ["gemeente"]
level = frame.page_param("niveau", LEVELS, LEVELS[0], "ong_level")
ses_choice = frame.page_param("ses", [SES_AREA, SES_DETAIL], SES_AREA, "ong_ses")

c1, c2 = st.columns([2, 3])
c1.segmented_control(t("ongelijkheid.level_label"), LEVELS, key="ong_level", required=True,
                     format_func=labels.bind(gv.level_label, gemeente=sel.gemeente_name))
if not has_wijk:
    c1.caption(t("ongelijkheid.no_wijk"))
at_wijk = st.session_state.ong_level == DETAIL
if at_wijk and st.session_state.ong_ses == SES_AREA:
    # income is published per gemeente only: the detailed level has one SES measure
    st.session_state.ong_ses = SES_DETAIL
    st.info(t("ongelijkheid.income_not_per_wijk" if DETAIL == "wijk"
              else "ongelijkheid_be.income_not_per_sector", ses=gv.ses_label(SES_DETAIL)))
c2.radio(t("ongelijkheid.ses_label"), [SES_AREA, SES_DETAIL], key="ong_ses", horizontal=True,
         format_func=gv.ses_label, disabled=at_wijk,
         help=t("ongelijkheid.ses_help_wijk") if at_wijk else t("ongelijkheid.ses_help"))
for name, key in (("niveau", "ong_level"), ("ses", "ong_ses")):
    frame.set_page_param(name, st.session_state[key])
level, ses_id = st.session_state.ong_level, st.session_state.ong_ses
if sel.indicator_id == ses_id:
    other = SES_DETAIL if ses_id == SES_AREA else SES_AREA
    st.info(t("ongelijkheid.indicator_is_ses", indicator=ind["label"],
              other=gv.ses_label(other)))
    st.stop()

areas = gv.areas_word(level, sel.gemeente_name)
parent = sel.gemeente if level == "wijk" else None
if level == "sector":
    st.caption(t("ongelijkheid_be.sector_note"))
if (caveat := gv.health_domain_caption(sel.indicator_id)) is not None:
    st.caption(caveat)
with st.spinner(t("ongelijkheid.computing")):
    view = gv.gradient_view(sel.indicator_id, sel.period, sel.age_group, level,
                            sel.division_year, parent, ses_id)

if view.areas.empty:
    st.warning(t("ongelijkheid.no_values", indicator=ind["label"],
                 period=fmt.period_label(sel.period), age=fmt.age_label(sel.age_group),
                 level=gv.level_label(level, sel.gemeente_name)))
    options = gv.other_options(sel.indicator_id, level)
    if options:
        st.markdown(t("ongelijkheid.try_other", options=options))
    st.stop()
footer.use_sources(view.sources)
if view.ses is None:
    st.warning(t("ongelijkheid.no_ses", ses=gv.ses_label(ses_id),
                 level=gv.level_label(level, sel.gemeente_name)))
    st.stop()
if view.ses.period != sel.period or view.ses.age_group != sel.age_group:
    st.caption(t("ongelijkheid.ses_other_year", ses=gv.ses_label(ses_id),
                 period=fmt.period_label(view.ses.period), age=fmt.age_label(view.ses.age_group)))
if view.gradient is None:
    st.warning(t("ongelijkheid.too_few", areas=areas, count=fmt.count(len(view.used)),
                 minimum=fmt.count(gv.MIN_AREAS_TERTILES)))
    st.markdown(t("ongelijkheid.too_few_hint", level=gv.level_label("gemeente", None)))
    st.stop()
g = view.gradient

# --- scatter -----------------------------------------------------------------------------------
scatter_heading = t("ongelijkheid.scatter_heading", indicator=ind["label"],
                    ses=gv.ses_label(ses_id))
st.subheader(scatter_heading)
highlight = sel.gemeente if level == "gemeente" else None
scatter_fig = gv.scatter(view, ind, ses_id, highlight, sel.gemeente_name)
st.plotly_chart(scatter_fig, key="ong_scatter", width="stretch", config={"displaylogo": False})
sii_text = gv.sii_sentence(g, ind, areas)  # the slide's takeaway and the measures' sentence
present.slide(scatter_fig, scatter_heading, sii_text, view.sources)
exports.download_row(scatter_fig, scatter_heading, view.sources, "ong_scatter_export",
                     ("ongelijkheid", "spreiding", sel.indicator_id, level, sel.gemeente))
st.caption(t("ongelijkheid.scatter_caption_gemeente" if level == "gemeente"
             else "ongelijkheid_be.scatter_caption_sector" if level == "sector"
             else "ongelijkheid.scatter_caption_wijk", count=fmt.count(len(view.used))))
if view.fit is not None:
    st.caption(t("ongelijkheid.fit_caption" if level == "gemeente"
                 else "ongelijkheid.fit_caption_equal", r2=fmt.number(view.fit.r_squared, 2),
                 confidence=fmt.number(view.fit.confidence * 100, 0)))
for note in gv.notes(view, level):
    st.caption(note)

# --- quantiles ---------------------------------------------------------------------------------
bars_heading = t("ongelijkheid.bars_heading", n=g.n_quantiles, areas=areas)
st.subheader(bars_heading)
bars_fig = gv.quantile_bars(g, ind, level)
st.plotly_chart(bars_fig, key="ong_bars", width="stretch", config={"displaylogo": False})
exports.download_row(bars_fig, t("export.titled", heading=bars_heading, indicator=ind["label"]),
                     view.sources, "ong_bars_export",
                     ("ongelijkheid", "groepen", sel.indicator_id, level, sel.gemeente))
st.caption(t("ongelijkheid.bars_caption_gemeente" if level == "gemeente"
             else "ongelijkheid_be.bars_caption_sector" if level == "sector"
             else "ongelijkheid.bars_caption_wijk", n=g.n_quantiles))

# --- measures ----------------------------------------------------------------------------------
st.subheader(t("ongelijkheid.measures_heading"))
st.markdown(sii_text)
measures = gv.measures_table(g, unit, decimals)
st.table(measures, hide_index=True)
exports.table_row(measures, view.sources, "ong_measures",
                  ("ongelijkheid", "maten", sel.indicator_id, level, sel.gemeente))
st.caption(gv.ci_caption(g))
st.caption(t("ongelijkheid.sign_caption"))

# --- expected vs observed ----------------------------------------------------------------------
st.subheader(t("ongelijkheid.expected_heading", gemeente=sel.gemeente_name))
gm_view = view
if level == "wijk":
    st.caption(t("ongelijkheid.expected_at_gemeente_level", gemeente=sel.gemeente_name))
    gm_view = gv.gradient_view(sel.indicator_id, sel.period, sel.age_group, "gemeente",
                               sel.division_year, None, ses_id)
box = t("ongelijkheid_be.expected_not_sector") if level == "sector" else \
    gv.expected_box(gm_view, sel.gemeente, sel.gemeente_name, ind, ses_id)
if isinstance(box, str):
    st.info(box)
else:
    with st.container(border=True):
        st.markdown(box.sentence)
        st.markdown(box.detail)
    st.caption(box.method)

# --- change between survey years ---------------------------------------------------------------
st.subheader(t("ongelijkheid.change_heading"))
trend = gv.gap_trend(sel.indicator_id, sel.age_group, level, parent, ses_id)
if len(trend.table) < 2:
    st.info(t("ongelijkheid.change_single", indicator=ind["label"],
              age=fmt.age_label(sel.age_group)))
    ages = gv.multi_year_ages(sel.indicator_id, level)
    if ages:
        st.markdown(t("ongelijkheid.change_try_age", ages=", ".join(fmt.age_label(a)
                                                                     for a in ages)))
    else:
        st.markdown(t("ongelijkheid.change_try_indicator"))
else:
    st.markdown(gv.change_sentence(trend, ind))
    trend_fig = gv.trend_chart(trend, ind)
    st.plotly_chart(trend_fig, key="ong_trend", width="stretch", config={"displaylogo": False})
    exports.download_row(trend_fig, t("export.titled", heading=t("ongelijkheid.change_heading"),
                                      indicator=ind["label"]),
                         view.sources, "ong_trend_export",
                         ("ongelijkheid", "sii", sel.indicator_id, level, sel.gemeente))
    sii_table = gv.trend_table(trend, ind, ses_id)
    st.table(sii_table, hide_index=True)
    exports.table_row(sii_table, view.sources, "ong_trend_table",
                      ("ongelijkheid", "sii", sel.indicator_id, level, sel.gemeente))
    st.caption(t("ongelijkheid.change_caption_income" if ses_id == gv.INCOME
                 else "ongelijkheid.change_caption_difficulty" if ses_id == gv.DIFFICULTY
                 else "ongelijkheid_be.change_caption"))
if trend.skipped:
    st.caption(t("ongelijkheid.change_skipped",
                 periods=", ".join(fmt.period_label(p) for p in trend.skipped)))

if bool(ind.get("modelled")):
    st.caption(t("ongelijkheid.modelled_note"))
