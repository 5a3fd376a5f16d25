"""`healthgap data fetch`: download every source in data/sources.toml into a sources folder.

Each source lands at `<sources>/<path>`, the layout of ../shared/data. Where it comes from:
- with a mirror (`--mirror URL` or HEALTHGAP_MIRROR): `URL/<path>` for every source, checked
  against the manifest's sha256, so a mirror of ../shared/data reproduces it byte for byte;
- otherwise from the publisher: `https` sources from their URL (pinned copies, sha256 checked),
  `statline` sources through cbsodata, converted to the reference layout (not byte-identical, so
  not checked against the reference checksum), `statbel` sources from Statbel's open-data files
  (zip/xlsx, one or one per year) converted to the reference layout (healthgap/statbel_formats.py;
  not byte-identical either), and `derived` sources not at all (they exist only in a mirror or
  must be re-derived).

Writes are atomic: a download goes to `<file>.part` and only a verified file replaces the real
one (`os.replace`), so an interrupted or corrupt download never leaves a half or wrong file and
never touches a good one. A file whose sha256 already matches the manifest is skipped, and a
left-over `.part` is resumed with an HTTP Range request when the server supports it.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from tqdm import tqdm

from healthgap import settings
from healthgap.registry import Source  # one record of data/sources.toml for build and fetch

MANIFEST = settings.DATA_DIR / "sources.toml"
REQUIRED_KEYS = ("country", "publisher", "title", "licence", "attribution", "path", "parser",
                 "period", "origin", "sha256", "bytes", "notes", "verified")
ORIGIN_KINDS = ("statline", "https", "statbel", "derived")
TIMEOUT = (15, 120)  # connect, read (seconds)
CHUNK = 1 << 16


class FetchError(Exception):
    """One source could not be fetched; the message names the source, the URL and the cause."""

    def __init__(self, source_id: str, url: str, reason: str):
        super().__init__(f"{source_id}: {reason} (from {url})")
        self.source_id, self.url, self.reason = source_id, url, reason


class ChecksumError(FetchError):
    """The downloaded bytes are not the file the manifest describes."""


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[FetchError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


# ---------------------------------------------------------------------------------------------
# Manifest


def load_manifest(path: str | os.PathLike = MANIFEST) -> dict[str, Source]:
    """Read data/sources.toml into Source records, validating the keys every entry needs."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read the source manifest {path}: {exc}") from exc
    entries = raw.get("sources")
    if not isinstance(entries, dict) or not entries:
        raise ValueError(f"{path}: no [sources.<id>] tables found")
    out: dict[str, Source] = {}
    for sid, entry in entries.items():
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            raise ValueError(f"{path}: source {sid!r} lacks key(s) {', '.join(missing)}")
        kind = entry["origin"].get("kind")
        if kind not in ORIGIN_KINDS:
            raise ValueError(f"{path}: source {sid!r} has origin.kind {kind!r}; "
                             f"expected one of {', '.join(ORIGIN_KINDS)}")
        out[sid] = Source(id=sid, **{k: v for k, v in entry.items() if k in Source.__dataclass_fields__})
    return out


def select_sources(manifest: Mapping[str, Source], only: Iterable[str] | None) -> list[Source]:
    """The sources named by --only (all when None/empty); unknown ids are a ValueError."""
    if not only:
        return list(manifest.values())
    unknown = [sid for sid in only if sid not in manifest]
    if unknown:
        raise ValueError(f"unknown source id(s): {', '.join(unknown)}. "
                         f"Known ids: {', '.join(manifest)}")
    return [manifest[sid] for sid in dict.fromkeys(only)]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


# ---------------------------------------------------------------------------------------------
# HTTPS download with retries, resume, checksum and atomic replace


def _with_retries(action: Callable[[], Any], *, retries: int, backoff: float,
                  describe: Callable[[Exception], str]) -> Any:
    """Run action; retry transient network failures with exponential backoff."""
    for attempt in range(retries + 1):
        try:
            return action()
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError, _RetryableHTTP) as exc:
            if attempt == retries:
                raise _GaveUp(describe(exc), attempt + 1) from exc
            time.sleep(backoff * (2 ** attempt))
    raise AssertionError("unreachable")


