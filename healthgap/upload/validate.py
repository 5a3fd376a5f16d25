"""Row checks of an uploaded table -> values/indicators/source rows ready for the user database.

Decisions:
- Numbers: one decimal separator, comma or point ("12,5" = "12.5" = 12.5), an optional exponent
  and an optional trailing "%". Values with both separators or several ("1.234,5", "1,234,567")
  or spaces inside ("1 234") are `number_expected`: we never guess thousands separators. "1.234"
  or "1,234" is therefore 1.234; where that is most likely a count written with a thousands
  separator (unit count, or the numerator/denominator/population columns: a 1–3 digit integer
  part, one separator and exactly three digits) the row is rejected as `ambiguous_number`.
- Subgroups: indicator_values has no subgroup column, so a subgroup is stored in age_group:
  "<dimension>: <subgroup>" (or just the subgroup without dimension), prefixed by
  "<age_group>, " when an age group other than 'all' is given too.
- Areas: a code known in several divisions gets the newest one; an old code that only exists
  in an older division is valid (stored with that division) and gives a warning naming the
  successor. Codes are stored upper case without spaces.
- A row with any problem is rejected; the others are kept. `conflicting_values` rejects every row
  of the key (we cannot tell which is right); `duplicate_row` rejects the repeats only;
  `inconsistent_indicator_metadata` rejects rows that differ from the indicator's first row.
- Values echoed back in the report are cut to 80 characters and never interpreted.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from healthgap.ui.texts import t, t_optional
from healthgap.upload import spec

VALUES_COLUMNS = ["area_code", "level", "division_year", "period", "age_group", "indicator_id",
                  "value", "lower", "upper", "numerator", "denominator", "status", "source_id"]
INDICATORS_COLUMNS = ["indicator_id", "label_nl", "label_en", "label_fr", "definition_nl",
                      "definition_en", "definition_fr", "theme", "unit", "scale", "decimals",
                      "polarity", "value_type", "modelled", "source_id", "licence"]
SOURCES_COLUMNS = ["source_id", "country", "publisher", "title", "licence", "attribution", "path",
                   "origin", "parser", "period", "sha256", "bytes"]
REPORT_COLUMNS = ["row", "column", "value", "problem", "suggestion"]

VALUE_TYPES = {"percent": "proportion", "per_1000": "rate", "per_100000": "rate", "count": "count",
               "mean": "mean", "years": "mean", "euro": "mean", "ratio": "other", "other": "other"}
NON_NEGATIVE_UNITS = {"percent", "per_1000", "per_100000", "count"}
SHOWN_CHARS = 80

NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?$")
AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
PERIOD = re.compile(r"^(\d{4})(?:\s*[-–/]\s*(\d{4}))?$")
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
FORMULA = re.compile(r"^[\s\t\r]*([=@]|[+\-]\s*[A-Za-z(])")
# Names are shown in page titles, sentences and chart labels, which render Markdown and plotly's
# small HTML subset: a name with tags or Markdown links/images could add links or fetch images.
MARKUP = re.compile(r"[<>\[\]{}`]|\]\(|!\[")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    code: str
    params: dict
    message: str
    suggestion: str = ""


@dataclass
class Validation:
    values: pd.DataFrame
    indicators: pd.DataFrame
    source: dict
    report: pd.DataFrame
    n_rows: int
    n_valid: int
    n_rejected: int
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def source_id(self) -> str:
        return self.source["source_id"]


def shown(value) -> str:
    """A cell as echoed to the user: plain text, at most 80 characters."""
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def parse_number(text: str) -> float | None:
    """'12,5' / '12.5' / '1e3' / '45%' -> float; None when empty; ValueError otherwise."""
    s = text.strip().replace("\u2212", "-")
    if s.endswith("%"):
        s = s[:-1].strip()
    if not s:
        return None
    if not NUMBER.match(s):
        raise ValueError(text)
    number = float(s.replace(",", "."))
    if not math.isfinite(number):  # 1e400
        raise ValueError(text)
    return number


class _Checker:
    def __init__(self, areas: pd.DataFrame, crosswalk: pd.DataFrame, builtin: set[str]):
        areas = areas.sort_values("division_year", ascending=False)
        self.newest: dict[str, tuple[str, int, str]] = {}
        for code, name, level, year in areas[["area_code", "name", "level", "division_year"]]\
                .itertuples(index=False):
            self.newest.setdefault(str(code).upper(), (str(level), int(year), str(name)))
        self.latest_year = {lv: int(y) for lv, y in areas.groupby("level")["division_year"].max()
                            .items()}
        self.by_name: dict[str, str] = {}
        for code, (_, _, name) in self.newest.items():
            self.by_name.setdefault(name.strip().lower(), code)
        self.successor: dict[str, list[str]] = defaultdict(list)
        if crosswalk is not None and len(crosswalk):
            cw = crosswalk[crosswalk["kind"] != "unchanged"] if "kind" in crosswalk else crosswalk
            for old, new in cw[["old_code", "new_code"]].itertuples(index=False):
                if str(old) != str(new) and str(new) not in self.successor[str(old)]:
                    self.successor[str(old).upper()].append(str(new).upper())
        self.codes_by_prefix: dict[str, list[str]] = defaultdict(list)
        for code in self.newest:
            self.codes_by_prefix[code[:2]].append(code)
        self.builtin = builtin
        self._area_cache: dict[str, tuple] = {}

    def area(self, raw: str, country: str | None = None):
        """(code, level, year, problem params or None, suggestion params or None, warning).
        `country`: what the file's codes look like (file_country), for the suggestions."""
        if raw in self._area_cache:
            return self._area_cache[raw]
        code = re.sub(r"\s+", "", raw).upper()
        # Belgian NIS codes lose their leading zero in spreadsheets ('1000' = Belgium 01000).
        if code.isdigit() and len(code) == 4 and code not in self.newest and "0" + code in self.newest:
            code = "0" + code
        out: tuple
        if code in self.newest:
            level, year, name = self.newest[code]
            warning = None
            if year < self.latest_year.get(level, year) and code in self.successor:
                new = self.successor[code]
                warning = t("upload.warning.old_division", code=code, name=name, year=year,
                            successors=", ".join(f"{c} ({self.newest.get(c, ('', 0, c))[2]})"
                                                 for c in new))
            out = (code, level, year, None, None, warning)
        else:
            out = (code, None, None, {"code": shown(raw)}, self._suggest_area(raw, code, country),
                   None)
        self._area_cache[raw] = out
        return out

    def _suggest_area(self, raw: str, code: str, country: str | None = None) -> str | None:
        name = raw.strip().lower()
        if name in self.by_name:
            found = self.by_name[name]
            return f"{found} ({self.newest[found][2]})"
        if code in self.successor:
            return ", ".join(f"{c} ({self.newest.get(c, ('', 0, c))[2]})"
                             for c in self.successor[code])
        digits = code[2:] if code[:2].isalpha() else code
        if (country != "BE" and digits.isdigit() and len(digits) <= 4
                and f"GM{digits.zfill(4)}" in self.newest):
            found = f"GM{digits.zfill(4)}"
            return f"{found} ({self.newest[found][2]})"
        pool = self.codes_by_prefix.get(code[:2]) or [
            c for c in self.newest if country is None or (country == "BE") == c[:1].isdigit()]
        close = difflib.get_close_matches(code, pool, n=3, cutoff=0.75)
        if close:
            return ", ".join(f"{c} ({self.newest[c][2]})" for c in close)
        names = difflib.get_close_matches(name, list(self.by_name), n=1, cutoff=0.8)
        if names:
            found = self.by_name[names[0]]
            return f"{found} ({self.newest[found][2]})"
        return None


