"""Groups of gemeenten to compare with: peers (most similar on size, urbanity, age and income)
and a hand-picked group.

The peer features are published for the newest division (inhabitants and age 2025, income
2024); health values are often on an older division (the RIVM 2012/2016/2020 estimates are on the
2020 division). Features are therefore carried to the division of the values through the merger
table. A gemeente that has merged since has no features of its own in the newest division (its
successor's rates would make it a perfect twin of its partners), so it gets none and is neither
a peer nor has peers; a gemeente that absorbed others keeps its successor's figures and is flagged
as approximated. The statistics (distance, weighted group mean) live in `indicators.peers` and
`indicators.comparison`; this module only gathers the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from healthgap.ui import land
from healthgap.ui.data import db, q
from indicators.comparison import group_benchmarks
from indicators.peers import find_peers, percentile_rank

# feature -> indicator id; the order is the order shown on the Vergelijken page
PEER_FEATURES = {
    "size": "population_total",
    "urbanity": "population_density",
    "age": "population_65_plus_pct",
    "income": "income_standardised_median",
}
POPULATION = "population_total"
# Belgium: the same four features; income as the relative position within Belgium (percentile
# of the average income per tax return), since levels are not comparable with Dutch incomes
PEER_FEATURES_BE = {
    "size": "be_population_total",
    "urbanity": "be_population_density",
    "age": "be_population_65_plus_pct",
    "income": "be_income_per_return",
    # Belgium also has a deprivation index per municipality (BIMD 2011 overall rank among the
    # 589 municipalities of 2018; none for municipalities merged since, which then count on the
    # other four). It has no Dutch counterpart, so peers across the border leave it out.
    "deprivation": "be_bimd_rank",
}
PERCENTILE_FEATURES_BE = {"income"}
FEATURES_BY_COUNTRY = {"NL": PEER_FEATURES, "BE": PEER_FEATURES_BE}
DEFAULT_K = 10


@dataclass
class Features:
    table: pd.DataFrame                      # area_code index, one column per feature
    periods: dict[str, str]                  # feature -> period of its values
    approximated: set[str] = field(default_factory=set)  # absorbed others since: successor's figures
    merged_away: set[str] = field(default_factory=set)   # merged since: no features


def _to_newest(codes: list[str], year: int, country: str = "NL") -> pd.Series:
    """code in division `year` -> its code in the newest division (largest share)."""
    cw = q("crosswalk", country=country)
    part = cw[cw["old_year"] == year].sort_values("share_of_old", ascending=False)
    mapping = part.drop_duplicates("old_code").set_index("old_code")["new_code"]
    return pd.Series([mapping.get(c, c) for c in codes], index=codes)


def carry(series: pd.Series, from_year: int, to_year: int, country: str = "NL") -> pd.Series:
    """Values of one gemeente division carried to another, indexed by the codes of `to_year`.

    Both sides go to the newest division and are joined there. A gemeente of `to_year` that has
    merged since gets NaN (its successor's figure is not its own); one that absorbed others gets
    its successor's figure (see `Features.approximated`).
    """
    codes = list(q("areas", "gemeente", to_year, country=country)["area_code"])
    if from_year == to_year:
        return series.reindex(codes).astype(float)
    newest = _to_newest(codes, to_year, country)
    gone = newest.index != newest.to_numpy()
    src = _to_newest(list(series.index), from_year, country)
    by_newest = pd.Series(series.to_numpy(dtype=float), index=src.to_numpy())
    by_newest = by_newest[~by_newest.index.duplicated()]
    return newest.map(by_newest).astype(float).where(~gone)


def _feature_values(indicator_id: str, division_year: int | None = None
                    ) -> tuple[pd.Series, int, str] | None:
    periods = q("periods_for", indicator_id, "gemeente")
    if periods.empty:
        return None
    newest = periods[periods["period"] == periods.iloc[0]["period"]]
    same = newest[newest["division_year"] == division_year]
    row = same.iloc[0] if len(same) else periods.iloc[0]  # newest period first
    vals = q("values_for", indicator_id, row["period"], row["age_group"], "gemeente",
             int(row["division_year"]))
    series = vals.set_index("area_code")["value"].astype(float)
    return series, int(row["division_year"]), str(row["period"])


def features(division_year: int, country: str | None = None) -> Features:
    """Peer features for every gemeente of `division_year` (NaN where not published)."""
    return _features(db().key, division_year, country or land.country())


@st.cache_data(show_spinner=False, max_entries=16)
def _features(db_key: str, division_year: int, country: str = "NL") -> Features:
    codes = list(q("areas", "gemeente", division_year, country=country)["area_code"])
    newest = _to_newest(codes, division_year, country)
    gone = newest.index != newest.to_numpy()
    merged = newest.map(newest.value_counts()) > 1  # successor of several gemeenten
    table = pd.DataFrame(index=pd.Index(codes, name="area_code"))
    periods: dict[str, str] = {}
    approximated = set(newest.index[~gone & merged.to_numpy()])
    for feature, indicator_id in FEATURES_BY_COUNTRY.get(country, PEER_FEATURES).items():
        got = _feature_values(indicator_id, division_year)
        if got is None:
            table[feature] = float("nan")
            continue
        series, year, period = got
        periods[feature] = period
        if country == "BE" and feature in PERCENTILE_FEATURES_BE:
            series = percentile_rank(series)
        table[feature] = carry(series, year, division_year, country).to_numpy()
    return Features(table, periods, approximated, set(newest.index[gone]))


def populations(division_year: int, country: str | None = None) -> pd.Series:
    """Inhabitants per gemeente of `division_year` (weights of a group mean)."""
    return features(division_year, country).table["size"]


@dataclass
class PeerGroup:
    target: str
    members: list[str]
    table: pd.DataFrame          # peers: distance, features_used, contrib_<feature>
    features: Features


def in_country(codes, country: str, inside: bool = True) -> list[str]:
    """The codes of gemeenten in `country` (inside=False: in the other one), order kept."""
    return [c for c in codes if (land.country(land.BOTH, c) == country) == inside]


def peers_of(code: str, division_year: int, k: int = DEFAULT_K,
             country: str | None = None) -> PeerGroup | None:
    """The k gemeenten most similar to `code` (None when it has no features)."""
    feats = features(division_year, country)
    if code not in feats.table.index or feats.table.loc[code].isna().all():
        return None
    table = find_peers(feats.table, code, k=k, columns=feature_names(country))
    return PeerGroup(code, list(table.index), table, feats)


def feature_names(country: str | None = None) -> list[str]:
    """The features peers are sought on in `country` (default: this session's)."""
    return list(FEATURES_BY_COUNTRY.get(country or land.country(), PEER_FEATURES))


def cross_features() -> Features:
    """Peer features of every gemeente of both countries, each on its country's newest division.

    Size, density and the share of 65+ are defined the same way in both countries (see
    data/catalog/crossborder.toml); income amounts are not (disposable income per household in
    the Netherlands, taxable income per tax return in Belgium), so income enters as the
    percentile within the own country. A Belgian deprivation index has no Dutch counterpart and
    is left out. Periods differ per country: `periods` holds "NL period / BE period".
    """
    return _cross_features(db().key)


@st.cache_data(show_spinner=False, max_entries=2)
def _cross_features(db_key: str) -> Features:
    tables, periods = [], {}
    approximated: set[str] = set()
    merged_away: set[str] = set()
    for country in ("NL", "BE"):
        years = q("division_years", "gemeente", country=country)
        if not years:
            continue
        feats = features(max(years), country)
        table = feats.table[list(PEER_FEATURES)].copy()   # the features both countries have
        if country == "NL":
            table["income"] = percentile_rank(table["income"])
        tables.append(table)
        for feature, period in feats.periods.items():
            if feature not in PEER_FEATURES:
                continue
            tagged = f"{period} {country}"
            periods[feature] = f"{periods[feature]} / {tagged}" if feature in periods else tagged
        approximated |= feats.approximated
        merged_away |= feats.merged_away
    return Features(pd.concat(tables), periods, approximated, merged_away)


def cross_peers_of(code: str, k: int = DEFAULT_K) -> PeerGroup | None:
    """The k gemeenten of either country most similar to `code` (None: it has no features)."""
    feats = cross_features()
    if code not in feats.table.index or feats.table.loc[code].isna().all():
        return None
    table = find_peers(feats.table, code, k=k, columns=list(PEER_FEATURES))
    return PeerGroup(code, list(table.index), table, feats)


def all_peer_sets(division_year: int, k: int = DEFAULT_K,
                  country: str | None = None) -> dict[str, list[str]]:
    """Every gemeente's own peer group (for a map coloured against each area's peers)."""
    return _all_peer_sets(db().key, division_year, k, country or land.country())


@st.cache_data(show_spinner=False, max_entries=8)
def _all_peer_sets(db_key: str, division_year: int, k: int,
                   country: str = "NL") -> dict[str, list[str]]:
    feats = features(division_year, country).table
    usable = feats.index[feats.notna().any(axis=1)]
    return {code: list(find_peers(feats, code, k=k, columns=feature_names(country)).index)
            for code in usable}


def group_means(values: pd.Series, division_year: int,
                members_by_area: dict[str, list[str]], country: str | None = None
                ) -> pd.DataFrame:
    """Per area its group's mean (itself left out): benchmark, weighted, n_members.

    Population-weighted when every member with a value has a known number of inhabitants;
    otherwise (a member merged since) the plain mean, so no member silently drops out.
    """
    return group_benchmarks(values, populations(division_year, country), members_by_area)


def map_codes(codes, division_year: int, country: str | None = None) -> list[str]:
    """Carry codes chosen in another division to `division_year` (forward or back via mergers)."""
    country = country or land.country()
    valid = set(q("areas", "gemeente", division_year, country=country)["area_code"])
    cw = q("crosswalk", country=country)
    out: list[str] = []
    for code in codes:
        if code in valid:
            found = code
        else:
            fwd = cw[(cw["old_code"] == code) & cw["new_code"].isin(valid)]
            back = cw[(cw["new_code"] == code) & cw["old_code"].isin(valid)]
            hits = pd.concat([fwd["new_code"], back["old_code"]])
            found = hits.iloc[0] if len(hits) else None
        if found is not None and found not in out:
            out.append(found)
    return out
