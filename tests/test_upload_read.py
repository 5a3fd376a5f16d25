"""healthgap.upload.read / spec: file formats, encodings, header aliases, whole-file errors."""

from __future__ import annotations

import io
import os
import random

import pytest
from openpyxl import Workbook, load_workbook

from healthgap.upload import spec
from healthgap.upload.read import Limits, UploadError, read_table

HEADER = "area_code,period,indicator_id,indicator_name,value"


def csv_bytes(*lines: str, sep: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(line.replace(",", sep) if sep != "," else line for line in lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows, sheets=("Gegevens",), formula_cells=()) -> bytes:
    wb = Workbook()
    wb.active.title = "Voorblad" if len(sheets) > 1 else sheets[0]
    if len(sheets) > 1:
        wb.active.append(["niets"])
        for name in sheets[1:]:
            wb.create_sheet(name)
    ws = wb[sheets[-1]]
    for row in rows:
        ws.append(list(row))
    for ref, formula in formula_cells:
        ws[ref] = formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def codes(exc_info) -> str:
    return exc_info.value.code


def test_comma_csv_with_decimal_point():
    table, warnings = read_table(csv_bytes(HEADER, "GM0363,2023,eigen_a,A,12.5"), "a.csv")
    assert list(table.columns) == [*spec.COLUMN_NAMES, "_row"]
    assert table.loc[0, "value"] == "12.5" and table.loc[0, "_row"] == 2
    assert table.loc[0, "unit"] == "" and warnings == []
    assert table.attrs["filename"] == "a.csv" and len(table.attrs["sha256"]) == 64


def test_semicolon_csv_with_decimal_comma_and_bom():
    data = csv_bytes(HEADER, "GM0363,2023,eigen_a,A,12#5", sep=";", bom=True).replace(b"#", b",")
    table, _ = read_table(data, "a.csv")
    assert table.loc[0, "area_code"] == "GM0363" and table.loc[0, "value"] == "12,5"


def test_tab_separated_and_blank_lines_keep_row_numbers():
    data = csv_bytes(HEADER, "", "GM0363,2023,eigen_a,A,1", sep="\t")
    table, _ = read_table(data, "a.tsv")
    assert table.loc[0, "_row"] == 3


def test_utf8_without_bom_keeps_accents():
    table, warnings = read_table(csv_bytes(HEADER, "GM0363,2023,eigen_a,Eenzaamheid ëé,1"), "a.csv")
    assert table.loc[0, "indicator_name"] == "Eenzaamheid ëé" and not warnings


def test_cp1252_is_read_with_a_warning():
    data = csv_bytes(HEADER, "GM0363,2023,eigen_a,Ernstig eenzaam ë €,1", encoding="cp1252")
    table, warnings = read_table(data, "a.csv")
    assert table.loc[0, "indicator_name"] == "Ernstig eenzaam ë €"
    assert any("cp1252" in w for w in warnings)


def test_bytes_that_are_neither_utf8_nor_cp1252_are_an_encoding_error():
    data = csv_bytes(HEADER) + b"GM0363,2023,eigen_a,A\x81\x8d,1\r\n"
    with pytest.raises(UploadError) as exc:
        read_table(data, "a.csv")
    assert codes(exc) == "encoding"


def test_heat_plus_headers_are_mapped():
    data = csv_bytes("setting,date,source,indicator_abbr,indicator_name,dimension,subgroup,"
                     "subgroup_order,estimate,se,ci_lb,ci_ub,population,flag,setting_average,iso3,"
                     "favourable_indicator,indicator_scale,ordered_dimension,reference_subgroup",
                     "GM0363,2023,GGD,eigen_a,A,Sex,Female,1,12.5,0.3,12,13,1000,,11,NLD,0,100,0,")
    table, warnings = read_table(data, "heat.csv")
    row = table.iloc[0]
    assert (row.area_code, row.period, row.indicator_id, row.value, row.lower, row.upper) == \
        ("GM0363", "2023", "eigen_a", "12.5", "12", "13")
    assert row.polarity == "low_is_good" and row.scale == "100" and row.subgroup == "Female"
    assert any("subgroup_order" in w and "iso3" in w for w in warnings)


def test_heat_setting_with_names_is_not_an_area_code():
    data = csv_bytes("setting,date,indicator_abbr,indicator_name,estimate",
                     "Amsterdam,2023,eigen_a,A,1")
    with pytest.raises(UploadError) as exc:
        read_table(data, "heat.csv")
    assert codes(exc) == "missing_columns" and "area_code" in exc.value.params["columns"]


def test_dutch_headers_case_and_space_insensitive():
    data = csv_bytes(" Gebiedscode ;JAAR;Indicator;Indicator naam;Waarde;Ondergrens;Bovengrens;"
                     "Teller;Noemer", "GM0363;2023;eigen_a;A;1;0;2;1;10")
    table, _ = read_table(data, "nl.csv")
    assert table.loc[0, "period"] == "2023" and table.loc[0, "denominator"] == "10"
    assert table.loc[0, "indicator_name"] == "A"


def test_unknown_extra_columns_are_ignored_with_a_warning():
    table, warnings = read_table(csv_bytes(HEADER + ",opmerking", "GM0363,2023,eigen_a,A,1,x"),
                                 "a.csv")
    assert "opmerking" not in table.columns and any("opmerking" in w for w in warnings)


def test_missing_columns_with_did_you_mean():
    with pytest.raises(UploadError) as exc:
        read_table(csv_bytes("area_code,periods,indicator_id,indicator_name,valeu",
                             "GM0363,2023,eigen_a,A,1"), "a.csv")
    assert codes(exc) == "missing_columns"
    assert "period" in exc.value.params["columns"] and "periods" in exc.value.params["hints"]
    assert "valeu" in str(exc.value)


def test_no_header():
    with pytest.raises(UploadError) as exc:
        read_table(csv_bytes("GM0363,2023,eigen_a,A,1", "GM0599,2023,eigen_a,A,2"), "a.csv")
    assert codes(exc) == "no_header"


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty(data):
    with pytest.raises(UploadError) as exc:
        read_table(data, "a.csv")
    assert codes(exc) == "empty"


def test_header_only_gives_an_empty_table():
    table, _ = read_table(csv_bytes(HEADER), "a.csv")
    assert table.empty and "_row" in table.columns


def test_too_large():
    with pytest.raises(UploadError) as exc:
        read_table(b"x" * 101, "a.csv", Limits(max_bytes=100))
    assert codes(exc) == "too_large"


def test_too_many_rows_csv_and_excel():
    rows = [f"GM0363,{2000 + i},eigen_a,A,1" for i in range(11)]
    with pytest.raises(UploadError) as exc:
        read_table(csv_bytes(HEADER, *rows), "a.csv", Limits(max_rows=10))
    assert codes(exc) == "too_many_rows"
    read_table(csv_bytes(HEADER, *rows[:10]), "a.csv", Limits(max_rows=10))
    data = xlsx_bytes([HEADER.split(",")] + [r.split(",") for r in rows])
    with pytest.raises(UploadError) as exc:
        read_table(data, "a.xlsx", Limits(max_rows=10))
    assert codes(exc) == "too_many_rows"


def test_a_1mb_single_line_is_refused():
    with pytest.raises(UploadError) as exc:
        read_table(b"a" * 1_000_000, "a.csv")
    assert codes(exc) == "line_too_long" and exc.value.params["row"] == 1
    with pytest.raises(UploadError) as exc:
        read_table(csv_bytes(HEADER, "GM0363,2023,eigen_a," + "A" * 200_000 + ",1"), "a.csv")
    assert codes(exc) == "line_too_long" and exc.value.params["row"] == 2


@pytest.mark.parametrize("seed", range(30))
def test_random_bytes_never_raise_anything_but_upload_error(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.choice([1, 10, 1000, 50_000])))
    if seed % 3 == 0:
        data = b"PK\x03\x04" + data  # looks like a zip
    try:
        read_table(data, "random.bin")
    except UploadError as exc:
        assert exc.code in {"not_a_table", "encoding", "excel_unreadable", "empty", "no_header",
                            "missing_columns", "line_too_long"}
        assert str(exc)


