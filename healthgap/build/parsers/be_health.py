"""Belgian health files: COVID-19 vaccination in Flanders (Vaccinnet+, 10 March 2022) and
Sciensano cumulative confirmed COVID-19 cases up to 3 November 2020."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers import VALUES, parser
from healthgap.build.parsers.be_regions import be_code, be_level
from healthgap.build.parsers.be_ses import read_population
from healthgap.build.parsers.be_values import emit
from healthgap.build.readers import read_csv, to_number
from healthgap.registry import Source


@parser("be_vaccinnet_covid19", VALUES)
def be_vaccinnet_covid19(ctx: BuildContext, source: Source, path: Path) -> None:
    """Flemish municipalities only: the other municipalities get no rows (not covered, not
    suppressed). Aggregates only where every municipality of the area is Flemish (an arrondissement,
    a Flemish province, the Flemish Region)."""
    cols = ["NIS_CD", "ADULT_FL(18+)", "SENIOR_FL(65+)", "FULLY_VACCINATED_AMT", "BOOSTER_AMT",
            "POPULATION_NBR"]
    df = read_csv(path, required=cols)
    codes = df["NIS_CD"].map(be_code)
    for i, c in codes.items():
        if be_level(c, path, f"line {i + 2}, column NIS_CD") != "gemeente":
            raise SourceError(path, f"{c!r} is not a municipality code", where=f"line {i + 2}")
    n = {c: to_number(path, df[c], c) for c in cols[1:]}
    period = (source.period or "2022").strip()[:4]
    frames = []
    for age, sel in (("all", pd.Series(True, index=df.index)), ("18+", n["ADULT_FL(18+)"] == 1),
                     ("65+", n["SENIOR_FL(65+)"] == 1)):
        g = pd.DataFrame({"code": codes[sel], "full": n["FULLY_VACCINATED_AMT"][sel],
                          "boost": n["BOOSTER_AMT"][sel], "pop": n["POPULATION_NBR"][sel]})
        s = g.groupby("code", as_index=False).sum(min_count=1)
        for ind, col in (("be_covid_vaccinated_full_pct", "full"), ("be_covid_vaccinated_booster_pct", "boost")):
            frames.append(pd.DataFrame({"code": s["code"], "period": period, "age_group": age,
                                        "indicator_id": ind, "num": s[col], "den": s["pop"]}))
    comps = pd.concat(frames, ignore_index=True)
    over = comps[comps["num"] > comps["den"]]
    if len(over):
        ctx.warnings.append(f"{source.id}: {len(over)} municipality/age rows with more vaccinated "
                            "persons than the Vaccinnet+ population (different reference populations); "
                            "shown as 100 %")
    emit(ctx, source, comps.assign(num=comps["num"].clip(upper=comps["den"])), source.division_year or 2019,
         multiply=100)


@parser("be_sciensano_covid19_cases", VALUES)
def be_sciensano_covid19_cases(ctx: BuildContext, source: Source, path: Path) -> None:
    """Cases per 1,000 inhabitants (Statbel population on 1-1-2020, from the be_statbel_population
    source). '<5' (Herstappe) -> suppressed. The row without a municipality (cases of unknown
    residence) is not loaded; therefore no value for Belgium, and an area containing a suppressed
    municipality gets none either."""
    df = read_csv(path, required=["NIS5", "CASES"])
    raw = df["NIS5"].str.strip()
    unknown = raw.isin(["", "NA"])
    df = df[~unknown]
    codes = df["NIS5"].map(be_code)
    for i, c in codes.items():
        if be_level(c, path, f"line {i + 2}, column NIS5") != "gemeente":
            raise SourceError(path, f"{c!r} is not a municipality code", where=f"line {i + 2}")
    cases_txt = df["CASES"].str.strip()
    small = cases_txt == "<5"
    cases = to_number(path, cases_txt.mask(small, ""), "CASES")
    pop_source = ctx.sources.get("be_statbel_population")
    if pop_source is None:
        raise SourceError(path, "the denominator needs the source be_statbel_population")
    pop = read_population(ctx.sources_dir / pop_source.path)
    pop = pop[pop["year"] == "2020"].set_index("nis")["pop_total"]
    den = codes.map(pop)
    if den.isna().any():
        raise SourceError(path, f"no 2020 population for {codes[den.isna()].iloc[0]}")
    emit(ctx, source, pd.DataFrame({"code": codes, "period": "2020", "age_group": "all",
                                    "indicator_id": "be_covid_cases_per_1000", "num": cases, "den": den}),
         source.division_year or 2019, multiply=1000)
