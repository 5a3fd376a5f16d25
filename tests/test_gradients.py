"""Socio-economic gradients across areas: quantiles, measures, intervals, small gemeenten."""

import numpy as np
import pandas as pd
import pytest

from indicators.gradients import (
    heat_table,
    population_weighted_quantiles,
    quantile_table,
    socioeconomic_gradient,
)
from indicators.heat import heat_measure


def areas(n=60, seed=1, slope=-0.6):
    rng = np.random.default_rng(seed)
    income = rng.normal(30, 5, n)
    pop = rng.integers(2_000, 80_000, n).astype(float)
    value = np.clip(25 + slope * (income - 30) + rng.normal(0, 1.5, n), 0, 100)
    return pd.DataFrame({"code": [f"GM{i:04d}" for i in range(n)], "income": income,
                         "pop": pop, "obesity": value, "se": 1.0})


def test_quintiles_hold_about_a_fifth_of_the_population_each():
    df = areas(300)
    q = population_weighted_quantiles(df, "income", "pop")
    shares = df.groupby(q)["pop"].sum() / df["pop"].sum()
    assert list(shares.index) == [1, 2, 3, 4, 5]
    assert np.allclose(shares, 0.2, atol=0.03)


def test_quintile_one_is_the_lowest_income_or_the_highest_hardship():
    df = areas(100)
    q = population_weighted_quantiles(df, "income", "pop", disadvantaged="low")
    assert df.loc[q == 1, "income"].max() < df.loc[q == 5, "income"].min()
    hardship = df.assign(moeite=-df["income"])
    q_high = population_weighted_quantiles(hardship, "moeite", "pop", disadvantaged="high")
    assert (q_high == q).all()


def test_deciles_and_a_hand_worked_assignment():
    df = pd.DataFrame({"ses": [1.0, 2.0, 3.0, 4.0, 5.0], "pop": [10.0, 10.0, 10.0, 10.0, 60.0]})
    # cumulative midpoints .05 .15 .25 .35 .70 -> quintiles 1 1 2 2 4
    assert population_weighted_quantiles(df, "ses", "pop").tolist() == [1, 1, 2, 2, 4]
    many = areas(200)
    assert population_weighted_quantiles(many, "income", "pop", n=10).max() == 10


def test_areas_without_ses_get_no_quantile():
    df = areas(20)
    df.loc[3, "income"] = np.nan
    q = population_weighted_quantiles(df, "income", "pop")
    assert q.isna().sum() == 1 and pd.isna(q[3])


def test_quantile_table_means_are_population_weighted():
    df = pd.DataFrame({"ses": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "pop": [1.0, 3.0, 2.0, 2.0, 1.0, 3.0],
                       "v": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]})
    table = quantile_table(df, "v", "ses", "pop", n=3)
    # midpoints .042 .208 .417 .583 .708 .875 -> tertiles 1 1 2 2 3 3
    assert table["value"].tolist() == pytest.approx([(10 + 60) / 4, (60 + 80) / 4,
                                                     (50 + 180) / 4])


def test_gradient_measures_agree_with_the_quantile_table():
    df = areas(120)
    result = socioeconomic_gradient(df, "obesity", "income", "pop", favourable=False)
    q = result.quantiles
    assert result.measures["difference"].estimate == pytest.approx(q["value"].iloc[0]
                                                                   - q["value"].iloc[-1])
    assert result.measures["ratio"].estimate == pytest.approx(q["value"].iloc[0]
                                                              / q["value"].iloc[-1])
    heat = heat_table(q, favourable=False, scale=100)
    # same logistic model as HEAT, without rounding populations to whole counts
    assert result.measures["sii"].estimate == pytest.approx(heat_measure("sii", heat).estimate,
                                                            rel=1e-4)
    assert result.measures["rii"].estimate == pytest.approx(heat_measure("rii", heat).estimate,
                                                            rel=1e-4)
    # higher obesity among low incomes: negative SII and concentration index (HEAT's sign)
    assert result.measures["sii"].estimate < 0 and result.measures["rci"].estimate < 0


