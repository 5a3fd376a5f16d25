from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.phe_sii import phe_sii

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def _cases():
    if not (REFERENCE / "phe_sii_expected.csv").exists():
        pytest.skip("shared/reference not available")
    data = pd.read_csv(REFERENCE / "phe_sii_input.csv")
    expected = pd.read_csv(REFERENCE / "phe_sii_expected.csv")
    return data, expected


def test_phe_sii_matches_the_phe_reference_values():
    data, expected = _cases()
    for row in expected.itertuples():
        res = phe_sii(data[data["case"] == row.case], value_type=row.value_type,
                      transform=bool(row.transform), multiplier=row.multiplier,
                      confidence=row.confidence, seed=7)
        assert res.sii == pytest.approx(row.sii, rel=1e-8)
        assert res.rii == pytest.approx(row.rii, rel=1e-8)
        for name in ("intercept",):
            if not np.isnan(getattr(row, name)):
                assert res.intercept == pytest.approx(row.intercept, rel=1e-8)
        for name in ("sii_lower", "sii_upper", "rii_lower", "rii_upper"):
            if not np.isnan(getattr(row, name)):
                assert getattr(res, name) == pytest.approx(getattr(row, name), rel=0.05)


def _life_expectancy():
    data, _ = _cases()
    return data[data["case"] == "life_expectancy_deciles"].drop(columns="case")


def test_negative_multiplier_flips_sii_and_inverts_rii():
    data = _life_expectancy()
    plus = phe_sii(data, seed=1)
    minus = phe_sii(data, multiplier=-1, seed=1)
    assert minus.sii == pytest.approx(-plus.sii)
    assert minus.rii == pytest.approx(1 / plus.rii)
    assert minus.sii_lower == pytest.approx(-plus.sii_upper)
    assert minus.rii_lower == pytest.approx(1 / plus.rii_upper)


def test_se_column_gives_the_same_point_estimate_as_limits():
    data = _life_expectancy()
    with_se = data.assign(se=(data["upper_cl"] - data["lower_cl"]) / (2 * 1.959963984540054))
    a = phe_sii(data, seed=3)
    b = phe_sii(with_se.drop(columns=["lower_cl", "upper_cl"]), seed=3)
    assert a.sii == pytest.approx(b.sii) and a.sii_lower == pytest.approx(b.sii_lower)


def test_seed_makes_the_interval_reproducible():
    data = _life_expectancy()
    assert phe_sii(data, seed=5) == phe_sii(data, seed=5)


def test_transform_for_proportions_keeps_the_point_estimate_and_brackets_it():
    data, _ = _cases()
    props = data[data["case"] == "proportion_deciles"]
    res = phe_sii(props, value_type="proportion", transform=True, seed=2)
    assert res.sii_lower <= res.sii <= res.sii_upper
    assert res.sii == pytest.approx(-0.10720032333730493, rel=1e-8)


def test_all_values_equal_gives_zero_sii_and_rii_one():
    frame = pd.DataFrame({"quantile": range(1, 6), "population": [100] * 5, "value": [5.0] * 5, "se": [0.1] * 5})
    res = phe_sii(frame, seed=0, repetitions=1000)
    assert res.sii == pytest.approx(0, abs=1e-12) and res.rii == pytest.approx(1)


def test_hand_worked_linear_gradient():
    # equal populations, value = 10 + 10·rank exactly → SII 10, intercept 10, RII 2
    ranks = (np.arange(5) + 0.5) / 5
    frame = pd.DataFrame({"quantile": range(1, 6), "population": [1] * 5, "value": 10 + 10 * ranks, "se": [0.0] * 5})
    res = phe_sii(frame, repetitions=1000)
    assert (res.sii, res.intercept, res.rii) == pytest.approx((10, 10, 2))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.assign(quantile=[1, 1] + list(d["quantile"][2:])), "each quantile must appear once"),
        (lambda d: d.assign(population=[0] + list(d["population"][1:])), "population greater than 0"),
        (lambda d: d.head(3), "between 5 and 100 quantiles"),
        (lambda d: d.drop(columns=["lower_cl"]), "'se' column or both"),
    ],
)
def test_invalid_input_raises_a_plain_value_error(change, message):
    with pytest.raises(ValueError, match=message):
        phe_sii(change(_life_expectancy()), repetitions=1000)


def test_invalid_options_raise():
    data = _life_expectancy()
    with pytest.raises(ValueError, match="value_type"):
        phe_sii(data, value_type="mean")
    with pytest.raises(ValueError, match="confidence"):
        phe_sii(data, confidence=95)
    with pytest.raises(ValueError, match="repetitions"):
        phe_sii(data, repetitions=10)


@settings(max_examples=15, deadline=None)
@given(st.permutations(list(range(10))))
def test_row_order_does_not_change_the_result(order):
    data = _life_expectancy()
    assert phe_sii(data.iloc[order], seed=4, repetitions=2000) == phe_sii(data, seed=4, repetitions=2000)