NIS_LIKE = re.compile(r"^\d{1,5}$|^\d{5}[A-Z0-9]{3}[-0-9A-Z]$")
CBS_LIKE = re.compile(r"^(GM|WK|BU|PV|GG|NL)\d")


def file_country(raw_codes) -> str | None:
    """'BE' when the file's area codes look like Belgian NIS codes (digits, or 9-character
    statistical sectors), 'NL' when they look like CBS codes (GM0363, WK036300, PV27, ...),
    None when they are mixed or neither: the unknown-code suggestion then names both forms."""
    kinds = set()
    for raw in raw_codes:
        code = re.sub(r"\s+", "", str(raw)).upper()
        if not code:
            continue
        if NIS_LIKE.match(code):
            kinds.add("BE")
        elif CBS_LIKE.match(code):
            kinds.add("NL")
        else:
            kinds.add(None)
    return kinds.pop() if len(kinds) == 1 else None


CODE_FORM = {"BE": "upload_codes.form_be", "NL": "upload_codes.form_nl", None: "upload_codes.form_both"}


def _problem(row: int, at: str, value, code: str, suggestion_params: dict | None = None, /,
             **params) -> Problem:
    message = t(f"upload.problem.{code}", **params)
    suggestion = ""
    if suggestion_params is not None:
        suggestion = t_optional(f"upload.suggestion.{code}", **suggestion_params) or ""
    return Problem(int(row), at, shown(value), code, params, message, suggestion)


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    if not s or not s[0].isalpha():
        s = "eigen_" + s
    return s[:60].rstrip("_")


