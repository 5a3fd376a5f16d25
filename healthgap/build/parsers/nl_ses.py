"""CBS socio-economic tables in their tidy re-writes: household income and regional key figures."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers import VALUES, parser
from healthgap.build.parsers.common import levels_of, source_division_year, value_frame
from healthgap.build.parsers.nl_codes import nl_code
from healthgap.build.readers import read_csv, to_number
from healthgap.registry import Source


def _needed_columns(inds, source_id: str) -> list[str]:
    cols: list[str] = []
    for ind in inds:
        spec = ind.columns[source_id]
        cols += [spec] if isinstance(spec, str) else [*spec["sum"], spec["divide_by"]]
    return list(dict.fromkeys(cols))


def _tidy(ctx: BuildContext, source: Source, path: Path) -> None:
    inds = ctx.indicators_for(source.id)
    df = read_csv(path, required=["gm_code", "perioden"] + _needed_columns(inds, source.id))
    codes = df["gm_code"].map(nl_code)
    levels = levels_of(path, codes, "gm_code")
    # '2024*' = provisional figures; the period is the year, the manifest says 'provisional'.
    periods = df["perioden"].str.strip().str.rstrip("*")
    bad = ~periods.str.fullmatch(r"\d{4}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"period {df['perioden'].iloc[i]!r} is not a year",
                          where=f"line {i + 2}, column perioden")
    division = source_division_year(source, periods.iloc[0])
    numbers = {c: to_number(path, df[c], c) for c in _needed_columns(inds, source.id)}
    frames = []
    for ind in inds:
        spec = ind.columns[source.id]
        if isinstance(spec, Mapping):
            # A share computed from counts; a suppressed count makes the share suppressed.
            num = sum((numbers[c] for c in spec["sum"]), start=pd.Series(0.0, index=df.index))
            num = num.where(pd.concat([numbers[c].notna() for c in spec["sum"]], axis=1).all(axis=1))
            den = numbers[spec["divide_by"]]
            v = (num / den.where(den > 0)) * float(spec["multiply"])
        else:
            v = numbers[spec]
        frames.append(value_frame(codes=codes, levels=levels, division_year=division, period=periods,
                                  age_group="all", indicator_id=ind.id, values=v,
                                  present_status="observed", source=source))
    ctx.add_values(pd.concat(frames, ignore_index=True))


@parser("cbs_inkomen_tidy", VALUES)
def cbs_inkomen_tidy(ctx: BuildContext, source: Source, path: Path) -> None:
    _tidy(ctx, source, path)


@parser("cbs_kerncijfers_tidy", VALUES)
def cbs_kerncijfers_tidy(ctx: BuildContext, source: Source, path: Path) -> None:
    _tidy(ctx, source, path)
