"""indicators/ stays pure Python: no streamlit, no duckdb, no SQL strings."""

import re
from pathlib import Path

import pytest

MODULES = sorted((Path(__file__).resolve().parents[1] / "indicators").glob("*.py"))
SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|CREATE\s+TABLE|DELETE\s+FROM)\b", re.I | re.S)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_indicator_module_imports_no_ui_or_database(path):
    text = path.read_text()
    assert not re.search(r"^\s*(import|from)\s+(streamlit|duckdb)\b", text, re.M)
    assert not SQL.search(text)