def validate(table: pd.DataFrame, areas: pd.DataFrame, crosswalk: pd.DataFrame | None,
             existing_indicator_ids, *, filename: str | None = None, sha256: str | None = None,
             n_bytes: int | None = None, uploaded_on: date | None = None) -> Validation:
    """Check every row; keep the valid ones as database rows (see the module docstring).

    `table` comes from read.read_table (strings, canonical columns, `_row`); `areas` has
    area_code, name, level, division_year for all divisions; `crosswalk` old_code/new_code/kind
    (others ignored); `existing_indicator_ids` the built-in indicator ids (never overwritten).
    """
    filename = filename or table.attrs.get("filename") or "upload"
    sha256 = sha256 or table.attrs.get("sha256") or hashlib.sha256(
        table.to_csv(index=False).encode("utf-8")).hexdigest()
    n_bytes = n_bytes if n_bytes is not None else table.attrs.get("bytes")
    uploaded_on = uploaded_on or date.today()
    source_id = f"upload:{sha256[:12]}"
    checker = _Checker(areas, crosswalk, set(existing_indicator_ids or ()))

    table = table.copy()
    for col in spec.COLUMN_NAMES:
        if col not in table.columns:
            table[col] = ""
    if "_row" not in table.columns:
        table["_row"] = range(2, len(table) + 2)
    cells = table[list(spec.COLUMN_NAMES)].fillna("").astype(str)
    row_numbers = [int(r) for r in table["_row"]]

    problems: list[Problem] = []
    warnings: list[str] = []
    records: list[dict | None] = []
    country = file_country(cells["area_code"])

    for i, (rownum, rec) in enumerate(zip(row_numbers, cells.to_dict("records"), strict=True)):
        found: list[Problem] = []
        out: dict = {}

        def bad(at, code, suggestion_params=None, /, _rownum=rownum, _rec=rec, _found=found,
                **params):
            _found.append(_problem(_rownum, at, _rec.get(at, ""), code, suggestion_params,
                                   **params))

        for col in spec.COLUMN_NAMES:
            text = rec[col]
            if FORMULA.match(text):
                bad(col, "formula_like", column=col)
                rec[col] = ""  # checked no further
            elif len(text) > spec.BY_NAME[col].max_len:
                bad(col, "too_long_text", column=col, max_chars=spec.BY_NAME[col].max_len)
                rec[col] = ""
            elif col in spec.TEXT and MARKUP.search(text):
                bad(col, "markup_in_text", column=col)
                rec[col] = ""
        bad_columns = {p.column for p in found}

        # area
        if "area_code" not in bad_columns:
            raw = rec["area_code"]
            if not raw.strip():
                bad("area_code", "required", column="area_code")
            else:
                code, level, year, prob, sugg, warning = checker.area(raw, country)
                if prob is not None:
                    bad("area_code", "unknown_area",
                        {"suggestion": sugg} if sugg else None, **prob)
                    if not sugg:   # no close code or name: say which code form is expected
                        found[-1] = replace(found[-1], suggestion=t(CODE_FORM[country]))
                else:
                    out.update(area_code=code, level=level, division_year=year)
                    if warning:
                        warnings.append(warning)
        # period
        if "period" not in bad_columns:
            m = PERIOD.match(rec["period"].strip())
            if not rec["period"].strip():
                bad("period", "required", column="period")
            elif not m or not (1900 <= int(m.group(1)) <= 2100) or (
                    m.group(2) and not int(m.group(1)) < int(m.group(2)) <= 2100):
                bad("period", "bad_period")
            else:
                out["period"] = m.group(1) if not m.group(2) else f"{m.group(1)}-{m.group(2)}"
        # indicator id and name
        ind = rec["indicator_id"].strip()
        if "indicator_id" not in bad_columns:
            if not ind:
                bad("indicator_id", "required", column="indicator_id")
            elif not INDICATOR_ID.match(ind):
                bad("indicator_id", "bad_indicator_id", {"suggestion": _slug(ind)})
            elif ind in checker.builtin:
                bad("indicator_id", "conflicts_with_builtin", {"suggestion": f"eigen_{ind}"[:60]},
                    indicator_id=ind)
            else:
                out["indicator_id"] = ind
        name = rec["indicator_name"].strip()
        if "indicator_name" not in bad_columns and not name:
            bad("indicator_name", "required", column="indicator_name")
        # choices
        unit = rec["unit"].strip().lower() or spec.DEFAULTS["unit"]
        polarity = rec["polarity"].strip().lower().replace(" ", "_") or spec.DEFAULTS["polarity"]
        polarity = spec.POLARITY_ALIASES.get(polarity, polarity)
        status = rec["status"].strip().lower() or spec.DEFAULTS["status"]
        status = spec.STATUS_ALIASES.get(status, status)
        for col, val, choices in (("unit", unit, spec.UNITS), ("polarity", polarity, spec.POLARITIES),
                                  ("status", status, spec.STATUSES)):
            if col not in bad_columns and val not in choices:
                bad(col, "bad_choice", column=col, choices=", ".join(choices))
        # numbers
        nums: dict[str, float | None] = {}
        for col in spec.NUMERIC:
            if col in bad_columns:
                continue
            text = rec[col]
            try:
                nums[col] = parse_number(text)
            except ValueError:
                bad(col, "number_expected", column=col)
                continue
            count_like = col in ("numerator", "denominator", "population") or (
                col in ("value", "lower", "upper") and unit == "count")
            if count_like and AMBIGUOUS.match(text.strip()):
                bad(col, "ambiguous_number", column=col)
                nums.pop(col)
        value = nums.get("value")
        if "value" not in {p.column for p in found}:
            if status in ("observed", "modelled") and value is None:
                bad("value", "missing_value")
            if status in ("suppressed", "missing") and value is not None:
                bad("value", "value_with_status", status=status)
        # ranges
        if unit == "percent":
            scale = nums.get("scale") or 100.0
            for col in ("value", "lower", "upper"):
                v = nums.get(col)
                if v is not None and not 0 <= v <= scale:
                    bad(col, "out_of_range", column=col, low=0, high=_plain(scale))
        elif unit in NON_NEGATIVE_UNITS:
            for col in ("value", "lower", "upper"):
                v = nums.get(col)
                if v is not None and v < 0:
                    bad(col, "negative", column=col)
        for col in ("numerator", "denominator", "population"):
            v = nums.get(col)
            if v is not None and v < 0:
                bad(col, "negative", column=col)
        if nums.get("denominator") == 0:
            bad("denominator", "zero_denominator")
        if nums.get("scale") is not None and nums["scale"] <= 0:
            bad("scale", "negative", column="scale")
        lo, hi = nums.get("lower"), nums.get("upper")
        if lo is not None and value is not None and lo > value:
            bad("lower", "interval_order", column="lower")
        if hi is not None and value is not None and value > hi:
            bad("upper", "interval_order", column="upper")
        if lo is not None and hi is not None and lo > hi and value is None:
            bad("lower", "interval_order", column="lower")
        num, den = nums.get("numerator"), nums.get("denominator")
        if unit == "percent" and num is not None and den is not None and num > den:
            bad("numerator", "numerator_gt_denominator")

        age = rec["age_group"].strip() or spec.DEFAULTS["age_group"]
        sub, dim = rec["subgroup"].strip(), rec["dimension"].strip()
        if sub:
            label = f"{dim}: {sub}" if dim else sub
            age = label if age == "all" else f"{age}, {label}"
        scale_val = nums.get("scale")
        if scale_val is None:
            scale_val = 100.0 if unit == "percent" else 1.0
        out.update(age_group=age, value=value if status in ("observed", "modelled") else None,
                   lower=lo, upper=hi, numerator=num, denominator=den, status=status,
                   source_id=source_id, _name=name, _unit=unit, _polarity=polarity,
                   _scale=scale_val, _theme=rec["theme"].strip() or spec.DEFAULTS["theme"],
                   _licence=rec["licence"].strip(), _source=rec["source"].strip(),
                   _row=rownum, _dim=dim, _i=i)
        problems.extend(found)
        records.append(None if found else out)

    _table_checks(records, cells, row_numbers, problems)

    valid = [r for r in records if r is not None]
    rejected_rows = {p.row for p in problems}
    values = pd.DataFrame([{k: r[k] for k in VALUES_COLUMNS} for r in valid], columns=VALUES_COLUMNS)
    values = values.astype({"division_year": "int64", **{c: "float64" for c in (
        "value", "lower", "upper", "numerator", "denominator")}})
    indicators = _indicators(valid, source_id, filename, uploaded_on)
    source = _source(valid, source_id, filename, sha256, n_bytes)
    report = pd.DataFrame([{"row": p.row, "column": p.column, "value": p.value,
                            "problem": p.message, "suggestion": p.suggestion} for p in problems],
                          columns=REPORT_COLUMNS)
    report = report.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    return Validation(values=values, indicators=indicators, source=source, report=report,
                      n_rows=len(records), n_valid=len(valid), n_rejected=len(rejected_rows),
                      warnings=list(dict.fromkeys(warnings))[:50], problems=problems)


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _table_checks(records: list[dict | None], cells: pd.DataFrame, row_numbers: list[int],
                  problems: list[Problem]) -> None:
    """Checks across rows: duplicates, conflicts, indicator metadata, fraction-vs-percent."""
    def reject(i: int, at: str, code: str, suggestion_params=None, /, **params):
        problems.append(_problem(row_numbers[i], at, cells.iat[i, cells.columns.get_loc(at)],
                                 code, suggestion_params, **params))
        records[i] = None

    # exact duplicates (all columns equal): the repeats are rejected, the first kept
    first_seen: dict[tuple, int] = {}
    for i, key in enumerate(cells.itertuples(index=False, name=None)):
        if key in first_seen:
            reject(i, "area_code", "duplicate_row", first_row=row_numbers[first_seen[key]])
        else:
            first_seen[key] = i
    # conflicting values per key: every row of the key is rejected
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r is not None:
            groups[(r["area_code"], r["division_year"], r["period"], r["indicator_id"],
                    r["age_group"])].append(i)
    for idx in groups.values():
        if len(idx) > 1:
            rows = ", ".join(str(row_numbers[i]) for i in idx[:10])
            for i in idx:
                reject(i, "value", "conflicting_values", rows=rows)
    # indicator metadata must agree with the indicator's first valid row
    first_meta: dict[str, tuple[int, tuple]] = {}
    for i, r in enumerate(records):
        if r is None:
            continue
        meta = (r["_name"], r["_unit"], r["_polarity"], r["_scale"], r["_theme"])
        if r["indicator_id"] not in first_meta:
            first_meta[r["indicator_id"]] = (i, meta)
        elif meta != first_meta[r["indicator_id"]][1]:
            j, ref = first_meta[r["indicator_id"]]
            column = ["indicator_name", "unit", "polarity", "scale", "theme"][
                next(k for k in range(5) if meta[k] != ref[k])]
            reject(i, column, "inconsistent_indicator_metadata", column=column,
                   indicator_id=r["indicator_id"], first_row=row_numbers[j])
    # a percent indicator whose values all lie within 0-1 is most likely a fraction
    by_ind: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        if r is not None and r["_unit"] == "percent" and r["_scale"] == 100:
            by_ind[r["indicator_id"]].append(i)
    for ind, idx in by_ind.items():
        vals = [records[i]["value"] for i in idx if records[i]["value"] is not None]
        if len(vals) >= 2 and max(vals) <= 1 and max(vals) > 0:
            for i in idx:
                reject(i, "value", "mixed_scale", indicator_id=ind)


