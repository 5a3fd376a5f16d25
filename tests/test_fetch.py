"""`healthgap data fetch` against a local mirror on 127.0.0.1 (no internet), and the StatLine
conversions on small in-memory cbsodata-shaped downloads."""

from __future__ import annotations

import csv
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from healthgap import fetch, settings, statline_formats
from healthgap.fetch import ChecksumError, FetchError, Source

SHARED = settings.SHARED_SOURCES
SMALL_ID = "nl_provincie_2025"  # 15 KB, served by the mirror in most tests


class MirrorServer:
    """A static file server over a folder with Range support and switchable faults."""

    def __init__(self, root: Path):
        self.root = root
        self.corrupt: set[str] = set()  # paths served with one byte flipped
        self.drop: set[str] = set()  # paths cut off halfway through the body
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                rel = self.path.lstrip("/")
                server.requests.append((rel, self.headers.get("Range")))
                file = (server.root / rel).resolve()
                if not file.is_file() or server.root.resolve() not in file.parents:
                    self.send_error(404, "Not Found")
                    return
                body = file.read_bytes()
                if rel in server.corrupt:
                    body = bytes([body[0] ^ 0xFF]) + body[1:]
                start = 0
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes=") and rng.endswith("-"):
                    start = int(rng[6:-1])
                    if start >= len(body):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                chunk = body[start:]
                self.send_header("Content-Length", str(len(chunk)))
                self.end_headers()
                if rel in server.drop:
                    # Announce the whole length, send half, then hang up: a dropped connection.
                    self.wfile.write(chunk[: len(chunk) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(chunk)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def paths_requested(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def mirror(request, tmp_path_factory):
    root = getattr(request, "param", None) or SHARED
    srv = MirrorServer(Path(root))
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join(timeout=5)


@pytest.fixture(scope="module")
def manifest():
    return fetch.load_manifest()


def _fetch(sources, dest, mirror_url, **kw):
    kw.setdefault("retries", 1)
    kw.setdefault("backoff", 0)
    return fetch.fetch_sources(sources, dest, mirror=mirror_url, progress=False, **kw)


# ---------------------------------------------------------------------------------------------
# Mirror downloads


@pytest.mark.shared_data
def test_mirror_fetch_reproduces_every_reference_file_byte_for_byte(mirror, manifest, tmp_path):
    report = _fetch(manifest.values(), tmp_path, mirror.url)
    assert report.failed == []
    assert sorted(report.fetched) == sorted(manifest)
    for source in manifest.values():
        assert (tmp_path / source.path).read_bytes() == (SHARED / source.path).read_bytes(), source.id
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.shared_data
def test_files_that_already_match_the_manifest_are_not_downloaded_again(mirror, manifest, tmp_path):
    sources = [manifest[SMALL_ID], manifest["nl_gemeente_changes"]]
    _fetch(sources, tmp_path, mirror.url)
    mirror.requests.clear()
    report = _fetch(sources, tmp_path, mirror.url)
    assert report.up_to_date == [SMALL_ID, "nl_gemeente_changes"]
    assert report.fetched == [] and mirror.requests == []


@pytest.mark.shared_data
def test_corrupt_mirror_file_is_rejected_and_never_replaces_the_existing_file(mirror, manifest, tmp_path):
    source = manifest[SMALL_ID]
    dest = tmp_path / source.path
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"previous version kept by the user")
    mirror.corrupt.add(source.path)

    report = _fetch([source], tmp_path, mirror.url)

    assert report.fetched == []
    [err] = report.failed
    assert isinstance(err, ChecksumError)
    assert "checksum mismatch" in str(err) and source.sha256 in str(err)
    assert err.url == f"{mirror.url}/{source.path}"
    assert dest.read_bytes() == b"previous version kept by the user"
    assert not fetch.part_path(dest).exists()


@pytest.mark.shared_data
def test_dropped_connection_leaves_only_a_part_file_and_the_rerun_resumes_it(mirror, manifest, tmp_path):
    source = manifest["nl_gemeente_2020"]  # 1 MB: large enough for some chunks to arrive
    dest = tmp_path / source.path
    mirror.drop.add(source.path)

    report = _fetch([source], tmp_path, mirror.url, retries=1)

    [err] = report.failed
    assert "cut off" in err.reason and "gave up after 2 attempts" in err.reason
    assert not dest.exists()
    part = fetch.part_path(dest)
    assert 0 < part.stat().st_size < source.bytes

    size_before = part.stat().st_size
    mirror.drop.clear()
    mirror.requests.clear()
    report = _fetch([source], tmp_path, mirror.url)

    assert report.fetched == [source.id]
    assert dest.read_bytes() == (SHARED / source.path).read_bytes()
    assert not part.exists()
    # resumed where the partial file ended, not downloaded from zero
    assert mirror.requests == [(source.path, f"bytes={size_before}-")]


@pytest.mark.shared_data
def test_missing_file_on_the_mirror_names_the_source_url_and_status(mirror, tmp_path, manifest):
    missing = Source(**{**manifest[SMALL_ID].__dict__, "id": "nl_absent", "path": "nl/absent.json"})
    report = _fetch([missing], tmp_path, mirror.url)
    [err] = report.failed
    assert err.source_id == "nl_absent"
    assert "HTTP 404" in err.reason and err.url.endswith("/nl/absent.json")
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_derived_source_without_a_mirror_fails_with_a_clear_message(manifest, tmp_path):
    report = fetch.fetch_sources([manifest["nl_gemeente_changes"]], tmp_path, progress=False)
    [err] = report.failed
    assert "derived file" in err.reason and "--mirror" in err.reason
    assert not (tmp_path / manifest["nl_gemeente_changes"].path).exists()


# ---------------------------------------------------------------------------------------------
# The command


def _args(tmp_path, mirror_url=None, only=None):
    return SimpleNamespace(sources=str(tmp_path), only=only, mirror=mirror_url)


@pytest.mark.shared_data
def test_only_fetches_the_named_sources(mirror, manifest, tmp_path, capsys):
    code = fetch.run_fetch(_args(tmp_path, mirror.url, only=[SMALL_ID, "nl_gemeente_changes"]))
    assert code == 0
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted([manifest[SMALL_ID].path, manifest["nl_gemeente_changes"].path])
    assert "2 fetched" in capsys.readouterr().out


@pytest.mark.shared_data
def test_mirror_can_come_from_the_environment(mirror, manifest, tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHGAP_MIRROR", mirror.url)
    args = SimpleNamespace(sources=str(tmp_path), only=[SMALL_ID])  # no args.mirror at all
    assert fetch.run_fetch(args) == 0
    assert (tmp_path / manifest[SMALL_ID].path).read_bytes() == (SHARED / manifest[SMALL_ID].path).read_bytes()


@pytest.mark.shared_data
def test_one_failed_source_gives_a_nonzero_exit_and_keeps_the_others(mirror, manifest, tmp_path, capsys):
    bad = manifest["nl_gemeente_changes"]
    mirror.corrupt.add(bad.path)
    code = fetch.run_fetch(_args(tmp_path, mirror.url, only=[SMALL_ID, bad.id]))
    assert code == 1
    assert (tmp_path / manifest[SMALL_ID].path).exists()
    assert not (tmp_path / bad.path).exists()
    err = capsys.readouterr().err
    assert f"FAILED {bad.id}" in err and "checksum mismatch" in err and bad.path in err


def test_unknown_source_id_is_a_clear_error(tmp_path, capsys):
    code = fetch.run_fetch(_args(tmp_path, "http://127.0.0.1:9", only=["nl_no_such_source"]))
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown source id(s): nl_no_such_source" in err and "nl_rivm_50090_gemeente" in err
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="unknown source id"):
        fetch.select_sources(fetch.load_manifest(), ["nope"])


def test_fetch_never_writes_into_the_shared_reference_folder_by_default(monkeypatch):
    monkeypatch.delenv("HEALTHGAP_SOURCES", raising=False)
    assert fetch.fetch_destination(None) == settings.DEFAULT_SOURCES
    monkeypatch.setenv("HEALTHGAP_SOURCES", "/tmp/x")
    assert fetch.fetch_destination(None) == Path("/tmp/x")


def test_manifest_with_a_missing_key_is_rejected(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[sources.x]\ncountry = "NL"\n[sources.x.origin]\nkind = "https"\n')
    with pytest.raises(ValueError, match="source 'x' lacks key"):
        fetch.load_manifest(bad)


# ---------------------------------------------------------------------------------------------
# StatLine conversions (cbsodata.download_data output, built in memory)


def _untyped_50090_meta():
    def row(i, code, kind, periode, age, marge="MW00000", value="  69.9", name="Appingedam"):
        return {"ID": i, "WijkenEnBuurten": f"{code:<10}", "Gemeentenaam_1": f"{name:<30}",
                "SoortRegio_2": f"{kind:<10}", "Codering_3": f"{code:<10}",
                "Perioden": periode, "Leeftijd": age, "Marges": marge,
                "ErvarenGezondheidGoedZeerGoed_4": value, "WekelijkseSporters_6": "       ."}

    data = [
        row(0, "GM0003", "Gemeente", "2016JJ00", "20300", value="  70.0"),
        row(1, "WK000300", "Wijk", "2012JJ00", "20300"),  # wrong region type
        row(2, "GM0003", "Gemeente", "2012JJ00", "20300", marge="MOG0095"),  # a CI bound
        row(3, "NL01", "Land", "2012JJ00", "20300", value="  76.1", name="Nederland"),
        row(4, "GM0003", "Gemeente", "2012JJ00", "20300"),
        row(5, "GM0003", "Gemeente", "2012JJ00", "99999"),  # age not asked for
    ]
    return {
        "UntypedDataSet": data,
        "Leeftijd": [{"Key": "20300", "Title": "18 jaar of ouder"}, {"Key": "99999", "Title": "x"}],
        "WijkenEnBuurten": [{"Key": "NL01      "}, {"Key": "GM0003    "}, {"Key": "WK000300  "}],
        "DataProperties": [],
    }


def test_rivm_50090_conversion_keeps_the_reference_columns_rows_and_empty_cells():
    origin = {"region_types": ["Gemeente", "Land"], "ages": ["20300"]}
    meta = _untyped_50090_meta()
    header, rows = statline_formats.rivm_50090(meta, origin)
    assert header == statline_formats.RIVM_50090_KEYS + ["ErvarenGezondheidGoedZeerGoed_4",
                                                          "WekelijkseSporters_6"]
    assert rows == [
        ["2012", "2012JJ00", "20300", "18 jaar of ouder", "MW00000", "Land", "NL01", "NL01",
         "Nederland", "76.1", ""],
        ["2012", "2012JJ00", "20300", "18 jaar of ouder", "MW00000", "Gemeente", "GM0003", "GM0003",
         "Appingedam", "69.9", ""],
        ["2016", "2016JJ00", "20300", "18 jaar of ouder", "MW00000", "Gemeente", "GM0003", "GM0003",
         "Appingedam", "70.0", ""],
    ]


@pytest.mark.shared_data
def test_rivm_50090_conversion_reproduces_the_reference_lines(manifest):
    source = manifest["nl_rivm_50090_gemeente"]
    ref = (SHARED / source.path).read_text(encoding="utf-8").splitlines(keepends=True)
    parsed = list(csv.DictReader(io.StringIO("".join(ref[:4]))))
    indicators = [c for c in parsed[0] if c not in statline_formats.RIVM_50090_KEYS]
    data = []
    for i, r in enumerate(reversed(parsed)):  # OData order differs; the converter sorts
        untyped = {"ID": i, **{k: r[k] for k in ("Perioden", "Leeftijd", "Marges")}}
        untyped.update({k: f"{r[k]:<10}" for k in ("SoortRegio_2", "Codering_3", "WijkenEnBuurten")})
        untyped["Gemeentenaam_1"] = r["Gemeentenaam_1"] + "   "
        untyped.update({c: (f"{r[c]:>8}" if r[c] else "       .") for c in indicators})
        data.append(untyped)
    meta = {"UntypedDataSet": data,
            "Leeftijd": [{"Key": "20300", "Title": "18 jaar of ouder"}],
            "WijkenEnBuurten": [{"Key": f"{r['WijkenEnBuurten']:<10}"} for r in parsed]}
    table = statline_formats.rivm_50090(meta, source.origin)
    _, dialect = statline_formats.CONVERTERS[source.parser]
    out = statline_formats.to_csv_bytes(table, **dialect).decode("utf-8")
    assert out == "".join(ref[:4])


@pytest.mark.shared_data
def test_rivm_50140_conversion_reproduces_the_typed_export_bytes(manifest):
    source = manifest["nl_rivm_50140_jongvolwassenen"]
    raw = (SHARED / source.path).read_bytes()
    lines = raw.decode("utf-8-sig").split("\r\n")[:4]
    header = lines[0].split(";")
    data = []
    for line in lines[1:]:
        cells = line.split(";")
        row = {}
        for col, cell in zip(header, cells, strict=True):
            if col == "ID":
                row[col] = int(cell)
            elif col in ("Persoonskenmerken", "Marges", "RegioS"):
                row[col] = cell
            else:
                row[col] = float(cell) if cell else None
        data.append(row)
    table = statline_formats.rivm_50140({"TypedDataSet": data}, source.origin)
    _, dialect = statline_formats.CONVERTERS[source.parser]
    expected = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    assert statline_formats.to_csv_bytes(table, **dialect) == expected


def _income_meta():
    def row(region, pop="P1", kenm="K1", period="2024JJ00", n=274.0, mean=39.5):
        return {"ID": 0, "Populatie": pop, "KenmerkenVanHuishoudens": kenm, "RegioS": region,
                "Perioden": period, "ParticuliereHuishoudens_1": n, "ParticuliereHuishoudensRelatief_2": 100.0,
                "GemiddeldGestandaardiseerdInkomen_3": mean, "MediaanGestandaardiseerdInkomen_4": 33.7,
                "GemiddeldBesteedbaarInkomen_5": 55.1, "MediaanBesteedbaarInkomen_6": None}

    topics = ["ParticuliereHuishoudens_1", "ParticuliereHuishoudensRelatief_2",
              "GemiddeldGestandaardiseerdInkomen_3", "MediaanGestandaardiseerdInkomen_4",
              "GemiddeldBesteedbaarInkomen_5", "MediaanBesteedbaarInkomen_6"]
    return {
        "TypedDataSet": [
            row("GM0518    "), row("NL01      ", n=8258.9, mean=41.9), row("PV20      "),
            row("GM0518    ", pop="P2"), row("GM0518    ", kenm="K2"), row("GM0518    ", period="2023JJ00"),
        ],
        "DataProperties": [{"ID": i, "Key": k, "Type": "Topic", "Title": k} for i, k in enumerate(topics)],
        "Populatie": [{"Key": "P1", "Title": "Particuliere huishoudens incl. studenten"},
                      {"Key": "P2", "Title": "Particuliere huishoudens excl. studenten"}],
        "KenmerkenVanHuishoudens": [{"Key": "K1", "Title": "Particuliere huishoudens"},
                                    {"Key": "K2", "Title": "Type: Eenpersoonshuishouden"}],
        "RegioS": [{"Key": "NL01      ", "Title": "Nederland"}, {"Key": "PV20      ", "Title": "Groningen (PV)"},
                   {"Key": "GM0518    ", "Title": "'s-Gravenhage (gemeente)"}],
        "Perioden": [{"Key": "2023JJ00", "Title": "2023"}, {"Key": "2024JJ00", "Title": "2024*"}],
    }


def test_income_conversion_selects_gemeenten_and_names_the_tidy_columns(manifest):
    origin = manifest["nl_cbs_inkomen_2024"].origin
    header, rows = statline_formats.cbs_inkomen_tidy(_income_meta(), origin)
    reference_header = ("gm_code,regio_naam,perioden,populatie,kenmerken_huishoudens,"
                        "particuliere_huishoudens_x1000,gem_gestandaardiseerd_inkomen_x1000eur,"
                        "med_gestandaardiseerd_inkomen_x1000eur,gem_besteedbaar_inkomen_x1000eur,"
                        "med_besteedbaar_inkomen_x1000eur")
    assert ",".join(header) == reference_header
    assert rows == [
        ["NL01", "Nederland", "2024*", "Particuliere huishoudens incl. studenten",
         "Particuliere huishoudens", "8258.9", "41.9", "33.7", "55.1", ""],
        ["GM0518", "'s-Gravenhage (gemeente)", "2024*", "Particuliere huishoudens incl. studenten",
         "Particuliere huishoudens", "274", "39.5", "33.7", "55.1", ""],
    ]


def test_income_conversion_names_a_missing_measure():
    meta = _income_meta()
    meta["DataProperties"] = meta["DataProperties"][:2]
    with pytest.raises(ValueError, match="GemiddeldGestandaardiseerdInkomen"):
        statline_formats.cbs_inkomen_tidy(meta, {"period": "2024JJ00", "table": "86161NED"})


def test_kerncijfers_conversion_uses_export_titles_and_drops_empty_rows_and_columns():
    props = [
        {"ID": 0, "ParentID": None, "Key": "", "Type": "TopicGroup", "Title": "Bevolking"},
        {"ID": 1, "ParentID": 0, "Key": "TotaleBevolking_1", "Type": "Topic",
         "Title": "Totale bevolking", "Unit": "aantal"},
        {"ID": 2, "ParentID": 0, "Key": "Leeg_2", "Type": "Topic", "Title": "Leeg", "Unit": "%"},
        {"ID": 3, "ParentID": 0, "Key": "Grootte_3", "Type": "Topic",
         "Title": "Gemiddelde huishoudensgrootte", "Unit": "personen per 1 huishouden"},
    ]
    data = [
        {"RegioS": "NL01  ", "Perioden": "2025JJ00", "TotaleBevolking_1": 18044027, "Leeg_2": None, "Grootte_3": 2.1},
        {"RegioS": "GM0003", "Perioden": "2025JJ00", "TotaleBevolking_1": None, "Leeg_2": None, "Grootte_3": None},
        {"RegioS": "GM1680", "Perioden": "2025JJ00", "TotaleBevolking_1": 25935, "Leeg_2": None, "Grootte_3": 2.21},
        {"RegioS": "GM1680", "Perioden": "2024JJ00", "TotaleBevolking_1": 25800, "Leeg_2": 1.0, "Grootte_3": 2.2},
    ]
    meta = {"TypedDataSet": data, "DataProperties": props,
            "RegioS": [{"Key": "NL01  ", "Title": "Nederland"}, {"Key": "GM0003", "Title": "Appingedam"},
                       {"Key": "GM1680", "Title": "Aa en Hunze"}],
            "Perioden": [{"Key": "2025JJ00", "Title": "2025"}, {"Key": "2024JJ00", "Title": "2024"}]}
    header, rows = statline_formats.cbs_kerncijfers_tidy(meta, {"period": "2025JJ00"})
    assert header == ["gm_code", "regio_naam", "perioden", "Bevolking/Totale bevolking (aantal)",
                      "Bevolking/Gemiddelde huishoudensgrootte (personen per 1 huishouden)"]
    assert rows == [["NL01", "Nederland", "2025", "18044027", "2.1"],
                    ["GM1680", "Aa en Hunze", "2025", "25935", "2.21"]]


def test_statline_fetch_writes_the_converted_file_atomically(manifest, tmp_path):
    source = manifest["nl_cbs_inkomen_2024"]
    calls = []

    def fake_download(table, **options):
        calls.append((table, options["typed"], options["catalog_url"], options.get("filters")))
        return _income_meta()

    report = fetch.fetch_sources([source], tmp_path, progress=False, statline_downloader=fake_download)
    assert report.fetched == [source.id]
    assert calls == [("86161NED", True, "opendata.cbs.nl", None)]
    text = (tmp_path / source.path).read_bytes().decode("utf-8")
    assert text.startswith("gm_code,regio_naam,") and text.endswith("\r\n")
    assert not fetch.part_path(tmp_path / source.path).exists()


def test_statline_conversion_failure_names_the_source_and_leaves_no_file(manifest, tmp_path):
    source = manifest["nl_cbs_kerncijfers_2025"]
    report = fetch.fetch_sources([source], tmp_path, progress=False,
                                 statline_downloader=lambda *a, **k: {"DataProperties": []})
    [err] = report.failed
    assert err.source_id == source.id and "70072NED" in err.url
    assert "no TypedDataSet" in err.reason
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_statline_server_errors_are_retried_then_reported(manifest, tmp_path):
    import requests

    source = manifest["nl_rivm_50140_jongvolwassenen"]
    attempts = []

    def flaky(*a, **k):
        attempts.append(1)
        raise requests.ConnectionError("connection reset by peer")

    report = fetch.fetch_sources([source], tmp_path, progress=False, retries=2, backoff=0,
                                 statline_downloader=flaky)
    assert len(attempts) == 3
    [err] = report.failed
    assert isinstance(err, FetchError) and "gave up after 3 attempts" in err.reason
    assert err.url == "https://dataderden.cbs.nl/ODataFeed/odata/50140NED"


@pytest.mark.shared_data
def test_healthgap_data_fetch_command_uses_the_mirror_from_the_environment(mirror, manifest, tmp_path,
                                                                          monkeypatch):
    from healthgap import cli

    monkeypatch.setenv("HEALTHGAP_MIRROR", mirror.url)
    code = cli.main(["data", "fetch", "--sources", str(tmp_path), "--only", SMALL_ID])
    assert code == 0
    assert fetch.sha256_file(tmp_path / manifest[SMALL_ID].path) == manifest[SMALL_ID].sha256


def test_statline_fetch_sends_the_manifest_filter_and_retries_server_errors(manifest, tmp_path):
    import requests

    source = manifest["nl_rivm_50090_wijk"]
    calls = []

    def fake_download(table, **options):
        calls.append(options)
        if len(calls) == 1:  # cbsodata wraps the HTTPError and drops the response
            cause = requests.HTTPError("503 Server Error")
            cause.response = SimpleNamespace(status_code=503)
            raise requests.HTTPError("Downloading table '50090NED' failed.") from cause
        meta = _untyped_50090_meta()
        for r in meta["UntypedDataSet"]:
            r["SoortRegio_2"] = "Wijk      "
        return meta

    report = fetch.fetch_sources([source], tmp_path, progress=False, backoff=0,
                                 statline_downloader=fake_download)
    assert report.fetched == [source.id]
    assert len(calls) == 2
    assert calls[0]["catalog_url"] == "dataderden.cbs.nl" and calls[0]["typed"] is False
    assert "startswith(WijkenEnBuurten,'WK')" in calls[0]["filters"]
    lines = (tmp_path / source.path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Jaar,Perioden,Leeftijd,LeeftijdLabel,Marges,SoortRegio_2,Codering_3")
    assert len(lines) == 1 + 4  # the four 18+ point estimates (age 99999 and the CI bound dropped)
