"""`healthgap data fetch` for Statbel open-data origins, against an in-memory stub (no internet):
the download is converted to the layout of the reference file, and the build reads it."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from healthgap import fetch, statbel_formats
from healthgap.fetch import FetchError, Source


class Resp:
    def __init__(self, body: bytes, status: int = 200):
        self.content, self.status_code, self.reason = body, status, "OK" if status == 200 else "Err"


class StubSession:
    def __init__(self, files: dict[str, bytes]):
        self.files, self.urls = files, []

    def get(self, url, timeout=None):
        self.urls.append(url)
        return Resp(self.files[url]) if url in self.files else Resp(b"", 404)


def zipped(name: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, text.encode("utf-8-sig"))
    return buf.getvalue()


def source(origin: dict, path: str = "be/x.csv") -> Source:
    return Source(id="be_test", country="BE", publisher="Statbel", title="t", licence="CC BY 4.0",
                  attribution="Bron: Statbel", path=path, parser="p", origin=origin)


POP = ("CD_REFNIS|TX_DESCR_NL|TX_DESCR_FR|CD_SEX|CD_NATLTY|CD_CIV_STS|CD_AGE|MS_POPULATION\n"
       "11001|Aartselaar|Aartselaar|F|BEL|1|3|10\n"
       "11001|Aartselaar|Aartselaar|F|NLD|1|67|2\n"
       "11001|Aartselaar|Aartselaar|F|BEL|2|101|1\n"
       "1000|België|Belgique|M|BEL|1|40|5\n")


def test_population_microtables_become_the_reference_layout(tmp_path):
    tpl = "https://statbel.fgov.be/x/TF_SOC_POP_STRUCT_{year}.zip"
    origin = {"kind": "statbel", "convert": "population_structure", "years": "2020-2021",
              "url_template": tpl}
    session = StubSession({tpl.format(year=y): zipped(f"TF_SOC_POP_STRUCT_{y}.txt", POP) for y in (2020, 2021)})
    dest = tmp_path / "be" / "pop.csv"
    fetch.fetch_statbel(source(origin), dest, session=session, retries=1, backoff=0)
    rows = list(csv.DictReader(dest.open(encoding="utf-8")))
    f20 = next(r for r in rows if r["year"] == "2020" and r["nis"] == "11001" and r["sex"] == "F")
    assert (f20["pop_total"], f20["pop_non_belgian"], f20["age_0_4"], f20["age_65_69"],
            f20["age_95_plus"]) == ("13", "2", "10", "2", "1")
    assert {r["nis"] for r in rows} == {"11001", "01000"}  # leading zero restored
    assert list(rows[0]) == ["year", "nis", "name_nl", "name_fr", "sex", "pop_total",
                             "pop_non_belgian", *statbel_formats.AGE_BANDS]
    assert len(session.urls) == 2


def test_refnis_zip_is_converted_and_an_html_answer_is_refused(tmp_path):
    url = "https://statbel.fgov.be/x/TU_COM_REFNIS.zip"
    text = ("LVL_REFNIS|CD_REFNIS|CD_SUP_REFNIS|TX_REFNIS_DE|TX_REFNIS_FR|TX_REFNIS_NL|DT_VLDT_START|DT_VLDT_END\n"
            "1|02000|-|Flämische Region|Région flamande|Vlaams Gewest|01/01/1970|31/12/9999\n")
    dest = tmp_path / "refnis.csv"
    fetch.fetch_statbel(source({"kind": "statbel", "convert": "refnis", "url": url}), dest,
                        session=StubSession({url: zipped("TU_COM_REFNIS.txt", text)}), retries=1)
    assert dest.read_text(encoding="utf-8").splitlines()[1] == \
        "1,02000,-,Flämische Region,Région flamande,Vlaams Gewest,01/01/1970,31/12/9999"
    with pytest.raises(FetchError, match="HTML page"):
        fetch.fetch_statbel(source({"kind": "statbel", "convert": "refnis", "url": url}),
                            tmp_path / "other.csv",
                            session=StubSession({url: b"<html>captcha</html>"}), retries=1)
    assert not (tmp_path / "other.csv").exists()


def test_income_keeps_the_manifest_years(tmp_path):
    url = "https://statbel.fgov.be/x/TF_PSNL_INC_TAX_MUNTY.zip"
    cols = statbel_formats.INCOME_COLUMNS + ["MS_NBR_NON_ZERO_INC", "MS_TOT_NET_TAXABLE_INC", "MS_TOT_RESIDENTS"]
    lines = ["|".join(cols)] + [f"{y}|11001|Aartselaar|Aartselaar|Aartselaar|11000|10000|02000|8000|2.5e8|14000"
                                for y in (2019, 2020, 2021)]
    dest = tmp_path / "inc.csv"
    fetch.fetch_statbel(source({"kind": "statbel", "convert": "fiscal_income", "years": "2005-2020",
                                "url": url}), dest,
                        session=StubSession({url: zipped("TF_PSNL_INC_TAX_MUNTY.txt", "\n".join(lines))}))
    rows = list(csv.DictReader(dest.open(encoding="utf-8")))
    assert [r["CD_YEAR"] for r in rows] == ["2019", "2020"]


def test_fetch_sources_routes_statbel_origins_and_reports_failures(tmp_path):
    url = "https://statbel.fgov.be/x/missing.zip"
    report = fetch.fetch_sources([source({"kind": "statbel", "convert": "refnis", "url": url})],
                                 tmp_path, session=StubSession({}), retries=1, progress=False)
    assert not report.ok and "HTTP 404" in report.failed[0].reason
