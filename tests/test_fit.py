"""The weighted fit line of the Ongelijkheid scatter, checked against independent computations."""

import numpy as np
import pytest
from scipy import stats

from indicators.fit import weighted_fit_line


def scatter(n=80, seed=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(30, 5, n)
    w = rng.integers(2_000, 200_000, n).astype(float)
    y = 60 - 0.9 * x + rng.normal(0, 3, n) / np.sqrt(w / 50_000)
    return x, y, w


def test_line_matches_numpy_polyfit_with_square_root_weights():
    x, y, w = scatter()
    line = weighted_fit_line(x, y, w, points=11)
    # polyfit minimises sum (w_i (y_i - p(x_i)))^2, so sqrt of the WLS weights
    slope, intercept = np.polyfit(x, y, 1, w=np.sqrt(w))
    assert line.slope == pytest.approx(slope)
    assert line.intercept == pytest.approx(intercept)
    assert line.fitted == pytest.approx(intercept + slope * line.grid)
    assert line.grid[0] == pytest.approx(x.min()) and line.grid[-1] == pytest.approx(x.max())


def test_band_matches_the_textbook_formula():
    x, y, w = scatter(n=40, seed=9)
    line = weighted_fit_line(x, y, w, points=7, confidence=0.9)
    xd = np.column_stack([np.ones_like(x), x])
    wn = w / w.mean()
    xtwx_inv = np.linalg.inv(xd.T @ (wn[:, None] * xd))
    beta = xtwx_inv @ xd.T @ (wn * y)
    resid = y - xd @ beta
    s2 = np.sum(wn * resid**2) / (len(x) - 2)
    g = np.column_stack([np.ones_like(line.grid), line.grid])
    se = np.sqrt(s2 * np.einsum("ij,jk,ik->i", g, xtwx_inv, g))
    t = stats.t.ppf(0.95, len(x) - 2)
    assert line.lower == pytest.approx(g @ beta - t * se)
    assert line.upper == pytest.approx(g @ beta + t * se)
    assert np.all(line.lower <= line.fitted) and np.all(line.fitted <= line.upper)


def test_equal_weights_is_ordinary_least_squares_and_missing_pairs_are_dropped():
    x, y, _ = scatter(n=30, seed=1)
    y_nan = y.copy()
    y_nan[3] = np.nan
    line = weighted_fit_line(x, y_nan)
    slope, intercept = np.polyfit(np.delete(x, 3), np.delete(y, 3), 1)
    assert line.n == 29
    assert line.slope == pytest.approx(slope) and line.intercept == pytest.approx(intercept)


def test_band_narrows_as_areas_are_added():
    small = weighted_fit_line(*scatter(n=20, seed=3), points=5)
    big = weighted_fit_line(*scatter(n=2000, seed=3), points=5)
    assert np.max(big.upper - big.lower) < np.max(small.upper - small.lower)


@pytest.mark.parametrize(("x", "y", "w", "message"), [
    ([1, 2], [1, 2], None, "at least 3"),
    ([1, 1, 1], [1, 2, 3], None, "two different x"),
    ([1, 2, 3], [1, 2, 3], [1, 0, 1], "positive"),
    ([1, 2, 3], [1, 2], None, "same length"),
])
def test_bad_input_says_what_to_fix(x, y, w, message):
    with pytest.raises(ValueError, match=message):
        weighted_fit_line(x, y, w)