def _indicators(valid: list[dict], source_id: str, filename: str, uploaded_on: date) -> pd.DataFrame:
    rows = []
    seen = set()
    definition = t("upload.meta.definition", date=uploaded_on.strftime("%d-%m-%Y"),
                   file=shown(filename))
    for r in valid:
        if r["indicator_id"] in seen:
            continue
        seen.add(r["indicator_id"])
        unit = r["_unit"]
        rows.append({
            "indicator_id": r["indicator_id"], "label_nl": r["_name"], "label_en": r["_name"],
            "label_fr": r["_name"], "definition_nl": definition, "definition_en": definition,
            "definition_fr": definition, "theme": r["_theme"], "unit": unit,
            "scale": float(r["_scale"]), "decimals": 0 if unit == "count" else 1,
            "polarity": r["_polarity"], "value_type": VALUE_TYPES[unit], "modelled": False,
            "source_id": source_id, "licence": r["_licence"] or spec.DEFAULTS["licence"],
        })
    return pd.DataFrame(rows, columns=INDICATORS_COLUMNS).astype(
        {"scale": "float64", "decimals": "int64", "modelled": "bool"})


def _country(valid: list[dict]) -> str:
    """BE when every area is a Belgian NIS code (digits), else NL (GM/WK/PV/GG/NL codes)."""
    codes = [str(r.get("area_code", "")) for r in valid]
    return "BE" if codes and all(c[:1].isdigit() for c in codes) else "NL"


