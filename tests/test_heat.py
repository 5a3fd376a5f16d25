"""WHO HEAT summary measures: reference values, hand-worked cases, HEAT's rules, properties."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from healthgap.settings import SHARED_SOURCES
from indicators.heat import (
    MEASURES,
    HeatResult,
    applicable_measures,
    heat_measure,
    heat_measures,
    heat_summary,
)

REFERENCE = SHARED_SOURCES.parent / "reference" / "heat_ordered.md"


def table(estimates, se=None, population=None, favourable=1, ordered=1, reference=None,
          scale=100, names=None):
    n = len(estimates)
    return pd.DataFrame({
        "subgroup": names or [f"g{i + 1}" for i in range(n)],
        "estimate": estimates,
        "se": se if se is not None else [np.nan] * n,
        "population": population if population is not None else [100] * n,
        "favourable_indicator": favourable,
        "indicator_scale": scale,
        "ordered_dimension": ordered,
        "subgroup_order": list(range(1, n + 1)) if ordered else [0] * n,
        "reference_subgroup": [1 if i == reference else 0 for i in range(n)],
    })


# --------------------------------------------------------------------------- reference values

def _markdown_tables(text):
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r"-+", c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _number(cell):
    match = re.search(r"-?\d+(\.\d+)?", cell)
    return float(match.group()) if match else None


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.skip(f"reference file not found: {REFERENCE}")
    inputs, results = _markdown_tables(REFERENCE.read_text())
    header, *rows = inputs
    data = pd.DataFrame([[float(c) for c in row] for row in rows], columns=header)
    data = data.assign(subgroup=[f"q{int(o)}" for o in data["subgroup_order"]],
                       favourable_indicator=1, indicator_scale=100, ordered_dimension=1,
                       reference_subgroup=0)
    expected = {}
    for row in results[1:]:
        measure = row[0].split()[0].lower()
        lower = row[2]
        expected[measure] = {
            "estimate": _number(row[1]),
            "se": _number(lower) if lower.startswith("se") else None,
            "lower": None if lower.startswith("se") else _number(lower),
            "upper": _number(row[3]),
            "note": row[4],
        }
    return data, expected


# The reference prints 8 significant digits, so closed forms are compared at 2e-6 relative.
REL = 2e-6


@pytest.mark.shared_data
@pytest.mark.parametrize("measure", ["sii", "rii", "aci", "rci", "d", "r", "par", "paf"])
def test_measure_matches_the_healthequal_reference(reference, measure):
    data, expected = reference
    result = heat_measure(measure, data)
    want = expected[measure]
    assert result.estimate == pytest.approx(want["estimate"], rel=REL)
    if want["se"] is not None:
        assert result.se == pytest.approx(want["se"], rel=REL)
    if want["lower"] is not None and measure != "par":
        assert result.lower == pytest.approx(want["lower"], rel=REL)
        assert result.upper == pytest.approx(want["upper"], rel=REL)


@pytest.mark.shared_data
def test_par_interval_matches_the_reference_up_to_its_rounded_z(reference):
    # The reference PAR limits were produced with 1.96 in one place and qnorm(0.975) in the
    # other (healthequal parisk.R), which widens them by 1.96/1.95996 = 1.00002.
    data, expected = reference
    result = heat_measure("PAR", data)
    assert result.lower == pytest.approx(expected["par"]["lower"], rel=3e-5)
    assert result.upper == pytest.approx(expected["par"]["upper"], rel=3e-5)


@pytest.mark.shared_data
def test_paf_interval_is_built_on_the_fraction_scale(reference):
    data, expected = reference
    note = expected["paf"]["note"]
    se_fraction = float(re.search(r"fraction scale is ([\d.]+)", note).group(1))
    fraction = expected["paf"]["estimate"] / 100
    result = heat_measure("paf", data)
    z = 1.959963984540054
    assert result.lower == pytest.approx(100 * (fraction - z * se_fraction), rel=REL)
    assert result.upper == pytest.approx(100 * (fraction + z * se_fraction), rel=REL)


# --------------------------------------------------------------------------- hand-worked cases
# Three non-ordered subgroups: estimates 10, 20, 40 %, populations 1, 2, 1 (shares .25 .5 .25).
HAND = dict(estimates=[10.0, 20.0, 40.0], se=[1.0, 2.0, 3.0], population=[1, 2, 1], ordered=0)
MEAN = 0.25 * 10 + 0.5 * 20 + 0.25 * 40  # 22.5
DEV = [10 - MEAN, 20 - MEAN, 40 - MEAN]  # -12.5, -2.5, 17.5
SHARES = [0.25, 0.5, 0.25]


def hand_value(measure, favourable=1, reference=None):
    return heat_measure(measure, table(**HAND, favourable=favourable, reference=reference)).estimate


def test_bgv_bgsd_and_cov_by_hand():
    bgv = sum(p * d * d for p, d in zip(SHARES, DEV, strict=True))  # 118.75
    assert hand_value("BGV") == pytest.approx(bgv)
    assert hand_value("bgsd") == pytest.approx(math.sqrt(bgv))
    assert hand_value("COV") == pytest.approx(math.sqrt(bgv) / MEAN * 100)


def test_mean_difference_measures_by_hand():
    assert hand_value("MDMU") == pytest.approx((12.5 + 2.5 + 17.5) / 3)
    assert hand_value("MDMW") == pytest.approx(0.25 * 12.5 + 0.5 * 2.5 + 0.25 * 17.5)
    # favourable: best = 40; adverse: best = 10
    assert hand_value("MDBU") == pytest.approx((30 + 20 + 0) / 3)
    assert hand_value("MDBW") == pytest.approx(0.25 * 30 + 0.5 * 20)
    assert hand_value("MDBU", favourable=0) == pytest.approx((0 + 10 + 30) / 3)
    assert hand_value("MDRU", reference=1) == pytest.approx((10 + 0 + 20) / 3)
    assert hand_value("MDRW", reference=1) == pytest.approx(0.25 * 10 + 0.25 * 20)


def test_index_of_disparity_by_hand():
    assert hand_value("IDISU") == pytest.approx((12.5 + 2.5 + 17.5) / 3 / MEAN * 100)
    assert hand_value("IDISW") == pytest.approx((0.25 * 12.5 + 0.5 * 2.5 + 0.25 * 17.5) / MEAN * 100)


def test_theil_and_mean_log_deviation_by_hand_times_1000():
    r = [10 / MEAN, 20 / MEAN, 40 / MEAN]
    ti = sum(p * x * math.log(x) for p, x in zip(SHARES, r, strict=True)) * 1000
    mld = sum(p * -math.log(x) for p, x in zip(SHARES, r, strict=True)) * 1000
    assert hand_value("TI") == pytest.approx(ti)
    assert hand_value("MLD") == pytest.approx(mld)


def test_par_and_paf_pick_the_best_subgroup_in_non_ordered_dimensions():
    assert hand_value("PAR") == pytest.approx(40 - MEAN)
    assert hand_value("PAF") == pytest.approx((40 - MEAN) / MEAN * 100)
    assert hand_value("PAR", favourable=0) == pytest.approx(10 - MEAN)
    assert hand_value("PAF", favourable=0) == pytest.approx((10 - MEAN) / MEAN * 100)


def test_difference_and_ratio_in_non_ordered_dimensions():
    assert hand_value("D") == pytest.approx(40 - 10)
    assert hand_value("R") == pytest.approx(4.0)
    # favourable with a reference: reference minus the lowest
    assert hand_value("D", reference=1) == pytest.approx(20 - 10)
    # adverse with a reference: the highest minus the reference
    assert hand_value("D", favourable=0, reference=1) == pytest.approx(40 - 20)
    assert hand_value("R", favourable=0, reference=1) == pytest.approx(2.0)


def test_analytic_bgv_se_follows_ahn_2018():
    p, se = np.array(SHARES), np.array(HAND["se"])
    dev = np.array(DEV)
    expected = math.sqrt(4 * np.sum(p**2 * se**2 * dev**2)
                         + 2 * (np.sum(p**2 * se**2) ** 2 - np.sum(p**4 * se**4)
                                + np.sum(p**2 * (1 - p) ** 2 * se**4)))
    assert heat_measure("bgv", table(**HAND)).se == pytest.approx(expected)


# --------------------------------------------------------------------------- HEAT's rules

def test_ordered_difference_is_advantaged_minus_disadvantaged_for_favourable():
    data = table([20.0, 30.0, 50.0], se=[1, 1, 1])
    assert heat_measure("d", data).estimate == 30
    assert heat_measure("r", data).estimate == pytest.approx(2.5)


def test_ordered_difference_is_disadvantaged_minus_advantaged_for_adverse():
    data = table([50.0, 30.0, 20.0], se=[1, 1, 1], favourable=0)
    assert heat_measure("d", data).estimate == 30
    assert heat_measure("R", data).estimate == pytest.approx(2.5)


def test_ordered_par_uses_the_most_advantaged_subgroup_and_truncates_at_zero():
    # Adverse indicator that is *lower* among the disadvantaged: no improvement from the
    # most advantaged, so PAR and PAF are 0.
    data = table([10.0, 20.0, 30.0], population=[1, 1, 1], favourable=0)
    assert heat_measure("par", data).estimate == 0
    assert heat_measure("paf", data).estimate == 0
    favourable = table([10.0, 20.0, 30.0], population=[1, 1, 1])
    assert heat_measure("par", favourable).estimate == pytest.approx(10.0)


def test_binary_dimension_supports_only_d_r_paf_and_par():
    data = table([30.0, 40.0], se=[2, 2], population=[50, 50], ordered=0, names=["man", "vrouw"])
    assert applicable_measures(data) == ["d", "r", "paf", "par"]
    assert heat_measure("D", data).estimate == 10
    with pytest.raises(ValueError, match="binary dimension"):
        heat_measure("BGV", data)


def test_ordered_and_non_ordered_dimensions_get_heats_measures():
    ordered = table([10.0, 20.0, 30.0], se=[1, 1, 1])
    assert applicable_measures(ordered) == ["d", "r", "aci", "rci", "sii", "rii", "paf", "par"]
    non_ordered = table([10.0, 20.0, 30.0], se=[1, 1, 1], ordered=0)
    without_ref = set(MEASURES) - {"aci", "rci", "sii", "rii", "mdru", "mdrw"}
    assert set(applicable_measures(non_ordered)) == without_ref
    with_ref = table([10.0, 20.0, 30.0], se=[1, 1, 1], ordered=0, reference=0)
    assert len(applicable_measures(with_ref)) == 17


def test_heat_measures_returns_every_applicable_measure():
    results = heat_measures(table(**HAND, reference=1))
    assert len(results) == 17
    assert all(isinstance(r, HeatResult) for r in results.values())


# --------------------------------------------------------------------------- invalid input

@pytest.mark.parametrize(("measure", "data", "message"), [
    ("gini", table([1.0, 2.0, 3.0]), "Unknown HEAT measure"),
    ("SII", table([1.0, 2.0, 3.0], ordered=0), "only to ordered"),
    ("rci", table([1.0, 2.0, 3.0], ordered=0), "only to ordered"),
    ("bgv", table([1.0, 2.0, 3.0]), "only to non-ordered"),
    ("mdru", table([1.0, 2.0, 3.0], ordered=0), "reference subgroup"),
    ("d", table([1.0, 2.0, 3.0], names=["a", "a", "b"]), "Duplicate subgroup"),
    ("d", table([1.0, np.nan, 3.0]), "Estimate missing"),
    ("par", table([1.0, 2.0, 3.0], population=[10, 0, 10]), "Population must be positive"),
    ("par", table([1.0, 2.0, 3.0], population=[10, -5, 10]), "Population must be positive"),
    ("bgv", table([1.0, 2.0, 3.0], population=[10, np.nan, 10], ordered=0), "population"),
])
def test_invalid_input_raises_a_plain_value_error(measure, data, message):
    with pytest.raises(ValueError, match=message):
        heat_measure(measure, data)


def test_ordered_dimension_needs_a_complete_subgroup_order():
    data = table([1.0, 2.0, 3.0]).assign(subgroup_order=[1, 1, 3])
    with pytest.raises(ValueError, match="subgroup_order"):
        heat_measure("d", data)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="population"):
        heat_measure("d", table([1.0, 2.0, 3.0]).drop(columns="population"))


# --------------------------------------------------------------------------- properties

ORDERED = table([22.0, 31.0, 38.0, 52.0, 57.0], se=[3, 3, 4, 4, 5],
                population=[120, 90, 150, 80, 110])
NON_ORDERED = table([15.0, 27.0, 33.0, 41.0], se=[2, 3, 2, 4], population=[300, 100, 200, 150],
                    ordered=0, reference=2)


@pytest.mark.parametrize("data", [ORDERED, NON_ORDERED], ids=["ordered", "non-ordered"])
def test_measures_are_invariant_to_row_order(data):
    before = heat_measures(data)
    after = heat_measures(data.sample(frac=1, random_state=3).reset_index(drop=True))
    for key, result in before.items():
        assert after[key].estimate == pytest.approx(result.estimate), key
        assert after[key].lower == pytest.approx(result.lower, nan_ok=True), key
        assert after[key].upper == pytest.approx(result.upper, nan_ok=True), key


@pytest.mark.parametrize("data", [ORDERED, NON_ORDERED], ids=["ordered", "non-ordered"])
def test_lower_le_estimate_le_upper(data):
    for key, result in heat_measures(data).items():
        assert result.lower <= result.estimate <= result.upper, key


def test_sii_sign_follows_the_ranking_not_the_polarity():
    # healthequal: SII = predicted(most advantaged) - predicted(most disadvantaged) for both
    # favourable and adverse indicators; polarity changes the wording only.
    adverse = ORDERED.assign(favourable_indicator=0)
    assert heat_measure("sii", ORDERED).estimate > 0
    assert heat_measure("sii", adverse).estimate == pytest.approx(
        heat_measure("sii", ORDERED).estimate)
    reversed_order = ORDERED.assign(subgroup_order=ORDERED["subgroup_order"].to_numpy()[::-1])
    assert heat_measure("sii", reversed_order).estimate < 0


def test_d_flips_with_polarity_on_an_ordered_dimension():
    adverse = ORDERED.assign(favourable_indicator=0)
    assert heat_measure("d", adverse).estimate == -heat_measure("d", ORDERED).estimate


@pytest.mark.parametrize("ordered", [1, 0])
def test_all_equal_subgroups_give_zero_gaps(ordered):
    data = table([30.0] * 4, se=[1.0] * 4, population=[10, 20, 30, 40], ordered=ordered,
                 reference=1)
    for key, result in heat_measures(data).items():
        neutral = 1.0 if key in {"r", "rii"} else 0.0
        assert result.estimate == pytest.approx(neutral, abs=1e-9), key


def test_simulated_intervals_are_reproducible_with_a_seed_and_vary_without():
    first = heat_measure("mdmw", NON_ORDERED, seed=7)
    assert heat_measure("mdmw", NON_ORDERED, seed=7) == first
    assert heat_measure("mdmw", NON_ORDERED, seed=8).lower != first.lower
    assert first.method == "simulation"


def test_simulated_draws_respect_the_percentage_bounds():
    data = table([1.0, 50.0, 99.0], se=[5.0, 5.0, 5.0], ordered=0)
    result = heat_measure("bgsd", data, simulations=2000)
    assert 0 <= result.lower <= result.upper <= 50


def test_intervals_narrow_as_standard_errors_shrink():
    wide = heat_measure("ti", NON_ORDERED)
    narrow = heat_measure("ti", NON_ORDERED.assign(se=NON_ORDERED["se"] / 4))
    assert narrow.upper - narrow.lower < wide.upper - wide.lower


def test_missing_standard_errors_give_an_estimate_without_interval():
    result = heat_measure("d", ORDERED.assign(se=np.nan))
    assert result.estimate == pytest.approx(35.0)
    assert math.isnan(result.lower) and "no interval" in result.notes.lower()


def test_measure_names_are_case_insensitive():
    assert heat_measure("Sii", ORDERED) == heat_measure("SII", ORDERED)


# --------------------------------------------------------------------------- long tables

def test_heat_summary_matches_heat_measures_per_group():
    long = pd.concat([ORDERED.assign(indicator="a"), NON_ORDERED.assign(indicator="b")],
                     ignore_index=True).sample(frac=1, random_state=1)
    summary = heat_summary(long, by=["indicator"])
    for indicator, data in (("a", ORDERED), ("b", NON_ORDERED)):
        expected = heat_measures(data)
        rows = summary[summary["indicator"] == indicator].set_index("measure")
        assert sorted(rows.index) == sorted(k.upper() for k in expected)
        for key, result in expected.items():
            assert rows.loc[key.upper(), "estimate"] == pytest.approx(result.estimate)
            assert rows.loc[key.upper(), "upper"] == pytest.approx(result.upper, nan_ok=True)


def test_heat_summary_names_the_group_with_bad_data():
    long = pd.concat([ORDERED.assign(indicator="a"),
                      ORDERED.assign(indicator="b", population=0)], ignore_index=True)
    with pytest.raises(ValueError, match="indicator=b"):
        heat_summary(long, by=["indicator"])


def test_every_heat_measure_has_a_section_in_the_methods_document():
    from healthgap.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "methods.md").read_text()
    headings = set(re.findall(r"^### (\S+)\s*$", text, flags=re.MULTILINE))
    missing = [m.upper() for m in MEASURES if m.upper() not in headings]
    assert not missing, f"undocumented HEAT measures: {missing}"
    assert re.search(r"^## ", text, flags=re.MULTILINE)
