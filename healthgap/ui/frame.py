"""The shared frame: sidebar selectors, URL mirroring and the page registry.

The selection (gemeente, indicator, period, age group, benchmark) lives in `st.session_state`
under fixed keys, so it survives page switches, and is mirrored in the URL (`gemeente`,
`indicator`, `jaar`, `leeftijd`, `benchmark`) so a copied link reopens the same view. Invalid
or outdated URL values never raise: they fall back to something that exists and the frame shows
a note saying what it did (a merged gemeente code becomes its successor).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from healthgap.settings import PROJECT_ROOT
from healthgap.ui import fmt, groups, land, texts
from healthgap.ui.data import db, q
from healthgap.ui.texts import t, t_optional

PAGES_DIR = PROJECT_ROOT / "pages"

# Order, file and url of every page of the dashboard. No icons: Streamlit turns a page's
# material icon into the favicon, fetched from fonts.gstatic.com (breaks offline use).
# Pages whose file is absent are left out of the navigation, so a page appears as soon as its
# file is added.
PAGE_REGISTRY: tuple[tuple[str, str, str | None], ...] = (
    ("overzicht.py", "overzicht", None),
    ("kaart.py", "kaart", None),
    ("profiel.py", "profiel", None),
    ("vergelijken.py", "vergelijken", None),
    ("ongelijkheid.py", "ongelijkheid", None),
    ("trends.py", "trends", None),
    ("grens.py", "grens", None),
    ("data.py", "data", None),
    ("eigen_data.py", "eigen-data", None),
    ("methoden.py", "methoden", None),
)

THEME_ORDER = ("health_status", "lifestyle", "mental_health", "social", "socio_economic",
               "population", "upload")
BENCHMARKS = ("nederland", "provincie", "ggd", "peers", "groep")
BENCHMARKS_BE = ("belgie", "gewest", "provincie", "arrondissement", "peers", "groep")
BENCHMARKS_BY_COUNTRY = {"NL": BENCHMARKS, "BE": BENCHMARKS_BE}
# the same idea under the other country's name (a link's benchmark survives a land switch)
BENCHMARK_EQUIVALENT = {"nederland": "belgie", "belgie": "nederland", "ggd": "arrondissement",
                        "gewest": "provincie", "arrondissement": "ggd"}
DEFAULT_INDICATORS = ("self_rated_health_good",)  # first view; falls back to the first in order
DEFAULT_GEMEENTE = "GM0363"  # Amsterdam: a familiar first view; any valid code works
PREFERRED_AGE = ("18+", "16-25", "all")
SHARED_PARAMS = ("gemeente", "indicator", "jaar", "leeftijd", "benchmark", "groep", "lang",
                 "land")

K_GEMEENTE, K_INDICATOR, K_PERIOD, K_AGE, K_BENCH = (
    "sel_gemeente", "sel_indicator", "sel_jaar", "sel_leeftijd", "sel_benchmark")
K_GROUP = "sel_groep"
K_LANG = "sel_lang"
K_NOTES = "frame_notes"
K_INIT = "frame_url_read"
K_PAGE_KEYS = "_page_param_keys"   # session keys of page parameters seen (reset by apply_view)


# bench/bench_pages.py measures the frame alone (sidebar, navigation, footer) with a page that
# shows nothing else; it is only added to the navigation when this variable is set.
BENCH_PAGE_ENV = "HEALTHGAP_BENCH_FRAME_PAGE"
BENCH_PAGE = PROJECT_ROOT / "bench" / "frame_only_page.py"


def init_language() -> str:
    """The run's language: the URL's `lang` on a session's first run, then the sidebar choice.
    Called before anything renders text (page titles in the navigation are texts too)."""
    st.session_state[K_NOTES] = []   # the first frame call of every run
    if K_LANG not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state[K_LANG] = wanted if wanted in texts.available_languages() \
            else texts.DEFAULT_LANGUAGE
    return texts.set_language(st.session_state[K_LANG])


def language_picker() -> None:
    options = list(texts.available_languages())
    if len(options) < 2:
        return
    st.sidebar.selectbox(t("frame.language_label"), options, key=K_LANG,
                         format_func=lambda lang: t(f"language.{lang}"))


def page_files() -> list[tuple[Path, str, str]]:
    files = [(PAGES_DIR / f, slug, icon) for f, slug, icon in PAGE_REGISTRY
             if (PAGES_DIR / f).is_file()]
    if os.environ.get(BENCH_PAGE_ENV) == "1" and BENCH_PAGE.is_file():
        files.append((BENCH_PAGE, "frame-only", None))
    return files


def navigation() -> st.navigation:
    pages = [st.Page(str(path), title=t_optional(f"pages.{slug}.title") or slug, icon=icon,
                     url_path=slug, default=(i == 0))
             for i, (path, slug, icon) in enumerate(page_files())]
    return st.navigation(pages)


@dataclass
class Selection:
    """What the user chose, resolved against the database (every field valid)."""

    gemeente: str | None
    gemeente_name: str | None
    indicator_id: str
    indicator: dict
    period: str
    age_group: str
    benchmark: str
    level: str
    division_year: int
    province_code: str | None = None
    ggd_code: str | None = None
    land: str = "nl"                  # nl | be | vl | bru | wal
    country: str = "NL"               # NL | BE
    region_code: str | None = None    # Belgian region of the gemeente
    parent_code: str | None = None    # Belgian arrondissement of the gemeente
    group: list[str] = field(default_factory=list)  # the hand-picked group (codes of gm_year)
    gm_year: int | None = None  # division of the gemeente list (and of `group`)
    notes: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------


def _note(text: str) -> None:
    st.session_state.setdefault(K_NOTES, [])
    if text not in st.session_state[K_NOTES]:
        st.session_state[K_NOTES].append(text)


def theme_label(theme: str) -> str:
    return t_optional(f"themes.{theme}") or theme


def themes_in_order(themes) -> list[str]:
    """The registry's theme order first, unknown themes after it alphabetically."""
    present = set(themes)
    return [th for th in THEME_ORDER if th in present] + sorted(present.difference(THEME_ORDER))