class _RetryableHTTP(Exception):
    """A 5xx or 429 answer: the server may recover."""


class _GaveUp(Exception):
    def __init__(self, message: str, attempts: int):
        super().__init__(f"{message} (gave up after {attempts} attempts)")


def download_file(source_id: str, url: str, dest: Path, *, sha256: str | None,
                  size: int | None = None, session: requests.Session | None = None,
                  retries: int = 3, backoff: float = 1.0, progress: bool = True) -> None:
    """Download url to dest atomically: `<dest>.part`, verify sha256, then os.replace.

    A `.part` left by an interrupted run is resumed with a Range request; a server that ignores
    Range sends the whole file and the `.part` is rewritten. On a checksum mismatch the `.part`
    is deleted and ChecksumError is raised; dest is untouched in every failure.
    """
    session = session or requests.Session()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(dest)

    def attempt() -> None:
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        with session.get(url, stream=True, timeout=TIMEOUT, headers=headers) as resp:
            if resp.status_code == 416:  # the .part is already complete (or longer than the file)
                return
            if resp.status_code >= 500 or resp.status_code == 429:
                raise _RetryableHTTP(f"HTTP {resp.status_code} {resp.reason}")
            if resp.status_code >= 400:
                raise FetchError(source_id, url, f"HTTP {resp.status_code} {resp.reason}")
            resumed = resp.status_code == 206 and offset > 0
            total = size or (int(resp.headers.get("Content-Length", 0)) + (offset if resumed else 0))
            with open(part, "ab" if resumed else "wb") as f, tqdm(
                total=total or None, initial=offset if resumed else 0, unit="B", unit_scale=True,
                desc=source_id, leave=False, disable=None if progress else True,
            ) as bar:
                for chunk in resp.iter_content(CHUNK):
                    f.write(chunk)
                    bar.update(len(chunk))

    try:
        _with_retries(attempt, retries=retries, backoff=backoff,
                      describe=lambda exc: f"download failed or was cut off: {exc}")
    except _GaveUp as exc:
        if part.exists() and part.stat().st_size == 0:
            part.unlink()
        kept = (f"; the partial file {part.name} is kept and the next run resumes it"
                if part.exists() else "")
        raise FetchError(source_id, url, f"{exc}{kept}") from exc
    except requests.RequestException as exc:
        raise FetchError(source_id, url, f"request failed: {exc}") from exc
    except OSError as exc:  # disk full, no permission: this source fails, the others go on
        if part.exists() and part.stat().st_size == 0:
            part.unlink()
        kept = (f"; the partial file {part.name} is kept and the next run resumes it"
                if part.exists() else "")
        raise FetchError(source_id, url,
                         f"cannot write {part.name}: {exc.strerror or exc}{kept}") from exc

    if sha256:
        got = sha256_file(part)
        if got != sha256:
            got_size = part.stat().st_size
            part.unlink(missing_ok=True)
            raise ChecksumError(
                source_id, url,
                f"checksum mismatch: expected sha256 {sha256}"
                + (f" ({size} bytes)" if size else "")
                + f", got {got} ({got_size} bytes). The download is corrupt or a different "
                "version; it was discarded and the existing file was left untouched",
            )
    os.replace(part, dest)


# ---------------------------------------------------------------------------------------------
# StatLine (CBS / RIVM OData) through cbsodata


def statline_url(origin: Mapping[str, Any]) -> str:
    # The bulk feed cbsodata reads from (its BULK constant), so errors name the real address.
    return f"https://{origin['catalog']}/ODataFeed/odata/{origin['table']}"


