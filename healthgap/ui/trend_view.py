"""Data shaping and the line chart for the Trends page.

One gemeente's value per period next to its benchmark (resolved per period, so a peer or group
mean uses that period's values) and, as context, the lines of its peers and of the gemeenten it
merged with after the division of the values. The RIVM 2012/2016/2020 estimates are all published
on the gemeente division of 2020: the publisher recalculated 2012 and 2016 to the 2020 boundaries.
A point whose period ends before its division year is therefore a harmonised (recalculated)
estimate and is flagged. The values are model estimates without intervals or counts, so a change
is a plain difference of two estimates; no significance test is possible and none is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from healthgap.ui import benchmark, fmt, groups, land
from healthgap.ui.data import q
from healthgap.ui.frame import K_AGE, Selection, ordered_catalog
from healthgap.ui.texts import t

GEMEENTE_COLOUR = "#08306b"
BENCHMARK_COLOUR = "#000000"
PEER_COLOUR = "#b0b0b0"
PARTNER_COLOURS = ("#e66101", "#5e3c99", "#fdb863", "#b2abd2")
HARMONISED_SYMBOL = "circle-open"
OWN_SYMBOL = "circle"
MAX_SUGGESTIONS = 5


def period_end_year(period: str) -> int | None:
    """'2012' -> 2012, '2019-2022' -> 2022; None when the period has no year."""
    tail = str(period).strip().split("-")[-1]
    return int(tail) if tail.isdigit() else None


def is_harmonised(period: str, division_year: int) -> bool:
    """A value for a period before its boundaries' year was recalculated to those boundaries."""
    end = period_end_year(period)
    return end is not None and end < int(division_year)


def periods_of(indicator_id: str, age: str, level: str = "gemeente") -> list[str]:
    """Periods with values for this indicator and age group at `level`, oldest first."""
    p = q("periods_for", indicator_id, level)
    if p.empty:
        return []
    return sorted(set(p.loc[p["age_group"] == age, "period"]), key=_period_key)


def _period_key(period: str):
    return (period_end_year(period) or 0, str(period))


@dataclass
class GapChange:
    first: str
    last: str
    change_area: float        # last - first value of the gemeente
    change_benchmark: float   # last - first value of the benchmark
    gap_first: float          # gemeente - benchmark in the first period
    gap_last: float
    gap_change: float         # |gap_last| - |gap_first|: > 0 widened, < 0 narrowed
    direction: str            # widened | narrowed | unchanged


def gap_change(table: pd.DataFrame, decimals: int) -> GapChange | None:
    """Change of the gemeente and of its gap to the benchmark from the first to the last period
    in which both have a value (None with fewer than two such periods)."""
    both = table[table["value"].notna() & table["benchmark"].notna()]
    if len(both) < 2:
        return None
    a, b = both.iloc[0], both.iloc[-1]
    gap_a, gap_b = a["value"] - a["benchmark"], b["value"] - b["benchmark"]
    widening = abs(gap_b) - abs(gap_a)
    rounded = round(widening, int(decimals))
    direction = "unchanged" if rounded == 0 else ("widened" if rounded > 0 else "narrowed")
    return GapChange(str(a["period"]), str(b["period"]), float(b["value"] - a["value"]),
                     float(b["benchmark"] - a["benchmark"]), float(gap_a), float(gap_b),
                     float(widening), direction)


@dataclass
class Partners:
    """Gemeenten of the values' division that together became one newer gemeente."""
    successor: str
    successor_name: str
    codes: list[str]          # the other predecessors (not the selected gemeente)
    names: dict[str, str]
    kind: str                 # merged | absorbed | split (how the selected gemeente changed)
    split_into: list[str] = field(default_factory=list)  # names of every successor of a split


