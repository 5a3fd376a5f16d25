"""Download files for the Data page: CSV, Excel with a sources sheet, Parquet with licence metadata."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap import store
from healthgap.ui.data import db
from healthgap.ui.texts import t


def to_csv(values: pd.DataFrame) -> bytes:
    return values.to_csv(index=False).encode("utf-8")


def sheet_names() -> tuple[str, str]:
    """Sheet names in the run's language (read during the run: a click runs outside it)."""
    return t("data.sheet_values"), t("data.sheet_sources")


def to_excel(values: pd.DataFrame, sources: pd.DataFrame,
             sheets: tuple[str, str] | None = None) -> bytes:
    values_sheet, sources_sheet = sheets or sheet_names()
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        values.to_excel(xl, sheet_name=values_sheet, index=False)
        sources.to_excel(xl, sheet_name=sources_sheet, index=False)
    return buf.getvalue()


def to_parquet(values: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(values, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"healthgap.sources"] = json.dumps(
        sources[["source_id", "publisher", "title", "licence", "attribution"]]
        .to_dict(orient="records"), ensure_ascii=False).encode("utf-8")
    meta[b"healthgap.licences"] = ", ".join(sorted(sources["licence"].unique())).encode("utf-8")
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf)
    return buf.getvalue()


def with_sources(table: pd.DataFrame, source_ids, sources: pd.DataFrame) -> pd.DataFrame:
    """A page table as downloaded: the columns on screen plus, per row, the source and licence
    (`source_ids`: one id per row, or one id for the whole table)."""
    ids = list(source_ids) if not isinstance(source_ids, str) else [source_ids]
    by_id = sources.set_index("source_id")
    out = table.reset_index(drop=True).copy()
    if len(ids) == len(out):
        out[t("tables.col_source")] = [by_id["attribution"].get(s, "") for s in ids]
        out[t("tables.col_licence")] = [by_id["licence"].get(s, "") for s in ids]
    else:  # a table drawn from several sources at once: every row names all of them
        out[t("tables.col_source")] = "; ".join(by_id["attribution"].get(s, "") for s in ids)
        out[t("tables.col_licence")] = "; ".join(dict.fromkeys(by_id["licence"].get(s, "")
                                                               for s in ids))
    return out


def table_csv(table: pd.DataFrame) -> bytes:
    # UTF-8 with BOM: Excel (nl/fr/en) then opens accents and the euro sign correctly
    return table.to_csv(index=False).encode("utf-8-sig")


def table_file(kind: str, filters: tuple, sheet_names: tuple[str, str]) -> Callable[[], bytes]:
    """A download button's data callable: the whole filtered table, built only on click.

    The page shows the first rows only; the full table (350,000 rows unfiltered, ~95 MB as a
    DataFrame) is read when a file is asked for, through this session's connection (captured
    here: the click runs outside the script run), and dropped afterwards.
    """
    s = db()

    def build() -> bytes:
        values = store.value_table(s, *filters)
        if kind == "csv":
            return to_csv(values)
        sources = store.sources(s, sorted(values["source_id"].dropna().unique()))
        if kind == "xlsx":
            return to_excel(values, sources, sheet_names)
        return to_parquet(values, sources)
    return build
