"""Turn StatLine OData downloads (cbsodata) into the file formats of the reference sources folder.

`healthgap data fetch` downloads CBS/RIVM tables through `cbsodata.download_data`, which returns
the raw OData pieces: the data set (a list of row dicts keyed by column key, dimension values as
codes such as "GM0363    ") plus one list per dimension (`Key`, `Title`) and `DataProperties`
(column key, title, unit, parent group). The build parsers were written against the files in
../shared/data, so each function here reproduces one of those layouts column for column; the files
are equivalent in content, not byte-identical (CBS may have revised figures since).

Every converter takes that `meta` dict and the manifest's `origin` table and returns
`(header, rows)` with every cell already a string; `write_csv` writes them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Table = tuple[list[str], list[list[str]]]

# Reference layouts (see ../shared/data/nl/SOURCES.md).
RIVM_50090_KEYS = [
    "Jaar", "Perioden", "Leeftijd", "LeeftijdLabel", "Marges",
    "SoortRegio_2", "Codering_3", "WijkenEnBuurten", "Gemeentenaam_1",
]
INKOMEN_TIDY_MEASURES = {
    # OData column key without its "_<n>" suffix -> tidy column name
    "ParticuliereHuishoudens": "particuliere_huishoudens_x1000",
    "GemiddeldGestandaardiseerdInkomen": "gem_gestandaardiseerd_inkomen_x1000eur",
    "MediaanGestandaardiseerdInkomen": "med_gestandaardiseerd_inkomen_x1000eur",
    "GemiddeldBesteedbaarInkomen": "gem_besteedbaar_inkomen_x1000eur",
    "MediaanBesteedbaarInkomen": "med_besteedbaar_inkomen_x1000eur",
}
POINT_ESTIMATE = "MW00000"  # Marges code of the value itself (not a CI bound)


def data_rows(meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The data set of a `cbsodata.download_data` result, typed or untyped."""
    for name in ("TypedDataSet", "UntypedDataSet"):
        if name in meta:
            return list(meta[name])
    raise ValueError(
        "the StatLine download holds no TypedDataSet or UntypedDataSet; "
        "the table id may be wrong or the service returned an error page"
    )


