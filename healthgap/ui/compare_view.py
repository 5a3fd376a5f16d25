"""Data and figures for the Vergelijken page: a gemeente against its peers or a chosen group.

Three views: why the peers are peers (their features next to the gemeente's), a sorted bar chart
of the chosen indicator for the group, and a tartan rug (indicators x areas) coloured by each
area's comparison with the sidebar benchmark, as OHID Fingertips does. The statistics (peer
distance, comparison, group mean) come from `indicators/` through groups/benchmark/compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from healthgap.ui import benchmark, border_view, fmt, groups, land
from healthgap.ui.compared import compared_areas
from healthgap.ui.data import q
from healthgap.ui.frame import Selection, ordered_catalog, themes_in_order
from healthgap.ui.maps import CATEGORY_COLOURS
from healthgap.ui.texts import t

GROUP_KINDS = ("peers", "groep")
# order of the comparison categories in legends and in the tartan's discrete colour scale
CATEGORIES = ("much_better", "better", "similar", "worse", "much_worse", "much_higher", "higher",
              "lower", "much_lower", "not_compared", "no_benchmark", "other_country", "no_data")
SELECTED_LINE = "#000000"


@dataclass
class Group:
    kind: str                              # peers | groep
    members: list[str]                     # the group, without the chosen gemeente
    peer: groups.PeerGroup | None = None   # for peers: distances and features
    note: str | None = None                # why the group shown is not the one asked for
    cross: bool = False                    # peers sought in both countries (land "nlbe")

    def own(self, country: str) -> list[str]:
        """The members of `country` (all of them unless the group crosses the border; the
        others have other indicators)."""
        return groups.in_country(self.members, country) if self.cross else self.members


def names(division_year: int) -> dict[str, str]:
    gm = q("areas", "gemeente", division_year, country=land.country())
    return dict(zip(gm["area_code"], gm["name"], strict=True))


def names_both(sel: Selection) -> dict[str, str]:
    """Names of the gemeente's division plus the other country's newest, each with its country
    (a group across the border)."""
    out: dict[str, str] = {}
    for country in ("NL", "BE"):
        years = q("division_years", "gemeente", country=country)
        wanted = {max(years)} if years else set()
        if country == sel.country:
            wanted.add(sel.gm_year or sel.division_year)
        tag = t("frame_land.country_" + country.lower())
        for year in sorted(wanted):
            gm = land.localize(q("areas", "gemeente", year, country=country))
            out.update({c: t("frame_land.option_in_country", name=n, country=tag)
                        for c, n in zip(gm["area_code"], gm["name"], strict=True)})
    return out


def group_names(sel: Selection, group: Group) -> dict[str, str]:
    return names_both(sel) if group.cross else names(sel.gm_year or sel.division_year)


def resolve_group(sel: Selection, kind: str) -> Group | None:
    """The group to compare with; an empty own group falls back to the peers (with a note)."""
    year = sel.gm_year or sel.division_year
    note = None
    if kind == "groep":
        members = [c for c in groups.map_codes(sel.group, year, sel.country)
                   if c != sel.gemeente]
        if members:
            return Group("groep", members)
        note = t("vergelijken.group_empty")
    if land.is_both(sel.land):
        # both countries: peers on either side of the border, on the features that compare;
        # features are on each country's newest division
        code = groups.map_codes([sel.gemeente], max(q("division_years", "gemeente",
                                                        country=sel.country)), sel.country)
        peer = groups.cross_peers_of(code[0]) if code else None
        if peer is not None:
            members = [*groups.map_codes(groups.in_country(peer.members, sel.country), year,
                                         sel.country),
                       *groups.in_country(peer.members, sel.country, inside=False)]
            return Group("peers", [c for c in members if c != sel.gemeente], peer, note, True)
    peer = groups.peers_of(sel.gemeente, year, country=sel.country)
    if peer is None:
        return None
    return Group("peers", peer.members, peer, note)


# --- why they are peers -------------------------------------------------------------------------


def _feature_info() -> dict[str, dict]:
    cat = ordered_catalog().set_index("indicator_id")
    out = {}
    for feature, ind in groups.FEATURES_BY_COUNTRY[land.country()].items():
        if land.is_both() and feature not in groups.PEER_FEATURES:
            continue   # across the border only the features both countries have
        row = cat.loc[ind] if ind in cat.index else None
        out[feature] = {"label": row["label"] if row is not None else ind,
                        "unit": row["unit"] if row is not None else "",
                        "decimals": int(row["decimals"]) if row is not None else 1}
        if (land.country() == "BE" or land.is_both()) \
                and feature in groups.PERCENTILE_FEATURES_BE:
            # Belgium and both countries: the position within the country (percentile)
            out[feature].update(unit="percentile_own" if land.is_both() else "percentile",
                                decimals=0)
    return out


def feature_columns() -> dict[str, str]:
    """feature -> column heading with unit and period."""
    info = _feature_info()
    return {f: (t("vergelijken.feature_heading", label=t(f"vergelijken.feature.{f}"),
                  unit=fmt.unit_label(i["unit"]))
                if fmt.unit_label(i["unit"]) else t(f"vergelijken.feature.{f}"))
            for f, i in info.items()}


def peer_table(sel: Selection, group: Group) -> pd.DataFrame:
    """The gemeente and its peers with the four features, distance and where they differ most."""
    peer = group.peer
    feats = peer.features.table
    info = _feature_info()
    heads = feature_columns()
    label = group_names(sel, group)
    rows = []
    # a group across the border lists its features on each country's newest division
    target = peer.target if group.cross else sel.gemeente
    for code in [target, *peer.members]:
        row = {t("vergelijken.col_gemeente"): label.get(code, code)}
        for feature, head in heads.items():
            value = feats.at[code, feature] if code in feats.index else np.nan
            unit = info[feature]["unit"]
            # the unit is in the heading; cells hold the number only
            row[head] = (fmt.count(value) if unit == "count" and fmt.is_number(value)
                         else fmt.number(value, info[feature]["decimals"]))
        if code == target:
            row[t("vergelijken.col_distance")] = t("vergelijken.is_target")
            row[t("vergelijken.col_differs")] = fmt.MISSING
        else:
            r = peer.table.loc[code]
            row[t("vergelijken.col_distance")] = fmt.number(r["distance"], 2)
            contrib = {f: r[f"contrib_{f}"] for f in heads if f"contrib_{f}" in r.index}
            known = {f: c for f, c in contrib.items() if pd.notna(c)}
            worst = max(known, key=known.get) if known else None
            row[t("vergelijken.col_differs")] = (t(f"vergelijken.feature.{worst}") if worst
                                                  else fmt.MISSING)
        rows.append(row)
    return pd.DataFrame(rows)


def feature_periods(group: Group) -> str:
    info = _feature_info()
    # across the border: the generic feature names, periods per country ("2025 NL / 2021 BE")
    return ", ".join(t("vergelijken.feature_period",
                       label=t(f"vergelijken.feature.{f}") if group.cross else info[f]["label"],
                       period=p)
                     for f, p in group.peer.features.periods.items())


# --- the chosen indicator for the group ---------------------------------------------------------


@dataclass
class Bars:
    table: pd.DataFrame            # area rows: area_code, name, value, lower, upper, status, ...
    bench: benchmark.Benchmark
    group_mean: float
    weighted: bool
    country: float
    method_text: str | None
    missing: list[str] = field(default_factory=list)  # names without a value
    sources: list[str] = field(default_factory=list)
    abroad_note: str | None = None  # group across the border: how the other country is shown
    country_code: str = "NL"        # whose national figure `country` is


def compared_values(sel: Selection, indicator_id: str, period: str, polarity: str
                    ) -> tuple[pd.DataFrame, benchmark.Benchmark, str | None]:
    """All gemeenten with their benchmark and comparison outcome for one indicator."""
    year = sel.gm_year or sel.division_year
    c = compared_areas(indicator_id, period, sel.age_group, "gemeente", year, sel.benchmark,
                       sel.gemeente, sel.group, polarity)
    allv = c.table.copy()
    no_value = allv["value"].isna()
    allv.loc[no_value, "category"] = "no_data"
    allv.loc[no_value, "comparison_text"] = [t(f"status.{s}") for s in allv.loc[no_value, "status"]]
    bench = benchmark.Benchmark(sel.benchmark, allv.set_index("area_code")["benchmark"],
                                c.bench_label, set(), c.bench_note)
    return allv, bench, c.method_text


def bars(sel: Selection, group: Group) -> Bars | None:
    """The chosen indicator for the gemeente and its group (None: no gemeente values)."""
    ind = sel.indicator
    allv, bench, method = compared_values(sel, sel.indicator_id, sel.period, ind["polarity"])
    own = group.own(sel.country)
    codes = [sel.gemeente, *own]
    part = allv[allv["area_code"].isin(codes)].copy()
    if part.empty or part["value"].notna().sum() == 0:
        return None
    year = sel.gm_year or sel.division_year
    values = allv.set_index("area_code")["value"]
    mean = groups.group_means(values, year, {sel.gemeente: own})
    country = q("values_for", sel.indicator_id, sel.period, sel.age_group, "country")
    country_value = float(country["value"].iloc[0]) if country["value"].notna().any() else np.nan
    part["is_selected"] = part["area_code"] == sel.gemeente
    missing = list(part.loc[part["value"].isna(), "name"])
    abroad_note = None
    if group.cross:
        tagged = group_names(sel, group)
        part["name"] = [tagged.get(c, n) for c, n in zip(part["area_code"], part["name"],
                                                          strict=True)]
        extra, abroad_note = _abroad_rows(sel, group, tagged)
        part = pd.concat([part, extra], ignore_index=True) if not extra.empty else part
    return Bars(part[part["value"].notna()], bench, float(mean["benchmark"].iloc[0]),
                bool(mean["weighted"].iloc[0]), country_value, method, missing,
                list(part["source_id"].dropna().unique()), abroad_note, sel.country)


def _abroad_rows(sel: Selection, group: Group, tagged: dict[str, str]
                 ) -> tuple[pd.DataFrame, str | None]:
    """The group's gemeenten across the border for the chosen indicator: their country's
    indicator where it is defined the same way (a cross-border pair), shown beside the others
    but not tested against this country's benchmark and not in the group mean. Otherwise none,
    and a sentence saying why."""
    abroad = groups.in_country(group.members, sel.country, inside=False)
    if not abroad:
        return pd.DataFrame(), None
    other = "BE" if sel.country == "NL" else "NL"
    where = t(f"vergelijken_both.where_{other.lower()}")
    listed = ", ".join(tagged.get(c, c) for c in abroad)
    pair = border_view.pair_of(sel.indicator_id)
    if pair is None or border_view.pairs()[pair]["kind"] != "same_definition":
        return pd.DataFrame(), t("vergelijken_both.abroad_none", indicator=sel.indicator["label"],
                                 where=where, names=listed)
    side = border_view.side_near(pair, other, sel.period)
    if side.division_year is None:
        return pd.DataFrame(), t("vergelijken_both.abroad_none", indicator=sel.indicator["label"],
                                 where=where, names=listed)
    rows = side.values[side.values["area_code"].isin(abroad)].copy()
    rows["name"] = [tagged.get(c, c) for c in rows["area_code"]]
    rows["lower"] = rows["upper"] = np.nan
    rows["category"] = "other_country"
    rows["comparison_text"] = t("vergelijken_both.abroad_outcome",
                                country=border_view.country_name(other),
                                period=fmt.period_label(side.period))
    rows["is_selected"] = False
    note = t("vergelijken_both.abroad_shown", where=where, period=fmt.period_label(side.period),
             pair=border_view.label(pair))
    return rows, note


def bar_chart(b: Bars, ind: dict) -> go.Figure:
    unit, decimals = ind["unit"], int(ind["decimals"])
    df = b.table.sort_values("value", ascending=True)
    has_ci = df[["lower", "upper"]].notna().all(axis=1)
    colours = [CATEGORY_COLOURS.get(c, CATEGORY_COLOURS["similar"]) if isinstance(c, str)
               else CATEGORY_COLOURS["similar"] for c in df["category"]]
    labels = [f"<b>{n}</b>" if s else n for n, s in zip(df["name"], df["is_selected"], strict=True)]
    error = None
    if has_ci.any():
        error = {"type": "data", "symmetric": False,
                 "array": np.where(has_ci, df["upper"] - df["value"], np.nan),
                 "arrayminus": np.where(has_ci, df["value"] - df["lower"], np.nan),
                 "color": "#444", "thickness": 1.2}
    hover = [t("vergelijken.hover_bar", name=n, value=fmt.value_with_unit(v, unit, decimals),
               outcome=c if isinstance(c, str) else fmt.MISSING)
             for n, v, c in zip(df["name"], df["value"], df["comparison_text"], strict=True)]
    fig = go.Figure(go.Bar(
        x=df["value"], y=labels, orientation="h", error_x=error,
        marker={"color": colours,
                "line": {"color": [SELECTED_LINE if s else "rgba(0,0,0,0)"
                                   for s in df["is_selected"]], "width": 2}},
        text=[fmt.number(v, decimals) for v in df["value"]], textposition="outside",
        hovertext=hover, hoverinfo="text", showlegend=False, cliponaxis=False))
    # reference lines as legend entries (labels on the plot would overlap when values are close)
    for value, name, dash in ((b.country, border_view.country_name(b.country_code), "dot"),
                              (b.group_mean, t("vergelijken.line_group"), "dash")):
        if fmt.is_number(value):
            fig.add_trace(go.Scatter(
                x=[value, value], y=[labels[0], labels[-1]], mode="lines",
                line={"color": "#000", "dash": dash, "width": 1.5}, showlegend=True,
                name=t("vergelijken.line_label", name=name, value=fmt.number(value, decimals)),
                hoverinfo="skip"))
    for cat in CATEGORIES:
        if cat != "no_data" and cat in set(df["category"].dropna()):
            fig.add_trace(go.Bar(x=[None], y=[None], name=t(f"compare.category.{cat}"),
                                 marker_color=CATEGORY_COLOURS[cat], showlegend=True))
    fig.update_layout(height=max(300, 150 + 30 * len(df)), barmode="overlay",
                      plot_bgcolor="white", margin={"l": 10, "r": 40, "t": 50, "b": 40},
                      xaxis={"title": fmt.unit_label(unit), "gridcolor": "#eee",
                             "rangemode": "tozero"},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      hoverlabel={"bgcolor": "white"})
    return fig


# --- the tartan rug -----------------------------------------------------------------------------


@dataclass
class Tartan:
    rows: list[str]                    # indicator labels (period added when not the chosen one)
    columns: list[str]                 # Nederland, the gemeente, its group
    category: np.ndarray               # rows x columns, index into CATEGORIES
    text: list[list[str]]
    hover: list[list[str]]
    sources: list[str]
    method_texts: list[str]
    bench_label: str
    modelled: bool = False             # some rows are model estimates (RIVM)


def tartan_themes(sel: Selection) -> list[str]:
    lv = _level_table(sel)
    cat = ordered_catalog().set_index("indicator_id")
    present = [cat.at[i, "theme"] for i in lv["indicator_id"].unique() if i in cat.index]
    return themes_in_order(present)


def _level_table(sel: Selection) -> pd.DataFrame:
    year = sel.gm_year or sel.division_year
    lv = q("level_values", "gemeente", year, sel.age_group, country=sel.country)
    return lv[lv["value"].notna()]


def tartan(sel: Selection, group: Group, theme: str | None) -> Tartan | None:
    lv = _level_table(sel)
    if lv.empty:
        return None
    cat = ordered_catalog().set_index("indicator_id")
    year_names = names(sel.gm_year or sel.division_year)
    # a group across the border: only this country's gemeenten have its indicators
    codes = [sel.gemeente, *group.own(sel.country)]
    columns = [t("vergelijken.col_country") if sel.country == "NL" else t("land.be")] + [year_names.get(c, c) for c in codes]
    rows, cats, texts, hovers, sources, methods = [], [], [], [], set(), []
    modelled = False
    bench_label = ""
    periods_of = lv.groupby("indicator_id")["period"].unique()  # once, not per indicator
    for ind_id in cat.index:
        if ind_id not in periods_of.index:
            continue
        info = cat.loc[ind_id]
        if theme and info["theme"] != theme:
            continue
        periods = sorted(periods_of[ind_id])
        period = sel.period if sel.period in periods else periods[-1]
        allv, bench, method = compared_values(sel, ind_id, period, info["polarity"])
        bench_label = bench.label
        if method:
            methods.append(method)
        unit, decimals = info["unit"], int(info["decimals"])
        modelled = modelled or bool(info["modelled"])
        by_code = allv.set_index("area_code")
        country = q("values_for", ind_id, period, sel.age_group, "country")
        c_value = country["value"].iloc[0] if not country.empty else np.nan
        row_cat = [CATEGORIES.index("not_compared")]
        row_text = [fmt.number(c_value, decimals)]
        row_hover = [t("vergelijken.hover_cell", name=columns[0], indicator=info["label"],
                       value=fmt.value_with_unit(c_value, unit, decimals), outcome=fmt.MISSING)]
        for code, col in zip(codes, columns[1:], strict=True):
            r = by_code.loc[code] if code in by_code.index else None
            category = r["category"] if r is not None and isinstance(r["category"], str) \
                else "no_data"
            value = r["value"] if r is not None else np.nan
            row_cat.append(CATEGORIES.index(category) if category in CATEGORIES
                           else CATEGORIES.index("similar"))
            row_text.append(fmt.number(value, decimals) if fmt.is_number(value) else fmt.MISSING)
            outcome = r["comparison_text"] if r is not None and isinstance(
                r["comparison_text"], str) else fmt.MISSING
            row_hover.append(t("vergelijken.hover_cell", name=col, indicator=info["label"],
                               value=fmt.value_with_unit(value, unit, decimals), outcome=outcome))
            if r is not None and isinstance(r["source_id"], str):
                sources.add(r["source_id"])
        label = info["label"] if period == sel.period else t(
            "vergelijken.row_other_period", label=info["label"],
            period=fmt.period_label(period))
        rows.append(label)
        cats.append(row_cat)
        texts.append(row_text)
        hovers.append(row_hover)
    if not rows:
        return None
    return Tartan(rows, columns, np.array(cats, dtype=float), texts, hovers, sorted(sources),
                  list(dict.fromkeys(methods)), bench_label, modelled)


def tartan_chart(tr: Tartan) -> go.Figure:
    n = len(CATEGORIES)
    scale = []
    for i, cat in enumerate(CATEGORIES):
        scale += [[i / n, CATEGORY_COLOURS[cat]], [(i + 1) / n, CATEGORY_COLOURS[cat]]]
    fig = go.Figure(go.Heatmap(
        z=tr.category + 0.5, x=tr.columns, y=tr.rows, zmin=0, zmax=n, colorscale=scale,
        showscale=False, text=tr.text, texttemplate="%{text}", textfont={"size": 12},
        hovertext=tr.hover, hoverinfo="text", xgap=2, ygap=2))
    present = sorted({int(c) for c in tr.category.flatten()})
    for i in present:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=True,
                                 name=t(f"compare.category.{CATEGORIES[i]}")
                                 if CATEGORIES[i] != "no_data" else t("vergelijken.no_data"),
                                 marker={"size": 12, "symbol": "square",
                                         "color": CATEGORY_COLOURS[CATEGORIES[i]],
                                         "line": {"width": 1, "color": "#999"}}))
    fig.update_layout(height=140 + 28 * len(tr.rows), plot_bgcolor="white",
                      margin={"l": 10, "r": 10, "t": 90, "b": 10},
                      xaxis={"side": "top", "tickangle": -35, "showgrid": False},
                      yaxis={"autorange": "reversed", "showgrid": False},
                      legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
                      hoverlabel={"bgcolor": "white"})
    return fig


def feature_sources() -> list[str]:
    """Sources of the peer features (for the footer)."""
    out = []
    for ind in groups.FEATURES_BY_COUNTRY[land.country()].values():
        periods = q("periods_for", ind, "gemeente")
        if periods.empty:
            continue
        row = periods.iloc[0]
        vals = q("values_for", ind, row["period"], row["age_group"], "gemeente",
                 int(row["division_year"]))
        out += [s for s in vals["source_id"].dropna().unique() if s not in out]
    return out


def table_height(table: pd.DataFrame) -> int:
    """Pixel height that shows every row of a small st.dataframe without scrolling."""
    return 38 + 35 * len(table)
