"""Expected value given the SES profile: leave-one-out WLS, prediction intervals, fit summary."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from indicators.expected import expected_from_ses


def areas(n=120, seed=2, noise=1.0):
    rng = np.random.default_rng(seed)
    income = rng.normal(30, 5, n)
    older = rng.normal(20, 4, n)
    pop = rng.integers(5_000, 100_000, n).astype(float)
    # residual SD shrinks with population, as the model assumes
    value = 40 - 0.8 * income + 0.3 * older + rng.normal(0, noise, n) / np.sqrt(pop / 50_000)
    return pd.DataFrame({"code": [f"GM{i:04d}" for i in range(n)], "income": income,
                         "older": older, "pop": pop, "obesity": value})


def test_expected_value_excludes_the_area_itself():
    df = areas()
    result = expected_from_ses(df, "obesity", ["income", "older"], "pop", area_col="code")
    i = 7
    rest = df.drop(index=i)
    x = sm.add_constant(rest[["income", "older"]].to_numpy())
    refit = sm.WLS(rest["obesity"].to_numpy(), x, weights=rest["pop"].to_numpy()).fit()
    x_i = np.array([1.0, df.loc[i, "income"], df.loc[i, "older"]])
    assert result.table.loc[i, "expected"] == pytest.approx(refit.params @ x_i)
    # prediction interval of the left-out area, from the refit (weights normalised as in the code)
    w = df["pop"] / df["pop"].mean()
    refit_w = sm.WLS(rest["obesity"].to_numpy(), x, weights=w.drop(index=i).to_numpy()).fit()
    pred = refit_w.get_prediction(x_i[None, :], weights=np.array([w[i]]))
    se = np.sqrt(pred.var_pred_mean[0] + refit_w.scale / w[i])
    t = stats.t.ppf(0.975, len(rest) - 3)
    gap = df.loc[i, "obesity"] - refit.params @ x_i
    assert result.table.loc[i, "lower"] == pytest.approx(gap - t * se)
    assert result.table.loc[i, "upper"] == pytest.approx(gap + t * se)


def test_gap_splits_into_explained_and_unexplained_parts():
    result = expected_from_ses(areas(), "obesity", ["income"], "pop")
    t = result.table
    assert np.allclose(t["gap_to_benchmark"], t["explained_by_ses"] + t["unexplained"])
    assert t["unexplained"].equals(t["observed"] - t["expected"])


def test_prediction_intervals_cover_about_95_percent_of_areas():
    result = expected_from_ses(areas(n=600, seed=4), "obesity", ["income", "older"], "pop")
    inside = (result.table["lower"] <= 0) & (0 <= result.table["upper"])
    assert 0.92 <= inside.mean() <= 0.98


def test_fit_summary_reports_r_squared_n_and_coefficients():
    result = expected_from_ses(areas(), "obesity", ["income", "older"], "pop")
    assert result.n == 120
    assert 0.8 < result.r_squared <= 1
    assert result.coefficients["income"] == pytest.approx(-0.8, abs=0.1)
    assert "WLS" in result.method


def test_an_unusual_area_is_flagged_higher_than_expected():
    df = areas()
    df.loc[0, "obesity"] += 15
    result = expected_from_ses(df, "obesity", ["income"], "pop", area_col="code")
    assert result.table.loc[0, "position"] == "higher than expected"


def test_areas_outside_the_comparison_group_are_predicted_out_of_sample():
    df = areas()
    fit_on = np.arange(len(df)) < 100
    result = expected_from_ses(df, "obesity", ["income"], "pop", fit_on=fit_on)
    assert result.n == 100
    assert not result.table["in_fit"].iloc[100:].any()
    assert result.table["expected"].iloc[100:].notna().all()


def test_areas_without_covariates_get_no_expected_value():
    df = areas()
    df.loc[5, "income"] = np.nan
    result = expected_from_ses(df, "obesity", ["income"], "pop")
    assert np.isnan(result.table.loc[5, "expected"])
    assert result.table.loc[5, "position"] == "no expected value"
    assert result.notes


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"covariates": []}, "at least one SES covariate"),
    ({"covariates": ["nope"]}, "not in the data"),
    ({"pop_col": "zero"}, "positive"),
])
def test_invalid_input_raises(kwargs, message):
    df = areas(20).assign(zero=0.0)
    args = {"value_col": "obesity", "covariates": ["income"], "pop_col": "pop"} | kwargs
    with pytest.raises(ValueError, match=message):
        expected_from_ses(df, **args)


def test_too_few_areas_raise():
    with pytest.raises(ValueError, match="need at least"):
        expected_from_ses(areas(3), "obesity", ["income", "older"], "pop")