def fetch_statline(source: Source, dest: Path, *, retries: int = 3, backoff: float = 1.0,
                   downloader: Callable[..., Mapping[str, Any]] | None = None) -> None:
    """Download a StatLine table with cbsodata, convert it to the reference layout, write atomically."""
    from healthgap.statline_formats import CONVERTERS, to_csv_bytes

    origin = source.origin
    url = statline_url(origin)
    if source.parser not in CONVERTERS:
        raise FetchError(source.id, url, f"no StatLine converter for parser {source.parser!r}")
    convert, dialect = CONVERTERS[source.parser]
    if downloader is None:
        import cbsodata

        downloader = cbsodata.download_data

    options: dict[str, Any] = {"typed": dialect["typed"], "catalog_url": origin["catalog"],
                               "timeout": TIMEOUT}
    if origin.get("odata_filter"):
        # Server-side selection: 50090NED holds ~17,000 regions x margins; rows of other region
        # types would cost gigabytes of JSON for nothing.
        options["filters"] = origin["odata_filter"]

    def attempt() -> Mapping[str, Any]:
        try:
            return downloader(origin["table"], **options)
        except requests.HTTPError as exc:
            # cbsodata re-raises HTTPError without the response; the original is its cause.
            response = exc.response if exc.response is not None else getattr(exc.__cause__, "response", None)
            status = response.status_code if response is not None else 0
            if status >= 500 or status == 429:
                raise _RetryableHTTP(str(exc)) from exc
            raise FetchError(source.id, url, f"StatLine answered {exc}") from exc

    try:
        meta = _with_retries(attempt, retries=retries, backoff=backoff,
                             describe=lambda exc: f"StatLine download failed: {exc}")
    except _GaveUp as exc:
        raise FetchError(source.id, url, str(exc)) from exc
    except (requests.RequestException, ValueError) as exc:
        raise FetchError(source.id, url, f"StatLine download failed: {exc}") from exc
    try:
        payload = to_csv_bytes(convert(meta, origin), **dialect)
    except (KeyError, ValueError) as exc:
        raise FetchError(source.id, url, f"cannot convert the table to the reference layout: {exc}") from exc
    part = part_path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(payload)
        os.replace(part, dest)
    except OSError as exc:  # disk full, no permission: dest is untouched, the others go on
        part.unlink(missing_ok=True)
        raise FetchError(source.id, url, f"cannot write {part.name}: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------------------------------------
# Statbel open data (zip/xlsx files), converted to the reference layout


def fetch_statbel(source: Source, dest: Path, *, session: requests.Session | None = None,
                  retries: int = 3, backoff: float = 1.0) -> None:
    """Download the Statbel file(s) of origin.url / origin.url_template, convert them with
    origin.convert and write the reference CSV atomically. statbel.fgov.be answers scripted
    downloads with a bot check at times: the error then says so (HTTP 200 with an HTML page)."""
    from healthgap.statbel_formats import CONVERTERS, origin_urls

    origin = source.origin
    urls = origin_urls(origin)
    first = next(iter(urls))
    convert = CONVERTERS.get(str(origin.get("convert")))
    if convert is None:
        raise FetchError(source.id, first, f"no Statbel converter {origin.get('convert')!r}; "
                                           f"known: {', '.join(sorted(CONVERTERS))}")
    session = session or requests.Session()
    downloads: dict[str, bytes] = {}
    for url in urls:
        def attempt(url: str = url) -> bytes:
            resp = session.get(url, timeout=TIMEOUT)
            if resp.status_code >= 500 or resp.status_code == 429:
                raise _RetryableHTTP(f"HTTP {resp.status_code} {resp.reason}")
            if resp.status_code >= 400:
                raise FetchError(source.id, url, f"HTTP {resp.status_code} {resp.reason}")
            body = resp.content
            if body.lstrip()[:1] == b"<":
                raise FetchError(source.id, url, "Statbel sent an HTML page instead of the file "
                                                 "(bot check?); download it in a browser and put it "
                                                 "in the sources folder, or use --mirror")
            return body

        try:
            downloads[url] = _with_retries(attempt, retries=retries, backoff=backoff,
                                           describe=lambda exc: f"download failed: {exc}")
        except _GaveUp as exc:
            raise FetchError(source.id, url, str(exc)) from exc
        except requests.RequestException as exc:
            raise FetchError(source.id, url, f"request failed: {exc}") from exc
    try:
        text = convert(downloads, {**origin, "years_by_url": urls})
    except (KeyError, ValueError, TypeError) as exc:
        raise FetchError(source.id, first, f"cannot convert to the reference layout: {exc}") from exc
    part = part_path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(text, encoding="utf-8")
        os.replace(part, dest)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise FetchError(source.id, first, f"cannot write {part.name}: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------------------------------------
# Orchestration


def origin_url(source: Source, mirror: str | None) -> str:
    if mirror:
        return f"{mirror.rstrip('/')}/{source.path}"
    kind = source.origin["kind"]
    if kind == "https":
        return str(source.origin["url"])
    if kind == "statline":
        return statline_url(source.origin)
    if kind == "statbel":
        return source.origin.get("url") or source.origin.get("url_template")
    return "(derived: no publisher URL)"


def fetch_sources(sources: Iterable[Source], dest_dir: str | os.PathLike, *,
                  mirror: str | None = None, retries: int = 3, backoff: float = 1.0,
                  session: requests.Session | None = None, progress: bool = True,
                  statline_downloader: Callable[..., Mapping[str, Any]] | None = None) -> FetchReport:
    """Fetch each source into dest_dir/<path>; one failure never stops or undoes the others."""
    dest_dir = Path(dest_dir)
    session = session or requests.Session()
    report = FetchReport()
    sources = list(sources)
    for source in tqdm(sources, desc="sources", unit="file", disable=None if progress else True):
        dest = dest_dir / source.path
        url = origin_url(source, mirror)
        if dest.exists() and sha256_file(dest) == source.sha256:
            report.up_to_date.append(source.id)
            continue
        try:
            if mirror or source.origin["kind"] == "https":
                download_file(source.id, url, dest, sha256=source.sha256, size=source.bytes,
                              session=session, retries=retries, backoff=backoff, progress=progress)
            elif source.origin["kind"] == "statline":
                fetch_statline(source, dest, retries=retries, backoff=backoff,
                               downloader=statline_downloader)
            elif source.origin["kind"] == "statbel":
                fetch_statbel(source, dest, session=session, retries=retries, backoff=backoff)
            else:
                raise FetchError(
                    source.id, url,
                    "derived file: no publisher serves it. " + str(source.origin.get("derive", ""))
                    + " Fetch it from a mirror of the reference folder (--mirror URL or "
                    "HEALTHGAP_MIRROR), or copy it from ../shared/data",
                )
        except FetchError as exc:
            report.failed.append(exc)
            continue
        report.fetched.append(source.id)
    return report


def fetch_destination(explicit: str | os.PathLike | None) -> Path:
    """--sources, then HEALTHGAP_SOURCES, then data/sources/.

    Unlike the build, fetch never falls back to ../shared/data: that folder is the reference
    copy and must not be written into.
    """
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("HEALTHGAP_SOURCES")
    return Path(env).expanduser().resolve() if env else settings.DEFAULT_SOURCES


def run_fetch(args: Any) -> int:
    """Entry point of `healthgap data fetch`; returns the process exit code."""
    mirror = getattr(args, "mirror", None) or os.environ.get("HEALTHGAP_MIRROR") or None
    try:
        manifest = load_manifest(getattr(args, "manifest", None) or MANIFEST)
        sources = select_sources(manifest, getattr(args, "only", None))
    except ValueError as exc:
        print(f"healthgap data fetch: {exc}", file=sys.stderr)
        return 2
    dest = fetch_destination(getattr(args, "sources", None))
    origin = f"mirror {mirror}" if mirror else "the publishers"
    print(f"Fetching {len(sources)} source(s) from {origin} into {dest}")
    report = fetch_sources(sources, dest, mirror=mirror)
    print(f"Done: {len(report.fetched)} fetched, {len(report.up_to_date)} already up to date, "
          f"{len(report.failed)} failed.")
    for err in report.failed:
        print(f"  FAILED {err.source_id}: {err.reason}\n         URL: {err.url}", file=sys.stderr)
    return 0 if report.ok else 1
