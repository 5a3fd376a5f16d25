"""The upload template: its columns, the header names we also accept, and template files.

Column descriptions are part of the file-format definition (the "Uitleg" sheet of the
template), so they live here next to the column names rather than in data/texts/nl.toml.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str          # text | number | int
    description: str   # Dutch
    example: str
    max_len: int = 60  # longest text accepted in this column


UNITS = ("percent", "per_1000", "per_100000", "count", "mean", "years", "euro", "ratio", "other")
POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
STATUSES = ("observed", "modelled", "suppressed", "missing")

COLUMNS: tuple[Column, ...] = (
    Column("area_code", True, "text",
           "Code van het gebied: gemeente (GM0363), wijk (WK036300), GGD-regio (GG3406), "
           "provincie (PV27) of land (NL01).", "GM0363", 20),
    Column("period", True, "text",
           "Jaar (2023) of periode van jaren (2019-2022).", "2023", 20),
    Column("indicator_id", True, "text",
           "Korte naam van de indicator: kleine letters, cijfers en liggend streepje, "
           "hoogstens 60 tekens; begint met een letter.", "eigen_eenzaamheid", 60),
    Column("indicator_name", True, "text",
           "Naam van de indicator zoals het dashboard hem toont.", "Eenzaamheid (eigen meting)", 200),
    Column("value", True, "number",
           "De waarde. Decimaalpunt of decimaalkomma, zonder scheidingsteken voor duizendtallen. "
           "Leeg laten mag alleen als status 'suppressed' of 'missing' is.", "45.2", 40),
    Column("lower", False, "number", "Ondergrens van het 95%-betrouwbaarheidsinterval.", "42.1", 40),
    Column("upper", False, "number", "Bovengrens van het 95%-betrouwbaarheidsinterval.", "48.3", 40),
    Column("numerator", False, "number", "Teller: aantal personen of gebeurtenissen.", "452", 40),
    Column("denominator", False, "number", "Noemer: aantal personen waarop de waarde berust.",
           "1000", 40),
    Column("unit", False, "text",
           "Eenheid: percent, per_1000, per_100000, count, mean, years, euro, ratio of other. "
           "Standaard percent.", "percent", 20),
    Column("scale", False, "number",
           "Schaal zoals HEAT indicator_scale: 100 voor percentages, anders 1.", "100", 40),
    Column("polarity", False, "text",
           "Is hoog gunstig? high_is_good, low_is_good of no_judgement (standaard). "
           "HEAT favourable_indicator 1 of 0 mag ook.", "low_is_good", 20),
    Column("population", False, "number",
           "Bevolkingsomvang van het gebied of de subgroep (ter informatie; wordt niet opgeslagen).",
           "", 40),
    Column("subgroup", False, "text", "Subgroep, bijvoorbeeld 'vrouwen' of 'laag inkomen'.", "", 100),
    Column("dimension", False, "text", "Dimensie van de subgroep, bijvoorbeeld 'geslacht'.", "", 100),
    Column("status", False, "text",
           "observed (standaard), modelled, suppressed (onderdrukt wegens kleine aantallen) of "
           "missing.", "observed", 20),
    Column("age_group", False, "text", "Leeftijdsgroep, bijvoorbeeld 18+ of 65+; standaard 'all'.",
           "18+", 30),
    Column("theme", False, "text", "Thema waaronder de indicator verschijnt; standaard 'upload'.",
           "upload", 40),
    Column("source", False, "text", "Wie de cijfers maakte (vrije tekst).", "GGD Amsterdam", 300),
    Column("licence", False, "text", "Licentie van de cijfers; standaard 'eigen gegevens'.",
           "eigen gegevens", 300),
)

COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
BY_NAME = {c.name: c for c in COLUMNS}
NUMERIC = tuple(c.name for c in COLUMNS if c.kind != "text")
TEXT = tuple(c.name for c in COLUMNS if c.kind == "text")

DEFAULTS = {"unit": "percent", "polarity": "no_judgement", "status": "observed", "age_group": "all",
            "theme": "upload", "licence": "eigen gegevens"}

# HEAT Plus template columns -> ours. `setting` becomes area_code only when it holds codes
# (read.py decides); `favourable_indicator` 1/0 is translated to high_is_good/low_is_good.
HEAT_ALIASES = {
    "setting": "area_code",
    "date": "period",
    "indicator_abbr": "indicator_id",
    "indicator_name": "indicator_name",
    "estimate": "value",
    "ci_lb": "lower",
    "ci_ub": "upper",
    "indicator_scale": "scale",
    "favourable_indicator": "polarity",
    "population": "population",
    "dimension": "dimension",
    "subgroup": "subgroup",
    "source": "source",
}
# HEAT Plus columns we know but do not use: ignored with a warning like any unknown column.
HEAT_UNUSED = ("subgroup_order", "se", "flag", "setting_average", "iso3", "ordered_dimension",
               "reference_subgroup")

DUTCH_ALIASES = {
    "gebiedscode": "area_code", "gebied_code": "area_code", "code": "area_code",
    "gemeentecode": "area_code", "regiocode": "area_code",
    "periode": "period", "jaar": "period",
    "indicator": "indicator_id", "indicatorcode": "indicator_id", "indicator_code": "indicator_id",
    "indicatornaam": "indicator_name", "naam_indicator": "indicator_name",
    "indicator_naam": "indicator_name", "naam": "indicator_name",
    "waarde": "value",
    "ondergrens": "lower", "bovengrens": "upper",
    "teller": "numerator", "noemer": "denominator",
    "eenheid": "unit", "schaal": "scale", "polariteit": "polarity", "richting": "polarity",
    "bevolking": "population", "inwoners": "population",
    "subgroep": "subgroup", "dimensie": "dimension",
    "leeftijd": "age_group", "leeftijdsgroep": "age_group",
    "thema": "theme", "bron": "source", "licentie": "licence", "license": "licence",
}

ALIASES: dict[str, str] = {**{n: n for n in COLUMN_NAMES}, **HEAT_ALIASES, **DUTCH_ALIASES}

POLARITY_ALIASES = {"1": "high_is_good", "0": "low_is_good", "hoog_is_goed": "high_is_good",
                    "laag_is_goed": "low_is_good", "geen_oordeel": "no_judgement"}
STATUS_ALIASES = {"waargenomen": "observed", "gemodelleerd": "modelled",
                  "onderdrukt": "suppressed", "ontbrekend": "missing"}


def normalise_header(name: str) -> str:
    """'  Indicator Name ' -> 'indicator_name'; case-, space- and hyphen-insensitive."""
    text = str(name).replace("\ufeff", "").strip().strip('"').strip().lower()
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


_COMPACT = {k.replace("_", ""): v for k, v in ALIASES.items()}


def canonical(name: str) -> str | None:
    """Our column for a header, or None; 'Indicator naam', 'indicatornaam', 'CI_LB' all match."""
    norm = normalise_header(name)
    return ALIASES.get(norm) or _COMPACT.get(norm.replace("_", ""))


EXAMPLE_ROWS = (
    {"area_code": "GM0363", "period": "2023", "indicator_id": "eigen_eenzaamheid",
     "indicator_name": "Eenzaamheid (eigen meting)", "value": "45.2", "lower": "42.1",
     "upper": "48.3", "numerator": "452", "denominator": "1000", "unit": "percent",
     "scale": "100", "polarity": "low_is_good", "status": "observed", "age_group": "18+",
     "theme": "upload", "source": "GGD Amsterdam", "licence": "eigen gegevens"},
    {"area_code": "GM0599", "period": "2023", "indicator_id": "eigen_eenzaamheid",
     "indicator_name": "Eenzaamheid (eigen meting)", "value": "48.9", "lower": "46.0",
     "upper": "51.8", "numerator": "978", "denominator": "2000", "unit": "percent",
     "scale": "100", "polarity": "low_is_good", "status": "observed", "age_group": "18+",
     "theme": "upload", "source": "GGD Rotterdam-Rijnmond", "licence": "eigen gegevens"},
    {"area_code": "GM0344", "period": "2023", "indicator_id": "eigen_eenzaamheid",
     "indicator_name": "Eenzaamheid (eigen meting)", "value": "", "unit": "percent",
     "scale": "100", "polarity": "low_is_good", "status": "suppressed", "age_group": "18+",
     "theme": "upload", "source": "GGD regio Utrecht", "licence": "eigen gegevens"},
)


def _heat_alias_of(name: str) -> str:
    return ", ".join(k for k, v in HEAT_ALIASES.items() if v == name and k != name)


def template_csv() -> bytes:
    """Comma-separated, decimal point, UTF-8 with BOM (Excel recognises the encoding)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for row in EXAMPLE_ROWS:
        writer.writerow([row.get(n, "") for n in COLUMN_NAMES])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def template_excel() -> bytes:
    """Sheet "Gegevens" (headers and example rows) and sheet "Uitleg" (one row per column)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    data = wb.active
    data.title = "Gegevens"
    data.append(list(COLUMN_NAMES))
    for row in EXAMPLE_ROWS:
        data.append([_excel_value(n, row.get(n, "")) for n in COLUMN_NAMES])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    info = wb.create_sheet("Uitleg")
    info.append(["kolom", "verplicht", "omschrijving", "voorbeeld", "HEAT Plus-kolom"])
    for c in COLUMNS:
        info.append([c.name, "ja" if c.required else "nee", c.description, c.example,
                     _heat_alias_of(c.name)])
    for cell in info[1]:
        cell.font = Font(bold=True)
    info.column_dimensions["C"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _excel_value(name: str, text: str):
    if text and BY_NAME[name].kind != "text":
        return float(text) if "." in text else int(text)
    if name == "period" and text.isdigit():
        return int(text)
    return text or None