def merger_partners(code: str, division_year: int) -> Partners | None:
    """The other gemeenten of `division_year` that merged with `code` after that year."""
    cw = q("crosswalk", country=land.country())
    if cw.empty:
        return None
    mine = cw[(cw["old_code"] == code) & (cw["old_year"] == division_year)]
    if mine.empty:
        return None
    mine = mine.sort_values("share_of_old", ascending=False).iloc[0]
    succ = mine["new_code"]
    others = cw[(cw["new_code"] == succ) & (cw["old_year"] == division_year)
                & (cw["old_code"] != code)]
    others = others.drop_duplicates("old_code")
    if others.empty:
        return None
    names = {r.old_code: (r.old_name if isinstance(r.old_name, str) else r.old_code)
             for r in others.itertuples()}
    succ_name = mine["new_name"] if isinstance(mine["new_name"], str) else succ
    split_rows = cw[(cw["old_code"] == code) & (cw["old_year"] == division_year)]
    if (split_rows["kind"] == "split").any():
        kind = "split"
    else:
        kind = "absorbed" if succ == code else "merged"
    split_into = list(dict.fromkeys(n for n in split_rows["new_name"] if isinstance(n, str)))
    return Partners(succ, succ_name, list(others["old_code"]), names, kind,
                    split_into if kind == "split" else [])


@dataclass
class TrendView:
    table: pd.DataFrame                 # per period: value, status, benchmark, difference, harmonised
    benchmark_label: str
    notes: list[str]
    peers: pd.DataFrame                 # long: area_code, name, period, value
    peer_count: int
    peers_available: bool
    partners: Partners | None
    partner_values: pd.DataFrame        # long: area_code, name, period, value
    change: GapChange | None
    source_ids: list[str] = field(default_factory=list)
    modelled: bool = False
    benchmark_harmonised: bool = True  # a mean of (harmonised) gemeenten; False for Nederland


def _series(codes: list[str], sel: Selection) -> pd.DataFrame:
    if not codes:
        return pd.DataFrame(columns=["area_code", "name", "period", "value", "source_id"])
    ts = q("time_series", list(codes), sel.indicator_id, sel.age_group)
    ts = ts[(ts["level"] == "gemeente") & (ts["division_year"] == sel.division_year)]
    return ts[ts["value"].notna()].reset_index(drop=True)


def build(sel: Selection) -> TrendView | None:
    """The trend of the selected gemeente; None when it has no values in two or more periods."""
    periods = periods_of(sel.indicator_id, sel.age_group)
    if len(periods) < 2 or sel.gemeente is None:
        return None
    own = q("time_series", [sel.gemeente], sel.indicator_id, sel.age_group)
    own = own[(own["level"] == "gemeente") & (own["division_year"] == sel.division_year)]
    if own["value"].notna().sum() < 2:
        return None
    rows, notes, label, sources, kind = [], [], None, set(), "nederland"
    for period in periods:
        allv = q("values_for", sel.indicator_id, period, sel.age_group, "gemeente",
                 sel.division_year).reset_index(drop=True)
        b = benchmark.resolve(sel.benchmark, sel.indicator_id, period, sel.age_group, allv,
                              sel.gemeente, sel.group)
        if b.note and b.note not in notes:
            notes.append(b.note)
        label, kind = label or b.label, b.kind
        bench_value = b.per_area.get(sel.gemeente, float("nan")) if len(b.per_area) else None
        bench_value = float(bench_value) if fmt.is_number(bench_value) else float("nan")
        mine = own[own["period"] == period]
        value = float(mine["value"].iloc[0]) if len(mine) else float("nan")
        status = str(mine["status"].iloc[0]) if len(mine) else "missing"
        if fmt.is_missing(value) and status not in ("suppressed", "missing"):
            status = "missing"
        sources.update(s for s in allv["source_id"].dropna().unique())
        rows.append({"period": period, "value": value, "status": status,
                     "benchmark": bench_value, "difference": value - bench_value,
                     "harmonised": is_harmonised(period, sel.division_year)})
    table = pd.DataFrame(rows)

    peer_group = groups.peers_of(sel.gemeente, sel.gm_year or sel.division_year,
                                 country=sel.country)
    members = peer_group.members if peer_group is not None else []
    peers = _series(members, sel)
    partners = merger_partners(sel.gemeente, sel.division_year)
    partner_values = _series(partners.codes if partners else [], sel)
    country_name = t("benchmark.belgie.name") if sel.country == "BE" else \
        t("benchmark.nederland.name")
    return TrendView(table, label or country_name, notes, peers, len(members),
                     peer_group is not None, partners, partner_values,
                     gap_change(table, int(sel.indicator["decimals"])), sorted(sources),
                     bool(sel.indicator.get("modelled")), kind not in ("nederland", "belgie"))


