"""Uploaded figures: an overlay connection per session, the built database never written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from test_apptest_pages import _fresh_app, db, db_file, run_app, texts_of  # noqa: F401

from healthgap import store
from healthgap.ui import data

pytestmark = pytest.mark.shared_data

IND = "eigen_rookt_wijkenquete"
SOURCE = "upload:test0001"


def upload(values: dict[str, float], period: str = "2023") -> dict:
    """A validated upload as the page keeps it (the tables' columns, one indicator)."""
    ind = pd.DataFrame([{
        "indicator_id": IND, "label_nl": "Rookt (eigen wijkenquête)",
        "label_en": "Rookt (eigen wijkenquête)", "label_fr": "Rookt (eigen wijkenquête)",
        "definition_nl": "Geladen door de gebruiker.", "definition_en": "Uploaded by the user.",
        "definition_fr": "Chargé par l'utilisateur.", "theme": "upload", "unit": "percent",
        "scale": 100.0, "decimals": 1, "polarity": "low_is_good", "value_type": "proportion",
        "modelled": False, "source_id": SOURCE, "licence": "eigen gegevens"}])
    vals = pd.DataFrame([{
        "area_code": code, "level": "gemeente", "division_year": 2025, "period": period,
        "age_group": "all", "indicator_id": IND, "value": v, "lower": None, "upper": None,
        "numerator": None, "denominator": None, "status": "observed", "source_id": SOURCE}
        for code, v in values.items()])
    src = pd.DataFrame([{
        "source_id": SOURCE, "country": "NL", "publisher": "GGD test", "title": "enquete.csv",
        "licence": "eigen gegevens", "attribution": "GGD test, eigen enquête", "path": "enquete.csv",
        "origin": None, "parser": "upload", "period": period, "sha256": "0" * 64, "bytes": 10}])
    return {IND: {"indicators": ind, "indicator_values": vals, "sources": src}}


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_overlay_shows_base_and_uploaded_rows_and_writes_nothing(db_file):
    before = sha(db_file)
    frames = data.upload_frames(upload({"GM0363": 21.5, "GM0599": 25.0}))
    s = store.connect_overlay(db_file, None, frames, extra_key="x")
    try:
        cat = store.indicator_catalog(s)
        assert IND in set(cat["indicator_id"]) and len(cat) > 100
        vals = store.values_for(s, IND, "2023", "all", "gemeente")
        assert dict(zip(vals["area_code"], vals["value"], strict=True)) == {
            "GM0363": 21.5, "GM0599": 25.0}
        assert vals["name"].tolist() == ["Amsterdam", "Rotterdam"]  # joined with the base areas
        assert SOURCE in set(store.sources(s)["source_id"])
        assert s.key != s.base_key and s.key.startswith(s.base_key)
    finally:
        s.con.close()
    assert sha(db_file) == before


def test_uploaded_indicator_is_on_the_map_of_its_session_only():
    mine = run_app("pages/kaart.py", session={data.K_UPLOADS: upload({"GM0363": 21.5}),
                                              "sel_indicator": IND, "sel_gemeente": "GM0363"})
    text = texts_of(mine)
    assert "Rookt (eigen wijkenquête)" in text and "21,5%" in text
    assert "geen referentiewaarde" in text  # no national figure: not compared, never "similar"
    home = run_app(session={data.K_UPLOADS: upload({"GM0363": 21.5}), "sel_indicator": IND})
    assert "GGD test, eigen enquête" in texts_of(home)  # the footer names the user's source
    other = run_app(indicator=IND)  # a second session with a link to the uploaded indicator
    assert "Rookt (eigen wijkenquête)" not in texts_of(other)
    assert any("bestaat niet" in i.value for i in other.info)  # unknown indicator note


def test_every_page_renders_an_uploaded_indicator():
    session = {data.K_UPLOADS: upload({"GM0363": 21.5, "GM0599": 25.0, "GM0344": 18.0}),
               "sel_indicator": IND, "sel_gemeente": "GM0599"}
    for page in ("pages/overzicht.py", "pages/profiel.py", "pages/vergelijken.py",
                 "pages/ongelijkheid.py", "pages/trends.py", "pages/data.py"):
        at = run_app(page, session=session)
        assert not at.error, (page, [e.value for e in at.error])
