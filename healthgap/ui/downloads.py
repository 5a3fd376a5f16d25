"""Download files for the Data page: CSV, Excel with a sources sheet, Parquet with licence metadata."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from healthgap.ui.texts import t


def to_csv(values: pd.DataFrame) -> bytes:
    return values.to_csv(index=False).encode("utf-8")


def to_excel(values: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        values.to_excel(xl, sheet_name=t("data.sheet_values"), index=False)
        sources.to_excel(xl, sheet_name=t("data.sheet_sources"), index=False)
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
