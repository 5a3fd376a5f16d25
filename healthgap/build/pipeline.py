"""`healthgap data build`: read every source of the manifest with its parser, validate, and write
the DuckDB database atomically. `build_database` is the Python API (tests, `healthgap serve`)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from healthgap import settings
from healthgap.build.areas import build_areas
from healthgap.build.context import BuildContext
from healthgap.build.crosswalk import build_crosswalk
from healthgap.build.derive import derive_values
from healthgap.build.errors import SourceError
from healthgap.build.geometry import display_geojson
from healthgap.build.parsers import load_all
from healthgap.build.validate import validate_values
from healthgap.build.writer import SCHEMA_VERSION, write_database
from healthgap.registry import (
    REGISTRY_FILE,
    SOURCES_FILE,
    RegistryError,
    load_registry,
    load_sources,
)

# Display simplification per level, in metres (decision 0001: national gemeente layer ~200 KB).
TOLERANCE_M = {"country": 1000, "province": 500, "ggd_region": 500, "gemeente": 500, "wijk": 100,
               "region": 1000, "arrondissement": 500, "sector": 50}


@dataclass
class BuildReport:
    db_path: Path
    seconds: float
    rows: dict[str, int]
    bytes: int
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v:,}" for k, v in self.rows.items())
        return f"built {self.db_path} in {self.seconds:.1f} s ({self.bytes / 1e6:.1f} MB): {counts}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _code_version() -> str:
    try:
        v = version("healthgap")
    except PackageNotFoundError:
        v = "0+unknown"
    try:
        rev = subprocess.run(["git", "-C", str(settings.PROJECT_ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=True).stdout.strip()
        return f"{v}+g{rev}"
    except (OSError, subprocess.SubprocessError):
        return v


def _read_sources(ctx: BuildContext) -> None:
    parsers = load_all()
    unknown = [s for s in ctx.sources.values() if s.parser not in parsers]
    if unknown:
        s = unknown[0]
        raise RegistryError(f"data/sources.toml [sources.{s.id}]: parser {s.parser!r} is not "
                            f"known; known parsers: {', '.join(sorted(parsers))}")
    order = sorted(ctx.sources.values(), key=lambda s: (parsers[s.parser].stage, s.id))
    for source in order:
        path = ctx.sources_dir / source.path
        ctx.paths[source.id] = path
        parsers[source.parser].func(ctx, source, path)


def _geometries(ctx: BuildContext) -> pd.DataFrame:
    frames = []
    for b in ctx.boundaries:
        level = b["level"].iloc[0]
        geo = display_geojson(b, b["country"].iloc[0], TOLERANCE_M.get(level, 250))
        frames.append(pd.DataFrame({"area_code": b["code"], "level": b["level"],
                                    "division_year": b["division_year"], "geojson": geo,
                                    "source_id": b["source_id"]}))
    return pd.concat(frames, ignore_index=True)


def _indicators_table(ctx: BuildContext) -> pd.DataFrame:
    rows = []
    for ind in ctx.registry.values():
        rows.append({"indicator_id": ind.id, "label_nl": ind.label_nl, "label_en": ind.label_en,
                     "label_fr": ind.label_fr, "definition_nl": ind.definition_nl,
                     "definition_en": ind.definition_en, "definition_fr": ind.definition_fr,
                     "theme": ind.theme, "unit": ind.unit, "scale": ind.scale,
                     "decimals": ind.decimals, "polarity": ind.polarity,
                     "value_type": ind.value_type, "modelled": ind.modelled,
                     "source_id": ind.source_id, "licence": ind.licence})
    return pd.DataFrame(rows)


def _sources_table(ctx: BuildContext) -> pd.DataFrame:
    rows = []
    for s in ctx.sources.values():
        path = ctx.paths[s.id]
        rows.append({"source_id": s.id, "country": s.country, "publisher": s.publisher,
                     "title": s.title, "licence": s.licence, "attribution": s.attribution,
                     "path": s.path, "origin": s.origin_text, "parser": s.parser, "period": s.period,
                     "sha256": _sha256(path), "bytes": path.stat().st_size})
    return pd.DataFrame(rows)


def _present_countries(sources_dir: Path, sources: dict) -> tuple[dict, list[str]]:
    """A country whose top folder (nl/, be/) is wholly absent from the sources folder is left
    out with a warning (an NL-only checkout or test fixture); a missing file inside a present
    country folder stays an error."""
    tops: dict[str, set[str]] = {}
    for s in sources.values():
        tops.setdefault(s.country, set()).add(Path(s.path).parts[0])
    absent = {c for c, folders in tops.items()
              if not any((sources_dir / f).is_dir() for f in folders)}
    if len(absent) == len(tops):
        return sources, []
    kept = {sid: s for sid, s in sources.items() if s.country not in absent}
    return kept, [f"sources of country {c} skipped: no {', '.join(sorted(tops[c]))}/ folder in "
                  f"{sources_dir}" for c in sorted(absent)]


def build_database(sources_dir: Path, db_path: Path, *, manifest: Path | None = None,
                   registry_file: Path | None = None) -> BuildReport:
    """Build the database from `sources_dir` into `db_path`.

    Raises SourceError (a file is missing, malformed or holds values that must not be loaded) or
    RegistryError (indicators.toml / sources.toml). On any error the existing database is untouched.
    """
    t0 = time.perf_counter()
    sources_dir, db_path = Path(sources_dir), Path(db_path)
    if not sources_dir.is_dir():
        raise SourceError(sources_dir, "sources folder not found; run `healthgap data fetch` or "
                                       "pass --sources (e.g. ../shared/data)")
    sources = load_sources(manifest or SOURCES_FILE)
    registry = load_registry(registry_file or REGISTRY_FILE, known_sources=set(sources))
    sources, skipped = _present_countries(sources_dir, sources)
    registry = {k: v for k, v in registry.items() if v.source_id in sources}
    ctx = BuildContext(sources_dir=sources_dir, registry=registry, sources=sources)
    ctx.warnings += skipped
    _read_sources(ctx)

    values = pd.concat(ctx.values, ignore_index=True)
    value_keys = (values.merge(pd.DataFrame({"source_id": list(sources),
                                             "country": [s.country for s in sources.values()]}),
                               on="source_id")[["country", "level", "division_year"]]
                  .drop_duplicates())
    crosswalk = build_crosswalk(ctx)
    areas = build_areas(ctx, crosswalk, value_keys)
    values = pd.concat([values, derive_values(registry, values, areas)], ignore_index=True)
    warnings = ctx.warnings + validate_values(values, areas, registry, ctx.paths)

    values = values.drop(columns=["line"]).sort_values(
        ["indicator_id", "level", "division_year", "period", "age_group", "area_code"],
        ignore_index=True)
    # No source here publishes intervals or counts; the columns stay NULL until one does.
    for col in ("lower", "upper", "numerator", "denominator"):
        values[col] = float("nan")
    tables = {
        "areas": areas, "area_crosswalk": crosswalk, "geometries": _geometries(ctx),
        "indicators": _indicators_table(ctx), "indicator_values": values,
        "sources": _sources_table(ctx),
    }
    seconds = time.perf_counter() - t0
    tables["build_info"] = pd.DataFrame([{
        "built_at": datetime.now(UTC).replace(tzinfo=None), "code_version": _code_version(),
        "sources_dir": str(sources_dir), "schema_version": SCHEMA_VERSION, "seconds": seconds}])
    write_database(db_path, tables)
    seconds = time.perf_counter() - t0
    return BuildReport(db_path=db_path, seconds=seconds,
                       rows={k: len(v) for k, v in tables.items()},
                       bytes=db_path.stat().st_size, warnings=warnings)


def run_build(args) -> int:
    """CLI entry: prints the summary, or the error and a non-zero exit code."""
    sources_dir = settings.sources_dir(getattr(args, "sources", None))
    db_path = settings.db_path(getattr(args, "db", None))
    try:
        report = build_database(sources_dir, db_path)
    except (SourceError, RegistryError) as exc:
        print(f"healthgap data build: error: {exc}", file=sys.stderr)
        print(f"The database {db_path} was not changed.", file=sys.stderr)
        return 1
    print(report.summary())
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0
