"""The benchmark value each area is compared with (Nederland, its province, its GGD region).

Nederland, provincie and GGD-regio use published values only: when the database has no value for
the chosen level, the comparison falls back to Nederland and says so. Peers and the hand-picked
group are the mean of the group's gemeenten (healthgap.ui.groups): on a map of all gemeenten each
area is compared with its *own* peers, and every area with the same hand-picked group (itself
left out). Groups exist for gemeenten only; for wijken the comparison falls back to Nederland.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from healthgap.ui import groups, land
from healthgap.ui.data import q
from healthgap.ui.texts import t, t_optional

LEVEL_OF = {"nederland": "country", "provincie": "province", "ggd": "ggd_region"}
AREA_KEY = {"provincie": "province_code", "ggd": "ggd_code"}
# Belgium: country 01000, region (gewest), province, arrondissement (the gemeente's parent_code)
LEVEL_OF_BE = {"belgie": "country", "gewest": "region", "provincie": "province",
               "arrondissement": "arrondissement"}
AREA_KEY_BE = {"gewest": "region_code", "provincie": "province_code",
               "arrondissement": "parent_code"}


@dataclass
class Benchmark:
    kind: str                 # nederland | provincie | ggd | peers | groep
    per_area: pd.Series       # benchmark value per area_code (NaN when unknown)
    label: str                # "Nederland", "de provincie Utrecht", ... for the selected area
    reference_codes: set[str]  # codes that ARE the benchmark (never compared with themselves)
    note: str | None = None


def _level_values(indicator_id: str, period: str, age: str, level: str) -> pd.DataFrame:
    return q("values_for", indicator_id, period, age, level)


def resolve(kind: str, indicator_id: str, period: str, age: str, areas: pd.DataFrame,
            selected: str | None = None, group: list[str] | None = None) -> Benchmark:
    """Benchmark per row of `areas` (needs area_code, province_code, ggd_code; for peers and
    groep also value, level and division_year)."""
    if not areas.empty and land.is_belgian_code(str(areas["area_code"].iloc[0])):
        return _resolve_be(kind, indicator_id, period, age, areas, selected, group or [])
    note = None
    if kind in ("peers", "groep"):
        done = _group_benchmark(kind, areas, selected, group or [])
        if isinstance(done, Benchmark):
            return done
        note, kind = done, "nederland"
    if kind not in LEVEL_OF:
        note = t("benchmark_note.not_here", chosen=t(f"benchmark.{kind}.option"))
        kind = "nederland"
    if kind != "nederland":
        ref = _level_values(indicator_id, period, age, LEVEL_OF[kind])
        ref = ref[ref["value"].notna()]
        key = AREA_KEY[kind]
        mapped = areas[key].map(dict(zip(ref["area_code"], ref["value"], strict=True)))
        if mapped.notna().any():
            sel_row = areas[areas["area_code"] == selected]
            code = sel_row[key].iloc[0] if not sel_row.empty else None
            name = ref.loc[ref["area_code"] == code, "name"]
            label = t(f"benchmark.{kind}.name", name=name.iloc[0] if len(name) else code or "")
            return Benchmark(kind, pd.Series(mapped.to_numpy(), index=areas["area_code"]),
                             label, set(ref["area_code"]), note)
        note = t("benchmark_note.no_values", chosen=t(f"benchmark.{kind}.option"))
    return _country(indicator_id, period, age, areas, note)


def _resolve_be(kind: str, indicator_id: str, period: str, age: str, areas: pd.DataFrame,
                selected: str | None, group: list[str]) -> Benchmark:
    """Belgium: the country, the region, the province (Brussels has none: its region) or the
    arrondissement; published (exactly summed) values only, else the next level up."""
    note = None
    if kind in ("peers", "groep"):
        done = _group_benchmark(kind, areas, selected, group, "BE")
        if isinstance(done, Benchmark):
            return done
        note = done.replace(t("benchmark.nederland.name"), t("benchmark.belgie.name"))
        kind = "belgie"
    elif kind not in LEVEL_OF_BE:
        note = t("benchmark_be_note.not_yet", chosen=t(f"benchmark.{kind}.option"))
        kind = "belgie"
    if kind == "belgie":
        national = _level_values(indicator_id, period, age, "country")
        if not (national["value"].notna() & (national["area_code"] == land.BE_COUNTRY)).any():
            kind = "gewest"  # e.g. Flemish vaccination data: the region is the benchmark
            note = t("benchmark_be_note.region_instead")
    if areas["level"].iloc[0] == "sector" and kind == "arrondissement":
        kind = "gewest"  # a sector's parent is its gemeente, not an arrondissement
    sel_row = areas[areas["area_code"] == selected]
    if kind == "provincie" and not sel_row.empty and not isinstance(
            sel_row["province_code"].iloc[0], str):
        note = t("benchmark_be_note.no_province")
    chain = {"arrondissement": ("arrondissement", "provincie", "gewest"),
             "provincie": ("provincie", "gewest"), "gewest": ("gewest",)}.get(kind, ())
    for step in chain:
        ref = _level_values(indicator_id, period, age, LEVEL_OF_BE[step])
        ref = ref[ref["value"].notna() & ref["area_code"].map(land.is_belgian_code)]
        by_code = dict(zip(ref["area_code"], ref["value"], strict=False))
        mapped = areas[AREA_KEY_BE[step]].map(by_code)
        if step == "provincie":  # Brussels: no province, its region instead
            reg = _level_values(indicator_id, period, age, "region")
            reg = reg[reg["value"].notna()]
            mapped = mapped.fillna(areas["region_code"].map(
                dict(zip(reg["area_code"], reg["value"], strict=False))))
            ref = pd.concat([ref, reg])
        code = sel_row[AREA_KEY_BE[step]].iloc[0] if not sel_row.empty else None
        if step == "provincie" and not isinstance(code, str) and not sel_row.empty:
            code = sel_row["region_code"].iloc[0]
        known = set(ref["area_code"])
        if mapped.notna().any() and (sel_row.empty or code in known):
            names = ref[ref["area_code"] == code]
            name = names["name"].iloc[0] if len(names) else code or ""
            label = t(f"benchmark_be.{step}", name=name) if step != "gewest" else \
                t_optional(f"land_region.{code}") or name
            if step != kind and kind != "gewest":
                note = t("benchmark_be_note.level_up", chosen=t(f"benchmark.{kind}.option"),
                         used=label)
            return Benchmark(step, pd.Series(mapped.to_numpy(dtype=float),
                                             index=areas["area_code"]),
                             label, set(ref["area_code"]), note)
    ref = _level_values(indicator_id, period, age, "country")
    ref = ref[ref["value"].notna() & (ref["area_code"] == land.BE_COUNTRY)]
    value = float(ref["value"].iloc[0]) if not ref.empty else float("nan")
    if kind != "belgie" and not ref.empty:
        note = t("benchmark_be_note.no_values", chosen=t(f"benchmark.{kind}.option"))
    if ref.empty:
        note = t("benchmark_be_note.no_country")
    return Benchmark("belgie", pd.Series(value, index=areas["area_code"]),
                     t("benchmark.belgie.name"), set(ref["area_code"]), note)


def _country(indicator_id: str, period: str, age: str, areas: pd.DataFrame,
             note: str | None) -> Benchmark:
    ref = _level_values(indicator_id, period, age, "country")
    ref = ref[ref["value"].notna()]
    value = float(ref["value"].iloc[0]) if not ref.empty else float("nan")
    if ref.empty:
        note = t("benchmark_note.no_country")
    return Benchmark("nederland", pd.Series(value, index=areas["area_code"]),
                     t("benchmark.nederland.name"), set(ref["area_code"]), note)


def _group_benchmark(kind: str, areas: pd.DataFrame, selected: str | None,
                     group: list[str], country: str = "NL") -> Benchmark | str:
    """The peers / own-group benchmark, or the note saying why it falls back to Nederland."""
    chosen = t(f"benchmark.{kind}.option")
    if areas.empty or not (areas["level"] == "gemeente").all():
        return t("benchmark_note.groups_gemeente_only", chosen=chosen)
    year = int(areas["division_year"].iloc[0])
    values = pd.Series(areas["value"].to_numpy(dtype=float), index=areas["area_code"])
    codes = list(areas["area_code"])
    if kind == "groep":
        members = groups.map_codes(group, year, country)
        if not members:
            return t("benchmark_note.group_empty")
        sets = {c: members for c in codes}
        label = t("benchmark.groep.name_count", count=len(members))
    else:
        sets = groups.all_peer_sets(year, country=country)
        if selected not in sets:
            return t("benchmark_note.no_peers")
        label = t("benchmark.peers.name_of", count=len(sets[selected]))
    means = groups.group_means(values, year, {c: sets.get(c, []) for c in codes}, country)
    weighted = bool(means["weighted"].get(selected, True))
    note = None if weighted else t("benchmark_note.group_unweighted")
    return Benchmark(kind, pd.Series(means["benchmark"].to_numpy(), index=areas["area_code"]),
                     label, set(), note)