def suggestions(sel: Selection) -> tuple[list[tuple[str, str]], list[str]]:
    """Indicators of the same theme with values in two or more periods (id, label), and the
    age groups of this indicator that have two or more periods."""
    cat = ordered_catalog()
    multi = cat[cat["periods"].map(len) >= 2]
    multi = multi[multi["levels"].map(lambda lv: "gemeente" in lv)]
    same = multi[multi["theme"] == sel.indicator.get("theme")]
    pool = same if not same.empty else multi
    pool = pool[pool["indicator_id"] != sel.indicator_id]
    picks = [(r.indicator_id, r.label) for r in pool.head(MAX_SUGGESTIONS).itertuples()]
    p = q("periods_for", sel.indicator_id, "gemeente")
    ages = [] if p.empty else [a for a, n in p.groupby("age_group")["period"].nunique().items()
                               if n >= 2 and a != sel.age_group]
    return picks, ages


# --- the chart --------------------------------------------------------------------------------


def _hover(name: str) -> str:
    return "<b>" + name + "</b><br>%{x}: %{customdata}<extra></extra>"


def chart(view: TrendView, sel: Selection, show_peers: bool) -> go.Figure:
    """Gemeente bold, benchmark dashed, peers thin grey, merger partners coloured; open markers
    are points recalculated to the boundaries of the division year."""
    unit, dec = sel.indicator["unit"], int(sel.indicator["decimals"])
    xs = [fmt.period_label(p) for p in view.table["period"]]
    fig = go.Figure()

    symbols = [HARMONISED_SYMBOL if h else OWN_SYMBOL for h in view.table["harmonised"]]

    def add_lines(long: pd.DataFrame, style: dict, legend_name: str, group: str,
                  markers: bool = False) -> None:
        first = True
        for code, part in long.groupby("area_code", sort=False):
            part = part.set_index("period").reindex(view.table["period"])
            name = part["name"].dropna().iloc[0] if part["name"].notna().any() else code
            fig.add_trace(go.Scatter(
                x=xs, y=part["value"], mode="lines+markers" if markers else "lines",
                name=legend_name, legendgroup=group, showlegend=first, line=style,
                marker={"symbol": symbols, "size": 8, "color": style["color"],
                        "line": {"width": 2, "color": style["color"]}},
                legendrank=3 if markers else 4, connectgaps=False,
                customdata=[fmt.value_with_unit(v, unit, dec) for v in part["value"]],
                hovertemplate=_hover(name)))
            first = False

    if show_peers and not view.peers.empty:
        add_lines(view.peers, {"color": PEER_COLOUR, "width": 1},
                  t("trends.legend_peers", count=view.peer_count), "peers")
    if view.partners is not None:
        for i, code in enumerate(view.partners.codes):
            part = view.partner_values[view.partner_values["area_code"] == code]
            if part.empty:
                continue
            colour = PARTNER_COLOURS[i % len(PARTNER_COLOURS)]
            name = view.partners.names[code]
            legend = (t("trends.legend_partner", name=name) if view.partners.kind == "merged"
                      else t("trends.legend_other", name=name, year=sel.division_year))
            add_lines(part, {"color": colour, "width": 2.5}, legend, code, markers=True)

    def add_main(values: pd.Series, name: str, group: str, line: dict, size: int,
                 rank: int, harmonised: bool = True) -> None:
        # the line carries the legend entry (its icon is the line style); the markers, open where
        # harmonised, are a second trace in the same legend group so the icon is never ambiguous
        fig.add_trace(go.Scatter(x=xs, y=values, mode="lines", name=name, legendgroup=group,
                                 line=line, hoverinfo="skip", legendrank=rank))
        fig.add_trace(go.Scatter(
            x=xs, y=values, mode="markers", name=name, legendgroup=group, showlegend=False,
            marker={"symbol": symbols if harmonised else OWN_SYMBOL, "size": size,
                    "color": line["color"], "line": {"width": 2.5, "color": line["color"]}},
            customdata=[fmt.value_with_unit(v, unit, dec) for v in values],
            hovertemplate=_hover(name)))

    add_main(view.table["benchmark"], view.benchmark_label, "benchmark",
             {"color": BENCHMARK_COLOUR, "width": 2, "dash": "dash"}, 9, 2,
             view.benchmark_harmonised)  # the country's own figure has no boundaries to redraw
    add_main(view.table["value"], sel.gemeente_name, "gemeente",
             {"color": GEMEENTE_COLOUR, "width": 4}, 13, 1)
    if view.table["harmonised"].any():
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=t("trends.legend_harmonised",
                                                        year=sel.division_year),
            marker={"symbol": HARMONISED_SYMBOL, "size": 11, "color": "#333333",
                    "line": {"width": 2}}, hoverinfo="skip", legendrank=5))
    suffix = fmt.unit_label(unit)
    fig.update_layout(
        height=520, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": t("trends.chart_title", indicator=sel.indicator["label"],
                         age=fmt.age_label(sel.age_group)), "font": {"size": 16}},
        legend={"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top", "font": {"size": 13}},
        plot_bgcolor="#ffffff", hovermode="closest",
        xaxis={"type": "category", "title": t("trends.axis_period"), "showgrid": False,
               "tickfont": {"size": 13}},
        yaxis={"title": suffix or None, "gridcolor": "#e5e5e5", "zeroline": False,
               "tickfont": {"size": 13}, "separatethousands": True},
        separators=",.",
    )
    return fig


