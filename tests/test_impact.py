"""PAR in people: arithmetic, interval carried from PAR, the best-off quintile scenario."""

import numpy as np
import pandas as pd
import pytest

from indicators.gradients import heat_table, quantile_table
from indicators.heat import HeatResult, heat_measure
from indicators.impact import impact_of_matching_best_quantile, people_from_par


def par(estimate, lower, upper):
    return HeatResult("PAR", estimate, 1.0, lower, upper, "analytic (Walter 1978)", 0.95)


def test_adverse_par_becomes_fewer_people():
    # 3 percentage points less obesity among 200,000 adults = 6,000 fewer adults with obesity
    result = people_from_par(par(-3.0, -4.0, -2.0), 200_000, 100, favourable=False)
    assert result.direction == "fewer"
    assert result.people == pytest.approx(6_000)
    assert (result.lower, result.upper) == pytest.approx((4_000, 8_000))


def test_favourable_par_becomes_more_people():
    result = people_from_par(par(5.0, 1.0, 9.0), 10_000, 100, favourable=True)
    assert result.direction == "more"
    assert result.people == pytest.approx(500)
    assert (result.lower, result.upper) == pytest.approx((100, 900))


def test_rate_per_1000_scale():
    result = people_from_par(par(-2.0, -3.0, -1.0), 50_000, 1000, favourable=False)
    assert result.people == pytest.approx(100)


def test_interval_reaching_zero_is_reported_as_possibly_no_improvement():
    result = people_from_par(par(-1.0, -3.0, 0.5), 100_000, 100, favourable=False)
    assert result.lower == 0 and result.upper == pytest.approx(3_000)
    assert any("no improvement" in n for n in result.notes)


def test_invalid_input_raises():
    with pytest.raises(ValueError, match="population"):
        people_from_par(par(-1, -2, 0), 0, 100, favourable=False)
    with pytest.raises(ValueError, match="PAR"):
        people_from_par(HeatResult("D", 1, 1, 0, 2, "analytic", 0.95), 10, 100, True)


def areas(n=100, seed=3):
    rng = np.random.default_rng(seed)
    income = rng.normal(30, 5, n)
    adults = rng.integers(2_000, 60_000, n).astype(float)
    obesity = np.clip(16 - 0.5 * (income - 30) + rng.normal(0, 1.0, n), 0, 100)
    return pd.DataFrame({"income": income, "adults": adults, "obesity": obesity, "se": 0.8})


def test_best_quintile_scenario_equals_par_times_adults():
    df = areas()
    result = impact_of_matching_best_quantile(df, "obesity", "income", "adults",
                                              favourable=False)
    table = quantile_table(df, "obesity", "income", "adults")
    mean = np.average(table["value"], weights=table["population"])
    expected = (mean - table["value"].iloc[-1]) / 100 * df["adults"].sum()
    assert result.direction == "fewer"
    assert result.people == pytest.approx(expected)
    assert result.lower <= result.people <= result.upper
    assert "bootstrap" in result.par.method


def test_best_quintile_scenario_with_standard_errors_uses_heats_par_interval():
    df = areas()
    result = impact_of_matching_best_quantile(df, "obesity", "income", "adults",
                                              favourable=False, se_col="se")
    table = heat_table(quantile_table(df, "obesity", "income", "adults", se_col="se"), False, 100)
    heat_par = heat_measure("par", table)
    assert result.par == heat_par
    assert result.upper == pytest.approx(-heat_par.lower / 100 * df["adults"].sum())


def test_no_gradient_means_no_people_to_gain():
    df = areas().assign(obesity=15.0)
    result = impact_of_matching_best_quantile(df, "obesity", "income", "adults",
                                              favourable=False, bootstrap=200)
    assert result.people == pytest.approx(0, abs=1e-6)
    assert result.upper == pytest.approx(0, abs=1e-6)
