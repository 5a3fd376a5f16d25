"""`healthgap data fetch` when the disk fills up halfway (ENOSPC), against a local mirror on
127.0.0.1: the existing file is never touched, what arrived stays in `<file>.part`, the failure is
reported for that source only, and a later run resumes the download and completes it."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_fetch import MirrorServer

from healthgap import fetch
from healthgap.fetch import Source

BIG = "nl/big.csv"
SMALL = "nl/small.csv"


def source(sid: str, path: str, data: bytes) -> Source:
    return Source(id=sid, country="NL", publisher="test", title=sid, licence="CC-BY-4.0",
                  attribution="test", path=path, parser="none", period="2024",
                  sha256=hashlib.sha256(data).hexdigest(), bytes=len(data),
                  origin={"kind": "https", "url": "http://127.0.0.1:9/unused"})


@pytest.fixture
def files(tmp_path):
    root = tmp_path / "mirror"
    (root / "nl").mkdir(parents=True)
    big = b"".join(b"GM%04d;%d\n" % (i, i * 7) for i in range(60_000))  # ~700 KB, many chunks
    small = b"code;value\nGM0363;1\n"
    (root / BIG).write_bytes(big)
    (root / SMALL).write_bytes(small)
    return root, {BIG: big, SMALL: small}


@pytest.fixture
def mirror(files):
    srv = MirrorServer(files[0])
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join(timeout=5)


class FullDisk:
    """Replaces `open` in healthgap.fetch: files opened for writing accept `room` bytes in total,
    then every write fails with ENOSPC (what a full disk gives)."""

    def __init__(self, room: int):
        self.room = room

    def __call__(self, file, mode="r", *args, **kwargs):
        f = open(file, mode, *args, **kwargs)  # noqa: SIM115
        if not any(c in mode for c in "wa"):
            return f
        disk = self

        real_write = f.write

        def write(data):
            if len(data) > disk.room:
                real_write(data[: disk.room])
                disk.room = 0
                f.flush()
                raise OSError(errno.ENOSPC, "No space left on device", str(file))
            disk.room -= len(data)
            return real_write(data)

        f.write = write
        return f


def run(sources, dest, mirror_url):
    return fetch.fetch_sources(sources, dest, mirror=mirror_url, progress=False, retries=0,
                               backoff=0)


def test_disk_full_midway_keeps_the_existing_file_and_a_part_that_the_next_run_resumes(
        files, mirror, tmp_path, monkeypatch):
    _, data = files
    src = source("big", BIG, data[BIG])
    dest_dir = tmp_path / "sources"
    dest = dest_dir / BIG
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"previous good version")

    monkeypatch.setattr(fetch, "open", FullDisk(room=200_000), raising=False)
    with pytest.raises((OSError, fetch.FetchError)):
        fetch.download_file(src.id, f"{mirror.url}/{BIG}", dest, sha256=src.sha256, size=src.bytes,
                            retries=0, backoff=0, progress=False)

    assert dest.read_bytes() == b"previous good version"
    part = fetch.part_path(dest)
    kept = part.read_bytes()
    assert 0 < len(kept) <= 200_000 and data[BIG].startswith(kept)

    # space freed: the next run asks only for the rest and ends with the verified file
    monkeypatch.undo()
    mirror.requests.clear()
    report = run([src], dest_dir, mirror.url)
    assert report.fetched == ["big"], report.failed
    assert dest.read_bytes() == data[BIG]
    assert not part.exists()
    assert mirror.requests == [(BIG, f"bytes={len(kept)}-")]


def test_disk_full_with_nothing_written_leaves_no_empty_part_behind(files, mirror, tmp_path,
                                                                     monkeypatch):
    _, data = files
    src = source("big", BIG, data[BIG])
    monkeypatch.setattr(fetch, "open", FullDisk(room=0), raising=False)
    failed = run([src], tmp_path, mirror.url).failed  # reported per source, never a traceback
    monkeypatch.undo()
    assert [e.source_id for e in failed] == ["big"] and "No space left" in failed[0].reason
    assert not (tmp_path / BIG).exists()
    part = fetch.part_path(tmp_path / BIG)
    assert not part.exists() or part.stat().st_size == 0
    report = run([src], tmp_path, mirror.url)
    assert report.fetched == ["big"]
    assert (tmp_path / BIG).read_bytes() == data[BIG]


def test_disk_full_is_reported_for_that_source_and_the_others_are_still_fetched(
        files, mirror, tmp_path, monkeypatch, capsys):
    _, data = files
    big, small = source("big", BIG, data[BIG]), source("small", SMALL, data[SMALL])
    monkeypatch.setattr(fetch, "open", FullDisk(room=100_000), raising=False)
    report = run([big, small], tmp_path, mirror.url)
    monkeypatch.undo()
    # the disk stays full: every source fails on its own, none aborts the run
    assert [e.source_id for e in report.failed] == ["big", "small"]
    assert all("No space left" in e.reason for e in report.failed)
    assert "resume" in report.failed[0].reason  # the .part is kept for the next run
    assert not (tmp_path / BIG).exists() and not (tmp_path / SMALL).exists()

    monkeypatch.setattr(fetch, "load_manifest", lambda *_: {"big": big, "small": small})
    monkeypatch.setattr(fetch, "open", FullDisk(room=100_000), raising=False)
    code = fetch.run_fetch(SimpleNamespace(sources=str(tmp_path), only=None, mirror=mirror.url))
    assert code == 1
    assert "FAILED big" in capsys.readouterr().err


def test_a_part_file_longer_than_the_source_is_discarded_and_never_installed(
        files, mirror, tmp_path):
    _, data = files
    src = source("small", SMALL, data[SMALL])
    dest = tmp_path / SMALL
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"previous")
    fetch.part_path(dest).write_bytes(data[SMALL] + b"garbage after a crash")
    report = run([src], tmp_path, mirror.url)
    # the server answers 416 to the range; the checksum then rejects the .part
    assert [e.source_id for e in report.failed] == ["small"]
    assert "checksum mismatch" in report.failed[0].reason
    assert dest.read_bytes() == b"previous"
    assert not fetch.part_path(dest).exists()
    report = run([src], tmp_path, mirror.url)
    assert report.fetched == ["small"] and dest.read_bytes() == data[SMALL]


def test_the_statline_write_is_atomic_when_the_disk_is_full(tmp_path, monkeypatch):
    """fetch_statline writes <file>.part then os.replace: a failing write leaves dest as it was."""
    dest = tmp_path / "nl" / "x.csv"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"previous")

    def no_space(self, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", no_space)
    src = Source(id="sl", country="NL", publisher="CBS", title="t", licence="CC-BY-4.0",
                 attribution="CBS", path="nl/x.csv", parser="rivm_50140", period="2024",
                 sha256="0" * 64, bytes=1,
                 origin={"kind": "statline", "catalog": "dataderden.cbs.nl", "table": "50140NED"})
    monkeypatch.setattr(fetch, "_with_retries", lambda action, **kw: {})
    monkeypatch.setattr("healthgap.statline_formats.CONVERTERS",
                        {"rivm_50140": (lambda meta, origin: (["a"], [["1"]]),
                                        {"typed": True})})
    monkeypatch.setattr("healthgap.statline_formats.to_csv_bytes", lambda table, **kw: b"a\n1\n")
    with pytest.raises((OSError, fetch.FetchError)):
        fetch.fetch_statline(src, dest, downloader=lambda *a, **k: {})
    monkeypatch.undo()
    assert dest.read_bytes() == b"previous"