def ordered_catalog(country: str | None = None) -> pd.DataFrame:
    """The indicators of the chosen country (default: the land of this session)."""
    return _ordered_catalog(db().key, texts.language(), country or land.country())


# Every run reads it, often several times: a resource (shared, not copied; callers only read
# it) rather than a data cache, whose unpickled copy per call showed up under the load test.
@st.cache_resource(show_spinner=False, max_entries=32)
def _ordered_catalog(db_key: str, lang: str, country: str) -> pd.DataFrame:
    cat = q("indicator_catalog", country=country)
    cat = cat[cat["levels"].notna()].copy()
    for col in ("periods", "age_groups", "levels", "division_years"):
        cat[col] = cat[col].map(list)
    # `label` and `definition` in the run's language (the registry holds nl, en and fr)
    cat["label"] = cat[f"label_{lang}"].fillna(cat["label_nl"])
    cat["definition"] = cat[f"definition_{lang}"].fillna(cat["definition_nl"])
    rank = {th: i for i, th in enumerate(THEME_ORDER)}
    cat["_rank"] = cat["theme"].map(lambda th: rank.get(th, len(rank)))
    return cat.sort_values(["_rank", "label"]).drop(columns="_rank").reset_index(drop=True)


def best_level(levels) -> str:
    """The most detailed level an indicator has, gemeente first."""
    levels = list(levels) if levels is not None else []
    for level in ("gemeente", "wijk", "sector", "ggd_region", "arrondissement", "province",
                  "region", "country"):
        if level in levels:
            return level
    return levels[0] if len(levels) else "gemeente"


def _read_url_once(catalog: pd.DataFrame) -> None:
    """Copy the URL parameters into the session once, at the start of a session."""
    if st.session_state.get(K_INIT):
        return
    st.session_state[K_INIT] = True
    params = st.query_params
    ind = params.get("indicator")
    if ind is not None:
        known = set(catalog["indicator_id"])
        if ind in known:
            st.session_state[K_INDICATOR] = ind
        elif land.is_both() and counterpart(ind) in known:
            # both countries: a link's Dutch indicator with a Belgian gemeente, or the reverse
            st.session_state[K_INDICATOR] = counterpart(ind)
            _note(t("frame_land.note_counterpart", indicator=ind))
        else:
            _note(t("frame.note_unknown_indicator", indicator=ind))
    if params.get("jaar"):
        st.session_state[K_PERIOD] = params["jaar"]
    if params.get("leeftijd"):
        # a hand-typed '65+' arrives as '65 ' (a '+' in a query string means a space)
        st.session_state[K_AGE] = params["leeftijd"].replace(" ", "+")
    if params.get("groep"):
        st.session_state[K_GROUP] = [c.strip().upper() for c in params["groep"].split(",")
                                     if c.strip()]
    bench = params.get("benchmark")
    if bench is not None:
        if bench in BENCHMARKS or bench in BENCHMARKS_BE:
            st.session_state[K_BENCH] = bench
        else:
            _note(t("frame.note_unknown_benchmark", benchmark=bench))


