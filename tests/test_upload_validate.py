"""healthgap.upload.validate: every row problem with its code and row number, and the output
frames matching build/schema.sql."""

from __future__ import annotations

import re
import time
from datetime import date

import pandas as pd
import pytest

from healthgap.settings import PROJECT_ROOT
from healthgap.ui.texts import _flat, placeholders
from healthgap.upload import spec
from healthgap.upload.read import read_table
from healthgap.upload.validate import (
    INDICATORS_COLUMNS,
    SOURCES_COLUMNS,
    VALUES_COLUMNS,
    parse_number,
    report_csv,
    validate,
)

AREAS = pd.DataFrame(
    [("GM0363", "Amsterdam", "gemeente", y) for y in (2020, 2023, 2025)]
    + [("GM0599", "Rotterdam", "gemeente", y) for y in (2020, 2025)]
    + [("GM0344", "Utrecht", "gemeente", 2025), ("GM0457", "Weesp", "gemeente", 2020),
       ("WK036300", "Burgwallen-Oude Zijde", "wijk", 2020), ("NL01", "Nederland", "country", 2025)],
    columns=["area_code", "name", "level", "division_year"])
CROSSWALK = pd.DataFrame(
    [("GM0457", 2020, "GM0363", 2025, "merge", "Weesp", "Amsterdam")],
    columns=["old_code", "old_year", "new_code", "new_year", "kind", "old_name", "new_name"])
BUILTIN = {"obesity", "smoker"}
BASE = {"area_code": "GM0363", "period": "2023", "indicator_id": "eigen_a",
        "indicator_name": "Eigen A", "value": "12.5"}


def table(*rows: dict) -> pd.DataFrame:
    """A read_table-like frame: every column a string, `_row` from 2."""
    recs = [{c: str(r.get(c, "")) for c in spec.COLUMN_NAMES} for r in rows]
    df = pd.DataFrame(recs, columns=list(spec.COLUMN_NAMES), dtype=object)
    df["_row"] = range(2, len(rows) + 2)
    df.attrs.update(filename="test.csv", sha256="ab" * 32, bytes=123)
    return df


def run(*rows: dict, **kw):
    return validate(table(*rows), AREAS, CROSSWALK, BUILTIN, uploaded_on=date(2026, 1, 2), **kw)


def problems(v) -> list[tuple[int, str, str]]:
    return sorted((p.row, p.column, p.code) for p in v.problems)


def row(**changes) -> dict:
    return {**BASE, **changes}


def test_a_good_row_becomes_schema_rows():
    v = run(row(lower="11,5", upper="13.5", numerator="125", denominator="1000",
                polarity="low_is_good", age_group="18+", source="GGD Amsterdam"))
    assert v.n_rows == v.n_valid == 1 and v.n_rejected == 0 and v.report.empty
    assert list(v.values.columns) == VALUES_COLUMNS
    assert list(v.indicators.columns) == INDICATORS_COLUMNS
    assert set(v.source) == set(SOURCES_COLUMNS)
    r = v.values.iloc[0]
    assert (r.area_code, r.level, r.division_year, r.period, r.age_group, r.value, r.lower,
            r.status, r.source_id) == ("GM0363", "gemeente", 2025, "2023", "18+", 12.5, 11.5,
                                       "observed", "upload:" + "ab" * 6)
    ind = v.indicators.iloc[0]
    assert (ind.label_nl, ind.unit, ind.scale, ind.decimals, ind.polarity, ind.value_type,
            ind.theme, ind.licence, ind.modelled) == \
        ("Eigen A", "percent", 100.0, 1, "low_is_good", "proportion", "upload", "eigen gegevens",
         False)
    assert "02-01-2026" in ind.definition_nl and "test.csv" in ind.definition_nl
    assert v.source["publisher"] == "GGD Amsterdam" and v.source["parser"] == "upload"
    assert v.source["period"] == "2023" and v.source["bytes"] == 123


def test_schema_columns_match_schema_sql():
    schema = (PROJECT_ROOT / "healthgap" / "build" / "schema.sql").read_text()

    def cols(name):
        body = re.search(rf"CREATE TABLE {name} \((.*?)\n\);", schema, re.S).group(1)
        return [ln.split()[0] for ln in body.splitlines()
                if ln.strip() and not ln.strip().startswith(("--", "PRIMARY"))]
    assert cols("indicator_values") == VALUES_COLUMNS
    assert cols("indicators") == INDICATORS_COLUMNS
    assert cols("sources") == SOURCES_COLUMNS


@pytest.mark.parametrize(("text", "expected"), [
    ("12,5", 12.5), ("12.5", 12.5), ("-3", -3.0), ("1e3", 1000.0), (" 45 % ", 45.0), ("", None),
    (",5", 0.5), ("\u22122", -2.0)])
def test_numbers_accept_comma_and_point(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["1.234,5", "1,234,567", "1 234", "12a", "nan", "inf", "--1",
                                  "1.2.3", "€5", "1e400"])
