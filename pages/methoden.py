"""8. Methoden: definitions from the registry, the measures from docs/methods*.md, sources."""

from __future__ import annotations

import streamlit as st

from healthgap.ui import fmt, footer
from healthgap.ui.data import q
from healthgap.ui.frame import ordered_catalog, theme_label
from healthgap.ui.texts import doc_path, t, t_optional

st.title(t("pages.methoden.title"))
st.write(t("methoden.intro"))

catalog = ordered_catalog()
modelled = catalog[catalog["modelled"]]
st.header(t("methoden.modelled_heading"))
st.write(t("methoden.modelled_text", count=len(modelled)))

st.header(t("methoden.indicators_heading"))
text = st.text_input(t("methoden.search_label"), key="methoden_search")
shown = catalog
if text:
    hit = (catalog["label"].str.contains(text, case=False, regex=False)
           | catalog["definition"].str.contains(text, case=False, regex=False))
    shown = catalog[hit]
    if shown.empty:
        st.info(t("methoden.no_match", text=text))
for theme, group in shown.groupby("theme", sort=False):
    st.subheader(theme_label(theme))
    for row in group.itertuples():
        with st.expander(row.label):
            st.write(row.definition)
            st.caption(t("methoden.indicator_meta", theme=theme_label(row.theme),
                         unit=fmt.unit_label(row.unit) or row.unit,
                         polarity=t(f"polarity.{row.polarity}"), source=row.source_id,
                         licence=row.licence))
            st.caption(t("methoden.indicator_available",
                         periods=", ".join(fmt.period_label(p) for p in row.periods),
                         levels=", ".join(t_optional(f"levels.{lv}") or lv for lv in row.levels),
                         ages=", ".join(fmt.age_label(a) for a in row.age_groups)))
footer.use_sources(catalog["source_id"].unique())

st.header(t("methoden.measures_heading"))
measures = doc_path("methods")
if measures is not None:
    st.markdown(measures.read_text(encoding="utf-8"))
else:
    st.info(t("methoden.measures_missing", file="docs/methods.md"))

st.header(t("methoden.sources_heading"))
for row in q("sources").itertuples():
    st.markdown(t("methoden.source_item", publisher=row.publisher, title=row.title,
                  licence=row.licence, path=row.path,
                  period=row.period if isinstance(row.period, str) else fmt.MISSING))

info = q("build_info")
if info:
    st.header(t("methoden.build_heading"))
    st.caption(t("methoden.build_text", built_at=str(info["built_at"])[:16],
                 sources_dir=info["sources_dir"], seconds=fmt.number(info.get("seconds"), 0),
                 schema=info["schema_version"]))
