import pytest

from indicators.trends import change_between_periods
from indicators.trends import test_recent_trend as recent_trend


def test_hand_worked_chi_square_for_trend():
    # x = 10, 20, 30 of n = 100 each: p̄ = 0.2, T = 140 − 0.2·600 = 20,
    # V = 0.16·(1400 − 600²/300) = 32, χ² = 12.5
    res = recent_trend([10, 20, 30], [100, 100, 100], confidence=0.95)
    assert res.chi_square == pytest.approx(12.5)
    assert res.direction == "increasing" and res.outcome == "increasing"


def test_polarity_words_the_trend_separately():
    assert recent_trend([10, 20, 30], [100] * 3, "low_is_good", confidence=0.95).outcome == "getting_worse"
    assert recent_trend([30, 20, 10], [100] * 3, "low_is_good", confidence=0.95).outcome == "getting_better"


def test_flat_series_is_no_significant_change():
    assert recent_trend([10, 10, 10, 10], [100] * 4).direction == "no_significant_change"


def test_only_the_last_points_count():
    res = recent_trend([90, 10, 10, 10, 10, 10], [100] * 6, last=5)
    assert res.points == 5 and res.direction == "no_significant_change"


def test_too_few_points_is_not_computed():
    assert recent_trend([1, 2], [10, 10]).direction == "not_computed"


def test_invalid_counts_raise():
    with pytest.raises(ValueError, match="must not exceed"):
        recent_trend([5, 20, 3], [10, 10, 10])


def test_change_between_periods_hand_worked():
    res = change_between_periods(2.0, 0.3, 3.0, 0.4)
    assert res.change == pytest.approx(1.0)
    assert res.upper - res.change == pytest.approx(1.959963984540054 * 0.5)
    with pytest.raises(ValueError, match="standard errors"):
        change_between_periods(1, -1, 2, 1)
