"""The gemeente profile as one printable A4 page (standalone HTML) for a council memo.

Same numbers as the Profiel page (healthgap.ui.profile.gemeente_profile): per theme a row per
indicator with value, benchmark, difference, outcome and a small spine (worst to best gemeente,
middle half, benchmark tick, the gemeente's dot in its comparison colour), drawn as inline SVG so
the file needs nothing else (no scripts, fonts or images from elsewhere; prints offline). Every
text from the data is HTML-escaped. Sources, licences and the comparison method close the page.
"""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from healthgap.ui import fmt, frame, takeaway
from healthgap.ui.charts import DOT_NEUTRAL, spine_position
from healthgap.ui.data import db, q
from healthgap.ui.maps import CATEGORY_COLOURS
from healthgap.ui.texts import language, t

SPINE_W, SPINE_H = 130, 12

_CSS = """
@page { size: A4 portrait; margin: 11mm 11mm 10mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; font-size: 8.4pt;
       color: #000; margin: 0; }
main { max-width: 188mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 1mm 0; }
.sub { font-size: 8.6pt; margin: 0 0 2mm 0; color: #222; }
.points { margin: 0 0 2mm 0; padding-left: 4mm; }
.points li { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 7.6pt; border-bottom: 0.6pt solid #000; padding: 0.6mm 1mm; }
td { padding: 0.35mm 1mm; border-bottom: 0.3pt solid #ccc; vertical-align: middle; }
td.num { text-align: right; white-space: nowrap; }
tr.theme td { font-weight: 700; border-bottom: 0.6pt solid #000; padding-top: 1.4mm; }
.legend, .sources { font-size: 7pt; color: #222; margin-top: 1.5mm; }
.sources p { margin: 0.4mm 0; }
.hint { display: none; font-size: 9pt; margin-bottom: 3mm; color: #333; }
@media screen { body { background: #eee; } main { background: #fff; padding: 10mm; margin: 5mm auto; }
                .hint { display: block; } }
@media print { .hint { display: none; } }
"""


def _spine(r) -> str:
    """Inline SVG spine for one profile row (positions as on the Profiel page)."""
    lo, hi = float(r.min), float(r.max)
    if fmt.is_missing(lo) or fmt.is_missing(hi):
        return ""
    flip = r.polarity == "low_is_good"
    x = lambda v: 2 + spine_position(v, lo, hi, flip) * (SPINE_W - 4)  # noqa: E731
    q1, q3 = sorted((x(r.p25), x(r.p75)))
    parts = [f'<rect x="2" y="3" width="{SPINE_W - 4}" height="6" fill="#d9d9d9"/>',
             f'<rect x="{q1:.1f}" y="3" width="{max(q3 - q1, 0.5):.1f}" height="6" fill="#969696"/>']
    if not fmt.is_missing(r.benchmark):
        b = x(r.benchmark)
        parts.append(f'<line x1="{b:.1f}" x2="{b:.1f}" y1="0" y2="12" stroke="#000" '
                     f'stroke-width="1.6"/>')
    if not fmt.is_missing(r.value):
        colour = CATEGORY_COLOURS.get(r.category, DOT_NEUTRAL) if isinstance(r.category, str) \
            else DOT_NEUTRAL
        parts.append(f'<circle cx="{x(r.value):.1f}" cy="6" r="3.6" fill="{colour}" '
                     f'stroke="#000" stroke-width="0.6"/>')
    return (f'<svg width="{SPINE_W}" height="{SPINE_H}" viewBox="0 0 {SPINE_W} {SPINE_H}" '
            f'role="img" aria-label="{escape(t("print.spine_label"))}">{"".join(parts)}</svg>')


