"""Table downloads and the printable profile carry exactly the numbers on screen, with sources.

The on-screen table is read from the page as AppTest rendered it; the files are built by the same
code the download buttons call, for a few selections (gemeente, age group, language).
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pandas as pd
import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app  # noqa: F401

from healthgap.ui import downloads, profile_print, texts
from healthgap.ui.data import q
from healthgap.ui.profile import gemeente_profile, profile_table

pytestmark = pytest.mark.shared_data

SELECTIONS = [("GM0599", "18+", "nl"), ("GM0363", "65+", "en"), ("GM0014", "18+", "fr")]


class _Cells(HTMLParser):
    """Text of every table cell, row by row; and whether a script/style/img/link sneaked in."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self._cell = [], set(), None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _screen(code: str, age: str, lang: str):
    # the run leaves `lang` as the process's last language: the direct calls below use it too
    at = run_app("pages/profiel.py", gemeente=code, leeftijd=age, lang=lang)
    shown = at.dataframe[0].value
    sel = at.session_state["_selection"]
    assert (sel.gemeente, sel.age_group) == (code, age)
    assert texts.language() == lang
    return at, shown, sel


@pytest.mark.parametrize("code, age, lang", SELECTIONS)
def test_csv_and_excel_hold_the_table_on_screen_with_source_and_licence(code, age, lang):
    at, shown, sel = _screen(code, age, lang)
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("profiel_table_csv" in k for k in keys) and any("profiel_print" in k for k in keys)
    df = gemeente_profile(sel)
    table = profile_table(df)
    sources = q("sources", sorted(df["source_id"].unique()))
    full = downloads.with_sources(table, df["source_id"], sources)

    csv = pd.read_csv(io.BytesIO(downloads.table_csv(full)), dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")
    on_screen = shown.astype(str).reset_index(drop=True)
    assert list(csv.columns[: len(on_screen.columns)]) == list(on_screen.columns)
    pd.testing.assert_frame_equal(csv[list(on_screen.columns)], on_screen, check_dtype=False)
    source_col, licence_col = csv.columns[-2:]
    assert csv[licence_col].str.contains("CC BY").all()
    assert (csv[source_col].str.len() > 10).all()

    book = pd.read_excel(io.BytesIO(downloads.to_excel(full, sources)), sheet_name=None, dtype=str,
                         keep_default_na=False)
    values_sheet, sources_sheet = list(book)
    assert (values_sheet, sources_sheet) == (texts.t("data.sheet_values"),
                                             texts.t("data.sheet_sources"))
    pd.testing.assert_frame_equal(book[values_sheet][list(on_screen.columns)], on_screen,
                                  check_dtype=False)
    assert set(book[sources_sheet]["source_id"]) == set(df["source_id"])


@pytest.mark.parametrize("code, age, lang", SELECTIONS)
def test_printable_profile_shows_the_screen_numbers_and_nothing_external(code, age, lang):
    _, shown, sel = _screen(code, age, lang)
    df = gemeente_profile(sel)
    html = profile_print.page(sel, df).decode("utf-8")
    cells = _Cells()
    cells.feed(html)
    assert not cells.tags & {"script", "img", "link", "iframe", "object"}
    assert "http://" not in html and "https://" not in html
    assert texts.t("print.title", gemeente=sel.gemeente_name) in html
    value_col = texts.t("profiel.col_value")
    bench_col = texts.t("profiel.col_benchmark")
    printed = {tuple(r[1:3]) for r in cells.rows if len(r) == 6}
    for value, bench in zip(shown[value_col], shown[bench_col], strict=True):
        assert (value, bench) in printed, (value, bench)
    for s in q("sources", sorted(df["source_id"].unique())).itertuples():
        assert s.licence in html


def test_printable_profile_escapes_names_from_the_data():
    df = pd.DataFrame([{
        "indicator_id": "x", "label": "<img src=x onerror=alert(1)>", "theme": "health_status",
        "period": "2020", "value": 50.0, "status": "observed", "unit": "percent", "decimals": 1,
        "polarity": "high_is_good", "modelled": False, "source_id": "s", "trend": "",
        "min": 40.0, "p25": 45.0, "p75": 55.0, "max": 60.0, "benchmark": 52.0,
        "benchmark_label": "Nederland", "benchmark_note": None, "category": "similar",
        "comparison_text": "vergelijkbaar", "method_text": "m", "difference": -2.0}])
    html = profile_print.profile_html(
        df, gemeente="<b>Gemeente</b>", age_label="18+", theme_label=str,
        theme_order=["health_status"], sources=pd.DataFrame(
            [{"attribution": "<script>x</script>", "publisher": "p", "licence": "CC BY 4.0",
              "period": "2020"}]),
        version="test", takeaway=lambda r: r.label)
    cells = _Cells()
    cells.feed(html)
    assert not cells.tags & {"script", "img", "b"}
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
