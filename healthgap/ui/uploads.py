"""The page Eigen data's logic: check an uploaded file, keep accepted figures in the session.

Reading and validation live in `healthgap.upload` (pure Python, also behind `healthgap data
add`); this module passes it the known areas and indicators and keeps what the user accepts in
`st.session_state` only (see healthgap.ui.data: the session then reads through its own overlay
connection, so no other session ever sees the figures and the built database is never written).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from healthgap.ui import data
from healthgap.ui.data import q
from healthgap.ui.texts import t
from healthgap.upload import read as upload_read
from healthgap.upload import spec
from healthgap.upload import validate as upload_validate

MAX_MB_ENV = "HEALTHGAP_UPLOAD_MAX_MB"
DEFAULT_MAX_MB = 5.0
UPLOAD_THEME = "upload"


def limits() -> upload_read.Limits:
    """The file size cap (HEALTHGAP_UPLOAD_MAX_MB, default 5 MB) and the row cap."""
    try:
        mb = float(os.environ.get(MAX_MB_ENV, DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return upload_read.Limits(max_bytes=int(mb * 1_000_000))


def max_mb() -> float:
    return limits().max_bytes / 1_000_000


@dataclass
class Checked:
    file_name: str
    error: str | None = None                 # the whole file was refused (this sentence says why)
    validation: object | None = None         # healthgap.upload.validate.Validation
    warnings: list[str] = field(default_factory=list)


def builtin_indicator_ids() -> set[str]:
    cat = q("indicator_catalog")
    own = cat["source_id"].astype(str).str.startswith("upload:")
    return set(cat.loc[~own, "indicator_id"])


def safe_file_name(name: str) -> str:
    """The file name as shown and stored: letters, digits and . _ - ( ) space only, 100 chars
    (it appears in Markdown captions and the footer; a name is never trusted as markup)."""
    base = re.split(r"[\\/]", str(name))[-1]
    return (re.sub(r"[^\w .()\-]", "_", base).strip() or "bestand")[:100]


def check(content: bytes, file_name: str) -> Checked:
    """Read and validate one uploaded file; never raises for bad input."""
    file_name = safe_file_name(file_name)
    try:
        table, warnings = upload_read.read_table(content, file_name, limits())
    except upload_read.UploadError as exc:
        return Checked(file_name, error=str(exc))
    validation = upload_validate.validate(table, q("all_areas"), q("crosswalk", country=None),
                                          builtin_indicator_ids())
    return Checked(file_name, validation=validation,
                   warnings=list(warnings) + list(getattr(validation, "warnings", []) or []))


def accept(validation) -> list[str]:
    """Keep the valid rows for this session; an indicator uploaded again replaces the old one."""
    uploads = dict(data.session_uploads())
    source = pd.DataFrame([validation.source])
    added = []
    for ind_id in validation.indicators["indicator_id"]:
        values = validation.values[validation.values["indicator_id"] == ind_id]
        if values.empty:
            continue
        uploads[ind_id] = {
            "indicators": validation.indicators[validation.indicators["indicator_id"] == ind_id],
            "indicator_values": values, "sources": source}
        added.append(ind_id)
    st.session_state[data.K_UPLOADS] = uploads
    return added


ADDED_KEY = "eigen_data_added"


def accept_and_select(validation) -> None:
    """Button callback (runs before the next script run, so it may set the sidebar's choice):
    keep the valid rows and select the first new indicator on every page."""
    from healthgap.ui import frame  # late: frame is the sidebar, this module only its data

    added = accept(validation)
    if added:
        frame.select_indicator(added[0])
    st.session_state[ADDED_KEY] = added


def remove(indicator_id: str) -> None:
    uploads = dict(data.session_uploads())
    uploads.pop(indicator_id, None)
    st.session_state[data.K_UPLOADS] = uploads


def uploaded_table() -> pd.DataFrame:
    """One row per uploaded indicator: id, name, periods, areas, source file."""
    rows = []
    for ind_id, u in data.session_uploads().items():
        ind = u["indicators"].iloc[0]
        vals = u["indicator_values"]
        src = u["sources"].iloc[0]
        rows.append({"indicator_id": ind_id, "name": ind["label_nl"],
                     "periods": ", ".join(sorted(vals["period"].astype(str).unique())),
                     "areas": int(vals["area_code"].nunique()),
                     "levels": ", ".join(t(f"levels.{lv}") for lv in sorted(vals["level"].unique())),
                     "file": src["title"]})
    return pd.DataFrame(rows)


def template_csv() -> bytes:
    return spec.template_csv()


def template_excel() -> bytes:
    return spec.template_excel()


def report_csv(validation) -> bytes:
    return upload_validate.report_csv(validation)
