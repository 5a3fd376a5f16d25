"""Dutch health tables: RIVM 50090NED (adults, modelled), RIVM 50140NED (young adults),
CBS Gezondheidsmonitor 2022 per GGD region, VZinfo life expectancy per GGD region."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from healthgap.build.context import BuildContext, name_key
from healthgap.build.errors import SourceError
from healthgap.build.parsers import VALUES, parser
from healthgap.build.parsers.common import (
    levels_of,
    source_division_year,
    source_period,
    value_frame,
)
from healthgap.build.parsers.nl_codes import NL_COUNTRY_CODE, nl_code
from healthgap.build.readers import read_csv, to_number
from healthgap.registry import Source

AGE_50090 = {"20300": "18+", "53115": "18-64", "80200": "65+"}
# StatLine shortens some GGD names; spelled out as in the GGD boundary file.
GGD_NAME_ALIASES = {
    name_key("Veiligh. en Gez. Gelderland-Midden"):
        name_key("Veiligheids- en Gezondheidsregio Gelderland-Midden"),
}


@parser("rivm_50090", VALUES)
def rivm_50090(ctx: BuildContext, source: Source, path: Path) -> None:
    """Small-area model estimates: status `modelled`.

    A column that is empty for every area of a (wave, age) block was not asked in that wave (or
    not estimated for that age): no rows. A single empty cell in a block that has values is a
    suppressed estimate: a `suppressed` row with NULL value.
    """
    inds = ctx.indicators_for(source.id)
    df = read_csv(path, required=["Jaar", "Leeftijd", "Codering_3"] + [i.columns[source.id] for i in inds])
    codes = df["Codering_3"].map(nl_code)
    levels = levels_of(path, codes, "Codering_3")
    years = df["Jaar"].str.strip()
    bad = ~years.str.fullmatch(r"\d{4}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"year {df['Jaar'].iloc[i]!r} is not a year", where=f"line {i + 2}, column Jaar")
    ages = df["Leeftijd"].str.strip().map(AGE_50090)
    if ages.isna().any():
        i = int(ages.isna().to_numpy().nonzero()[0][0])
        raise SourceError(path, f"unknown age code {df['Leeftijd'].iloc[i]!r}; expected one of "
                                f"{', '.join(AGE_50090)}", where=f"line {i + 2}, column Leeftijd")
    division = source.division_year or 2020
    frames = []
    for ind in inds:
        col = ind.columns[source.id]
        v = to_number(path, df[col], col)
        asked = v.notna().groupby([years, ages]).transform("any")
        f = value_frame(codes=codes, levels=levels, division_year=division, period=years,
                        age_group=ages, indicator_id=ind.id, values=v, present_status="modelled",
                        source=source)
        frames.append(f[asked.to_numpy()])
    ctx.add_values(pd.concat(frames, ignore_index=True))


@parser("rivm_50140", VALUES)
def rivm_50140(ctx: BuildContext, source: Source, path: Path) -> None:
    """Survey percentages of 16-25-year-olds. Empty cell -> `suppressed`; gemeenten of the
    division that the file leaves out (too few respondents, e.g. the Wadden islands) -> `missing`.
    CG01 is an aggregate the table does not document; it is skipped."""
    inds = ctx.indicators_for(source.id)
    df = read_csv(path, sep=";", required=["RegioS"] + [i.columns[source.id] for i in inds])
    codes_all = df["RegioS"].map(nl_code)
    keep = ~codes_all.str.startswith("CG")
    df, codes = df[keep], codes_all[keep]
    levels = levels_of(path, codes, "RegioS")
    period = source_period(source, path)
    division = source_division_year(source, period)
    gemeenten = ctx.division_codes.get((source.country, "gemeente", division)) or \
        ctx.boundary_codes(source.country, "gemeente", division)
    absent = sorted(set(gemeenten) - set(codes[levels == "gemeente"]))
    frames = []
    for ind in inds:
        col = ind.columns[source.id]
        v = to_number(path, df[col], col)
        frames.append(value_frame(codes=codes, levels=levels, division_year=division, period=period,
                                  age_group="16-25", indicator_id=ind.id, values=v,
                                  present_status="observed", source=source))
        if absent:
            frames.append(pd.DataFrame({
                "area_code": absent, "level": "gemeente", "division_year": division,
                "period": period, "age_group": "16-25", "indicator_id": ind.id, "value": np.nan,
                "status": "missing", "source_id": source.id, "line": pd.NA}))
    ctx.add_values(pd.concat(frames, ignore_index=True))


def _ggd_codes(ctx: BuildContext, source: Source, path: Path, names: pd.Series, column: str) -> pd.Series:
    """GGD-region names (files without codes) -> GG codes via the GGD boundary names."""
    lookup = ctx.codes_for_name(source.country, "ggd_region")
    if not lookup:
        raise SourceError(path, "no GGD-region boundary was read, so region names cannot be "
                                "matched to codes; add the GGD boundary source")
    out = []
    for i, raw in enumerate(names, start=2):
        name = re.sub(r"\s*\(GG\)\s*$", "", raw.strip())
        if name_key(name) in ("nederland", "netherlands"):
            out.append(NL_COUNTRY_CODE)
            continue
        key = name_key(name)
        code = lookup.get(GGD_NAME_ALIASES.get(key, key))
        if code is None:
            raise SourceError(path, f"unknown GGD region {raw.strip()!r}; expected a name of the "
                                    "GGD-region boundary file", where=f"line {i}, column {column}")
        out.append(code)
    return pd.Series(out, index=names.index)


@parser("cbs_gm2022_ggd", VALUES)
def cbs_gm2022_ggd(ctx: BuildContext, source: Source, path: Path) -> None:
    inds = ctx.indicators_for(source.id)
    df = read_csv(path, sep=";", required=["Regio"] + [i.columns[source.id] for i in inds])
    codes = _ggd_codes(ctx, source, path, df["Regio"], "Regio")
    levels = levels_of(path, codes, "Regio")
    period = source_period(source, path)
    division = source_division_year(source, period)
    frames = []
    for ind in inds:
        col = ind.columns[source.id]
        v = to_number(path, df[col], col, decimal_comma=True)
        frames.append(value_frame(codes=codes, levels=levels, division_year=division, period=period,
                                  age_group="18+", indicator_id=ind.id, values=v,
                                  present_status="observed", source=source))
    ctx.add_values(pd.concat(frames, ignore_index=True))


@parser("vzinfo_lv", VALUES)
def vzinfo_lv(ctx: BuildContext, source: Source, path: Path) -> None:
    """Registry columns read '<value column>|<Geslacht>' (e.g. 'Bij geboorte|Mannen')."""
    inds = ctx.indicators_for(source.id)
    specs = {i.id: i.columns[source.id].split("|", 1) for i in inds}
    value_cols = sorted({s[0] for s in specs.values()})
    df = read_csv(path, sep=";", required=["GGD-regio", "Geslacht"] + value_cols)
    codes = _ggd_codes(ctx, source, path, df["GGD-regio"], "GGD-regio")
    levels = levels_of(path, codes, "GGD-regio")
    sex = df["Geslacht"].str.strip()
    period = source_period(source, path)
    division = source_division_year(source, period)
    frames = []
    for ind in inds:
        col, wanted = specs[ind.id]
        if not (sex == wanted).any():
            raise SourceError(path, f"no rows with Geslacht = {wanted!r} (needed by {ind.id})",
                              where="column Geslacht")
        sel = (sex == wanted).to_numpy()
        v = to_number(path, df[col], col, decimal_comma=True)[sel]
        frames.append(value_frame(codes=codes[sel], levels=levels[sel], division_year=division,
                                  period=period, age_group="all", indicator_id=ind.id, values=v,
                                  present_status="observed", source=source))
    ctx.add_values(pd.concat(frames, ignore_index=True))