def format_cell(value: Any) -> str:
    """One cell as StatLine's CSV export writes it: '' for missing, '43' for 43.0, '28.3'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    # CBS marks "not available / suppressed" with "."; the reference files leave the cell empty.
    return "" if text == "." else text


def _dimension_titles(meta: Mapping[str, Any], dimension: str) -> dict[str, str]:
    if dimension not in meta:
        raise ValueError(f"the StatLine download has no dimension table {dimension!r}")
    return {str(r["Key"]): str(r["Title"]).strip() for r in meta[dimension]}


def _dimension_order(meta: Mapping[str, Any], dimension: str) -> dict[str, int]:
    return {str(r["Key"]): i for i, r in enumerate(meta[dimension])}


def _topic_keys(meta: Mapping[str, Any]) -> list[str]:
    props = meta.get("DataProperties")
    if not props:
        raise ValueError("the StatLine download has no DataProperties (column metadata)")
    return [p["Key"] for p in props if p.get("Type") == "Topic"]


def _require_columns(rows: Sequence[Mapping[str, Any]], columns: Iterable[str], table: str) -> None:
    if not rows:
        raise ValueError(f"{table}: the download returned no rows for the requested selection")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise ValueError(f"{table}: expected column(s) {', '.join(missing)} are missing from the download")


def rivm_50090(meta: Mapping[str, Any], origin: Mapping[str, Any]) -> Table:
    """RIVM 50090NED (UntypedDataSet) -> the gemeente or wijk extract of the reference folder.

    Keeps the point estimates (Marges MW00000) of the region types and age codes named in the
    manifest (`origin.region_types`, `origin.ages`), strips CBS's space padding, turns '.' into an
    empty cell, adds `Jaar` and `LeeftijdLabel`, drops `ID`, and sorts by year and age with the
    regions in StatLine's own order - the layout of rivm_50090NED_gezondheid_*.csv.
    """
    rows = data_rows(meta)
    _require_columns(rows, ["Perioden", "Leeftijd", "Marges", "SoortRegio_2", "Codering_3",
                            "WijkenEnBuurten", "Gemeentenaam_1"], "50090NED")
    region_types = {str(t) for t in origin["region_types"]}
    ages = {str(a) for a in origin["ages"]}
    age_labels = _dimension_titles(meta, "Leeftijd")
    region_order = _dimension_order(meta, "WijkenEnBuurten")
    skip = {"ID", *RIVM_50090_KEYS}
    indicators = [c for c in rows[0] if c not in skip]

    kept = []
    for r in rows:
        if str(r["Marges"]).strip() != POINT_ESTIMATE:
            continue
        if format_cell(r["SoortRegio_2"]) not in region_types or str(r["Leeftijd"]).strip() not in ages:
            continue
        kept.append(r)
    if not kept:
        raise ValueError(
            f"50090NED: no rows with SoortRegio_2 in {sorted(region_types)} and Leeftijd in "
            f"{sorted(ages)}; check origin.region_types and origin.ages in data/sources.toml"
        )
    kept.sort(key=lambda r: (str(r["Perioden"]), str(r["Leeftijd"]).strip(),
                             region_order.get(str(r["WijkenEnBuurten"]), len(region_order))))
    out = []
    for r in kept:
        periode = str(r["Perioden"]).strip()
        leeftijd = str(r["Leeftijd"]).strip()
        out.append([
            periode[:4], periode, leeftijd, age_labels.get(str(r["Leeftijd"]), ""),
            POINT_ESTIMATE, format_cell(r["SoortRegio_2"]), format_cell(r["Codering_3"]),
            format_cell(r["WijkenEnBuurten"]), format_cell(r["Gemeentenaam_1"]),
            *(format_cell(r[c]) for c in indicators),
        ])
    return RIVM_50090_KEYS + indicators, out


def rivm_50140(meta: Mapping[str, Any], origin: Mapping[str, Any]) -> Table:
    """RIVM 50140NED (TypedDataSet) -> StatLine's own 'TypedDataSet' CSV export, all rows.

    The reference file is that export unchanged, so region codes keep their padding
    ("NL01  ") and the columns keep the OData order (ID, dimensions, indicators).
    """
    rows = data_rows(meta)
    _require_columns(rows, ["ID", "RegioS"], "50140NED")
    header = list(rows[0])
    out = []
    for r in rows:
        # Dimension codes stay as delivered (padded); measures are formatted like the export.
        out.append([str(r[c]) if c in ("RegioS",) else format_cell(r[c]) for c in header])
    return header, out


def _gemeente_rows(meta: Mapping[str, Any], origin: Mapping[str, Any], table: str) -> list[dict]:
    """Rows of a CBS regional table for Nederland + gemeenten, one period, fixed dimensions."""
    rows = data_rows(meta)
    _require_columns(rows, ["RegioS", "Perioden"], table)
    period = str(origin["period"])
    wanted = {dim: str(title) for dim, title in dict(origin.get("dimension_titles", {})).items()}
    titles = {dim: _dimension_titles(meta, dim) for dim in wanted}
    kept = []
    for r in rows:
        code = str(r["RegioS"]).strip()
        if not (code.startswith("GM") or code == "NL01"):
            continue
        if str(r["Perioden"]).strip() != period:
            continue
        if any(titles[d].get(str(r[d]), "") != t for d, t in wanted.items()):
            continue
        kept.append(r)
    if not kept:
        raise ValueError(
            f"{table}: no gemeente rows for period {period} with {wanted}; "
            "check origin.period and origin.dimension_titles in data/sources.toml"
        )
    order = _dimension_order(meta, "RegioS")
    kept.sort(key=lambda r: order.get(str(r["RegioS"]), len(order)))
    return kept


def cbs_inkomen_tidy(meta: Mapping[str, Any], origin: Mapping[str, Any]) -> Table:
    """CBS 'Inkomen van huishoudens; huishoudenskenmerken, regio' -> the tidy income file."""
    table = str(origin.get("table", "income table"))
    kept = _gemeente_rows(meta, origin, table)
    by_stem = {re.sub(r"_\d+$", "", k): k for k in _topic_keys(meta)}
    missing = [stem for stem in INKOMEN_TIDY_MEASURES if stem not in by_stem]
    if missing:
        raise ValueError(f"{table}: measure column(s) {', '.join(missing)} not found in DataProperties")
    regions = _dimension_titles(meta, "RegioS")
    periods = _dimension_titles(meta, "Perioden")
    pop = _dimension_titles(meta, "Populatie")
    kenm = _dimension_titles(meta, "KenmerkenVanHuishoudens")
    header = ["gm_code", "regio_naam", "perioden", "populatie", "kenmerken_huishoudens",
              *INKOMEN_TIDY_MEASURES.values()]
    out = []
    for r in kept:
        out.append([
            str(r["RegioS"]).strip(), regions.get(str(r["RegioS"]), ""),
            periods.get(str(r["Perioden"]), ""), pop.get(str(r["Populatie"]), ""),
            kenm.get(str(r["KenmerkenVanHuishoudens"]), ""),
            *(format_cell(r[by_stem[stem]]) for stem in INKOMEN_TIDY_MEASURES),
        ])
    return header, out


def column_title_path(meta: Mapping[str, Any], key: str) -> str:
    """StatLine's export title of a measure: its groups, its title and its unit.

    E.g. "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)" - the
    column names the tidy kerncijfers file kept from the CBS export.
    """
    props = {p.get("ID"): p for p in meta["DataProperties"]}
    node = next(p for p in meta["DataProperties"] if p.get("Key") == key)
    parts = [str(node["Title"]).strip()]
    parent = node.get("ParentID")
    while parent is not None and parent in props:
        parts.append(str(props[parent]["Title"]).strip())
        parent = props[parent].get("ParentID")
    path = "/".join(reversed(parts))
    unit = str(node.get("Unit") or "").strip()
    return f"{path} ({unit})" if unit else path


def cbs_kerncijfers_tidy(meta: Mapping[str, Any], origin: Mapping[str, Any]) -> Table:
    """CBS 70072NED 'Regionale kerncijfers Nederland' -> the tidy kerncijfers file.

    Keeps Nederland and the gemeenten that have at least one value in the period (CBS lists
    every gemeente that ever existed, empty for the dissolved ones) and only the measures with
    at least one value, named by their StatLine export title.
    """
    table = str(origin.get("table", "70072NED"))
    kept = _gemeente_rows(meta, origin, table)
    topics = _topic_keys(meta)
    kept = [r for r in kept if any(format_cell(r.get(k)) for k in topics)]
    if not kept:
        raise ValueError(f"{table}: every gemeente row is empty for period {origin['period']}")
    used = [k for k in topics if any(format_cell(r.get(k)) for r in kept)]
    regions = _dimension_titles(meta, "RegioS")
    periods = _dimension_titles(meta, "Perioden")
    header = ["gm_code", "regio_naam", "perioden", *(column_title_path(meta, k) for k in used)]
    out = [
        [str(r["RegioS"]).strip(), regions.get(str(r["RegioS"]), ""),
         periods.get(str(r["Perioden"]), ""), *(format_cell(r.get(k)) for k in used)]
        for r in kept
    ]
    return header, out


# parser name (data/sources.toml) -> converter and CSV dialect of the reference file
CONVERTERS = {
    "rivm_50090": (rivm_50090, {"sep": ",", "bom": False, "newline": "\n", "typed": False}),
    "rivm_50140": (rivm_50140, {"sep": ";", "bom": True, "newline": "\r\n", "typed": True}),
    "cbs_inkomen_tidy": (cbs_inkomen_tidy, {"sep": ",", "bom": False, "newline": "\r\n", "typed": True}),
    "cbs_kerncijfers_tidy": (cbs_kerncijfers_tidy, {"sep": ",", "bom": False, "newline": "\r\n", "typed": True}),
}


def to_csv_bytes(table: Table, *, sep: str, bom: bool, newline: str, **_: Any) -> bytes:
    header, rows = table
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
