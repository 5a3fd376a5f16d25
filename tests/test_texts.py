"""Every text key the code uses exists in data/texts/nl.toml, with the placeholders supplied."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from healthgap import story
from healthgap.settings import PROJECT_ROOT
from healthgap.ui import compare, compare_view, frame, groups, land, maps
from healthgap.ui.texts import _flat, placeholders, t

TEXT_FUNCS = {"t", "t_optional", "raw"}
SOURCES = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")),
           *sorted((PROJECT_ROOT / "healthgap" / "ui").glob("*.py"))]


def text_calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in TEXT_FUNCS and node.args:
            yield node


def literal_calls():
    for path in SOURCES:
        for call in text_calls(path):
            key = call.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names = {k.arg for k in call.keywords if k.arg}
                spread = any(k.arg is None for k in call.keywords)
                yield pytest.param(call.func.id, key.value, names, spread,
                                   id=f"{path.name}:{call.lineno}:{key.value}")


def dynamic_prefixes() -> set[str]:
    out = set()
    for path in SOURCES:
        for call in text_calls(path):
            key = call.args[0]
            if isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                out.add(key.values[0].value)
    return out


@pytest.mark.parametrize(("func", "key", "names", "spread"), list(literal_calls()))
def test_every_literal_key_exists_and_gets_its_placeholders(func, key, names, spread):
    flat = _flat("nl")
    if func == "t_optional":
        return  # optional lookups fall back by design; their keys are checked below
    assert key in flat, f"{key} missing from nl.toml"
    if func == "raw" or spread:
        return
    missing = placeholders(flat[key]) - names
    assert not missing, f"{key} needs {sorted(missing)}"
    extra = names - placeholders(flat[key]) - {"language"}
    assert not extra, f"{key} is given unused placeholders {sorted(extra)}"


# Every value a dynamic key (f-string) can take, from the code's own enumerations.
DYNAMIC_KEYS = {
    "pages.": [f"pages.{slug}.title" for _, slug, _ in frame.PAGE_REGISTRY],
    "benchmark.": [f"benchmark.{b}.option" for b in frame.BENCHMARKS + frame.BENCHMARKS_BE],
    "benchmark_be.": ["benchmark_be.provincie", "benchmark_be.arrondissement"],
    "land.": [f"land.{x}" for x in land.LANDS],
    "land_region.": [f"land_region.{c}" for c in land.REGION_OF.values()],
    "status.": [f"status.{s}" for s in ("observed", "modelled", "suppressed", "missing")],
    "polarity.": [f"polarity.{p}" for p in ("high_is_good", "low_is_good", "no_judgement")],
    "compare.category.": [f"compare.category.{c}" for c in (
        "much_better", "better", "similar", "worse", "much_worse", "much_higher", "higher",
        "lower", "much_lower", "not_compared", "no_benchmark", "other_country")],
    "compare.method.": [f"compare.method.{m}" for m in (
        "zscore_bands", "quintiles", "ci_overlap_95", "ci_overlap_95_998")],
    "kaart.mode.": ["kaart.mode.classes", "kaart.mode.comparison"],
    "kaart.method.": [f"kaart.method.{m}" for m in maps.CLASS_METHODS],
    "kaart.level.": ["kaart.level.gemeente", "kaart.level.wijk", "kaart.level.sector"],
    "overzicht.": [f"overzicht.{k}" for kind in ("worse", "better", "higher", "lower")
                   for k in (f"sentence_{kind}", f"sentence_much_{kind}")]
    + [f"overzicht.{k}_heading" for k in ("worse", "better", "higher", "lower")]
    + ["overzicht.none_worse", "overzicht.none_better"],
    "themes.": [f"themes.{th}" for th in frame.THEME_ORDER],
    "age_group.": [f"age_group.{a}" for a in ("18+", "18-64", "65+", "16-25", "all")],
    "levels.": [f"levels.{lv}" for lv in ("country", "province", "ggd_region", "gemeente", "wijk")],
    "unit_suffix.": ["unit_suffix.percent", "unit_suffix.per_1000"],
    "difference_suffix.": ["difference_suffix.percent"],
    "language.": [f"language.{lang}" for lang in ("nl", "en", "fr")],
    "vergelijken.kind.": [f"vergelijken.kind.{k}" for k in compare_view.GROUP_KINDS],
    "vergelijken.feature.": [f"vergelijken.feature.{f}" for f in groups.PEER_FEATURES_BE],
    "story.error.": [f"story.error.{k}" for k in story.ERROR_KEYS],
    "date.month_": [f"date.month_{m}" for m in range(1, 13)],
    "frame_land.country_": ["frame_land.country_nl", "frame_land.country_be"],
    "vergelijken_both.where_": ["vergelijken_both.where_nl", "vergelijken_both.where_be"],
}


def test_every_dynamic_key_prefix_is_enumerated_and_present():
    flat = _flat("nl")
    for prefix in dynamic_prefixes():
        owners = [k for k in DYNAMIC_KEYS if prefix.startswith(k)]
        assert owners, f"add the values of the dynamic key '{prefix}…' to this test"
        keys = [key for k in owners for key in DYNAMIC_KEYS[k] if key.startswith(prefix)]
        assert keys, f"no enumerated value starts with '{prefix}'"
        for key in keys:
            assert key in flat, f"{key} missing from nl.toml"


def test_comparison_outcomes_of_the_statistics_module_all_have_a_label():
    from indicators.comparison import DIRECTIONS, POLARITIES, word_by_polarity

    for polarity in POLARITIES:
        for direction in DIRECTIONS:
            assert t(f"compare.category.{word_by_polarity(direction, polarity)}")
    assert compare.ComparisonUnavailable


def test_a_missing_placeholder_is_a_clear_error():
    with pytest.raises(KeyError, match="placeholder"):
        t("overzicht.title")