def profile_html(df: pd.DataFrame, *, gemeente: str, age_label: str, theme_label,
                 theme_order: list[str], sources: pd.DataFrame, version: str,
                 takeaway) -> str:
    """`df`: gemeente_profile rows; `theme_label(theme)` names a theme; `takeaway(row)` gives the
    guarded comparison sentence; `sources`: rows of the sources table used (attribution,
    publisher, licence, period)."""
    e = escape
    bench = str(df["benchmark_label"].iloc[0]) if len(df) else ""
    worse = df[df["category"].isin(["much_worse", "worse"])]
    better = df[df["category"].isin(["much_better", "better"])]
    rows = []
    main_period = df["period"].mode().iloc[0] if len(df) else None
    for theme in theme_order:
        part = df[df["theme"] == theme]
        if part.empty:
            continue
        rows.append(f'<tr class="theme"><td colspan="6">{e(theme_label(theme))}</td></tr>')
        for r in part.itertuples():
            outcome = r.comparison_text if isinstance(r.comparison_text, str) else fmt.MISSING
            label = r.label if r.period == main_period else t(
                "profiel.period_other", label=r.label, period=fmt.period_label(r.period))
            rows.append(
                "<tr>"
                f"<td>{e(label)}</td>"
                f'<td class="num">{e(fmt.value_with_unit(r.value, r.unit, r.decimals))}</td>'
                f'<td class="num">{e(fmt.value_with_unit(r.benchmark, r.unit, r.decimals))}</td>'
                f'<td class="num">{e(fmt.difference_with_unit(r.difference, r.unit, r.decimals))}</td>'
                f"<td>{e(outcome)}</td>"
                f"<td>{_spine(r)}</td>"
                "</tr>")
    points = [f"<li>{e(takeaway(r))}</li>" for r in worse.head(4).itertuples()]
    points += [f"<li>{e(takeaway(r))}</li>" for r in better.head(4).itertuples()]
    method = df["method_text"].dropna()
    source_lines = [f"<p>{e(t('footer.source_line', attribution=fmt.attribution(s.attribution), publisher=s.publisher, licence=s.licence, period=s.period if isinstance(s.period, str) else fmt.MISSING))}</p>"  # noqa: E501
                    for s in sources.itertuples()]
    modelled = f"<p>{e(t('kaart.modelled_note'))}</p>" if df["modelled"].any() else ""
    return f"""<!DOCTYPE html>
<html lang="{e(language())}"><head><meta charset="utf-8">
<title>{e(t("print.title", gemeente=gemeente))}</title>
<style>{_CSS}</style></head>
<body><main>
<p class="hint">{e(t("print.hint"))}</p>
<h1>{e(t("print.title", gemeente=gemeente))}</h1>
<p class="sub">{e(t("print.subtitle", age=age_label, benchmark=bench, count=len(df),
                   worse=len(worse), better=len(better), date=fmt.date_label(date.today())))}</p>
<ul class="points">{"".join(points)}</ul>
<table>
<thead><tr><th>{e(t("profiel.col_indicator"))}</th><th>{e(gemeente)}</th><th>{e(bench)}</th>
<th>{e(t("profiel.col_difference"))}</th><th>{e(t("profiel.col_outcome"))}</th>
<th>{e(t("print.col_spine"))}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<div class="legend"><p>{e(t("print.legend"))}</p>
<p>{e(t("print.method", method=method.iloc[0] if len(method) else t("compare.unavailable")))}</p>
{modelled}</div>
<div class="sources">{"".join(source_lines)}
<p>{e(t("print.made_with", version=version))}</p></div>
</main></body></html>
"""


def page(sel, df: pd.DataFrame) -> bytes:
    """The printable profile of the Profiel page's selection. Built in the run (the click runs
    outside it, without the session's language) and cached, so a rerun of the same view costs
    nothing; `df` is gemeente_profile(sel), which these arguments determine."""
    return _page(db().key, language(), date.today(), sel.gemeente, sel.age_group, sel.period,
                 sel.benchmark, tuple(sel.group), sel, df)


@st.cache_data(show_spinner=False, max_entries=64)
def _page(db_key: str, lang: str, day: date, gemeente: str, age: str, period: str, bench: str,
          group: tuple, _sel, _df: pd.DataFrame) -> bytes:
    info = q("build_info") or {}
    html = profile_html(
        _df, gemeente=_sel.gemeente_name, age_label=fmt.age_label(age),
        theme_label=frame.theme_label, theme_order=frame.themes_in_order(_df["theme"]),
        sources=q("sources", sorted(_df["source_id"].unique())),
        version=str(info.get("code_version", "")),
        takeaway=lambda r: takeaway.comparison_sentence(r, _sel.gemeente_name))
    return html.encode("utf-8")
