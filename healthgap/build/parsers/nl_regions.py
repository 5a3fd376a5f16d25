"""NL reference lists: gemeente codes and names per division year, the gemeente -> province/GGD
lookup, and the published list of municipal changes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers import REFERENCE, parser
from healthgap.build.parsers.nl_codes import nl_level
from healthgap.build.readers import read_csv, to_number
from healthgap.registry import Source


@parser("nl_codes_by_year", REFERENCE)
def nl_codes_by_year(ctx: BuildContext, source: Source, path: Path) -> None:
    df = read_csv(path, required=["gm_code", "gm_naam"])
    years = sorted(int(m.group(1)) for c in df.columns if (m := re.fullmatch(r"in_(\d{4})", c)))
    if not years:
        raise SourceError(path, "no in_<year> columns; expected in_2020 ... in_2025", where="header")
    for i, (code, name) in enumerate(zip(df["gm_code"].str.strip(), df["gm_naam"].str.strip(),
                                         strict=True), start=2):
        if nl_level(code, path, f"line {i}, column gm_code") != "gemeente":
            raise SourceError(path, f"{code!r} is not a gemeente code", where=f"line {i}")
        if not name:
            raise SourceError(path, f"empty name for {code}", where=f"line {i}, column gm_naam")
    for y in years:
        flags = df[f"in_{y}"].str.strip()
        bad = ~flags.isin(["0", "1"])
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise SourceError(path, f"expected 0 or 1, found {flags.iloc[i - 2]!r}",
                              where=f"line {i}, column in_{y}")
        sel = df[flags == "1"]
        ctx.division_codes[(source.country, "gemeente", y)] = dict(
            zip(sel["gm_code"].str.strip(), sel["gm_naam"].str.strip(), strict=True))


@parser("nl_region_lookup", REFERENCE)
def nl_region_lookup(ctx: BuildContext, source: Source, path: Path) -> None:
    cols = ["gm_code", "gm_naam", "pv_code", "pv_naam", "ggd_code", "ggd_naam"]
    df = read_csv(path, required=cols)[cols].apply(lambda s: s.str.strip())
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for col, level in (("gm_code", "gemeente"), ("pv_code", "province"), ("ggd_code", "ggd_region")):
            if nl_level(getattr(row, col), path, f"line {i}, column {col}") != level:
                raise SourceError(path, f"{getattr(row, col)!r} is not a {level} code",
                                  where=f"line {i}, column {col}")
    if df["gm_code"].duplicated().any():
        dup = df.loc[df["gm_code"].duplicated(), "gm_code"].iloc[0]
        raise SourceError(path, f"gemeente {dup} listed twice", where="column gm_code")
    df["division_year"] = source.division_year or 2025
    ctx.region_lookup = df


@parser("nl_changes", REFERENCE)
def nl_changes(ctx: BuildContext, source: Source, path: Path) -> None:
    cols = ["from_year", "to_year", "old_gm_code", "new_gm_code", "share_of_old_area_in_new"]
    df = read_csv(path, required=cols)
    out = pd.DataFrame({
        "old_year": to_number(path, df["from_year"], "from_year").astype(int),
        "new_year": to_number(path, df["to_year"], "to_year").astype(int),
        "old_code": df["old_gm_code"].str.strip(), "new_code": df["new_gm_code"].str.strip(),
        "share": to_number(path, df["share_of_old_area_in_new"], "share_of_old_area_in_new")})
    ctx.changes = out
