"""Every area of one level compared with its benchmark, for one indicator: cached.

The profile, Overzicht and Vergelijken pages compare dozens of indicators at once, each over all
gemeenten (benchmark, then the statistics in `indicators.comparison` via healthgap.ui.compare);
the result depends only on plain arguments, so it is computed once per database version and
selection and shared by the pages and sessions that ask for the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from healthgap.ui import benchmark, compare, texts
from healthgap.ui.data import db, q


@dataclass(frozen=True)
class Compared:
    table: pd.DataFrame        # values_for rows + benchmark, category, comparison_text
    bench_label: str
    bench_note: str | None
    method_text: str | None
    available: bool            # False: the comparison module is not installed


def read_by_benchmark(bench_kind: str, selected: str | None, group
                      ) -> tuple[str | None, tuple]:
    """The parts of the selection a benchmark reads, as cache-key parts: Nederland does not
    depend on the selected gemeente, and only the hand-picked group reads the group. Keying on
    less lets sessions share the cache (under the load test every new gemeente missed it for
    ~70 indicators on Profiel and Overzicht)."""
    return (None if bench_kind == "nederland" else selected,
            tuple(group or ()) if bench_kind == "groep" else ())


def compared_areas(indicator_id: str, period: str, age_group: str, level: str,
                   division_year: int, bench_kind: str, selected: str | None,
                   group: list[str] | None, polarity: str) -> Compared:
    selected, group = read_by_benchmark(bench_kind, selected, group)
    return _compared(db().key, texts.language(), indicator_id, period, age_group, level,
                     int(division_year), bench_kind, selected, group, polarity)


@st.cache_data(show_spinner=False, max_entries=4096)
def _compared(db_key: str, lang: str, indicator_id: str, period: str, age_group: str,
              level: str, division_year: int, bench_kind: str, selected: str | None, group: tuple,
              polarity: str) -> Compared:
    allv = q("values_for", indicator_id, period, age_group, level, division_year)
    allv = allv.reset_index(drop=True)
    b = benchmark.resolve(bench_kind, indicator_id, period, age_group, allv, selected,
                          list(group))
    allv["benchmark"] = b.per_area.to_numpy()
    try:
        cmp = compare.compare_areas(allv, polarity, b.reference_codes)
    except compare.ComparisonUnavailable:
        allv["category"], allv["comparison_text"] = None, None
        return Compared(allv, b.label, b.note, None, False)
    allv["category"], allv["comparison_text"] = cmp["category"], cmp["text"]
    return Compared(allv, b.label, b.note, cmp.attrs.get("method_text"), True)
