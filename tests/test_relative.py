"""Within-country quantile groups (indicators/relative.py) against hand-computed groups."""

from __future__ import annotations

import math

import pytest

from indicators.relative import within_country_quantile


def test_ten_values_give_two_areas_per_quintile():
    values = [5, 1, 9, 3, 7, 2, 10, 4, 8, 6]
    # ranks 5,1,9,3,7,2,10,4,8,6 -> ceil(5 r / 10)
    assert list(within_country_quantile(values, 5)) == [3, 1, 5, 2, 4, 1, 5, 2, 4, 3]


def test_missing_values_stay_missing_and_do_not_count():
    got = within_country_quantile([10.0, None, 30.0, float("nan"), 20.0, 40.0], 2)
    # four values: ranks 1,3,2,4 -> ceil(2 r / 4) = 1,2,1,2
    assert got[0] == 1 and got[2] == 2 and got[4] == 1 and got[5] == 2
    assert math.isnan(got[1]) and math.isnan(got[3])


def test_ties_share_a_group():
    # ranks 1, 2.5, 2.5, 4 -> ceil(2*1/4)=1, ceil(2*2.5/4)=2, 2, ceil(2)=2
    assert list(within_country_quantile([1, 2, 2, 3], 2)) == [1, 2, 2, 2]


def test_seven_values_in_quintiles():
    # ceil(5 r / 7) for r = 1..7: 1, 2, 3, 3, 4, 5, 5
    assert list(within_country_quantile([1, 2, 3, 4, 5, 6, 7], 5)) == [1, 2, 3, 3, 4, 5, 5]


def test_every_group_is_between_1_and_n_and_keeps_the_order():
    values = [3.2, 8.1, 1.0, 5.5, 9.9, 2.2, 7.7, 4.4, 6.6, 0.5, 12.0]
    got = within_country_quantile(values, 4)
    assert set(got) <= {1.0, 2.0, 3.0, 4.0}
    pairs = sorted(zip(values, got, strict=True))
    assert [g for _, g in pairs] == sorted(g for _, g in pairs)


def test_all_missing_gives_all_missing():
    assert within_country_quantile([None, float("nan")], 5).isna().all()


def test_fewer_than_two_groups_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        within_country_quantile([1, 2, 3], 1)
