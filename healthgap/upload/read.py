"""Bytes of an uploaded file -> a table of strings with canonical column names.

Decisions (see also docs in the report of issue 7):
- Excel is recognised by its zip magic bytes (PK\\x03\\x04) and read with openpyxl
  `read_only=True, data_only=True`: formulas are never evaluated, a formula cell gives its cached
  value (or nothing). The sheet named "Gegevens" is read, otherwise the first one (with a warning
  when there are several). Old .xls files (OLE2) are `excel_unreadable`.
- CSV text: UTF-8 with or without BOM. When the bytes are not valid UTF-8 we fall back to
  Windows-1252 (what Dutch Excel writes with "CSV (gescheiden door lijstscheidingsteken)") and
  warn; bytes that are not valid cp1252 either are an `encoding` error. Bytes with many control
  characters (NUL, …) are `not_a_table` before any decoding.
- The delimiter is the most frequent of , ; tab in the header line. Decimal comma/point is NOT
  decided here: every cell stays a string; validate.py parses numbers.
- `_row` is the row number the user sees in the file (header = 1, first data row = 2; for CSV
  the record number, which is what Excel shows even with quoted line breaks).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from healthgap.ui.texts import t
from healthgap.upload import spec

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_COLUMNS = 200
CODE_LIKE = re.compile(r"^\s*([A-Za-z]{2}\d{2,10}|\d{5})\s*$")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5_000_000
    max_rows: int = 200_000
    max_line_chars: int = 100_000


class UploadError(ValueError):
    """A problem with the whole file; `.code` names it, `.params` fills its Dutch message."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(t(f"upload.error.{code}", **params))