def _source(valid: list[dict], source_id: str, filename: str, sha256: str,
            n_bytes: int | None) -> dict:
    publishers = Counter(r["_source"] for r in valid if r["_source"])
    licences = Counter(r["_licence"] for r in valid if r["_licence"])
    publisher = ", ".join(p for p, _ in publishers.most_common(3)) or t("upload.meta.publisher")
    licence = licences.most_common(1)[0][0] if licences else spec.DEFAULTS["licence"]
    periods = sorted({r["period"] for r in valid})
    title = shown(filename)
    return {
        "source_id": source_id, "country": _country(valid), "publisher": publisher, "title": title,
        "licence": licence, "attribution": t("upload.meta.attribution", publisher=publisher,
                                             file=title),
        "path": title, "origin": None, "parser": "upload", "period": ", ".join(periods) or None,
        "sha256": sha256, "bytes": int(n_bytes) if n_bytes is not None else None,
    }


def report_csv(validation: Validation) -> bytes:
    """The report for Dutch Excel: UTF-8 with BOM, semicolon-separated. Cells that Excel would
    read as a formula get a leading apostrophe."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([t(f"upload.report.{c}") for c in REPORT_COLUMNS])
    for rec in validation.report.itertuples(index=False):
        writer.writerow([_excel_safe(str(v)) for v in rec])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def _excel_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