def _read_land_once() -> None:
    """The `land` of the URL (before the catalogue is read); a Belgian gemeente code without a
    land selects Belgium."""
    if st.session_state.get(K_INIT):
        return
    raw = st.query_params.get("land")
    code = (st.query_params.get("gemeente") or "").strip().upper()
    if code:
        # read here, before the catalogue: with both countries the code decides the country
        st.session_state[K_GEMEENTE] = code
    if raw is not None and raw not in land.LANDS:
        _note(t("frame_land.note_unknown", land=raw))
        raw = None
    if raw is None:
        raw = "be" if land.is_belgian_code(code) else "nl"
    elif land.is_both(raw):
        pass
    elif land.COUNTRY_OF[raw] == "NL" and land.is_belgian_code(code):
        raw = "be"
    elif land.COUNTRY_OF[raw] == "BE" and code and not land.is_belgian_code(code):
        raw = "nl"
    st.session_state[land.K_LAND] = raw


def _on_land_change() -> None:
    """A new land starts from its defaults (codes and indicators of the other country do not
    exist there); the benchmark keeps its meaning. Both countries keep the gemeente and what
    goes with it (it is in the list)."""
    if land.is_both():
        return
    for key in (K_GEMEENTE, K_INDICATOR, K_PERIOD, K_AGE, "_gemeente_widget"):
        st.session_state.pop(key, None)
    st.session_state[K_GROUP] = []
    bench = st.session_state.get(K_BENCH)
    if bench not in BENCHMARKS_BY_COUNTRY[land.country()]:
        st.session_state[K_BENCH] = BENCHMARK_EQUIVALENT.get(bench)


def _carry_to_country(code: str) -> None:
    """Both countries: a gemeente across the border brings its country's catalogue. The
    indicator becomes its counterpart where one is defined the same way (Over de grens pairs),
    else that country's default; period and age follow; the hand-picked group (codes of one
    country) is emptied."""
    before = land.country(code=st.session_state.get(K_GEMEENTE))
    after = land.country(code=code)
    if before == after:
        return
    other = counterpart(st.session_state.get(K_INDICATOR))
    if other is None:
        st.session_state.pop(K_INDICATOR, None)
    else:
        st.session_state[K_INDICATOR] = other
    for key in (K_PERIOD, K_AGE):
        st.session_state.pop(key, None)
    st.session_state[K_GROUP] = []


def counterpart(indicator_id: str | None) -> str | None:
    """The other country's indicator of a cross-border pair (data/catalog/crossborder.toml)."""
    from healthgap.ui import border_view  # the pairs' module draws maps; import on demand

    pair_id = border_view.pair_of(indicator_id)
    if pair_id is None:
        return None
    pair = border_view.pairs()[pair_id]
    return pair["be"] if indicator_id == pair["nl"] else pair["nl"]


def land_picker() -> str:
    sb = st.sidebar
    sb.selectbox(t("frame_land.label"), list(land.LANDS), key=land.K_LAND,
                 format_func=lambda x: t(f"land.{x}"), on_change=_on_land_change,
                 help=t("frame_land.help"))
    return st.session_state[land.K_LAND]


def _resolve_gemeente(code: str, division_year: int, valid: set[str],
                      names: dict[str, str]) -> str | None:
    """Map a code that is not in this division to one that is, via the merger table."""
    cw = q("crosswalk", country=land.country())
    if cw.empty:
        return None
    # forward: follow old -> new (largest share first) until the code exists in the division
    current, seen = code, set()
    while current not in valid and current not in seen:
        seen.add(current)
        nxt = cw[cw["old_code"] == current].sort_values("share_of_old", ascending=False)
        if nxt.empty:
            break
        current = nxt.iloc[0]["new_code"]
    if current in valid:
        _note(t("frame.note_merged_gemeente", old=code, name=names[current], code=current))
        return current
    # backward: a newer code in an older division -> its largest predecessor
    prev = cw[(cw["new_code"] == code) & cw["old_code"].isin(valid)]
    if not prev.empty:
        # the crosswalk has a row per (old code, old year): one line per predecessor here
        prev = prev.sort_values("share_of_old", ascending=False).drop_duplicates("old_code")
        chosen = prev.iloc[0]["old_code"]
        others = [names[c] for c in prev["old_code"] if c != chosen and c in names]
        _note(t("frame.note_predecessor", new=code, year=division_year, name=names[chosen],
                others=", ".join(others) if others else fmt.MISSING))
        return chosen
    return None