@dataclass
class _Raw:
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    warnings: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str, limits: Limits = Limits()) -> tuple[pd.DataFrame, list[str]]:
    """The uploaded table as strings, columns renamed to `spec.COLUMN_NAMES`, plus `_row`.

    Raises UploadError for whole-file problems. The DataFrame's `attrs` hold filename, sha256 and
    bytes, which validate() uses for the source row.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise UploadError("not_a_table")
    data = bytes(data)
    if len(data) > limits.max_bytes:
        raise UploadError("too_large", size_mb=_mb(len(data)), max_mb=_mb(limits.max_bytes))
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        raise UploadError("empty")
    if data.startswith(XLSX_MAGIC):
        raw = _read_xlsx(data, limits)
    elif data.startswith(OLE_MAGIC):
        raise UploadError("excel_unreadable", reason="xls")
    else:
        raw = _read_csv(data, limits)
    table, warnings = _canonical_table(raw)
    table.attrs.update(filename=str(filename), sha256=hashlib.sha256(data).hexdigest(),
                       bytes=len(data))
    return table, raw.warnings + warnings


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",")


# --- CSV ----------------------------------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13)) + head.count(b"\x7f")
    return control > max(2, len(head) // 100)


def _decode(data: bytes) -> tuple[str, list[str]]:
    if _looks_binary(data):
        raise UploadError("not_a_table")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UploadError("encoding", position=exc.start) from None
    return text, [t("upload.warning.cp1252")]


def _read_csv(data: bytes, limits: Limits) -> _Raw:
    text, warnings = _decode(data)
    lines = text.splitlines()
    for i, line in enumerate(lines, start=1):
        if len(line) > limits.max_line_chars:
            raise UploadError("line_too_long", row=i, max_chars=limits.max_line_chars)
    # Rows beyond the limit: count physical lines first (cheap), records below.
    if sum(1 for ln in lines if ln.strip()) > limits.max_rows + 1:
        raise UploadError("too_many_rows", max_rows=limits.max_rows)
    first = next((ln for ln in lines if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    if counts[delimiter] == 0:
        delimiter = ","
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_line_chars + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return _collect(reader, limits, warnings, lambda record: len(record) > MAX_COLUMNS)
    except csv.Error:
        raise UploadError("not_a_table") from None


def _collect(records, limits: Limits, warnings: list[str], too_wide) -> _Raw:
    """Header and data rows (with their row numbers as the user sees them) from records of
    cell texts; blank rows skipped; a record `too_wide` says is too wide is not a table."""
    header: list[str] | None = None
    rows, numbers = [], []
    for number, record in enumerate(records, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if too_wide(record):
            raise UploadError("not_a_table")
        if header is None:
            header = record
            continue
        rows.append(record)
        numbers.append(number)
        if len(rows) > limits.max_rows:
            raise UploadError("too_many_rows", max_rows=limits.max_rows)
    if header is None:
        raise UploadError("empty")
    return _Raw(header, rows, numbers, warnings)


# --- Excel --------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, limits: Limits) -> _Raw:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError("excel_unreadable", reason="zip") from None
    if unpacked > 40 * limits.max_bytes:  # a zip bomb or a huge sheet
        raise UploadError("too_large", size_mb=_mb(unpacked), max_mb=_mb(limits.max_bytes))
    warnings: list[str] = []
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors)
        raise UploadError("excel_unreadable", reason="openpyxl") from None
    try:
        names = wb.sheetnames
        if not names:
            raise UploadError("empty")
        chosen = next((n for n in names if n.strip().lower() == "gegevens"), names[0])
        if len(names) > 1 and chosen.strip().lower() != "gegevens":
            warnings.append(t("upload.warning.sheet", sheet=chosen[:80], n_sheets=len(names)))
        ws = wb[chosen]
        records = ([_cell_text(v) for v in values[:MAX_COLUMNS + 1]]
                   for values in ws.iter_rows(values_only=True))
        try:
            # Excel pads rows with empty cells: only a filled cell past the limit is too wide
            return _collect(records, limits, warnings,
                            lambda cells: len(cells) > MAX_COLUMNS and cells[MAX_COLUMNS].strip())
        except UploadError:
            raise
        except Exception:
            raise UploadError("excel_unreadable", reason="sheet") from None
    finally:
        wb.close()


# --- header -> canonical columns ----------------------------------------------------------------


def _canonical_table(raw: _Raw) -> tuple[pd.DataFrame, list[str]]:
    warnings: list[str] = []
    while raw.header and not raw.header[-1].strip():
        raw.header.pop()
    width = len(raw.header)
    rows = [(r + [""] * width)[:width] for r in raw.rows]
    normalised = [spec.normalise_header(h) for h in raw.header]
    if not any(spec.canonical(n) for n in normalised) and _looks_like_data(raw.header):
        raise UploadError("no_header")

    # `setting` (HEAT Plus) is the area only when it holds codes.
    setting_holds_codes = False
    if "setting" in normalised and "area_code" not in [spec.canonical(n) for n in normalised
                                                       if n != "setting"]:
        i = normalised.index("setting")
        cells = [r[i] for r in rows if r[i].strip()]
        setting_holds_codes = bool(cells) and all(CODE_LIKE.match(c) for c in cells)
        if not setting_holds_codes:
            warnings.append(t("upload.warning.setting_names"))

    chosen: dict[int, str] = {}
    ignored: list[str] = []
    for i, (original, norm) in enumerate(zip(raw.header, normalised, strict=True)):
        target = spec.canonical(norm)
        if norm == "setting" and not setting_holds_codes:
            target = None
        if target is None or target in chosen.values():
            if norm:
                ignored.append(original.strip()[:40])
            continue
        chosen[i] = target
    if ignored:
        warnings.append(t("upload.warning.ignored_columns", columns=", ".join(ignored[:20])))

    present = set(chosen.values())
    missing = [c for c in spec.REQUIRED if c not in present]
    if missing:
        unused = [n for i, n in enumerate(normalised) if i not in chosen and n]
        hints = []
        for col in missing:
            close = difflib.get_close_matches(col, unused, n=1, cutoff=0.6) or \
                difflib.get_close_matches(col, [spec.normalise_header(a) for a in unused],
                                          n=1, cutoff=0.6)
            if close:
                hints.append(t("upload.error.did_you_mean", column=col, found=close[0][:40]))
        raise UploadError("missing_columns", columns=", ".join(missing),
                          hints=" ".join(hints))

    frame = {target: [r[i] for r in rows] for i, target in chosen.items()}
    table = pd.DataFrame(frame, dtype=object)
    for col in spec.COLUMN_NAMES:
        if col not in table.columns:
            table[col] = ""
    table = table[list(spec.COLUMN_NAMES)].astype(object)
    if normalised.count("favourable_indicator") and "polarity" in present:
        table["polarity"] = [spec.POLARITY_ALIASES.get(v.strip(), v) for v in table["polarity"]]
    table["_row"] = pd.Series(raw.row_numbers, dtype="int64")
    return table, warnings


def _looks_like_data(header: list[str]) -> bool:
    cells = [h.strip() for h in header if h.strip()]
    numeric = sum(1 for c in cells if re.fullmatch(r"[-+]?\d+([.,]\d+)?", c))
    return bool(cells) and (numeric >= max(1, len(cells) // 3) or any(CODE_LIKE.match(c) for c in cells))