def table_rows(view: TrendView, sel: Selection) -> dict[str, list]:
    """The compact table, every cell formatted (Dutch numbers, status in words)."""
    unit, dec = sel.indicator["unit"], int(sel.indicator["decimals"])
    tb = view.table
    return {
        t("trends.col_period"): [fmt.period_label(p) for p in tb["period"]],
        t("trends.col_value", gemeente=sel.gemeente_name):
            [fmt.value_with_unit(v, unit, dec) for v in tb["value"]],
        t("trends.col_benchmark", benchmark=view.benchmark_label):
            [fmt.value_with_unit(v, unit, dec) for v in tb["benchmark"]],
        t("trends.col_difference"): [fmt.difference_with_unit(v, unit, dec)
                                     for v in tb["difference"]],
        t("trends.col_status"): [t(f"status.{s}") for s in tb["status"]],
        t("trends.col_boundaries"): [
            t("trends.boundaries_harmonised", year=sel.division_year) if h
            else t("trends.boundaries_own", period=fmt.period_label(p))
            for p, h in zip(tb["period"], tb["harmonised"], strict=True)],
    }


def change_sentence(view: TrendView, sel: Selection) -> str | None:
    c = view.change
    if c is None:
        return None
    unit, dec = sel.indicator["unit"], int(sel.indicator["decimals"])
    values = {"gemeente": sel.gemeente_name, "first": fmt.period_label(c.first),
              "last": fmt.period_label(c.last), "benchmark": view.benchmark_label,
              "change": fmt.difference_with_unit(c.change_area, unit, dec),
              "change_benchmark": fmt.difference_with_unit(c.change_benchmark, unit, dec),
              "gap_first": fmt.difference_with_unit(c.gap_first, unit, dec),
              "gap_last": fmt.difference_with_unit(c.gap_last, unit, dec)}
    if c.direction == "unchanged":
        return t("trends.change_unchanged", **values)
    amount = fmt.difference_with_unit(abs(c.gap_change), unit, dec).removeprefix("+")
    if c.direction == "widened":
        return t("trends.change_widened", amount=amount, **values)
    return t("trends.change_narrowed", amount=amount, **values)


def choose_age(age: str) -> None:
    """Button callback: make `age` the selected age group (a helper, not a page function: see
    healthgap/ui/labels.py)."""
    import streamlit as st

    st.session_state[K_AGE] = age
