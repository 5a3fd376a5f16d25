"""Dutch area codes: the level a code belongs to, and the checks on its form."""

from __future__ import annotations

import re
from pathlib import Path

from healthgap.build.errors import SourceError

NL_CODE_LEVELS = [
    (re.compile(r"^NL0[01]$"), "country"),
    (re.compile(r"^PV\d{2}$"), "province"),
    (re.compile(r"^GG\d{4}$"), "ggd_region"),
    (re.compile(r"^GM\d{4}$"), "gemeente"),
    (re.compile(r"^WK\d{6}$"), "wijk"),
]
NL_COUNTRY_CODE = "NL01"


def nl_level(code: str, path: Path | str, where: str) -> str:
    for pattern, level in NL_CODE_LEVELS:
        if pattern.match(code):
            return level
    raise SourceError(path, f"malformed area code {code!r}; expected NL01, PVnn, GGnnnn, "
                            "GMnnnn or WKnnnnnn", where=where)


def nl_code(raw: str) -> str:
    # RIVM/CBS pad codes with spaces ("GM0363    "); NL00 is CBS's other spelling of the country.
    code = raw.strip()
    return NL_COUNTRY_CODE if code == "NL00" else code
