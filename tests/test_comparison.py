import numpy as np
import pandas as pd
import pytest

from indicators.comparison import (
    classify_by_quintile,
    classify_by_zscore,
    compare_areas_with_benchmark,
    compare_with_benchmark,
    group_benchmark,
    national_benchmark,
    parent_benchmarks,
)


def test_similar_when_benchmark_inside_the_interval():
    assert compare_with_benchmark(10, 8, 12, 11).direction == "similar"


def test_polarity_turns_higher_into_better_or_worse_only_in_wording():
    good = compare_with_benchmark(10, 9, 11, 5, "high_is_good")
    bad = compare_with_benchmark(10, 9, 11, 5, "low_is_good")
    neutral = compare_with_benchmark(10, 9, 11, 5, "no_judgement")
    assert good.direction == bad.direction == neutral.direction == "higher"
    assert (good.outcome, bad.outcome, neutral.outcome) == ("better", "worse", "higher")


def test_both_levels_give_much_higher_and_much_lower():
    assert compare_with_benchmark(10, 9, 11, 5, lower_998=8, upper_998=12).direction == "much_higher"
    assert compare_with_benchmark(10, 9, 11, 8.5, lower_998=8, upper_998=12).direction == "higher"
    assert compare_with_benchmark(1, 0.5, 2, 9, "high_is_good", 0.2, 3).outcome == "much_worse"


def test_gap_is_not_computed_against_the_area_itself():
    res = compare_with_benchmark(10, 9, 11, 10, is_benchmark_area=True)
    assert res.direction == res.outcome == "not_compared"
    frame = pd.DataFrame({"value": [10.0, 12], "lower": [9.0, 11], "upper": [11.0, 13]}, index=["NL01", "GM0363"])
    out = compare_areas_with_benchmark(frame, 10.0, benchmark_area="NL01")
    assert list(out["direction"]) == ["not_compared", "higher"]


def test_missing_value_is_not_compared():
    assert compare_with_benchmark(np.nan, np.nan, np.nan, 5).direction == "not_compared"


def test_vectorised_matches_the_scalar_version():
    rng = np.random.default_rng(0)
    value = rng.normal(10, 2, 50)
    frame = pd.DataFrame({"value": value, "lower": value - 1, "upper": value + 1,
                          "lower_998": value - 1.6, "upper_998": value + 1.6}, index=[f"A{i}" for i in range(50)])
    out = compare_areas_with_benchmark(frame, 10.0, "low_is_good")
    for code, row in frame.iterrows():
        one = compare_with_benchmark(row.value, row.lower, row.upper, 10.0, "low_is_good", row.lower_998, row.upper_998)
        assert (out.loc[code, "direction"], out.loc[code, "outcome"]) == (one.direction, one.outcome)
    assert set(out["method"]) == {"ci_overlap_95_998"}


def test_benchmark_series_per_area():
    frame = pd.DataFrame({"value": [10.0, 10], "lower": [9.0, 9], "upper": [11.0, 11]}, index=["a", "b"])
    out = compare_areas_with_benchmark(frame, pd.Series({"a": 5.0, "b": 15.0}))
    assert list(out["direction"]) == ["higher", "lower"]


def test_zscore_fallback_says_which_method_it_used():
    values = pd.Series([1.0, 2, 3, 4, 5, 100], index=list("abcdef"))
    out = classify_by_zscore(values, values.mean(), "high_is_good")
    assert set(out["method"]) == {"zscore_bands"}
    assert out.loc["f", "direction"] == "much_higher" and out.loc["f", "outcome"] == "much_better"
    assert out.loc["c", "direction"] == "similar"


def test_zscore_all_values_equal_are_similar():
    out = classify_by_zscore(pd.Series([3.0, 3.0, 3.0]), 3.0)
    assert set(out["direction"]) == {"similar"}


def test_quintile_fallback():
    values = pd.Series(np.arange(10, dtype=float), index=[f"A{i}" for i in range(10)])
    values.iloc[0] = np.nan
    out = classify_by_quintile(values, "low_is_good")
    assert out.loc["A0", "direction"] == "not_compared"
    assert out.loc["A9", "quintile"] == 5 and out.loc["A9", "outcome"] == "much_worse"
    assert set(out["method"]) == {"quintiles"}


def test_group_benchmark_excludes_the_area_itself_and_weights_by_population():
    values = pd.Series({"a": 10.0, "b": 20.0, "c": 40.0})
    pops = pd.Series({"a": 1.0, "b": 3.0, "c": 1.0})
    assert group_benchmark(values, pops, ["a", "b", "c"], exclude="c") == pytest.approx(17.5)
    assert np.isnan(group_benchmark(values, pops * 0, ["a", "b"]))


def test_national_and_parent_benchmarks():
    values = pd.Series({"NL01": 5.0, "PV27": 6.0, "GM0363": 7.0})
    assert national_benchmark(values, "NL01") == 5.0
    assert parent_benchmarks(values, pd.Series({"GM0363": "PV27"}))["GM0363"] == 6.0
    with pytest.raises(ValueError, match="no value for the country"):
        national_benchmark(values, "BE")


def test_invalid_input_raises():
    with pytest.raises(ValueError, match="polarity must be one of"):
        compare_with_benchmark(1, 0, 2, 1, "up_is_good")
    with pytest.raises(ValueError, match="lower .* exceeds upper"):
        compare_with_benchmark(1, 2, 0, 1)


def test_group_benchmarks_match_the_one_area_function_and_fall_back_to_a_plain_mean():
    from indicators.comparison import group_benchmarks

    values = pd.Series({"a": 10.0, "b": 20.0, "c": 30.0, "d": np.nan, "e": 50.0})
    pops = pd.Series({"a": 100.0, "b": 300.0, "c": 600.0, "d": 50.0, "e": np.nan})
    groups = {"a": ["b", "c"], "b": ["a", "b", "c", "d"], "c": ["a", "e"], "d": ["d"],
              "e": ["a", "b"]}
    out = group_benchmarks(values, pops, groups)
    # weighted, computed by hand: a -> (20*300 + 30*600)/900; b -> (10*100 + 30*600)/700
    assert out.loc["a", "benchmark"] == pytest.approx(24000 / 900)
    assert out.loc["b", "benchmark"] == pytest.approx(19000 / 700)  # d has no value: not used
    assert out.loc["b", "benchmark"] == pytest.approx(
        group_benchmark(values, pops, groups["b"], exclude="b"))
    assert bool(out.loc["a", "weighted"]) and out.loc["b", "n_members"] == 2
    # e has a value but no population: plain mean of 10 and 50, flagged unweighted
    assert out.loc["c", "benchmark"] == pytest.approx(30.0)
    assert not bool(out.loc["c", "weighted"])
    # only itself in its group: no benchmark
    assert np.isnan(out.loc["d", "benchmark"]) and out.loc["d", "n_members"] == 0
    assert out.loc["e", "benchmark"] == pytest.approx((10 * 100 + 20 * 300) / 400)
    with pytest.raises(ValueError, match="negative"):
        group_benchmarks(values, pops * -1, groups)


def test_zscore_without_a_benchmark_value_compares_nothing_even_for_one_area():
    one = classify_by_zscore(pd.Series({"a": 21.5}), np.nan, "low_is_good")
    assert list(one["direction"]) == ["not_compared"]
    some = classify_by_zscore(pd.Series({"a": 1.0, "b": 5.0}), pd.Series({"a": np.nan, "b": 2.0}))
    assert some.loc["a", "direction"] == "not_compared" and some.loc["b", "direction"] != "not_compared"
