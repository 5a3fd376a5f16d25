"""Every public method in the gap-measure modules is documented in docs/methods.md, and the Dutch
and French translations (docs/methods.nl.md, docs/methods.fr.md) keep its structure: the same
headings, code names, code/math blocks, numbers and citations, so they cannot drift apart silently.
"""

import inspect
import re
from collections import Counter
from pathlib import Path

import pytest

from indicators import comparison, intervals, peers, phe_sii, trends

DOCS = Path(__file__).resolve().parents[1] / "docs"
DOC = DOCS / "methods.md"
TRANSLATIONS = {"nl": DOCS / "methods.nl.md", "fr": DOCS / "methods.fr.md"}
ALL = {"en": DOC, **TRANSLATIONS}
PUBLIC = [
    name
    for module in (intervals, comparison, phe_sii, trends, peers)
    for name, obj in vars(module).items()
    if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
]


def text(language: str) -> str:
    return ALL[language].read_text(encoding="utf-8")


def blocks(doc: str) -> list[str]:
    """Fenced code blocks and display math ($$ … $$), verbatim."""
    return re.findall(r"^```.*?^```|\$\$.*?\$\$", doc, flags=re.DOTALL | re.MULTILINE)


def prose(doc: str) -> str:
    return re.sub(r"`[^`]*`", " ", re.sub(r"^```.*?^```", " ", doc, flags=re.DOTALL | re.MULTILINE))


def code_names(doc: str) -> Counter:
    """Backticked names, whitespace-normalised (a long span may wrap at another place)."""
    return Counter(" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose_blocks(doc)))


def prose_blocks(doc: str) -> str:
    return re.sub(r"^```.*?^```", " ", doc, flags=re.DOTALL | re.MULTILINE)


def headings(doc: str) -> list[int]:
    return [len(m) for m in re.findall(r"^(#{1,6}) ", prose_blocks(doc), flags=re.MULTILINE)]


# How each language writes 100,000 and 1.96 (thousands separator, decimal mark).
SEPARATORS = {"en": (",", "."), "nl": (".", ","), "fr": ("\u202f\u00a0 ", ",")}


def numbers(doc: str, language: str) -> Counter:
    """Every number in the prose (years, citations, constants), in one notation."""
    thousands, decimal = SEPARATORS[language]
    body = prose(doc)
    body = re.sub(rf"(?<=\d)[{re.escape(thousands)}](?=\d{{3}}(?!\d))", "", body)
    if decimal != ".":
        body = re.sub(rf"(?<=\d){re.escape(decimal)}(?=\d)", ".", body)
    return Counter(re.findall(r"\d+(?:\.\d+)?", body))


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("language", list(ALL))
def test_method_is_documented(name, language):
    assert f"`{name}`" in text(language), f"{name} is missing from {ALL[language].name}"


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_translation_has_the_same_headings_per_level_in_the_same_order(language):
    assert headings(text(language)) == headings(text("en"))


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_translation_has_the_same_code_names(language):
    ours, original = code_names(text(language)), code_names(text("en"))
    assert ours == original, (f"only in {language}: {sorted((ours - original).elements())}; "
                              f"only in en: {sorted((original - ours).elements())}")


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_translation_has_the_same_code_and_math_blocks(language):
    assert blocks(text(language)) == blocks(text("en"))


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_translation_has_the_same_numbers_constants_and_citations(language):
    ours, original = numbers(text(language), language), numbers(text("en"), "en")
    assert ours == original, (f"only in {language}: {sorted((ours - original).elements())}; "
                              f"only in en: {sorted((original - ours).elements())}")


@pytest.mark.parametrize("language", list(TRANSLATIONS))
def test_translation_keeps_the_table_and_the_measure_headings(language):
    """The HEAT table has the same rows and measure codes; ### D … ### PAF stay as written."""

    def table(doc):
        rows = [row.split("|")[2] for row in doc.splitlines() if row.startswith("| ")]
        return [re.findall(r"\b[A-Z]{1,5}\b", row) for row in rows]

    def codes(doc):
        return re.findall(r"^### ([A-Z]+)$", doc, flags=re.MULTILINE)
    assert table(text(language)) == table(text("en"))
    assert codes(text(language)) == codes(text("en"))


def test_numbers_are_normalised_per_language():
    assert numbers("1,000 draws, z = 1.96, 2022;19(6):3697", "en") == \
        numbers("1.000 trekkingen, z = 1,96, 2022;19(6):3697", "nl") == \
        numbers("1\u202f000 tirages, z = 1,96, 2022;19(6):3697", "fr")
