"""Statbel open-data downloads (zip of a '|'-separated text file, or xlsx) converted to the
layout of the reference files in ../shared/data/be, for `healthgap data fetch` (origin kind
"statbel"). Converted files are not byte-identical to the reference copies (newer versions,
other row order), so fetch does not check them against the reference sha256; the build checks
their content.

Converters take {url: downloaded bytes} and the origin table, and return CSV text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

AGE_BANDS = [f"age_{lo}_{lo + 4}" for lo in range(0, 95, 5)] + ["age_95_plus"]


def _table(payload: bytes, member_hint: str = "") -> list[dict[str, str]]:
    """Rows of the '|'-separated text (or the first sheet of an xlsx) inside a zip or bare."""
    if payload[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            pick = [n for n in names if member_hint.lower() in n.lower()] or names
            texts = [n for n in pick if n.lower().endswith((".txt", ".csv"))]
            if texts:
                return _delimited(zf.read(texts[0]))
            xlsx = [n for n in pick if n.lower().endswith(".xlsx")]
            if xlsx:
                return _xlsx(zf.read(xlsx[0]))
            raise ValueError(f"no .txt/.csv/.xlsx file in the zip (found {', '.join(names[:5])})")
    return _delimited(payload)


def _delimited(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8-sig")
    sep = "|" if text.split("\n", 1)[0].count("|") else ";" if ";" in text.split("\n", 1)[0] else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=sep))


def _xlsx(raw: bytes) -> list[dict[str, str]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    return [{h: "" if v is None else str(v) for h, v in zip(header, r, strict=False)} for r in rows]


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _need(rows: list[dict], cols: list[str]) -> None:
    missing = [c for c in cols if rows and c not in rows[0]]
    if not rows or missing:
        raise ValueError(f"expected columns {', '.join(missing or cols)}")


def refnis(downloads: Mapping[str, bytes], origin: Mapping[str, Any]) -> str:
    """TU_COM_REFNIS -> statbel_refnis_TU_COM_REFNIS_2022.csv layout (same columns)."""
    cols = ["LVL_REFNIS", "CD_REFNIS", "CD_SUP_REFNIS", "TX_REFNIS_DE", "TX_REFNIS_FR",
            "TX_REFNIS_NL", "DT_VLDT_START", "DT_VLDT_END"]
    rows = _table(next(iter(downloads.values())), "REFNIS")
    _need(rows, cols)
    return _csv(cols, [[r[c].strip() for c in cols] for r in rows])


def population_structure(downloads: Mapping[str, bytes], origin: Mapping[str, Any]) -> str:
    """TF_SOC_POP_STRUCT_<year> microtables (municipality x sex x nationality x civil status x
    age) -> statbel_population_municipality_sex_age5_2009_2021.csv layout."""
    cols = ["CD_REFNIS", "TX_DESCR_NL", "TX_DESCR_FR", "CD_SEX", "CD_NATLTY", "CD_AGE", "MS_POPULATION"]
    out = []
    for url, payload in downloads.items():
        year = origin["years_by_url"][url]
        rows = _table(payload, "POP_STRUCT")
        _need(rows, cols)
        agg: dict[tuple, list] = defaultdict(lambda: [0, 0] + [0] * len(AGE_BANDS))
        names: dict[str, tuple[str, str]] = {}
        for r in rows:
            nis = r["CD_REFNIS"].strip().zfill(5)
            n = int(float(r["MS_POPULATION"]))
            age = int(float(r["CD_AGE"]))
            a = agg[(nis, r["CD_SEX"].strip())]
            a[0] += n
            a[1] += n if r["CD_NATLTY"].strip() != "BEL" else 0
            a[2 + min(age // 5, len(AGE_BANDS) - 1)] += n
            names[nis] = (r["TX_DESCR_NL"].strip(), r["TX_DESCR_FR"].strip())
        for (nis, sex), a in sorted(agg.items()):
            out.append([year, nis, *names[nis], sex, *a])
    header = ["year", "nis", "name_nl", "name_fr", "sex", "pop_total", "pop_non_belgian", *AGE_BANDS]
    out.sort(key=lambda r: (r[0], r[1], r[4]))
    return _csv(header, out)


INCOME_COLUMNS = ["CD_YEAR", "CD_MUNTY_REFNIS", "TX_MUNTY_DESCR_NL", "TX_MUNTY_DESCR_FR",
                  "TX_MUNTY_DESCR_DE", "CD_DSTR_REFNIS", "CD_PROV_REFNIS", "CD_RGN_REFNIS"]


def fiscal_income(downloads: Mapping[str, bytes], origin: Mapping[str, Any]) -> str:
    """TF_PSNL_INC_TAX_MUNTY -> statbel_fiscal_income_municipality_2005_2020.csv layout: codes
    and names kept, every MS_* column kept, years limited to origin.years ('2005-2020')."""
    rows = _table(next(iter(downloads.values())), "INC_TAX")
    _need(rows, INCOME_COLUMNS + ["MS_NBR_NON_ZERO_INC", "MS_TOT_NET_TAXABLE_INC", "MS_TOT_RESIDENTS"])
    lo, hi = (int(y) for y in str(origin.get("years", "0-9999")).split("-"))
    measures = [c for c in rows[0] if c.startswith("MS_")]
    header = INCOME_COLUMNS + measures
    keep = [r for r in rows if lo <= int(float(r["CD_YEAR"])) <= hi]
    keep.sort(key=lambda r: (r["CD_MUNTY_REFNIS"].zfill(5), r["CD_YEAR"]))
    return _csv(header, [[r.get(c, "").strip() for c in header] for r in keep])


CONVERTERS: dict[str, Callable[[Mapping[str, bytes], Mapping[str, Any]], str]] = {
    "refnis": refnis,
    "population_structure": population_structure,
    "fiscal_income": fiscal_income,
}


def origin_urls(origin: Mapping[str, Any]) -> dict[str, str]:
    """{url: year} of a statbel origin: `url`, or `url_template` with {year} over `years`."""
    if origin.get("url"):
        return {str(origin["url"]): ""}
    lo, hi = (int(y) for y in str(origin["years"]).split("-"))
    return {str(origin["url_template"]).format(year=y): str(y) for y in range(lo, hi + 1)}
