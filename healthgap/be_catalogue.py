"""The Gemeente-Stadsmonitor indicator catalogue (Flemish government, 422 indicators, metadata
only): which per-municipality health and socio-economic indicators exist, and where the publisher
offers each one as an xlsx. `healthgap data catalogue-be` lists them; docs/belgium.md explains how
a downloaded indicator is loaded with `healthgap data add`."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from healthgap import settings

CATALOGUE = Path("be") / "catalog" / "gemeente_stadsmonitor_indicator_catalogue_2023-12.csv"
HEALTH_THEMES = ("Zorg en gezondheid",)
SES_THEMES = ("Armoede", "Werk", "Economie", "Wonen en woonomgeving", "Onderwijs en vorming")
FIELDS = {"theme": "Basisthema", "type": "Type", "title": "Title", "definition": "Definitie",
          "unit": "Eenheid", "numerator": "Teller", "denominator": "Noemer", "source": "Bron",
          "last_year": "Laatste jaar beschikbaar", "url": "Download URL"}


def read_catalogue(path: Path) -> list[dict]:
    """One dict per indicator (keys of FIELDS plus `kind`: health | socio_economic | other)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    missing = [c for c in FIELDS.values() if rows and c not in rows[0]]
    if not rows or missing:
        raise ValueError(f"{path}: not the Gemeente-Stadsmonitor catalogue "
                         f"(missing column(s): {', '.join(missing) or 'all rows'})")
    out = []
    for r in rows:
        rec = {k: (r.get(c) or "").strip() for k, c in FIELDS.items()}
        rec["kind"] = ("health" if rec["theme"] in HEALTH_THEMES else
                       "socio_economic" if rec["theme"] in SES_THEMES else "other")
        out.append(rec)
    return out


def run_catalogue(args) -> int:
    path = Path(args.catalogue) if args.catalogue else settings.sources_dir(getattr(args, "sources", None)) / CATALOGUE
    try:
        recs = read_catalogue(path)
    except (OSError, ValueError) as exc:
        print(f"healthgap data catalogue-be: error: {exc}", file=sys.stderr)
        return 1
    if not args.all:
        recs = [r for r in recs if r["kind"] != "other"]
    w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    w.writerow(["kind", "theme", "type", "last_year", "title", "url"])
    for r in sorted(recs, key=lambda r: (r["kind"], r["theme"], r["title"])):
        w.writerow([r["kind"], r["theme"], r["type"], r["last_year"], r["title"], r["url"]])
    print(f"{len(recs)} indicators; download one xlsx, reshape it to the upload template "
          "(area_code = NIS code) and load it with `healthgap data add FILE` (docs/belgium.md)",
          file=sys.stderr)
    return 0