def _gemeente_options(division_year: int) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Codes of the division plus aliases for former names: (options, labels, alias -> code).
    Both countries: the other country's gemeenten of its newest division follow, each label
    with its country. Shared by all sessions (read only): every run of every page needs it."""
    return _gemeente_options_of(db().key, texts.language(), land.current(), land.country(),
                                int(division_year))


@st.cache_resource(show_spinner=False, max_entries=64)
def _gemeente_options_of(db_key: str, lang: str, land_choice: str, country: str,
                         division_year: int
                         ) -> tuple[list[str], dict[str, str], dict[str, str]]:
    options, labels, aliases = _options_of(country, division_year, land.region(land_choice))
    if land.is_both(land_choice):
        other = "BE" if country == "NL" else "NL"
        years = q("division_years", "gemeente", country=other)
        if years:
            o2, l2, a2 = _options_of(other, max(years), None)
            options, labels, aliases = options + o2, {**labels, **l2}, {**aliases, **a2}
        labels = {code: t("frame_land.option_in_country", name=label,
                          country=t(f"frame_land.country_{land.country(code=aliases.get(code, code)).lower()}"))
                  for code, label in labels.items()}
    return options, labels, aliases


def _options_of(country: str, division_year: int, region: str | None
                ) -> tuple[list[str], dict[str, str], dict[str, str]]:
    gm = q("areas", "gemeente", division_year, country=country)
    if region:
        gm = gm[gm["region_code"] == region]
    names = dict(zip(gm["area_code"], gm["name"], strict=True))
    options = list(gm["area_code"])
    labels = {r.area_code: land.option_label(r.name, r.name_nl, r.name_fr, r.region_code)
              for r in gm.itertuples()}
    aliases: dict[str, str] = {}
    cw = q("crosswalk", country=country)
    valid = set(options)
    for row in cw.itertuples():
        if row.old_code in valid or row.new_code not in valid or not isinstance(row.old_name, str):
            continue
        alias = f"{row.old_code}>{row.new_code}"
        if alias in labels:
            continue
        labels[alias] = t("frame.former_name", old=row.old_name, new=names[row.new_code])
        aliases[alias] = row.new_code
        options.append(alias)
    return options, labels, aliases


def names_of(code: str, labels: dict[str, str]) -> str:
    """The plain name of an option (without the other language's name in parentheses)."""
    return labels.get(code, code)


def _on_gemeente_change(aliases: dict[str, str]) -> None:
    chosen = st.session_state.get("_gemeente_widget")
    if chosen in aliases:
        chosen = aliases[chosen]
    if land.is_both():
        _carry_to_country(chosen)
    st.session_state[K_GEMEENTE] = chosen


def _pick(options: list, current, preferred=()) -> object:
    if current in options:
        return current
    for p in preferred:
        if p in options:
            return p
    return options[0] if options else None


# --- the sidebar ------------------------------------------------------------------------------


def sidebar() -> Selection | None:
    """Render the shared selectors; return the resolved selection (None: no indicators)."""
    _read_land_once()
    land_picker()
    catalog = ordered_catalog()
    if catalog.empty:
        st.sidebar.warning(t("frame.no_indicators"))
        return None
    _read_url_once(catalog)
    ids = list(catalog["indicator_id"])
    labels = {r.indicator_id: t("frame.indicator_option", theme=theme_label(r.theme),
                                 label=r.label) for r in catalog.itertuples()}

    # read the stored choices first: the gemeente list depends on the indicator's division
    country = land.country()
    indicator_id = _pick(ids, st.session_state.get(K_INDICATOR),
                         land.DEFAULT_INDICATORS.get(country, DEFAULT_INDICATORS))
    info = catalog.set_index("indicator_id").loc[indicator_id].to_dict()
    info["indicator_id"] = indicator_id
    level = best_level(info.get("levels"))
    periods = q("periods_for", indicator_id, level)
    period_options = list(dict.fromkeys(periods["period"]))
    wanted_period = st.session_state.get(K_PERIOD)
    period = _pick(period_options, wanted_period)
    if wanted_period is not None and wanted_period != period:
        _note(t("frame.note_period_fallback", period=fmt.period_label(wanted_period),
                fallback=fmt.period_label(period)))
    in_period = periods[periods["period"] == period]
    age_options = list(in_period["age_group"])
    wanted_age = st.session_state.get(K_AGE)
    age = _pick(age_options, wanted_age, PREFERRED_AGE)
    if wanted_age is not None and wanted_age != age:
        _note(t("frame.note_age_fallback", age=fmt.age_label(wanted_age),
                fallback=fmt.age_label(age)))
    division_year = int(in_period[in_period["age_group"] == age]["division_year"].max())
    gm_year = division_year if level in ("gemeente", "wijk") else max(
        q("division_years", "gemeente", country=country) or [division_year])

    options, gm_labels, aliases = _gemeente_options(gm_year)
    real = {o: gm_labels[o] for o in options if o not in aliases}
    default_gm = land.default_gemeente(country)
    wanted = st.session_state.get(K_GEMEENTE) or default_gm
    gemeente = wanted if wanted in real else None
    if gemeente is None:
        plain = {c: names_of(c, gm_labels) for c in real}
        gemeente = _resolve_gemeente(wanted, gm_year, set(real), plain)
        if gemeente is None:
            if st.session_state.get(K_GEMEENTE):
                _note(t("frame.note_unknown_gemeente", code=wanted))
            gemeente = default_gm if default_gm in real else options[0]
    st.session_state[K_GEMEENTE] = gemeente
    st.session_state["_gemeente_widget"] = gemeente

    sb = st.sidebar
    sb.selectbox(t("frame.gemeente_label"), options, key="_gemeente_widget",
                 format_func=lambda c: gm_labels.get(c, c), help=t("frame.gemeente_help"),
                 on_change=_on_gemeente_change, args=(aliases,))
    st.session_state[K_INDICATOR] = indicator_id
    sb.selectbox(t("frame.indicator_label"), ids, key=K_INDICATOR,
                 format_func=lambda i: labels.get(i, i), help=t("frame.indicator_help"))
    st.session_state[K_PERIOD] = period
    sb.selectbox(t("frame.period_label"), period_options, key=K_PERIOD,
                 format_func=fmt.period_label)
    st.session_state[K_AGE] = age
    sb.selectbox(t("frame.age_label"), age_options, key=K_AGE, format_func=fmt.age_label)
    kinds = list(BENCHMARKS_BY_COUNTRY[country])
    wanted_bench = st.session_state.get(K_BENCH)
    if wanted_bench not in kinds and wanted_bench in BENCHMARK_EQUIVALENT:
        wanted_bench = BENCHMARK_EQUIVALENT[wanted_bench]
    st.session_state[K_BENCH] = _pick(kinds, wanted_bench)
    sb.selectbox(t("frame.benchmark_label"), kinds, key=K_BENCH,
                 format_func=lambda b: t(f"benchmark.{b}.option"), help=t("frame.benchmark_help"))

    # the hand-picked group holds gemeenten of the chosen one's country (its indicators)
    own = {c: real[c] for c in groups.in_country(real, country)} if land.is_both() else real
    group = _group_picker(sb, own, gm_year)
    language_picker()

    area_row = q("area", gemeente, gm_year) or {}
    sel = Selection(
        gemeente=gemeente,
        gemeente_name=land.local_name(area_row.get("name", gemeente), area_row.get("name_nl"),
                                      area_row.get("name_fr"), area_row.get("region_code")),
        land=land.current(), country=country, region_code=area_row.get("region_code"),
        parent_code=area_row.get("parent_code"),
        indicator_id=indicator_id, indicator=info, period=period, age_group=age,
        benchmark=st.session_state[K_BENCH], level=level, division_year=division_year,
        province_code=area_row.get("province_code"), ggd_code=area_row.get("ggd_code"),
        group=group, gm_year=gm_year, notes=list(st.session_state[K_NOTES]),
    )
    if country == "BE":
        _missing_value_note(sel)
        sel.notes = list(st.session_state[K_NOTES])
    write_url(sel)
    return sel


def _missing_value_note(sel: Selection) -> None:
    """One sentence when the chosen Belgian indicator has no value for the chosen gemeente
    (vaccination outside Flanders, the deprivation index of a merged municipality, ...)."""
    got = q("value_of", sel.gemeente, sel.indicator_id, sel.period, sel.age_group,
            sel.division_year if sel.level == "gemeente" else None)
    if got is not None and not fmt.is_missing(got.get("value")):
        return
    if sel.level == "sector":
        hint = t("bimd_be.hint_sector_only")
    elif sel.indicator_id.startswith("be_covid_vaccinated") and sel.region_code != "02000":
        hint = t("kaart_be.hint_flanders")
    elif sel.indicator_id.startswith("be_bimd"):
        hint = t("kaart_be.hint_bimd")
    else:
        hint = t("kaart_be.hint_other")
    _note(t("kaart_be.no_value", indicator=sel.indicator.get("label", sel.indicator_id),
            gemeente=sel.gemeente_name, period=fmt.period_label(sel.period), hint=hint))


def _group_picker(sb, names: dict[str, str], gm_year: int) -> list[str]:
    """The hand-picked group: kept in the session, carried across divisions via the mergers."""
    stored = [c for c in st.session_state.get(K_GROUP) or [] if isinstance(c, str)]
    mapped = {c: groups.map_codes([c], gm_year) for c in stored}  # each code looked up once
    wanted = list(dict.fromkeys(code for found in mapped.values() for code in found))
    lost = [c for c, found in mapped.items() if not found]
    if lost:
        _note(t("frame.note_group_unknown", codes=", ".join(lost)))
    st.session_state[K_GROUP] = wanted
    with sb.expander(t("frame.group_heading", count=len(wanted)), expanded=False):
        st.multiselect(t("frame.group_label"), list(names), key=K_GROUP,
                       format_func=lambda c: names.get(c, c), help=t("frame.group_help"),
                       placeholder=t("frame.group_placeholder"))
    return list(st.session_state[K_GROUP])


def write_url(sel: Selection) -> None:
    wanted = {"gemeente": sel.gemeente, "indicator": sel.indicator_id, "jaar": sel.period,
              "leeftijd": sel.age_group, "benchmark": sel.benchmark}
    for key, value in wanted.items():
        if value is not None and st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)
    lang = texts.language()
    if lang != texts.DEFAULT_LANGUAGE and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    elif lang == texts.DEFAULT_LANGUAGE and "lang" in st.query_params:
        del st.query_params["lang"]
    if sel.land != "nl" and st.query_params.get("land") != sel.land:
        st.query_params["land"] = sel.land
    elif sel.land == "nl" and "land" in st.query_params:
        del st.query_params["land"]
    group = ",".join(sel.group)
    if group and st.query_params.get("groep") != group:
        st.query_params["groep"] = group
    elif not group and "groep" in st.query_params:
        del st.query_params["groep"]


