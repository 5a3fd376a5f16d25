"""Reading raw files with the checks every parser needs: present, not empty, not cut off."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from healthgap.build.errors import SourceError


def read_text(path: Path) -> str:
    if not path.is_file():
        raise SourceError(path, "file not found; run `healthgap data fetch` or point --sources "
                                "at a folder with the reference layout")
    raw = path.read_bytes()
    if not raw.strip():
        raise SourceError(path, "file is empty; re-fetch it")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text (byte {exc.start}); re-fetch it") from exc


def read_json(path: Path) -> dict:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"invalid or truncated JSON ({exc.msg} at line {exc.lineno}, "
                                f"column {exc.colno}); re-fetch the file") from exc
    if not isinstance(data, dict):
        raise SourceError(path, "expected a JSON object (GeoJSON FeatureCollection or TopoJSON)")
    return data


def read_csv(path: Path, sep: str = ",", required: list[str] | None = None) -> pd.DataFrame:
    """All cells as text (parsers convert numbers themselves, so '.' or '1,5' are seen as written).

    A row with a different number of fields than the header means a file cut mid-row or broken
    quoting; pandas would silently pad it with NaN, so it is checked here first.
    """
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) < 2:
        raise SourceError(path, "no data rows below the header; the file is empty or truncated")
    header = [h.strip() for h in rows[0]]
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise SourceError(path, f"{len(row)} fields where the header has {len(header)}; "
                                    "the file is truncated or its quoting is broken",
                              where=f"line {i}")
    df = pd.DataFrame(rows[1:], columns=header, dtype="string")
    missing = [c for c in (required or []) if c not in df.columns]
    if missing:
        raise SourceError(path, f"required column(s) missing: {', '.join(missing)}",
                          where="header")
    return df


def to_number(path: Path, series: pd.Series, column: str, *, decimal_comma: bool = False,
              row_offset: int = 2) -> pd.Series:
    """Text cells to floats. Empty and '.' (CBS: not available / suppressed) become NaN.

    Anything else that is not a number stops the build with the row and column named.
    """
    s = series.astype("string").str.strip()
    s = s.mask(s.isin(["", "."]))
    if decimal_comma:
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna() & s.notna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"non-numeric value {series.iloc[i]!r}; expected a number, "
                                "an empty cell or '.'",
                          where=f"line {i + row_offset}, column {column}")
    return out.astype("float64")
