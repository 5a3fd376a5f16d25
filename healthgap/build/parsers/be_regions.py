"""Belgian reference lists: NIS codes and names of the three municipal divisions (2018: 589,
2019: 581, 2025: 565), the region/province/arrondissement hierarchy per division, the official
language of each municipality, and the 2018 -> 2019 -> 2025 crosswalk.

Codes are NIS/REFNIS codes kept as 5-character strings with leading zeros ('01000' Belgium,
'02000' Flanders, '04000' Brussels). Names: `name` is the name in the municipality's official
language (Dutch for bilingual Brussels), `name_nl` / `name_fr` / `name_de` the Statbel names in
each language (exonyms included, so 'Luik' and 'Anvers' stay searchable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from healthgap.build.context import BuildContext
from healthgap.build.errors import SourceError
from healthgap.build.parsers import REFERENCE, parser
from healthgap.build.readers import read_csv
from healthgap.registry import Source

BE = "BE"
BE_COUNTRY_CODE = "01000"
BE_COUNTRY_NAMES = ("België", "Belgique", "Belgien")
BE_YEARS = (2018, 2019, 2025)
BE_CURRENT = 2025
REGIONS = ("02000", "03000", "04000")
PROVINCES = ("10000", "20001", "20002", "30000", "40000", "50000", "60000", "70000", "80000", "90000")
HIGHER_LEVELS = ("arrondissement", "province", "region", "country")


def be_code(raw) -> str:
    """NIS code as text with its leading zero ('1000' -> '01000'); sector codes (9 characters)
    are kept as written."""
    code = str(raw).strip().strip('"')
    if re.fullmatch(r"\d{1,5}", code):
        return code.zfill(5)
    return code


def be_level(code: str, path: Path | str = "", where: str = "") -> str:
    if re.fullmatch(r"\d{5}[A-Z0-9]{3}[-0-9A-Z]", code):
        return "sector"
    if not re.fullmatch(r"\d{5}", code):
        raise SourceError(path, f"malformed NIS code {code!r}; expected 5 digits (municipality, "
                                "arrondissement, province, region, 01000 Belgium) or a "
                                "9-character statistical sector", where=where)
    if code == BE_COUNTRY_CODE:
        return "country"
    if code in REGIONS:
        return "region"
    if code in PROVINCES:
        return "province"
    if code.endswith("000"):
        return "arrondissement"
    return "gemeente"


@parser("be_municipality_codes", REFERENCE)
def be_municipality_codes(ctx: BuildContext, source: Source, path: Path) -> None:
    cols = ["nis_2018", "name_nl_2018", "name_fr_2018", "change_2019", "nis_2019", "name_nl_2019",
            "name_fr_2019", "name_de_2019", "change_2025", "nis_2025", "name_nl_2025",
            "name_fr_2025", "arr_nis_2019", "prov_nis_2019", "region_nis", "arr_nis_2025",
            "prov_nis_2025"]
    df = read_csv(path, required=cols)[cols].apply(lambda s: s.str.strip())
    for c in ("nis_2018", "nis_2019", "nis_2025", "arr_nis_2019", "arr_nis_2025", "region_nis"):
        df[c] = df[c].map(be_code)
        for i, code in enumerate(df[c], start=2):
            level = be_level(code, path, f"line {i}, column {c}")
            want = "gemeente" if c.startswith("nis_") else ("region" if c == "region_nis" else "arrondissement")
            if level != want:
                raise SourceError(path, f"{code!r} is not a {want} code", where=f"line {i}, column {c}")
    df = df.astype(object)
    for c in ("prov_nis_2019", "prov_nis_2025"):
        df[c] = [be_code(v) if isinstance(v, str) and v else None for v in df[c]]
    if df["nis_2018"].duplicated().any():
        raise SourceError(path, f"2018 code {df.loc[df['nis_2018'].duplicated(), 'nis_2018'].iloc[0]} "
                                "listed twice", where="column nis_2018")
    kinds = {"unchanged", "merger_2019", "recode_2019_same_territory"}
    bad = ~df["change_2019"].isin(kinds) | ~df["change_2025"].isin({"unchanged", "merger_2025"})
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, "unknown change kind", where=f"line {i + 2}")
    ctx.country_refs.setdefault(BE, {})["codes"] = df


@parser("be_refnis", REFERENCE)
def be_refnis(ctx: BuildContext, source: Source, path: Path) -> None:
    cols = ["LVL_REFNIS", "CD_REFNIS", "CD_SUP_REFNIS", "TX_REFNIS_DE", "TX_REFNIS_FR",
            "TX_REFNIS_NL", "DT_VLDT_START", "DT_VLDT_END"]
    df = read_csv(path, required=cols)[cols].apply(lambda s: s.str.strip())
    df["CD_REFNIS"] = df["CD_REFNIS"].map(be_code)
    df = df.astype(object)
    df["CD_SUP_REFNIS"] = [None if v in ("", "-") else be_code(v) for v in df["CD_SUP_REFNIS"]]
    for c in ("DT_VLDT_START", "DT_VLDT_END"):
        d = pd.to_datetime(df[c], format="%d/%m/%Y", errors="coerce")
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise SourceError(path, f"date {df[c].iloc[i]!r} is not dd/mm/yyyy", where=f"line {i + 2}, column {c}")
        df[c] = d
    ctx.country_refs.setdefault(BE, {})["refnis"] = df


@parser("be_linguistic_regime", REFERENCE)
def be_linguistic_regime(ctx: BuildContext, source: Source, path: Path) -> None:
    df = read_csv(path, required=["NIS_CODE", "LINGUISTIC_REGIME", "DESC_FR", "DESC_NL", "DESC_DE"])
    df["NIS_CODE"] = df["NIS_CODE"].map(be_code)
    regimes = df.drop_duplicates("NIS_CODE").set_index("NIS_CODE")["LINGUISTIC_REGIME"].str.strip()
    bad = ~regimes.str.fullmatch(r"[NFDB]\d")
    if bad.any():
        raise SourceError(path, f"unknown linguistic regime {regimes[bad].iloc[0]!r} for "
                                f"{regimes[bad].index[0]}", where="column LINGUISTIC_REGIME")
    ctx.country_refs.setdefault(BE, {})["regime"] = regimes.to_dict()


@dataclass
class BeReference:
    """Everything the other BE parsers and the areas/crosswalk steps need, built once."""

    municipalities: pd.DataFrame   # code, division_year, name, name_nl, name_fr, name_de, arr, prov, region
    higher: pd.DataFrame           # code, division_year, level, name, name_nl, name_fr, name_de, parent
    crosswalk: pd.DataFrame        # area_crosswalk rows

    def parents(self, year: int) -> pd.DataFrame:
        """gemeente -> arrondissement, province (None for Brussels), region, country."""
        m = self.municipalities[self.municipalities["division_year"] == year]
        return pd.DataFrame({"gemeente": m["code"].to_numpy(), "arrondissement": m["arr"].to_numpy(),
                             "province": m["prov"].to_numpy(), "region": m["region"].to_numpy(),
                             "country": BE_COUNTRY_CODE})

    def to_year(self, old_year: int, new_year: int) -> dict[str, str]:
        """Municipality code of `old_year` -> its (whole-union) successor in `new_year`."""
        if old_year == new_year:
            m = self.municipalities
            return {c: c for c in m.loc[m["division_year"] == old_year, "code"]}
        cw = self.crosswalk[(self.crosswalk["old_year"] == old_year) & (self.crosswalk["new_year"] == new_year)]
        return dict(zip(cw["old_code"], cw["new_code"], strict=True))


def _official(regime: str | None, nl: str, fr: str, de: str) -> str:
    """The name in the official language: Dutch (N*), French (F*), German (D*, French when
    Statbel has no German name); bilingual Brussels (B1) -> Dutch, with name_fr alongside."""
    r = (regime or "N")[0]
    if r == "F":
        return fr or nl
    if r == "D":
        return de or fr or nl
    return nl or fr


def be_reference(ctx: BuildContext) -> BeReference:
    refs = ctx.country_refs.get(BE, {})
    if "built" in refs:
        return refs["built"]
    missing = [k for k in ("codes", "refnis", "regime") if k not in refs]
    if missing:
        raise SourceError("data/sources.toml", "Belgian sources need the reference lists "
                          "be_municipality_codes, be_refnis and be_linguistic_regime; missing: "
                          + ", ".join(missing))
    codes, refnis, regime = refs["codes"], refs["refnis"], refs["regime"]
    to19 = dict(zip(codes["nis_2018"], codes["nis_2019"], strict=True))
    de19 = dict(zip(codes["nis_2019"], codes["name_de_2019"], strict=False))

    def valid_on(year: int) -> pd.DataFrame:
        day = pd.Timestamp(year=year, month=1, day=1)
        return refnis[(refnis["DT_VLDT_START"] <= day) & (refnis["DT_VLDT_END"] >= day)]

    r18 = valid_on(2018).drop_duplicates("CD_REFNIS").set_index("CD_REFNIS")
    r19 = valid_on(2019).drop_duplicates("CD_REFNIS").set_index("CD_REFNIS")
    arr_prov = {2018: r18.loc[r18["LVL_REFNIS"] == "3", "CD_SUP_REFNIS"].to_dict(),
                2019: r19.loc[r19["LVL_REFNIS"] == "3", "CD_SUP_REFNIS"].to_dict()}

    rows = []
    m18 = codes.drop_duplicates("nis_2018")
    for r in m18.itertuples():
        arr = r18["CD_SUP_REFNIS"].get(r.nis_2018)
        if arr is None:
            raise SourceError(ctx.paths.get("be_refnis", "REFNIS"),
                              f"2018 municipality {r.nis_2018} has no REFNIS row valid on 1-1-2018")
        de = r18["TX_REFNIS_DE"].get(r.nis_2018) or ""
        prov = arr_prov[2018].get(arr)
        rows.append(dict(code=r.nis_2018, division_year=2018, name_nl=r.name_nl_2018,
                         name_fr=r.name_fr_2018, name_de=de, regime=regime.get(to19[r.nis_2018]),
                         arr=arr, prov=None if prov in REGIONS else prov, region=r.region_nis))
    for r in codes.drop_duplicates("nis_2019").itertuples():
        rows.append(dict(code=r.nis_2019, division_year=2019, name_nl=r.name_nl_2019,
                         name_fr=r.name_fr_2019, name_de=r.name_de_2019, regime=regime.get(r.nis_2019),
                         arr=r.arr_nis_2019, prov=r.prov_nis_2019 or None, region=r.region_nis))
    for code, g in codes.groupby("nis_2025", sort=True):
        r = g.iloc[0]
        merged = len(set(g["nis_2019"])) > 1 or code not in set(g["nis_2019"])
        regimes = {regime.get(c) for c in g["nis_2019"]}
        rows.append(dict(code=code, division_year=2025, name_nl=r["name_nl_2025"],
                         name_fr=r["name_fr_2025"],
                         name_de="" if merged else de19.get(code, ""),
                         regime=regimes.pop() if len(regimes) == 1 else "N0",
                         arr=r["arr_nis_2025"], prov=r["prov_nis_2025"] or None, region=r["region_nis"]))
    mun = pd.DataFrame(rows)
    if set(mun.loc[mun["regime"].isna() & (mun["division_year"] == 2019), "code"]):
        raise SourceError(ctx.paths.get("be_linguistic_regime", "regime"),
                          "2019 municipalities without a linguistic regime: "
                          + ", ".join(sorted(mun.loc[mun["regime"].isna() & (mun["division_year"] == 2019), "code"])[:5]))
    mun["name"] = [_official(g, nl, fr, de) for g, nl, fr, de in
                   zip(mun["regime"], mun["name_nl"], mun["name_fr"], mun["name_de"], strict=True)]
    for c in ("name_fr", "name_de", "name_nl"):
        mun[c] = mun[c].where(mun[c].astype(bool), None)

    # Higher levels per division year, names from REFNIS (the version valid in that year).
    hrows = []
    for year in BE_YEARS:
        ref = r18 if year == 2018 else r19
        m = mun[mun["division_year"] == year]
        arrs = sorted(set(m["arr"]))
        for code in arrs:
            nl, fr, de = (ref.at[code, c] if code in ref.index else "" for c in
                          ("TX_REFNIS_NL", "TX_REFNIS_FR", "TX_REFNIS_DE"))
            region = m.loc[m["arr"] == code, "region"].iloc[0]
            prov = m.loc[m["arr"] == code, "prov"].iloc[0]
            hrows.append(dict(code=code, division_year=year, level="arrondissement", name_nl=nl,
                              name_fr=fr, name_de=de, parent=prov or region, region=region, prov=prov))
        for code in sorted(set(m["prov"].dropna())):
            region = m.loc[m["prov"] == code, "region"].iloc[0]
            hrows.append(dict(code=code, division_year=year, level="province",
                              name_nl=r19.at[code, "TX_REFNIS_NL"], name_fr=r19.at[code, "TX_REFNIS_FR"],
                              name_de=r19.at[code, "TX_REFNIS_DE"], parent=region, region=region, prov=code))
        for code in REGIONS:
            hrows.append(dict(code=code, division_year=year, level="region",
                              name_nl=r19.at[code, "TX_REFNIS_NL"], name_fr=r19.at[code, "TX_REFNIS_FR"],
                              name_de=r19.at[code, "TX_REFNIS_DE"], parent=BE_COUNTRY_CODE,
                              region=code, prov=None))
        hrows.append(dict(code=BE_COUNTRY_CODE, division_year=year, level="country",
                          name_nl=BE_COUNTRY_NAMES[0], name_fr=BE_COUNTRY_NAMES[1],
                          name_de=BE_COUNTRY_NAMES[2], parent=None, region=None, prov=None))
    higher = pd.DataFrame(hrows)
    # Regions, provinces and Belgium: the Dutch name (Dutch-first app); arrondissements in the
    # language of their region (Brussels: Dutch).
    higher["name"] = [fr if lvl == "arrondissement" and reg == "03000" and fr else nl
                      for lvl, reg, nl, fr in zip(higher["level"], higher["region"], higher["name_nl"],
                                                  higher["name_fr"], strict=True)]
    for c in ("name_fr", "name_de", "name_nl"):
        higher[c] = higher[c].where(higher[c].astype(bool), None)

    built = BeReference(municipalities=mun, higher=higher, crosswalk=_crosswalk(codes, mun))
    refs["built"] = built
    return built


def _crosswalk(codes: pd.DataFrame, mun: pd.DataFrame) -> pd.DataFrame:
    names = {(c, y): n for c, y, n in zip(mun["code"], mun["division_year"], mun["name"], strict=True)}
    regions_of = {(c, y): (a, p) for c, y, a, p in
                  zip(mun["code"], mun["division_year"], mun["arr"], mun["prov"], strict=True)}
    out = []

    def add(pairs: pd.DataFrame, old_year: int, new_year: int, date: str, kind_of) -> None:
        pairs = pairs.drop_duplicates()
        n_old = pairs.groupby("new")["old"].transform("size")
        for (old, new), n in zip(zip(pairs["old"], pairs["new"], strict=True), n_old, strict=True):
            kind = kind_of(old, new, n)
            note = None
            if kind == "merge":
                note = f"merged into {names[(new, new_year)]} ({new}) on {date}"
            elif kind == "renumber":
                note = (f"code changed to {new} on {date} (Hainaut arrondissements reorganised); "
                        "territory unchanged")
            if kind != "unchanged":
                (a0, p0), (a1, p1) = regions_of[(old, old_year)], regions_of[(new, new_year)]
                if p0 != p1:
                    note += f"; moved from province {p0} to {p1}"
                elif a0 != a1 and kind == "merge":
                    note += f"; moved from arrondissement {a0} to {a1}"
            out.append(dict(old_code=old, old_year=old_year, new_code=new, new_year=new_year,
                            share_of_old=1.0, kind=kind, note=note))

    def k19(old, new, n):
        return "merge" if n > 1 else ("renumber" if old != new else "unchanged")

    add(codes[["nis_2018", "nis_2019"]].set_axis(["old", "new"], axis=1), 2018, 2019, "1-1-2019", k19)
    add(codes[["nis_2019", "nis_2025"]].set_axis(["old", "new"], axis=1), 2019, 2025, "1-1-2025", k19)
    merged19 = set(codes.loc[codes["change_2019"] == "merger_2019", "nis_2018"])

    def k18_25(old, new, n):
        if n > 1 or old in merged19:
            return "merge"
        return "renumber" if old != new else "unchanged"

    add(codes[["nis_2018", "nis_2025"]].set_axis(["old", "new"], axis=1), 2018, 2025, "1-1-2019 or 1-1-2025", k18_25)
    return pd.DataFrame(out)
