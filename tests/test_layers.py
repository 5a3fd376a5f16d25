"""Layers import one way: pages render, healthgap/store.py reads, indicators/ computes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from healthgap.settings import PROJECT_ROOT

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|CREATE\s+TABLE|UPDATE\s+\w+\s+SET|"
                 r"DELETE\s+FROM|WITH\s+\w+\s+AS\s*\()", re.IGNORECASE | re.DOTALL)
STATS_MODULES = {"numpy", "scipy", "statsmodels", "duckdb", "mapclassify", "jenkspy", "sklearn"}
STATS_CALLS = {"mean", "std", "var", "median", "quantile", "percentile", "corr", "cov",
               "polyfit", "lstsq", "rank", "zscore", "sqrt", "log", "exp"}
ALLOWED_PAGE_IMPORTS = ("streamlit", "healthgap.ui", "healthgap.store", "indicators",
                        "__future__", "healthgap.settings")


def string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def python_files_outside_the_data_layer() -> list[Path]:
    files = [PROJECT_ROOT / "app.py", *PAGES]
    for folder in ("healthgap", "indicators", "bench"):
        files += sorted((PROJECT_ROOT / folder).rglob("*.py"))
    data_layer = [PROJECT_ROOT / "healthgap" / "store.py", PROJECT_ROOT / "healthgap" / "build"]
    return [f for f in files if f.exists() and not any(
        f == d or d in f.parents for d in data_layer)]


def test_no_module_outside_store_and_build_contains_sql():
    offenders = [f"{f.relative_to(PROJECT_ROOT)}: {s[:60]!r}"
                 for f in python_files_outside_the_data_layer()
                 for s in string_constants(f) if SQL.search(s)]
    assert not offenders, offenders


def test_pages_import_only_streamlit_store_indicators_and_ui():
    for page in PAGES:
        tree = ast.parse(page.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in STATS_MODULES, f"{page.name} imports {name}"
                assert name.startswith(ALLOWED_PAGE_IMPORTS), f"{page.name} imports {name}"


def test_pages_do_no_statistics_or_arithmetic_on_data():
    for page in PAGES:
        tree = ast.parse(page.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in STATS_CALLS, \
                    f"{page.name}:{node.lineno} calls .{node.func.attr}(); put it in indicators/"
            path_join = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and any(
                isinstance(side, ast.Constant) and isinstance(side.value, str)
                for side in (node.left, node.right))
            if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.Div, ast.Pow)) \
                    and not path_join:
                raise AssertionError(f"{page.name}:{node.lineno} computes with '-', '/' or '**'; "
                                     "statistics belong in indicators/ or healthgap/ui helpers")


def test_no_unsafe_html_anywhere_in_the_ui():
    for f in [PROJECT_ROOT / "app.py", *PAGES,
              *sorted((PROJECT_ROOT / "healthgap" / "ui").glob("*.py"))]:
        assert "unsafe_allow_html" not in f.read_text(encoding="utf-8"), f.name


def test_indicators_never_import_streamlit():
    for f in sorted((PROJECT_ROOT / "indicators").rglob("*.py")):
        text = f.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, f.name
