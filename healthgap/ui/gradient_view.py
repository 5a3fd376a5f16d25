"""Data and figures of the Ongelijkheid page (the socio-economic gradient).

Gathers, per area (all gemeenten, or the wijken of one gemeente), the indicator, an SES measure
and a weight, and hands them to `indicators.gradients` (quantiles, difference/ratio, SII/RII,
concentration indices with intervals), `indicators.expected` (expected value given SES) and
`indicators.fit` (the weighted line in the scatter). This module only shapes data, words the
results in Dutch and builds the plotly figures; no statistics are computed here.

SES measures:
- `income_standardised_median` (CBS 2024, gemeenten only): low = disadvantaged; carried from its
  own division to the indicator's with `groups.carry`.
- `difficulty_making_ends_meet` (RIVM, same survey as the health estimates, gemeenten and wijken,
  per survey year): high = disadvantaged.
Weights: inhabitants 2025 carried to the division (`groups.populations`); gemeenten merged since
have none and are left out. Wijken have no published population: every wijk weighs the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from healthgap.ui import fmt, groups
from healthgap.ui.data import db, q
from healthgap.ui.frame import ordered_catalog
from healthgap.ui.maps import CATEGORY_COLOURS, SEQUENTIAL
from healthgap.ui.texts import raw, t, t_optional
from indicators.expected import ExpectedResult, expected_from_ses
from indicators.fit import FitLine, weighted_fit_line
from indicators.gradients import GradientResult, socioeconomic_gradient
from indicators.trends import ChangeResult, change_between_periods

INCOME = "income_standardised_median"
DIFFICULTY = "difficulty_making_ends_meet"
# Belgium: income per tax return (Statbel) per gemeente; per Brussels statistical sector the
# deprivation index without its health domain (BIMD 2011), so it can be set against the health
# domain without ranking health on health
BE_INCOME = "be_income_per_return"
BE_DEPRIVATION = "be_bimd_without_health_score"
SES_MEASURES = (INCOME, DIFFICULTY)
SES_BY_COUNTRY = {"NL": SES_MEASURES, "BE": (BE_INCOME, BE_DEPRIVATION)}
INCOMES = (INCOME, BE_INCOME)
DISADVANTAGED = {INCOME: "low", DIFFICULTY: "high", BE_INCOME: "low", BE_DEPRIVATION: "high"}
LEVELS = ("gemeente", "wijk")
BOOTSTRAP = 1000
MIN_AREAS_QUINTILES = 10   # two areas per fifth at least
MIN_AREAS_TERTILES = 6     # two areas per third at least
MEASURES = ("difference", "ratio", "sii", "rii", "aci", "rci")
ABSOLUTE = {"difference", "sii", "aci"}  # in the indicator's unit; the others are ratios

POINT_COLOUR = "#6baed6"
POINT_LINE = "#2171b5"
HIGHLIGHT = CATEGORY_COLOURS["much_lower"]  # orange: distinct from the blues for colour blindness
LINE_COLOUR = "#08306b"
BAND_COLOUR = "rgba(33,113,181,0.15)"
BAR_COLOUR = "#4292c6"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SesChoice:
    ses_id: str
    period: str
    age_group: str
    division_year: int
    source_id: str | None


def ses_measures(country: str) -> tuple[str, str]:
    """(gemeente SES measure, the one of the detailed level) of a country."""
    return SES_BY_COUNTRY.get(country, SES_MEASURES)


def detail_level(country: str) -> str:
    return "sector" if country == "BE" else "wijk"


def ses_label(ses_id: str) -> str:
    if ses_id == BE_INCOME:
        return t("ongelijkheid_be.ses_income")
    if ses_id == BE_DEPRIVATION:
        return t("ongelijkheid_be.ses_deprivation")
    if ses_id == INCOME:
        return t("ongelijkheid.ses.income")
    return t("ongelijkheid.ses.difficulty")


def health_domain_caption(indicator_id: str) -> str | None:
    """The caveat under a gradient of the BIMD health domain (docs/methods.md, 'The BIMD health
    domain'): in Brussels it does not rise with the other domains' deprivation."""
    if indicator_id.startswith("be_bimd_health_"):
        return t("bimd_be.health_gradient_caption")
    return None


def ses_given(ses_id: str) -> str:
    """'het inkomen' / 'de moeite met rondkomen' for 'Gezien … verwacht je …'."""
    if ses_id == BE_INCOME:
        return t("ongelijkheid_be.ses_given_income")
    if ses_id == BE_DEPRIVATION:
        return t("ongelijkheid_be.ses_given_deprivation")
    if ses_id == INCOME:
        return t("ongelijkheid.ses_given.income")
    return t("ongelijkheid.ses_given.difficulty")


def level_label(level: str, gemeente: str | None) -> str:
    if level == "sector":
        return t("ongelijkheid_be.level_sector")
    if level == "wijk":
        return t("ongelijkheid.level.wijk", gemeente=gemeente or fmt.MISSING)
    return t("ongelijkheid.level.gemeente")


def areas_word(level: str, gemeente: str | None) -> str:
    if level == "sector":
        return t("ongelijkheid_be.areas_sector")
    if level == "wijk":
        return t("ongelijkheid.areas.wijk", gemeente=gemeente or fmt.MISSING)
    return t("ongelijkheid.areas.gemeente")


def has_level(indicator: dict, level: str) -> bool:
    levels = indicator.get("levels")
    return levels is not None and level in list(levels)


def alternatives(indicator: dict, limit: int = 5) -> list[str]:
    """Indicators with gemeente values, same theme first (for an indicator without them)."""
    cat = ordered_catalog()
    cat = cat[cat["levels"].map(lambda lv: lv is not None and "gemeente" in list(lv))]
    cat = cat[~cat["indicator_id"].isin(list(DISADVANTAGED) + [indicator.get("indicator_id")])]
    cat = cat[cat["modelled"].fillna(False).astype(bool) | cat["theme"].eq(indicator.get("theme"))]
    # most survey years first: those also show the change of the gap
    cat = cat.assign(_n=cat["periods"].map(len)).sort_values(["_n", "label"],
                                                              ascending=[False, True])
    same = cat[cat["theme"] == indicator.get("theme")]
    rest = cat[cat["theme"] != indicator.get("theme")]
    return list(pd.concat([same, rest])["label"].head(limit))


def pick_ses_row(ses_id: str, level: str, period: str, age_group: str) -> pd.Series | None:
    """The SES values to pair with the indicator: same survey year and age group when the SES
    measure has them, else the same year for 18+, else its newest year (income: always 2024)."""
    rows = q("periods_for", ses_id, level)
    if rows.empty:
        return None
    for mask in (rows["period"].eq(period) & rows["age_group"].eq(age_group),
                 rows["period"].eq(period) & rows["age_group"].eq("18+"),
                 rows["age_group"].eq(age_group),
                 rows["age_group"].eq("18+")):
        if mask.any():
            return rows[mask].iloc[0]
    return rows.iloc[0]  # newest first


def _ses_series(ses_id: str, level: str, period: str, age_group: str, division_year: int,
                parent: str | None) -> tuple[pd.Series, SesChoice] | None:
    row = pick_ses_row(ses_id, level, period, age_group)
    if row is None:
        return None
    vals = q("values_for", ses_id, row["period"], row["age_group"], level,
             int(row["division_year"]), parent if level == "wijk" else None)
    if vals.empty:
        return None
    series = vals.set_index("area_code")["value"].astype(float)
    if level == "gemeente" and int(row["division_year"]) != division_year:
        country = "BE" if ses_id in (BE_INCOME, BE_DEPRIVATION) else "NL"
        series = groups.carry(series, int(row["division_year"]), division_year, country)
    src = vals["source_id"].dropna()
    return series, SesChoice(ses_id, str(row["period"]), str(row["age_group"]),
                             int(row["division_year"]), src.iloc[0] if len(src) else None)


def area_table(indicator_id: str, period: str, age_group: str, level: str, division_year: int,
               parent: str | None, ses_id: str) -> tuple[pd.DataFrame, SesChoice | None,
                                                         list[str]]:
    """One row per area: area_code, name, value, ses, pop (NaN pop: no inhabitants known)."""
    vals = q("values_for", indicator_id, period, age_group, level,
             division_year if level == "gemeente" else None, parent if level == "wijk" else None)
    if vals.empty:
        return pd.DataFrame(), None, []
    sources = [s for s in vals["source_id"].dropna().unique()]
    df = vals[["area_code", "name", "value"]].copy()
    df["value"] = df["value"].astype(float)
    got = _ses_series(ses_id, level, period, age_group, int(vals["division_year"].iloc[0]),
                      parent)
    if got is None:
        df["ses"] = np.nan
        choice = None
    else:
        series, choice = got
        df["ses"] = df["area_code"].map(series).astype(float)
        if choice.source_id:
            sources.append(choice.source_id)
    if level == "gemeente" and ses_id in (BE_INCOME, BE_DEPRIVATION):
        pops, pop_source = _be_populations(int(vals["division_year"].iloc[0]))
        df["pop"] = df["area_code"].map(pops).astype(float)
        sources.append(pop_source)
    elif level == "gemeente":
        pops = groups.populations(int(vals["division_year"].iloc[0]))
        df["pop"] = df["area_code"].map(pops).astype(float)
        sources.append(_population_source())
    else:
        df["pop"] = 1.0
    return df.reset_index(drop=True), choice, [s for s in sources if s]


def _be_populations(division_year: int) -> tuple[pd.Series, str | None]:
    """Inhabitants per Belgian gemeente of this division (Statbel, newest year there)."""
    rows = q("periods_for", BE_POPULATION, "gemeente")
    rows = rows[rows["division_year"] == division_year]
    if rows.empty:
        return pd.Series(dtype=float), None
    vals = q("values_for", BE_POPULATION, rows.iloc[0]["period"], rows.iloc[0]["age_group"],
             "gemeente", division_year)
    src = vals["source_id"].dropna()
    return (vals.set_index("area_code")["value"].astype(float),
            src.iloc[0] if len(src) else None)


BE_POPULATION = "be_population_total"


def _population_source() -> str | None:
    info = q("indicator", groups.POPULATION)
    return info.get("source_id") if info else None


def other_options(indicator_id: str, level: str) -> str:
    """'2016 (18 jaar en ouder), …' where the indicator does have values at this level (or at
    gemeente level when the wijk level has none)."""
    rows = q("periods_for", indicator_id, level)
    if rows.empty and level == "wijk":
        rows = q("periods_for", indicator_id, "gemeente")
    return ", ".join(f"{fmt.period_label(r.period)} ({fmt.age_label(r.age_group)})"
                     for r in rows.itertuples())


def multi_year_ages(indicator_id: str, level: str) -> list[str]:
    """Age groups with at least two survey years at this level (for the change of the gap)."""
    rows = q("periods_for", indicator_id, level)
    counts = rows.groupby("age_group")["period"].nunique() if not rows.empty else pd.Series()
    return [str(a) for a in counts[counts >= 2].index]


def n_quantiles(n_areas: int) -> int | None:
    if n_areas >= MIN_AREAS_QUINTILES:
        return 5
    if n_areas >= MIN_AREAS_TERTILES:
        return 3
    return None


# --------------------------------------------------------------------------- the computation


@dataclass
class GradientView:
    level: str
    ses: SesChoice | None
    areas: pd.DataFrame                # all areas of the level (value, ses, pop)
    used: pd.DataFrame                 # areas with value, ses and weight
    n_without_pop: int = 0
    n_without_ses: int = 0
    n: int | None = None               # quantiles
    gradient: GradientResult | None = None
    fit: FitLine | None = None
    expected: ExpectedResult | None = None
    error: str | None = None           # why no gradient (too few areas)
    sources: list[str] = field(default_factory=list)


def gradient_view(indicator_id: str, period: str, age_group: str, level: str,
                  division_year: int, parent: str | None, ses_id: str) -> GradientView:
    """Everything the page draws for one selection (cached: the bootstrap takes a moment)."""
    return _gradient_view(db().key, indicator_id, period, age_group, level, division_year,
                          parent, ses_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _gradient_view(db_key: str, indicator_id: str, period: str, age_group: str, level: str,
                   division_year: int, parent: str | None, ses_id: str) -> GradientView:
    df, choice, sources = area_table(indicator_id, period, age_group, level, division_year,
                                     parent, ses_id)
    if df.empty:
        return GradientView(level, choice, df, df)
    has_value = df["value"].notna()
    n_without_ses = int((has_value & df["ses"].isna()).sum())
    n_without_pop = int((has_value & df["ses"].notna() & df["pop"].isna()).sum())
    used = df[has_value & df["ses"].notna() & df["pop"].gt(0)].reset_index(drop=True)
    view = GradientView(level, choice, df, used, n_without_pop, n_without_ses,
                        sources=list(dict.fromkeys(sources)))
    n = n_quantiles(len(used))
    if n is None:
        view.error = "too_few"
        return view
    view.n = n
    try:
        view.gradient = socioeconomic_gradient(
            used, "value", "ses", "pop", n=n, disadvantaged=DISADVANTAGED[ses_id],
            favourable=_favourable(indicator_id), scale=100, bootstrap=BOOTSTRAP)
    except ValueError as exc:
        view.error = str(exc)
        return view
    weights = None if level != "gemeente" else used["pop"]
    try:
        view.fit = weighted_fit_line(used["ses"], used["value"], weights)
        view.expected = expected_from_ses(used, "value", ["ses"], "pop", area_col="area_code")
    except ValueError:
        pass  # the gradient still stands; the page says the fit is unavailable
    return view


def _favourable(indicator_id: str) -> bool:
    info = q("indicator", indicator_id) or {}
    return info.get("polarity") != "low_is_good"


# --------------------------------------------------------------------------- change over time


@dataclass
class GapTrend:
    table: pd.DataFrame                  # period, ses_period, sii, lower, upper, se, n_areas, n
    change: ChangeResult | None
    first: str | None
    last: str | None
    skipped: list[str] = field(default_factory=list)


def gap_trend(indicator_id: str, age_group: str, level: str, parent: str | None,
              ses_id: str) -> GapTrend:
    return _gap_trend(db().key, indicator_id, age_group, level, parent, ses_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _gap_trend(db_key: str, indicator_id: str, age_group: str, level: str, parent: str | None,
               ses_id: str) -> GapTrend:
    periods = q("periods_for", indicator_id, level)
    periods = periods[periods["age_group"] == age_group].sort_values("period")
    rows, skipped = [], []
    for r in periods.itertuples():
        view = _gradient_view(db_key, indicator_id, str(r.period), age_group, level,
                              int(r.division_year), parent, ses_id)
        g = view.gradient
        if g is None:
            skipped.append(str(r.period))
            continue
        sii = g.measures["sii"]
        rows.append({"period": str(r.period), "ses_period": view.ses.period if view.ses else None,
                     "sii": sii.estimate, "lower": sii.lower, "upper": sii.upper, "se": sii.se,
                     "n_areas": g.n_areas, "n": g.n_quantiles})
    table = pd.DataFrame(rows)
    change = None
    first = last = None
    if len(table) >= 2:
        a, b = table.iloc[0], table.iloc[-1]
        first, last = a["period"], b["period"]
        if all(np.isfinite([a["se"], b["se"]])):
            change = change_between_periods(a["sii"], a["se"], b["sii"], b["se"])
    return GapTrend(table, change, first, last, skipped)


# --------------------------------------------------------------------------- words


def _magnitude(value: float, unit: str, decimals: int) -> str:
    """A size without a sign, with the unit of a difference ('3,2 procentpunt')."""
    if fmt.is_missing(value):
        return fmt.MISSING
    suffix = t_optional(f"difference_suffix.{unit}")
    return fmt.number(abs(value), decimals) + (fmt.unit_suffix(unit) if suffix is None else suffix)


def difference_unit(unit: str) -> str:
    """'procentpunt' for percentages, else the unit's own label."""
    suffix = t_optional(f"difference_suffix.{unit}")
    return (suffix if suffix is not None else fmt.unit_suffix(unit)).strip() or fmt.MISSING


def measure_value(key: str, value: float, unit: str, decimals: int) -> str:
    if key in ABSOLUTE:
        return fmt.difference_with_unit(value, unit, decimals)
    if key == "rci":  # a signed fraction: true minus sign like the other signed measures
        return fmt.signed(value, 3)
    return fmt.number(value, 2)


def measure_interval(key: str, lower: float, upper: float, unit: str, decimals: int) -> str:
    """'−6,0 tot −3,3 procentpunt': the unit once, after the upper limit."""
    if fmt.is_missing(lower) or fmt.is_missing(upper):
        return fmt.MISSING
    low = fmt.signed(lower, decimals) if key in ABSOLUTE else measure_value(key, lower, unit,
                                                                             decimals)
    return t("ongelijkheid.interval", lower=low, upper=measure_value(key, upper, unit, decimals))


def _model_name(method: str) -> str:
    if "logistic" in method:
        return t("ongelijkheid.model.logistic")
    return t("ongelijkheid.model.linear")


def measure_label(key: str, n: int) -> str:
    labels = {
        "difference": t("ongelijkheid.measure.difference", n=n),
        "ratio": t("ongelijkheid.measure.ratio", n=n),
        "sii": t("ongelijkheid.measure.sii"),
        "rii": t("ongelijkheid.measure.rii"),
        "aci": t("ongelijkheid.measure.aci"),
        "rci": t("ongelijkheid.measure.rci"),
    }
    return labels[key]


def measure_method(key: str, n: int, method: str) -> str:
    model = _model_name(method)
    texts = {
        "difference": t("ongelijkheid.method.difference", n=n),
        "ratio": t("ongelijkheid.method.ratio", n=n),
        "sii": t("ongelijkheid.method.sii", model=model, n=n),
        "rii": t("ongelijkheid.method.rii", model=model, n=n),
        "aci": t("ongelijkheid.method.aci"),
        "rci": t("ongelijkheid.method.rci"),
    }
    return texts[key]


def measures_table(g: GradientResult, unit: str, decimals: int) -> pd.DataFrame:
    rows = []
    for key in MEASURES:
        m = g.measures[key]
        rows.append({
            t("ongelijkheid.col.measure"): measure_label(key, g.n_quantiles),
            t("ongelijkheid.col.estimate"): measure_value(key, m.estimate, unit, decimals),
            t("ongelijkheid.col.interval"): measure_interval(key, m.lower, m.upper, unit,
                                                             decimals),
            t("ongelijkheid.col.method"): measure_method(key, g.n_quantiles, m.method),
        })
    return pd.DataFrame(rows)


def ci_caption(g: GradientResult) -> str:
    if g.ci_method.startswith("bootstrap"):
        return t("ongelijkheid.ci_bootstrap", reps=fmt.count(BOOTSTRAP),
                 confidence=fmt.number(g.confidence * 100, 0))
    return t("ongelijkheid.ci_analytic", confidence=fmt.number(g.confidence * 100, 0))


def sii_sentence(g: GradientResult, indicator: dict, areas: str) -> str:
    """Plain-language SII that claims only what its interval supports."""
    sii = g.measures["sii"]
    unit, dec = indicator["unit"], int(indicator["decimals"])
    label = indicator["label"]
    if fmt.is_missing(sii.lower) or fmt.is_missing(sii.upper):
        return t("ongelijkheid.sii_no_interval", areas=areas, indicator=label,
                 value=measure_value("sii", sii.estimate, unit, dec))
    lo, hi = sorted((abs(sii.lower), abs(sii.upper)))
    if sii.lower <= 0 <= sii.upper:
        return t("ongelijkheid.sii_unclear", areas=areas, indicator=label,
                 value=measure_value("sii", sii.estimate, unit, dec),
                 interval=measure_interval("sii", sii.lower, sii.upper, unit, dec))
    key = "ongelijkheid.sii_higher" if sii.estimate > 0 else "ongelijkheid.sii_lower"
    text = t(key, areas=areas, indicator=label, value=_magnitude(sii.estimate, unit, dec),
             lower=fmt.number(lo, dec), upper=_magnitude(hi, unit, dec))
    polarity = indicator.get("polarity")
    if polarity in ("high_is_good", "low_is_good"):
        disadvantaged_worse = (sii.estimate > 0) == (polarity == "high_is_good")
        text += " " + (t("ongelijkheid.sii_worse_for_disadvantaged", areas=areas)
                       if disadvantaged_worse
                       else t("ongelijkheid.sii_better_for_disadvantaged", areas=areas))
    return text


@dataclass(frozen=True)
class ExpectedBox:
    sentence: str
    detail: str
    method: str


def expected_box(view: GradientView, code: str, name: str, indicator: dict,
                 ses_id: str) -> ExpectedBox | str:
    """The chosen area's observed vs expected value, or the sentence why there is none."""
    unit, dec = indicator["unit"], int(indicator["decimals"])
    row = view.areas[view.areas["area_code"] == code]
    if row.empty or fmt.is_missing(row["value"].iloc[0]):
        return t("ongelijkheid.expected_no_value", gemeente=name)
    if fmt.is_missing(row["pop"].iloc[0]):  # merged since: no weight, whatever the SES
        return t("ongelijkheid.expected_no_pop", gemeente=name)
    if fmt.is_missing(row["ses"].iloc[0]):
        return t("ongelijkheid.expected_no_ses", gemeente=name, ses=ses_label(ses_id))
    if view.expected is None:
        return t("ongelijkheid.expected_unavailable")
    ex = view.expected
    r = ex.table[ex.table["area"] == code]
    if r.empty or fmt.is_missing(r["expected"].iloc[0]):
        return t("ongelijkheid.expected_unavailable")
    r = r.iloc[0]
    position = str(r["position"])
    polarity = indicator.get("polarity")
    if position == "as expected":
        verdict = t("ongelijkheid.position.as_expected")
    elif position == "higher than expected":
        verdict = {"high_is_good": t("ongelijkheid.position.higher_better"),
                   "low_is_good": t("ongelijkheid.position.higher_worse")}.get(
            polarity, t("ongelijkheid.position.higher"))
    else:
        verdict = {"high_is_good": t("ongelijkheid.position.lower_worse"),
                   "low_is_good": t("ongelijkheid.position.lower_better")}.get(
            polarity, t("ongelijkheid.position.lower"))
    sentence = t("ongelijkheid.expected_sentence", ses=ses_given(ses_id), gemeente=name,
                 expected=fmt.value_with_unit(r["expected"], unit, dec),
                 observed=fmt.value_with_unit(r["observed"], unit, dec), verdict=verdict)
    detail = t("ongelijkheid.expected_detail",
               difference=fmt.difference_with_unit(r["unexplained"], unit, dec),
               interval=measure_interval("difference", r["lower"], r["upper"], unit, dec),
               confidence=fmt.number(ex.confidence * 100, 0))
    method = t("ongelijkheid.expected_method", n=fmt.count(ex.n),
               r2=fmt.number(ex.r_squared, 2),
               weights=t("ongelijkheid.weights.population") if view.level == "gemeente"
               else t("ongelijkheid.weights.equal"))
    return ExpectedBox(sentence, detail, method)


def change_sentence(trend: GapTrend, indicator: dict) -> str:
    unit, dec = indicator["unit"], int(indicator["decimals"])
    c = trend.change
    if c is None:
        return t("ongelijkheid.change_none")
    values = {"first": fmt.period_label(trend.first), "last": fmt.period_label(trend.last),
              "change": fmt.difference_with_unit(c.change, unit, dec),
              "interval": measure_interval("sii", c.lower, c.upper, unit, dec)}
    if c.lower <= 0 <= c.upper:
        return t("ongelijkheid.change_not_significant", **values)
    a, b = trend.table["sii"].iloc[0], trend.table["sii"].iloc[-1]
    if np.sign(a) == np.sign(b) and a != 0:
        key = ("ongelijkheid.change_wider" if abs(b) > abs(a)
               else "ongelijkheid.change_narrower")
        return t(key, **values)
    return t("ongelijkheid.change_significant", **values)


def notes(view: GradientView, level: str) -> list[str]:
    out = []
    if view.n_without_pop:
        out.append(t("ongelijkheid.note_no_pop", count=fmt.count(view.n_without_pop)))
    if view.n_without_ses:
        out.append(t("ongelijkheid.note_no_ses", count=fmt.count(view.n_without_ses)))
    n_missing = int(view.areas["value"].isna().sum()) if not view.areas.empty else 0
    if n_missing:
        out.append(t("ongelijkheid.note_no_value", count=fmt.count(n_missing)))
    return out


# --------------------------------------------------------------------------- figures


def _hover(used: pd.DataFrame, indicator: dict, ses_id: str) -> np.ndarray:
    unit, dec = indicator["unit"], int(indicator["decimals"])
    ses_unit = {INCOME: "euro_x1000", BE_INCOME: "euro_x1000",
                BE_DEPRIVATION: "index"}.get(ses_id, "percent")
    pops = used["pop"] if "pop" in used else pd.Series(np.nan, index=used.index)
    return np.column_stack([
        used["name"].fillna(used["area_code"]),
        [t("ongelijkheid.hover_value", label=indicator["label"],
           value=fmt.value_with_unit(v, unit, dec)) for v in used["value"]],
        [t("ongelijkheid.hover_value", label=ses_label(ses_id),
           value=fmt.value_with_unit(v, ses_unit, 1)) for v in used["ses"]],
        [t("ongelijkheid.hover_pop", pop=fmt.count(p)) if not fmt.is_missing(p) and p > 1
         else t("ongelijkheid.hover_equal") for p in pops],
    ])


def scatter(view: GradientView, indicator: dict, ses_id: str, highlight: str | None,
            highlight_name: str | None) -> go.Figure:
    used = view.used
    unit = indicator["unit"]
    size = (np.full(len(used), 8.0) if view.level != "gemeente"
            else 5 + 22 * np.sqrt(used["pop"] / used["pop"].max()))
    fig = go.Figure()
    if view.fit is not None:
        f = view.fit
        fig.add_trace(go.Scatter(
            x=np.concatenate([f.grid, f.grid[::-1]]), y=np.concatenate([f.upper, f.lower[::-1]]),
            fill="toself", fillcolor=BAND_COLOUR, line={"width": 0}, hoverinfo="skip",
            name=t("ongelijkheid.legend_band", confidence=fmt.number(f.confidence * 100, 0))))
    fig.add_trace(go.Scatter(
        x=used["ses"], y=used["value"], mode="markers",
        name=t("ongelijkheid.legend_gemeenten") if view.level == "gemeente"
        else t("ongelijkheid_be.legend_sectors") if view.level == "sector"
        else t("ongelijkheid.legend_wijken"),
        marker={"size": size, "color": POINT_COLOUR, "opacity": 0.75,
                "line": {"width": 0.6, "color": POINT_LINE}},
        customdata=_hover(used, indicator, ses_id),
        hovertemplate=raw("ongelijkheid.hover_area") + "<extra></extra>"))
    if view.fit is not None:
        fig.add_trace(go.Scatter(x=view.fit.grid, y=view.fit.fitted, mode="lines",
                                 line={"color": LINE_COLOUR, "width": 2.5}, hoverinfo="skip",
                                 name=t("ongelijkheid.legend_fit") if view.level == "gemeente"
                                 else t("ongelijkheid_be.legend_fit_sectors")
                                 if view.level == "sector"
                                 else t("ongelijkheid.legend_fit_equal")))
    own = used[used["area_code"] == highlight] if highlight else used.iloc[0:0]
    if not own.empty:
        fig.add_trace(go.Scatter(
            x=own["ses"], y=own["value"], mode="markers+text", text=[highlight_name],
            textposition="top center", textfont={"size": 14, "color": "#111111"},
            marker={"size": 16, "color": HIGHLIGHT, "line": {"width": 2, "color": "#111111"}},
            name=highlight_name, customdata=_hover(own, indicator, ses_id),
            hovertemplate=raw("ongelijkheid.hover_area") + "<extra></extra>"))
    ses_axis = {INCOME: t("ongelijkheid.axis_ses_income", period=view.ses.period),
                BE_INCOME: t("ongelijkheid_be.axis_income", period=view.ses.period),
                BE_DEPRIVATION: t("ongelijkheid_be.axis_deprivation", period=view.ses.period),
                }.get(ses_id) or t("ongelijkheid.axis_ses_difficulty", period=view.ses.period)
    fig.update_xaxes(title=ses_axis, autorange="reversed" if DISADVANTAGED[ses_id] == "high"
                     else True, showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(title=t("ongelijkheid.axis_indicator", indicator=indicator["label"],
                             unit=fmt.unit_label(unit) or fmt.MISSING),
                     showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_layout(height=520, plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 30,
                                                                 "b": 10},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      hoverlabel={"bgcolor": "white", "font": {"size": 13}})
    return fig


def quantile_labels(n: int) -> list[str]:
    labels = []
    for k in range(1, n + 1):
        if k == 1:
            labels.append(t("ongelijkheid.q_first", q=k))
        elif k == n:
            labels.append(t("ongelijkheid.q_last", q=k))
        else:
            labels.append(t("ongelijkheid.q_middle", q=k))
    return labels


def quantile_bars(g: GradientResult, indicator: dict, level: str) -> go.Figure:
    unit, dec = indicator["unit"], int(indicator["decimals"])
    qt = g.quantiles
    labels = quantile_labels(g.n_quantiles)
    x = [labels[int(k) - 1] for k in qt["quantile"]]
    text = [fmt.value_with_unit(v, unit, dec) for v in qt["value"]]
    hover = np.column_stack([
        x, text, [fmt.count(a) for a in qt["n_areas"]],
        [fmt.count(p) if level == "gemeente" else fmt.MISSING for p in qt["population"]]])
    fig = go.Figure(go.Bar(
        x=x, y=qt["value"], text=text, textposition="outside",
        marker={"color": list(reversed(SEQUENTIAL.get(len(qt), [BAR_COLOUR] * len(qt))))},
        customdata=hover, cliponaxis=False,
        hovertemplate=raw("ongelijkheid.hover_bar_gemeente" if level == "gemeente"
                          else "ongelijkheid.hover_bar_wijk") + "<extra></extra>"))
    fig.update_yaxes(title=t("ongelijkheid.axis_indicator", indicator=indicator["label"],
                             unit=fmt.unit_label(unit) or fmt.MISSING),
                     rangemode="tozero", showgrid=True, gridcolor="#eeeeee")
    fig.update_xaxes(title=t("ongelijkheid.axis_quantiles", n=g.n_quantiles))
    fig.update_layout(height=380, plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 30,
                                                                 "b": 10},
                      showlegend=False, hoverlabel={"bgcolor": "white", "font": {"size": 13}})
    return fig


def trend_chart(trend: GapTrend, indicator: dict) -> go.Figure:
    unit, dec = indicator["unit"], int(indicator["decimals"])
    tb = trend.table
    x = [fmt.period_label(p) for p in tb["period"]]
    hover = np.column_stack([
        x, [measure_value("sii", v, unit, dec) for v in tb["sii"]],
        [measure_interval("sii", lo, hi, unit, dec) for lo, hi in zip(tb["lower"], tb["upper"],
                                                                       strict=True)]])
    fig = go.Figure(go.Scatter(
        x=x, y=tb["sii"], mode="markers+lines", line={"color": LINE_COLOUR, "width": 1.5},
        marker={"size": 11, "color": LINE_COLOUR},
        error_y={"type": "data", "symmetric": False, "array": tb["upper"] - tb["sii"],
                 "arrayminus": tb["sii"] - tb["lower"], "color": LINE_COLOUR, "thickness": 1.5,
                 "width": 8},
        customdata=hover, hovertemplate=raw("ongelijkheid.hover_trend") + "<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#777777", "width": 1, "dash": "dot"})
    fig.update_yaxes(title=t("ongelijkheid.axis_sii", unit=difference_unit(unit)),
                     showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_xaxes(title=t("ongelijkheid.axis_year"), type="category")
    fig.update_layout(height=340, plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 20,
                                                                 "b": 10},
                      showlegend=False, hoverlabel={"bgcolor": "white", "font": {"size": 13}})
    return fig


def trend_table(trend: GapTrend, indicator: dict, ses_id: str) -> pd.DataFrame:
    unit, dec = indicator["unit"], int(indicator["decimals"])
    tb = trend.table
    return pd.DataFrame({
        t("ongelijkheid.col.year"): [fmt.period_label(p) for p in tb["period"]],
        t("ongelijkheid.col.sii"): [measure_value("sii", v, unit, dec) for v in tb["sii"]],
        t("ongelijkheid.col.interval"): [measure_interval("sii", lo, hi, unit, dec)
                                         for lo, hi in zip(tb["lower"], tb["upper"],
                                                           strict=True)],
        t("ongelijkheid.col.ses_year"): [fmt.period_label(p) for p in tb["ses_period"]],
        t("ongelijkheid.col.areas"): [t("ongelijkheid.areas_quantiles", areas=fmt.count(a),
                                        n=int(n)) for a, n in zip(tb["n_areas"], tb["n"],
                                                                  strict=True)],
    })


def is_finite(value) -> bool:
    return value is not None and not fmt.is_missing(value) and math.isfinite(float(value))
