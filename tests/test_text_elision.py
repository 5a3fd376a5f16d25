"""French elides and contracts where a template meets a name; Dutch and English fill as written."""

from __future__ import annotations

import pytest

from healthgap.ui.texts import fill, join_fr, t


@pytest.mark.parametrize(("name", "expected"), [
    ("Utrecht", "la province d'Utrecht"),
    ("Overijssel", "la province d'Overijssel"),
    ("Limburg", "la province de Limburg"),
    ("Noord-Holland", "la province de Noord-Holland"),
    ("IJsselland", "la province d'IJsselland"),
    ("Hainaut", "la province de Hainaut"),  # aspirated h: no elision, as in Walloon usage
    ("Anvers", "la province d'Anvers"),
])
def test_french_province_names_elide_before_a_vowel(name, expected):
    assert t("benchmark.provincie.name", "fr", name=name) == expected


def test_dutch_and_english_province_names_are_filled_as_written():
    assert t("benchmark.provincie.name", "nl", name="Utrecht") == "de provincie Utrecht"
    assert "Utrecht" in t("benchmark.provincie.name", "en", name="Utrecht")
    assert fill("taken de {name}", {"name": "Amsterdam"}, "nl") == "taken de Amsterdam"
    assert fill("more than {name}", {"name": "Amsterdam"}, "en") == "more than Amsterdam"


@pytest.mark.parametrize(("template", "value", "expected"), [
    ("plus élevé que {x}", "Amsterdam", "plus élevé qu'Amsterdam"),
    ("plus élevé que {x}", "la province d'Utrecht", "plus élevé que la province d'Utrecht"),
    ("De {x} à 2020", "Emmen", "D'Emmen à 2020"),
    ("nettement de {x}", "les communes comparables", "nettement des communes comparables"),
    ("la commune de {x}", "Le Rœulx", "la commune du Rœulx"),
    ("habitants à {x}", "Les Bons Villers", "habitants aux Bons Villers"),
    ("habitants à {x}", "Le Rœulx", "habitants au Rœulx"),
    ("habitants à {x}", "Amsterdam", "habitants à Amsterdam"),
    ("de {x}", "Écaussinnes", "d'Écaussinnes"),
    ("de {x}", "Huy", "de Huy"),
    ("de {x}", "2020", "de 2020"),
    ("de {x}", "8,1 %", "de 8,1 %"),
    ("le {x}", "11 mars", "le 11 mars"),
    ("monde {x}", "Amsterdam", "monde Amsterdam"),  # only the word 'de', not a word ending in it
    ("(de {x})", "Almere", "(d'Almere)"),
    ("de {x}", "", "de "),
])
def test_french_joins_at_the_seam(template, value, expected):
    assert fill(template, {"x": value}, "fr") == expected


def test_a_value_is_never_rewritten_inside_itself():
    """Only the template's word before the value changes: Dutch text in a value stays Dutch."""
    assert fill("Fichier {x}", {"x": "de inwoners van Ede"}, "fr") == "Fichier de inwoners van Ede"
    assert join_fr("voir ", "de Amsterdam") == ("voir ", "de Amsterdam")


def test_french_sentences_read_correctly_with_vowel_initial_names():
    benchmark = t("benchmark.provincie.name", "fr", name="Utrecht")
    sentence = t("takeaway.similar", "fr", indicator="Obésité", gemeente="Ede",
                 benchmark=t("benchmark.peers.name", "fr"), value="1", benchmark_value="2",
                 period="2022")
    assert "de les" not in sentence and "des communes comparables" in sentence
    heading = t("overzicht.worse_heading", "fr", benchmark=benchmark)
    assert heading == "Moins bon que la province d'Utrecht"


def test_format_specs_and_conversions_still_work():
    assert fill("de {x:.1f} et {y!r}", {"x": 1.25, "y": "a"}, "fr") == "de 1.2 et 'a'"

