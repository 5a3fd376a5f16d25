"""Helpers shared by the value parsers: code checks, periods, and the long value frame."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.build.errors import SourceError
from healthgap.build.parsers.nl_codes import nl_level
from healthgap.registry import Source


def levels_of(path: Path, codes: pd.Series, column: str, row_offset: int = 2) -> pd.Series:
    """Level per code; the first malformed code stops the build with its line."""
    levels: dict[str, str] = {}
    for idx, code in codes.items():  # the index is the data row number in the file
        if code not in levels:
            levels[code] = nl_level(code, path, f"line {idx + row_offset}, column {column}")
    return codes.map(levels)


def source_period(source: Source, path: Path) -> str:
    """The period of a file that does not carry one itself ('2024', '2019-2022')."""
    period = (source.period or "").strip()
    if not re.fullmatch(r"\d{4}(-\d{4})?", period):
        raise SourceError(path, f"data/sources.toml gives period {source.period!r} for "
                                f"{source.id}; expected a year or 'YYYY-YYYY'")
    return period


def source_division_year(source: Source, period: str) -> int:
    # Files without a stated division are taken in the division of the period's last year.
    return source.division_year or int(period[-4:])


def value_frame(*, codes: pd.Series, levels: pd.Series, division_year, period, age_group,
                indicator_id: str, values: pd.Series, present_status: str, source: Source,
                row_offset: int = 2) -> pd.DataFrame:
    """Rows of indicator_values; an empty cell becomes `suppressed` with NULL value, never 0."""
    n = len(codes)
    return pd.DataFrame({
        "area_code": codes.to_numpy(), "level": levels.to_numpy(),
        "division_year": np.broadcast_to(np.asarray(division_year), n).astype("int64"),
        "period": np.broadcast_to(np.asarray(period, dtype=object), n),
        "age_group": np.broadcast_to(np.asarray(age_group, dtype=object), n),
        "indicator_id": indicator_id,
        "value": values.to_numpy(dtype="float64"),
        "status": np.where(values.notna().to_numpy(), present_status, "suppressed"),
        "source_id": source.id,
        "line": np.asarray(codes.index) + row_offset,
    })
