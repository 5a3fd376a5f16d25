from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.intervals import (
    byar_interval,
    count_interval,
    exact_poisson_interval,
    proportion_interval,
    rate_interval,
    student_t_interval,
    wilson_interval,
)

# shared/ lies beside the checkout (also in CI's fresh clone)
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def _read(name):
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file {path} not available")
    return pd.read_csv(path)


def test_wilson_and_byar_match_the_phe_reference_values():
    for row in _read("intervals.csv").itertuples():
        if row.method == "byar":
            got = byar_interval(row.x, row.confidence)
        else:
            got = wilson_interval(row.x, row.n, row.confidence)
        np.testing.assert_allclose(got, (row.lower, row.upper), rtol=1e-8)


def test_wilson_vectorised_matches_proportions_reference_at_both_levels():
    ref = _read("proportions.csv")
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        lower, upper = wilson_interval(ref["numerator"].to_numpy(), ref["denominator"].to_numpy(), level)
        np.testing.assert_allclose(lower, ref[f"lower{suffix}"], rtol=1e-8)
        np.testing.assert_allclose(upper, ref[f"upper{suffix}"], rtol=1e-8)


def test_rates_use_exact_poisson_below_ten_events_and_byar_from_ten():
    ref = _read("rates.csv")
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        res = rate_interval(ref["count"].to_numpy(), ref["population"].to_numpy(), 100_000, level)
        np.testing.assert_allclose(res.value, ref["value"], rtol=1e-8)
        np.testing.assert_allclose(res.lower, ref[f"lower{suffix}"], rtol=1e-8)
        np.testing.assert_allclose(res.upper, ref[f"upper{suffix}"], rtol=1e-8)
        assert list(res.method) == list(ref["method"].replace({"exact": "exact_poisson"}))


def test_zero_events_have_lower_limit_zero():
    assert byar_interval(0)[0] == 0
    lower, upper = exact_poisson_interval(0)
    assert lower == 0 and upper == pytest.approx(3.6888794541139363)  # −ln(0.025), by hand
    assert wilson_interval(0, 10)[0] == pytest.approx(0, abs=1e-15)


def test_nan_gives_nan_limits_not_an_error():
    lower, upper = wilson_interval(np.array([np.nan, 5]), np.array([10, 10]))
    assert np.isnan(lower[0]) and not np.isnan(lower[1])
    assert np.isnan(byar_interval(np.array([np.nan]))[0][0])


def test_tiny_denominator_stays_within_zero_and_one():
    lower, upper = wilson_interval(1, 1)
    assert 0 < lower < 1 and upper == pytest.approx(1)


def test_student_t_hand_worked():
    # mean 10, sd 2, n 4: t(0.975, 3) = 3.182446305284263, half-width 3.1824 * 2 / 2
    lower, upper = student_t_interval(10, 2, 4)
    assert lower == pytest.approx(10 - 3.182446305284263)
    assert upper == pytest.approx(10 + 3.182446305284263)


def test_proportion_interval_is_self_describing():
    res = proportion_interval(65, 100, multiplier=100)
    assert res.method == "wilson" and res.confidence == 0.95
    assert res.value == pytest.approx(65)
    assert res.lower < res.value < res.upper
    assert count_interval(3).method == "exact_poisson"


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: wilson_interval(11, 10), "numerator must not exceed denominator"),
        (lambda: wilson_interval(-1, 10), "must not be negative"),
        (lambda: wilson_interval(1, 0), "denominator must be greater than 0"),
        (lambda: byar_interval(5, confidence=1.5), "confidence must lie strictly between 0 and 1"),
        (lambda: rate_interval(5, 0), "population must be greater than 0"),
        (lambda: student_t_interval(1, 1, 1), "n must be at least 2"),
    ],
)
def test_invalid_input_raises_a_plain_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@given(st.integers(0, 10_000), st.integers(1, 10_000), st.sampled_from([0.95, 0.998]))
def test_wilson_limits_bracket_the_proportion(x, n, level):
    x = min(x, n)
    lower, upper = wilson_interval(x, n, level)
    assert lower <= x / n + 1e-12 and x / n <= upper + 1e-12


@given(st.integers(0, 5_000), st.sampled_from([0.95, 0.998]))
def test_count_limits_bracket_the_count(count, level):
    res = count_interval(count, level)
    assert res.lower <= count <= res.upper


@given(st.floats(0.01, 0.99), st.integers(10, 10_000))
def test_wilson_narrows_as_n_grows(p, n):
    narrow = np.subtract(*wilson_interval(p * 4 * n, 4 * n)[::-1])
    wide = np.subtract(*wilson_interval(p * n, n)[::-1])
    assert narrow < wide
