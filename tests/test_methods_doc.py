"""Every public method in the gap-measure modules is documented in docs/methods.md."""

import inspect
from pathlib import Path

import pytest

from indicators import comparison, intervals, peers, phe_sii, trends

DOC = Path(__file__).resolve().parents[1] / "docs" / "methods.md"
PUBLIC = [
    name
    for module in (intervals, comparison, phe_sii, trends, peers)
    for name, obj in vars(module).items()
    if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
]


@pytest.mark.parametrize("name", PUBLIC)
def test_method_is_documented(name):
    assert f"`{name}`" in DOC.read_text(), f"{name} is missing from docs/methods.md"