def test_thousands_separators_and_text_are_not_numbers(text):
    with pytest.raises(ValueError):
        parse_number(text)


# (rows, expected (row, column, code) problems)
CASES = {
    "unknown_area": ([row(area_code="GM9999")], [(2, "area_code", "unknown_area")]),
    "bad_period": ([row(period="23"), row(period="2022-2019", area_code="GM0599"),
                    row(period="2023-Q1", area_code="GM0344")],
                   [(2, "period", "bad_period"), (3, "period", "bad_period"),
                    (4, "period", "bad_period")]),
    "bad_indicator_id": ([row(indicator_id="Eigen A!")], [(2, "indicator_id", "bad_indicator_id")]),
    "required": ([row(indicator_name=" ")], [(2, "indicator_name", "required")]),
    "number_expected": ([row(value="1.234,5")], [(2, "value", "number_expected")]),
    "ambiguous_number": ([row(numerator="1.234", denominator="5000")],
                         [(2, "numerator", "ambiguous_number")]),
    "out_of_range": ([row(value="120")], [(2, "value", "out_of_range")]),
    "negative": ([row(value="-3", unit="per_1000")], [(2, "value", "negative")]),
    "interval_order": ([row(lower="13", upper="14")], [(2, "lower", "interval_order")]),
    "numerator_gt_denominator": ([row(numerator="20", denominator="10")],
                                 [(2, "numerator", "numerator_gt_denominator")]),
    "missing_value": ([row(value="")], [(2, "value", "missing_value")]),
    "value_with_status": ([row(status="suppressed")], [(2, "value", "value_with_status")]),
    "bad_choice": ([row(unit="procent")], [(2, "unit", "bad_choice")]),
    "formula_like": ([row(indicator_name="=cmd|' /C calc'!A0")],
                     [(2, "indicator_name", "formula_like")]),
    "formula_like_at": ([row(source="@SUM(A1)")], [(2, "source", "formula_like")]),
    "too_long_text": ([row(indicator_name="x" * 201)], [(2, "indicator_name", "too_long_text")]),
    "conflicts_with_builtin": ([row(indicator_id="obesity")],
                               [(2, "indicator_id", "conflicts_with_builtin")]),
    "duplicate_row": ([row(), row(area_code="GM0599"), row()], [(4, "area_code", "duplicate_row")]),
    "conflicting_values": ([row(), row(area_code="GM0599"), row(value="13")],
                           [(2, "value", "conflicting_values"), (4, "value", "conflicting_values")]),
    "inconsistent_indicator_metadata": (
        [row(), row(area_code="GM0599", indicator_name="Andere naam")],
        [(3, "indicator_name", "inconsistent_indicator_metadata")]),
    "mixed_scale": ([row(value="0.12"), row(area_code="GM0599", value="0.3"),
                     row(indicator_id="eigen_b", value="45")],
                    [(2, "value", "mixed_scale"), (3, "value", "mixed_scale")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_has_its_code_and_row(case):
    rows, expected = CASES[case]
    v = run(*rows)
    assert problems(v) == sorted(expected)
    assert v.n_rejected == len({r for r, _, _ in expected})
    assert v.n_valid == v.n_rows - v.n_rejected == len(v.values)
    assert len(v.report) == len(expected) and all(v.report["problem"].str.len() > 10)


def test_the_valid_rows_are_kept_beside_rejected_ones():
    v = run(row(), row(area_code="GM9999"), row(area_code="GM0599", value="abc"))
    assert v.n_valid == 1 and v.n_rejected == 2 and list(v.values["area_code"]) == ["GM0363"]
    assert list(v.report["row"]) == [3, 4]


def test_negative_number_is_fine_in_numeric_columns():
    v = run(row(value="-3", unit="other", indicator_id="eigen_saldo"))
    assert v.n_valid == 1 and v.values.iloc[0].value == -3.0


def test_unknown_area_suggestions():
    v = run(row(area_code="Amsterdam"), row(area_code="363"), row(area_code="GM0364"))
    sugg = dict(zip(v.report["row"], v.report["suggestion"], strict=True))
    assert "GM0363" in sugg[2] and "GM0363" in sugg[3] and "GM0363" in sugg[4]


def test_old_code_is_valid_in_its_older_division_with_a_warning():
    v = run(row(area_code="gm0457"), row(area_code="WK036300"))
    assert v.n_valid == 2
    assert list(zip(v.values.area_code, v.values.division_year, v.values.level, strict=True)) == \
        [("GM0457", 2020, "gemeente"), ("WK036300", 2020, "wijk")]
    assert any("GM0363" in w and "Weesp" in w for w in v.warnings)


def test_newest_division_is_preferred():
    v = run(row(area_code="GM0599"))
    assert v.values.iloc[0].division_year == 2025


def test_subgroup_is_stored_in_age_group():
    v = run(row(subgroup="vrouwen", dimension="geslacht"),
            row(subgroup="mannen", dimension="geslacht"),
            row(subgroup="laag", age_group="65+"), row(area_code="GM0599"))
    assert list(v.values["age_group"]) == ["geslacht: vrouwen", "geslacht: mannen", "65+, laag", "all"]


def test_suppressed_rows_have_no_value_and_are_never_zero():
    v = run(row(value="", status="suppressed"), row(area_code="GM0599", value="", status="missing"))
    assert v.n_valid == 2 and v.values["value"].isna().all()
    assert list(v.values["status"]) == ["suppressed", "missing"]


def test_units_set_scale_decimals_and_value_type():
    v = run(row(indicator_id="eigen_n", unit="count", value="1234"),
            row(indicator_id="eigen_r", unit="per_100000", value="1234.5"),
            row(indicator_id="eigen_y", unit="years", value="81,2"))
    ind = v.indicators.set_index("indicator_id")
    assert ind.loc["eigen_n", ["scale", "decimals", "value_type"]].tolist() == [1.0, 0, "count"]
    assert ind.loc["eigen_r", "value_type"] == "rate" and ind.loc["eigen_y", "value_type"] == "mean"


def test_heat_style_polarity_and_dutch_status():
    v = run(row(polarity="1", status="waargenomen"))
    assert v.indicators.iloc[0].polarity == "high_is_good" and v.values.iloc[0].status == "observed"


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "![x](http://example.org/t.png)",
                                  "[klik](javascript:alert(1))", "{{7*7}}", "`code`"])
def test_markup_in_names_is_refused_and_report_values_are_truncated(name):
    v = run(row(indicator_name=name), row())
    assert v.n_rejected == 1 and v.n_valid == 1
    assert list(v.report["problem"].str.contains("< >")) == [True]
    assert v.report["value"].iloc[0] == name  # echoed as plain text in the report
    v = run(row(area_code="<script>alert(1)</script>" * 10))
    assert all(len(x) <= 80 for x in v.report["value"])


def test_report_csv_is_excel_safe():
    v = run(row(indicator_name="=cmd|' /C calc'!A0"), row(area_code="GM9999"))
    data = report_csv(v)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "rij;kolom;waarde;probleem;suggestie"
    assert ";'=cmd|" in text and ";=cmd" not in text


def test_every_problem_code_has_a_text_with_matching_placeholders():
    flat = _flat("nl")
    cases = [r for rows, _ in CASES.values() for r in rows]
    v = run(*cases)
    for p in v.problems:
        key = f"upload.problem.{p.code}"
        assert key in flat and placeholders(flat[key]) <= set(p.params)


def test_end_to_end_from_bytes_semicolon_decimal_comma():
    data = (b"gebiedscode;jaar;indicator;indicatornaam;waarde;eenheid\r\n"
            b"GM0363;2023;eigen_a;Eigen A;12,5;percent\r\nGM0599;2023;eigen_a;Eigen A;7,25;percent\r\n"
            )
    t, _ = read_table(data, "nl.csv")
    v = validate(t, AREAS, CROSSWALK, BUILTIN)
    assert list(v.values["value"]) == [12.5, 7.25]
    assert v.source["title"] == "nl.csv" and v.source_id.startswith("upload:")


def test_200k_rows_validate_in_reasonable_time():
    rows = [{**BASE, "area_code": ("GM0363", "GM0599", "GM0344")[i % 3], "period": str(1900 + i // 3
            % 200), "indicator_id": f"eigen_{i // 600}", "value": "12.5"} for i in range(200_000)]
    start = time.perf_counter()
    v = run(*rows)
    assert v.n_valid == 200_000
    assert time.perf_counter() - start < 60


def test_fuzzed_cells_never_raise():
    import random

    rng = random.Random(7)
    pool = ["", " ", "GM0363", "gm0599", "2023", "2019-2022", "12,5", "-3", "1e400", "0.5", "=1+1",
            "+A1", "@x", "<script>alert(1)</script>", "\u202e", "x" * 500, "percent", "count",
            "suppressed", "1", "0", "ä€", "\x00", "NaN", "1.234,5", "None", "null", "-", "99999"]
    rows = [{c: rng.choice(pool) if rng.random() < 0.7 else BASE.get(c, "")
             for c in spec.COLUMN_NAMES} for _ in range(500)]
    v = run(*rows)
    assert v.n_valid + v.n_rejected == v.n_rows == 500
    assert v.values["value"].dropna().map(lambda x: x == x and abs(x) < float("inf")).all()
    report_csv(v)


def test_belgian_nis_codes_are_accepted_with_or_without_the_leading_zero():
    areas = pd.concat([AREAS, pd.DataFrame(
        [("11002", "Antwerpen", "gemeente", 2025), ("01000", "België", "country", 2025)],
        columns=AREAS.columns)], ignore_index=True)
    v = validate(table(row(area_code="11002"), row(area_code="1000")), areas, CROSSWALK, BUILTIN,
                 uploaded_on=date(2026, 1, 2))
    assert v.n_valid == 2, v.report
    assert sorted(v.values["area_code"]) == ["01000", "11002"]
    assert v.source["country"] == "BE"
