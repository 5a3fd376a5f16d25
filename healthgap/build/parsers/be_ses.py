"""Belgian socio-economic and population files: Statbel fiscal income (2005-2020 and 2023),
population by age and nationality (2009-2021), households without a car (2019), and the Belgian
Index of Multiple Deprivation (Sciensano; 2001 and 2011, municipalities and Brussels sectors)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers import VALUES, parser
from healthgap.build.parsers.be_regions import (
    BE_COUNTRY_CODE,
    BE_CURRENT,
    be_code,
    be_level,
    be_reference,
)
from healthgap.build.parsers.be_values import emit, published
from healthgap.build.readers import read_csv, to_number
from healthgap.registry import Source


def _codes(path: Path, s: pd.Series, column: str, level: str = "gemeente") -> pd.Series:
    codes = s.map(be_code)
    for idx, code in codes.items():
        if be_level(code, path, f"line {idx + 2}, column {column}") != level:
            raise SourceError(path, f"{code!r} is not a {level} code", where=f"line {idx + 2}, column {column}")
    return codes


def _year(path: Path, s: pd.Series, column: str) -> pd.Series:
    y = s.str.strip()
    bad = ~y.str.fullmatch(r"\d{4}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"{s.iloc[i]!r} is not a year", where=f"line {i + 2}, column {column}")
    return y


@parser("be_statbel_income", VALUES)
def be_statbel_income(ctx: BuildContext, source: Source, path: Path) -> None:
    """TF_PSNL_INC_TAX_MUNTY 2005-2020 on the 2019 municipalities (581)."""
    cols = ["CD_YEAR", "CD_MUNTY_REFNIS", "MS_NBR_NON_ZERO_INC", "MS_TOT_NET_TAXABLE_INC", "MS_TOT_RESIDENTS"]
    df = read_csv(path, required=cols)
    codes = _codes(path, df["CD_MUNTY_REFNIS"], "CD_MUNTY_REFNIS")
    period = _year(path, df["CD_YEAR"], "CD_YEAR")
    n = {c: to_number(path, df[c], c) for c in cols[2:]}
    base = pd.DataFrame({"code": codes, "period": period, "age_group": "all"})
    year = source.division_year or 2019
    emit(ctx, source, base.assign(indicator_id="be_income_per_return", num=n["MS_TOT_NET_TAXABLE_INC"],
                                  den=n["MS_NBR_NON_ZERO_INC"]), year, multiply=1 / 1000)
    emit(ctx, source, base.assign(indicator_id="be_income_per_inhabitant", num=n["MS_TOT_NET_TAXABLE_INC"],
                                  den=n["MS_TOT_RESIDENTS"]), year, multiply=1 / 1000)
    emit(ctx, source, base.assign(indicator_id="be_tax_returns", num=n["MS_NBR_NON_ZERO_INC"]), year)


NATIONAL_DECLARATIONS_2023 = 6_846_186  # Statbel, income year 2023 (the file's national row)


@parser("be_statbel_income_2023", VALUES)
def be_statbel_income_2023(ctx: BuildContext, source: Source, path: Path) -> None:
    """Statbel income year 2023 (581 codes + the national row 1000). The average per return is
    published rounded to the euro: aggregates use average x returns, which is within 0.5 euro per
    return of the exact total; Belgium keeps the published national row."""
    cols = ["nis", "year", "declarations", "avg_income_per_declaration", "median_income_per_declaration"]
    df = read_csv(path, required=cols)
    codes = df["nis"].map(be_code)
    levels = pd.Series([be_level(c, path, f"line {i + 2}, column nis") for i, c in codes.items()], index=df.index)
    period = _year(path, df["year"], "year")
    n = {c: to_number(path, df[c], c) for c in cols[2:]}
    nat = levels == "country"
    if nat.sum() != 1 or codes[nat].iloc[0] != BE_COUNTRY_CODE:
        raise SourceError(path, "expected exactly one national row (nis 1000)", where="column nis")
    gm = levels == "gemeente"
    total = n["declarations"][gm].sum()
    if total != n["declarations"][nat].iloc[0]:
        raise SourceError(path, f"declarations of the municipalities add up to {total:,.0f}, the "
                                f"national row says {n['declarations'][nat].iloc[0]:,.0f}")
    year = source.division_year or 2019
    base = pd.DataFrame({"code": codes[gm], "period": period[gm], "age_group": "all"})
    no_country = ("arrondissement", "province", "region")  # Belgium: the published row
    emit(ctx, source, base.assign(indicator_id="be_tax_returns", num=n["declarations"][gm]), year,
         levels=no_country)
    emit(ctx, source, base.assign(indicator_id="be_income_per_return",
                                  num=n["avg_income_per_declaration"][gm] * n["declarations"][gm],
                                  den=n["declarations"][gm]), year, multiply=1 / 1000, levels=no_country)
    rows = []
    for ind, col, scale in (("be_tax_returns", "declarations", 1),
                            ("be_income_per_return", "avg_income_per_declaration", 1 / 1000),
                            ("be_income_median_per_return", "median_income_per_declaration", 1 / 1000)):
        # Medians for every municipality and Belgium; the other two only the national row.
        sel = gm | nat if ind == "be_income_median_per_return" else nat
        rows.append(pd.DataFrame({"code": codes[sel], "level": levels[sel], "period": period[sel],
                                  "age_group": "all", "indicator_id": ind,
                                  "value": n[col][sel] * scale, "line": df.index[sel] + 2}))
    out = pd.concat(rows, ignore_index=True)
    published(ctx, source, out, year)
    # Belgium is the same territory in the 2025 division.
    published(ctx, source, out[out["level"] == "country"], BE_CURRENT)


AGE_COLS_65 = ["age_65_69", "age_70_74", "age_75_79", "age_80_84", "age_85_89", "age_90_94", "age_95_plus"]
AGE_COLS_U20 = ["age_0_4", "age_5_9", "age_10_14", "age_15_19"]


def read_population(path: Path) -> pd.DataFrame:
    """Municipality x year sums of the Statbel population file (both sexes)."""
    cols = ["year", "nis", "sex", "pop_total", "pop_non_belgian", *AGE_COLS_65, *AGE_COLS_U20]
    df = read_csv(path, required=cols)
    df["nis"] = _codes(path, df["nis"], "nis")
    df["year"] = _year(path, df["year"], "year")
    num = pd.DataFrame({c: to_number(path, df[c], c) for c in cols[3:]})
    num["nis"], num["year"] = df["nis"], df["year"]
    return num.groupby(["year", "nis"], as_index=False).sum(min_count=1)


@parser("be_statbel_population", VALUES)
def be_statbel_population(ctx: BuildContext, source: Source, path: Path) -> None:
    """Population on 1 January of `year`: 589 codes (division 2018) up to 2018, 581 (2019) after."""
    pop = read_population(path)
    ref = be_reference(ctx)
    m = ref.municipalities
    for year, sel in ((2018, pop["year"].astype(int) <= 2018), (2019, pop["year"].astype(int) >= 2019)):
        p = pop[sel]
        want = set(m.loc[m["division_year"] == year, "code"])
        for period, g in p.groupby("year"):
            if set(g["nis"]) != want:
                raise SourceError(path, f"year {period}: the municipalities are not those of the {year} "
                                        f"division ({len(set(g['nis']))} codes)")
        base = pd.DataFrame({"code": p["nis"], "period": p["year"], "age_group": "all"})
        emit(ctx, source, base.assign(indicator_id="be_population_total", num=p["pop_total"]), year)
        emit(ctx, source, base.assign(indicator_id="be_population_65_plus_pct",
                                      num=p[AGE_COLS_65].sum(axis=1), den=p["pop_total"]), year, multiply=100)
        emit(ctx, source, base.assign(indicator_id="be_population_under_20_pct",
                                      num=p[AGE_COLS_U20].sum(axis=1), den=p["pop_total"]), year, multiply=100)
        emit(ctx, source, base.assign(indicator_id="be_population_non_belgian_pct",
                                      num=p["pop_non_belgian"], den=p["pop_total"]), year, multiply=100)


@parser("be_statbel_households_cars", VALUES)
def be_statbel_households_cars(ctx: BuildContext, source: Source, path: Path) -> None:
    df = read_csv(path, required=["year", "nis", "cars_per_household_class", "n_households"])
    codes = _codes(path, df["nis"], "nis")
    n = to_number(path, df["n_households"], "n_households")
    cls = df["cars_per_household_class"].str.strip()
    if not cls.isin(["0", "1", "2", "3+"]).all():
        raise SourceError(path, "unknown car class; expected 0, 1, 2 or 3+", where="column cars_per_household_class")
    period = _year(path, df["year"], "year")
    g = pd.DataFrame({"code": codes, "period": period, "n": n, "none": n.where(cls == "0", 0.0)})
    s = g.groupby(["code", "period"], as_index=False)[["n", "none"]].sum(min_count=1)
    emit(ctx, source, pd.DataFrame({"code": s["code"], "period": s["period"], "age_group": "all",
                                    "indicator_id": "be_households_without_car_pct",
                                    "num": s["none"], "den": s["n"]}), source.division_year or 2019,
         multiply=100)


BIMD_DOMAINS = {"income": "income", "employment": "employment", "education": "edu",
                "housing": "hous", "crime": "crime", "health": "health"}


def _bimd_id(domain: str, what: str) -> str:
    return f"be_bimd_{what}" if domain == "bimd" else f"be_bimd_{domain}_{what}"


@parser("be_bimd_municipality", VALUES)
def be_bimd_municipality(ctx: BuildContext, source: Source, path: Path) -> None:
    """BIMD 2001/2011 per municipality (589 codes, 2018 division): scores, ranks, deciles as
    published; not aggregated (municipal scores are averages of sector scores)."""
    text = path.name
    m = re.search(r"(\d{4})", text)
    df = read_csv(path, required=["code"])
    years = sorted({c.rsplit("_", 1)[1] for c in df.columns if re.fullmatch(r"average_score_\w+_\d{4}", c)})
    if len(years) != 1:
        raise SourceError(path, "expected columns average_score_<domain>_<year> of one year", where="header")
    y = years[0]
    if m and m.group(1) != y:
        raise SourceError(path, f"file name says {m.group(1)}, columns say {y}", where="header")
    codes = _codes(path, df["code"], "code")
    rows = []
    for domain in [*BIMD_DOMAINS, "bimd"]:
        for what, col in (("score", f"average_score_{domain}_{y}"),
                          ("rank", f"rank_average_score_{domain}_{y}"),
                          ("decile", f"decile_{domain}_{y}")):
            if col not in df.columns:
                raise SourceError(path, f"required column missing: {col}", where="header")
            rows.append(pd.DataFrame({"code": codes, "level": "gemeente", "period": y, "age_group": "all",
                                      "indicator_id": _bimd_id(domain, what),
                                      "value": to_number(path, df[col], col), "line": df.index + 2}))
    year = source.division_year or 2018
    out = pd.concat(rows, ignore_index=True)
    ref = be_reference(ctx)
    want = set(ref.municipalities.query("division_year == @year")["code"])
    if set(codes) != want:
        raise SourceError(path, f"municipality codes are not those of the {year} division")
    published(ctx, source, out, year)
    for later in (2019, BE_CURRENT):
        if later > year:
            carried = carry_unchanged(out, ref.to_year(year, later))
            published(ctx, source, carried, later)


def carry_unchanged(df: pd.DataFrame, successor: dict[str, str]) -> pd.DataFrame:
    """Published municipal values (scores, ranks, deciles) carried to a later division for every
    municipality whose territory did not change: its successor code has this one predecessor
    only (unchanged, or a renumber such as the Walloon codes of 2019). A successor formed by a
    merger gets no row: a score, rank or decile of several predecessors cannot be combined.
    Ranks keep their meaning among the municipalities of the original division."""
    succ = pd.Series(successor)
    single = succ[succ.map(succ.value_counts()) == 1]
    out = df[df["code"].isin(single.index)].copy()
    out["code"] = out["code"].map(single)
    return out


def _sector_rows(ctx: BuildContext, source: Source, path: Path, df: pd.DataFrame,
                 spec: dict[str, str]) -> None:
    """Brussels sectors only (those with a 2021 geometry); other sectors are not loaded."""
    codes = df["CD_RES_SECTOR"].map(be_code)
    year = source.division_year or 2019
    have = set()
    for b in ctx.boundaries:
        sel = b[(b["country"] == "BE") & (b["level"] == "sector") & (b["division_year"] == year)]
        have |= set(sel["code"])
    if not have:
        raise SourceError(path, "no Brussels sector boundary was read (be_statsec_brussels_2021)")
    brussels = codes.str.startswith("21")
    keep = brussels & codes.isin(have)
    dropped = sorted(codes[brussels & ~keep])
    if dropped:
        ctx.warnings.append(f"{source.id}: {len(dropped)} Brussels sector(s) of 2011 without a 2021 "
                            f"sector geometry not loaded: {', '.join(dropped)}")
    rows = []
    for ind, col in spec.items():
        if col not in df.columns:
            raise SourceError(path, f"required column missing: {col}", where="header")
        rows.append(pd.DataFrame({"code": codes[keep], "level": "sector", "period": "2011",
                                  "age_group": "all", "indicator_id": ind,
                                  "value": to_number(path, df[col], col)[keep],
                                  "line": df.index[keep] + 2}))
    published(ctx, source, pd.concat(rows, ignore_index=True), year)


@parser("be_bimd_sector", VALUES)
def be_bimd_sector(ctx: BuildContext, source: Source, path: Path) -> None:
    df = read_csv(path, required=["CD_RES_SECTOR"])
    spec = {}
    for domain, short in BIMD_DOMAINS.items():
        spec[_bimd_id(domain, "score")] = f"exp_score_{short}_domain"
        spec[_bimd_id(domain, "rank")] = f"rank_{short}_domain"
        spec[_bimd_id(domain, "decile")] = f"deciles_{short}_domain"
    spec.update({"be_bimd_score": "BIMD2011_score", "be_bimd_rank": "BIMD2011_rank",
                 "be_bimd_decile": "BIMD2011_deciles_domain"})
    _sector_rows(ctx, source, path, df, spec)


@parser("be_bimd_sector_without_health", VALUES)
def be_bimd_sector_without_health(ctx: BuildContext, source: Source, path: Path) -> None:
    df = read_csv(path, required=["CD_RES_SECTOR", "score", "rank", "deciles"])
    _sector_rows(ctx, source, path, df, {"be_bimd_without_health_score": "score",
                                         "be_bimd_without_health_rank": "rank",
                                         "be_bimd_without_health_decile": "deciles"})