def show_notes(sel: Selection) -> None:
    for text in sel.notes:
        st.info(text, icon=":material/info:")


def page_param(name: str, options: list, default, key: str):
    """A page-specific URL parameter: read once into session_state, written back every run."""
    flag = f"_url_read_{key}"
    st.session_state.setdefault(K_PAGE_KEYS, set()).add(key)
    if not st.session_state.get(flag):
        st.session_state[flag] = True
        raw = st.query_params.get(name)
        if raw is not None:
            if raw in [str(o) for o in options]:
                st.session_state[key] = next(o for o in options if str(o) == raw)
            else:
                # the frame's notes are already drawn when a page reads its parameters
                st.info(t("frame.note_bad_param", name=name, value=raw), icon=":material/info:")
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return st.session_state[key]


def set_page_param(name: str, value) -> None:
    if value is not None and st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def select_indicator(indicator_id: str) -> None:
    """Make `indicator_id` the selected indicator (after an upload) for every page."""
    st.session_state[K_INDICATOR] = indicator_id


def select_gemeente(code: str) -> None:
    """Make `code` the selected gemeente (map click) for every page; with both countries a
    gemeente across the border brings its country's indicator."""
    if land.is_both():
        _carry_to_country(code)
    st.session_state[K_GEMEENTE] = code


def current() -> Selection:
    """The selection made by the frame in this run (pages call this)."""
    return st.session_state["_selection"]


def apply_view(params: dict[str, str], extra: dict[str, str]) -> None:
    """Make a saved view current (a story slide): the URL becomes the view's parameters plus
    `extra` and the language, and every choice is read from it again as on a session's first
    run. Choices the view does not name fall back to their defaults."""
    for key in (K_GEMEENTE, K_INDICATOR, K_PERIOD, K_AGE, K_BENCH, K_GROUP, K_INIT,
                "_gemeente_widget", land.K_LAND):
        st.session_state.pop(key, None)
    for key in st.session_state.get(K_PAGE_KEYS, set()):
        st.session_state.pop(key, None)
        st.session_state.pop(f"_url_read_{key}", None)
    lang = st.query_params.get("lang")
    st.query_params.clear()
    st.query_params.update({**params, **extra, **({"lang": lang} if lang else {})})