def test_concentration_index_by_hand():
    df = pd.DataFrame({"ses": [1.0, 2.0, 3.0], "pop": [1.0, 2.0, 1.0], "v": [30.0, 20.0, 10.0]})
    result = socioeconomic_gradient(df, "v", "ses", "pop", n=3, bootstrap=50)
    ranks = np.array([0.125, 0.5, 0.875])
    shares = np.array([0.25, 0.5, 0.25])
    aci = float(np.sum(shares * (2 * ranks - 1) * df["v"]))
    assert result.measures["aci"].estimate == pytest.approx(aci)
    assert result.measures["rci"].estimate == pytest.approx(aci / 20.0)


def test_without_standard_errors_the_interval_is_a_seeded_bootstrap_and_says_so():
    df = areas(80).drop(columns="se")
    first = socioeconomic_gradient(df, "obesity", "income", "pop", seed=5)
    again = socioeconomic_gradient(df, "obesity", "income", "pop", seed=5)
    assert "bootstrap" in first.ci_method
    assert any("no standard error" in n for n in first.notes)
    for key, m in first.measures.items():
        assert m.lower == again.measures[key].lower
        assert m.lower <= m.estimate <= m.upper, key


def test_with_standard_errors_quantile_measures_use_heats_analytic_intervals():
    df = areas(80)
    result = socioeconomic_gradient(df, "obesity", "income", "pop", se_col="se")
    assert result.ci_method.startswith("analytic")
    assert "robust" in heat_measure("sii", heat_table(result.quantiles, True, 100)).method
    assert result.measures["sii"].lower < result.measures["sii"].estimate


def test_no_gradient_when_every_area_has_the_same_value():
    df = areas(50).assign(obesity=20.0)
    result = socioeconomic_gradient(df, "obesity", "income", "pop", bootstrap=100)
    assert result.measures["difference"].estimate == pytest.approx(0)
    assert result.measures["sii"].estimate == pytest.approx(0, abs=1e-9)
    assert result.measures["rci"].estimate == pytest.approx(0, abs=1e-12)


def test_works_on_the_wijken_of_one_gemeente_with_tertiles():
    wijken = areas(7, seed=3)
    result = socioeconomic_gradient(wijken, "obesity", "income", "pop", n=3, bootstrap=200)
    assert result.n_areas == 7 and len(result.quantiles) == 3
    with pytest.raises(ValueError, match="need at least 5"):
        socioeconomic_gradient(wijken.head(4), "obesity", "income", "pop")


def test_non_proportion_indicators_use_a_linear_model():
    df = areas(60).assign(life_expectancy=lambda d: 80 + 0.2 * (d["income"] - 30))
    result = socioeconomic_gradient(df, "life_expectancy", "income", "pop", scale=1,
                                    bootstrap=100)
    assert "linear" in result.measures["sii"].method
    assert result.measures["sii"].estimate > 0


def test_invalid_population_and_missing_columns_raise():
    df = areas(20)
    with pytest.raises(ValueError, match="positive"):
        population_weighted_quantiles(df.assign(pop=0.0), "income", "pop")
    with pytest.raises(ValueError, match="not in the data"):
        socioeconomic_gradient(df, "nope", "income", "pop")
    with pytest.raises(ValueError, match="disadvantaged"):
        population_weighted_quantiles(df, "income", "pop", disadvantaged="poor")


@pytest.mark.shared_data
def test_real_wijken_of_amsterdam_show_the_obesity_gradient_by_hardship():
    from healthgap.settings import sources_dir

    path = sources_dir() / "nl" / "health" / "rivm_50090NED_gezondheid_wijk_18plus_2012_2016_2020.csv"
    if not path.exists():
        pytest.skip(f"shared data not found: {path}")
    raw = pd.read_csv(path, usecols=["Jaar", "Codering_3", "ErnstigOvergewicht_10",
                                     "MoeiteMetRondkomen_38"])
    wijken = raw[(raw["Jaar"] == 2020) & raw["Codering_3"].str.strip().str.startswith("WK0363")]
    # This extract has no wijk population: weight the wijken equally (the dashboard passes
    # the adult population from the database).
    wijken = wijken.assign(pop=1.0)
    result = socioeconomic_gradient(wijken, "ErnstigOvergewicht_10", "MoeiteMetRondkomen_38",
                                    "pop", disadvantaged="high", favourable=False)
    assert result.n_areas > 20
    assert "bootstrap" in result.ci_method
    difference = result.measures["difference"]
    assert difference.estimate > 0 and difference.lower > 0  # more obesity where money is tight
    assert result.measures["sii"].upper < 0