def test_random_bytes_are_not_a_table():
    with pytest.raises(UploadError) as exc:
        read_table(os.urandom(4096) + b"\x00", "x.csv")
    assert codes(exc) == "not_a_table"


def test_old_xls_and_broken_xlsx_are_unreadable():
    with pytest.raises(UploadError) as exc:
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls")
    assert codes(exc) == "excel_unreadable"
    good = xlsx_bytes([HEADER.split(",")])
    with pytest.raises(UploadError) as exc:
        read_table(good[: len(good) // 2], "a.xlsx")
    assert codes(exc) == "excel_unreadable"


def test_xlsx_made_with_openpyxl():
    data = xlsx_bytes([HEADER.split(","), ["GM0363", 2023, "eigen_a", "A", 12.5],
                       [None] * 5, ["GM0599", 2023.0, "eigen_a", "A", 3]])
    table, warnings = read_table(data, "a.xlsx")
    assert list(table["period"]) == ["2023", "2023"] and list(table["value"]) == ["12.5", "3"]
    assert list(table["_row"]) == [2, 4] and warnings == []


def test_xlsx_picks_the_sheet_named_gegevens_or_the_first():
    data = xlsx_bytes([HEADER.split(","), ["GM0363", 2023, "eigen_a", "A", 1]],
                      sheets=("Voorblad", "Gegevens"))
    table, warnings = read_table(data, "a.xlsx")
    assert len(table) == 1 and not warnings
    data = xlsx_bytes([["x"]], sheets=("Voorblad", "Blad2"))
    with pytest.raises(UploadError):
        read_table(data, "a.xlsx")  # the first sheet ("Voorblad") has no table


def test_xlsx_formulas_are_never_evaluated():
    data = xlsx_bytes([HEADER.split(","), ["GM0363", 2023, "eigen_a", "A", 1]],
                      formula_cells=[("D2", "=cmd|' /C calc'!A0"), ("E2", "=1+1")])
    table, _ = read_table(data, "a.xlsx")
    assert table.loc[0, "indicator_name"] == "" and table.loc[0, "value"] == ""  # no cached value


def test_csv_formula_text_stays_plain_text():
    table, _ = read_table(csv_bytes(HEADER, "GM0363,2023,eigen_a,=cmd|' /C calc'!A0,1"), "a.csv")
    assert table.loc[0, "indicator_name"] == "=cmd|' /C calc'!A0"


def test_templates_read_back_cleanly():
    csv_table, w1 = read_table(spec.template_csv(), "sjabloon.csv")
    xlsx_table, w2 = read_table(spec.template_excel(), "sjabloon.xlsx")
    assert spec.template_csv().startswith(b"\xef\xbb\xbf")
    assert list(csv_table["area_code"]) == ["GM0363", "GM0599", "GM0344"]
    assert csv_table[list(spec.TEXT)].equals(xlsx_table[list(spec.TEXT)]) and w1 == w2 == []
    for col in spec.NUMERIC:  # Excel stores 46.0 as a number, read back as "46"
        assert [float(v) if v else None for v in csv_table[col]] == \
            [float(v) if v else None for v in xlsx_table[col]]
    wb = load_workbook(io.BytesIO(spec.template_excel()))
    assert wb.sheetnames == ["Gegevens", "Uitleg"]
    uitleg = list(wb["Uitleg"].iter_rows(values_only=True))
    assert len(uitleg) == len(spec.COLUMNS) + 1
    assert ("value", "ja") == uitleg[5][:2] and uitleg[5][4] == "estimate"


def test_every_alias_targets_a_template_column():
    assert set(spec.ALIASES.values()) <= set(spec.COLUMN_NAMES)
    assert spec.canonical(" Indicator-Abbr ") == "indicator_id"
