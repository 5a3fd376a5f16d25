"""Hostile and oversized uploads on the page Eigen data: `healthgap.ui.uploads.check` refuses the
file with a sentence or reports row problems, never raises, never writes anything, and leaves the
built database byte-identical. Assertions use problem codes, not wording."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from test_apptest_pages import _fresh_app, db_file  # noqa: F401

from healthgap.ui import uploads
from healthgap.upload import read as upload_read
from healthgap.upload import spec

pytestmark = pytest.mark.shared_data


def template_lines() -> list[str]:
    return spec.template_csv().decode("utf-8-sig").splitlines()


def with_row(**cells) -> bytes:
    """The template's header and first row, with some cells replaced."""
    header, first = template_lines()[:2]
    cols = header.split(",")
    row = dict(zip(cols, first.split(","), strict=True))
    row.update(cells)
    return (header + "\n" + ",".join(row[c] for c in cols) + "\n").encode()


def xlsx_bomb(unpacked_mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (unpacked_mb << 20) + b">")
    return buf.getvalue()


def lying_zip() -> bytes:
    """A zip whose header declares a tiny file that is in fact large."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"x" * (8 << 20))
    data = bytearray(buf.getvalue())
    # patch the uncompressed size in the local and central headers to 100 bytes
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = data.find(sig)
        data[i + offset:i + offset + 4] = (100).to_bytes(4, "little")
    return bytes(data)


REFUSED = {
    "empty": (b"", "x.csv"),
    "only_bom": (b"\xef\xbb\xbf  \n", "x.csv"),
    "binary_named_csv": (bytes(range(256)) * 100, "gegevens.csv"),
    "nul_bytes": (b"area_code,value\nGM0363,1\x00\x00\x00\n", "x.csv"),
    "old_xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "x.xls"),
    "zip_not_xlsx": (b"PK\x03\x04" + bytes(300), "x.xlsx"),
    "xlsx_zip_bomb": (xlsx_bomb(300), "x.xlsx"),
    "lying_zip_header": (lying_zip(), "x.xlsx"),
    "one_long_line": (b"area_code," + b"A" * 300_000 + b"\nGM0363,1\n", "x.csv"),
    "thousand_columns": ((",".join(f"c{i}" for i in range(1000)) + "\n"
                          + ",".join("1" * 1000) + "\n").encode(), "x.csv"),
    "data_without_header": (b"GM0363,2023,42.0\nGM0599,2023,43.0\n", "x.csv"),
    "html_page": (b"<html><script>alert(1)</script></html>\n", "x.csv"),
    "path_in_name": (b"", "../../../etc/passwd"),
}


@pytest.fixture
def unchanged_db(db_file, monkeypatch):
    path = db_file.resolve()
    monkeypatch.setenv("HEALTHGAP_DB", str(path))  # absolute: a test changes the working folder
    before = path.read_bytes()
    yield
    assert path.read_bytes() == before, "an upload changed the built database"


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_file_is_refused_with_a_sentence_and_nothing_raises(name, unchanged_db, tmp_path,
                                                                       monkeypatch):
    content, file_name = REFUSED[name]
    monkeypatch.chdir(tmp_path)
    t0 = time.perf_counter()
    checked = uploads.check(content, file_name)
    assert time.perf_counter() - t0 < 30
    bad = checked.error or (checked.validation is not None and checked.validation.n_valid == 0)
    assert bad, f"{name} was accepted"
    if checked.error:
        assert isinstance(checked.error, str) and 10 < len(checked.error) < 400
        assert "Traceback" not in checked.error
    assert not list(tmp_path.iterdir()), "check() wrote files"


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (bytes(range(256)) * 100, "not_a_table"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "excel_unreadable"),
    (b"PK\x03\x04" + bytes(300), "excel_unreadable"),
    (xlsx_bomb(300), "too_large"),
])
def test_whole_file_problems_have_specific_codes(content, code):
    with pytest.raises(upload_read.UploadError) as info:
        upload_read.read_table(content, "x", upload_read.Limits())
    assert info.value.code == code


def test_a_file_over_the_cap_is_refused_before_it_is_parsed(unchanged_db, monkeypatch):
    monkeypatch.setenv(uploads.MAX_MB_ENV, "0.01")
    big = "\n".join(template_lines()[:2] * 200).encode()
    assert len(big) > 10_000
    with pytest.raises(upload_read.UploadError) as info:
        upload_read.read_table(big, "x.csv", uploads.limits())
    assert info.value.code == "too_large"
    assert uploads.check(big, "x.csv").error


def test_too_many_rows_is_refused(monkeypatch):
    header, first = template_lines()[:2]
    content = (header + "\n" + "\n".join([first] * 50) + "\n").encode()
    with pytest.raises(upload_read.UploadError) as info:
        upload_read.read_table(content, "x.csv", upload_read.Limits(max_rows=10))
    assert info.value.code == "too_many_rows"


@pytest.mark.parametrize("cells", [
    {"area_code": "<script>alert(1)</script>"},
    {"area_code": "GM0363' OR 1=1 --"},
    {"indicator_id": "x'; DROP TABLE indicator_values; --"},
    {"indicator_id": "../../etc"},
    {"value": "=HYPERLINK(\"http://example.invalid\")"},
    {"value": "1e308000"},
    {"value": "NaN"},
    {"period": "99999999999999999999"},
    {"unit": "A" * 50_000},
])
def test_hostile_cells_are_row_problems_and_the_report_is_safe_for_excel(cells, unchanged_db):
    checked = uploads.check(with_row(**cells), "eigen.csv")
    assert checked.error is None, checked.error
    v = checked.validation
    assert v.n_rejected >= 1 and v.problems
    assert all(p.code for p in v.problems)
    report = uploads.report_csv(v).decode("utf-8-sig")
    for line in report.splitlines()[1:]:
        for cell in line.split(";"):
            assert cell.lstrip('"')[:1] not in ("=", "+", "@"), cell
    assert all(len(str(p.value)) <= 200 for p in v.problems)  # echoed values are shortened


def test_markup_in_a_name_is_kept_as_plain_text(unchanged_db):
    checked = uploads.check(with_row(indicator_name="<b>vet</b><img src=x onerror=alert(1)>"),
                            "eigen.csv")
    assert checked.error is None
    v = checked.validation
    names = list(v.indicators["label_nl"]) if len(v.indicators) else []
    # kept verbatim as data (shown escaped: tests/test_security.py forbids HTML rendering of it)
    assert names in ([], ["<b>vet</b><img src=x onerror=alert(1)>"])


def _area_problem(content: bytes):
    checked = uploads.check(content, "eigen.csv")
    assert checked.error is None, checked.error
    found = [p for p in checked.validation.problems if p.code == "unknown_area"]
    assert found, checked.validation.problems
    return found[0]


def _two_rows(first: str, second: str) -> bytes:
    one, two = with_row(area_code=first).decode(), with_row(area_code=second).decode()
    return (one + two.splitlines()[1] + "\n").encode()


def test_a_belgian_file_with_a_bad_code_is_told_about_nis_codes(unchanged_db):
    p = _area_problem(_two_rows("21004", "99999"))
    assert p.value == "99999"
    assert "NIS" in p.suggestion and "5 cijfers" in p.suggestion and "GM" not in p.suggestion
    p = _area_problem(_two_rows("62063", "7299"))   # 4 digits: never guessed as GM7299
    assert "NIS" in p.suggestion and "GM" not in p.suggestion


def test_a_dutch_file_with_a_bad_code_is_told_about_cbs_codes(unchanged_db):
    p = _area_problem(_two_rows("GM0363", "GM9X99"))
    assert "GM0363" in p.suggestion and "NIS" not in p.suggestion


def test_an_unclear_file_is_told_both_forms(unchanged_db):
    assert "44021 (Gent)" in _area_problem(_two_rows("GM0363", "Gent")).suggestion  # by name
    p = _area_problem(_two_rows("GM0363", "Nergensdorp"))
    assert "NIS" in p.suggestion and "GM0363" in p.suggestion


@pytest.mark.parametrize("lang,words", [("en", "5-digit NIS code"), ("fr", "code INS à 5 chiffres")])
def test_the_code_form_is_named_in_the_language_of_the_run(unchanged_db, lang, words):
    import contextvars

    from healthgap.ui import texts

    def run():
        texts.set_language(lang)
        return _area_problem(_two_rows("21004", "99999")).suggestion
    try:
        assert words in contextvars.copy_context().run(run)
    finally:
        texts._LAST[0] = texts.DEFAULT_LANGUAGE
