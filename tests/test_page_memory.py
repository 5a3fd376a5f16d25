"""Pages hand widgets no function of their own (memory per session, issue 8).

A widget keeps its format_func / on_change / on_click (and a download button its data callable)
in the session for as long as the session lives. A lambda or function defined in a page script
holds that run's whole page namespace through its globals, so every DataFrame and figure of the
page stayed in memory once per session: the Data page's unfiltered table was 95 MB per session
(bench/README.md). Pages use healthgap.ui helpers (healthgap/ui/labels.py) instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

from healthgap.settings import PROJECT_ROOT

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
KEPT_BY_WIDGETS = {"format_func", "on_change", "on_click", "data"}


def page_functions(tree: ast.Module) -> set[str]:
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def offenders(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = page_functions(tree)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg not in KEPT_BY_WIDGETS:
                continue
            v = kw.value
            if isinstance(v, ast.Lambda) or (isinstance(v, ast.Name) and v.id in own):
                out.append(f"{path.name}:{v.lineno} {kw.arg}=")
    return out


def test_pages_pass_no_page_function_to_widgets():
    found = [o for p in PAGES for o in offenders(p)]
    assert not found, f"use a healthgap.ui helper (see healthgap/ui/labels.py): {found}"


def test_the_check_finds_a_lambda(tmp_path):
    page = tmp_path / "p.py"
    page.write_text("import streamlit as st\n"
                    "def cb():\n    pass\n"
                    "st.selectbox('a', [1], format_func=lambda v: str(v))\n"
                    "st.button('b', on_click=cb)\n")
    assert len(offenders(page)) == 2
