"""Pure helpers of the benchmark suite (bench/common.py): no timings are asserted here."""

from __future__ import annotations

import math
import sys

from healthgap.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from common import Figure, notes, percentile, table  # noqa: E402


def test_percentile_interpolates_between_closest_ranks_like_numpy():
    xs = [4, 1, 3, 2]
    assert percentile(xs, 50) == 2.5
    assert percentile(xs, 0) == 1 and percentile(xs, 100) == 4
    assert math.isclose(percentile(range(1, 101), 95), 95.05)
    assert percentile([7], 95) == 7


def test_percentile_of_nothing_is_nan():
    assert math.isnan(percentile([], 50))


def test_a_goal_is_an_upper_bound_and_no_goal_means_no_verdict():
    assert Figure("x", 1.0, "s", goal=1.0).met is True
    assert Figure("x", 1.01, "s", goal=1.0).met is False
    assert Figure("x", 0, "errors", goal=0).met is True
    assert Figure("x", 5.0, "MB").met is None
    assert Figure("x", float("nan"), "ms", goal=1).met is None


def test_table_has_one_aligned_line_per_figure_with_goal_and_verdict():
    rows = [Figure("switch", 180, "ms", 250).as_dict(), Figure("size", 6.6, "MB").as_dict(),
            Figure("errors", 2, "errors", 0, note="2 timeouts").as_dict()]
    lines = table(rows).splitlines()
    assert lines[0].split() == ["figure", "value", "unit", "goal", "met"]
    assert len(lines) == 2 + len(rows)
    assert len({len(line.rstrip()) for line in lines[:2]}) == 1
    assert lines[2].split()[-2:] == ["250", "yes"] and "≤" in lines[2]
    assert lines[3].split()[-1] == "MB"
    assert lines[4].split()[-1] == "NO"
    assert notes(rows) == "  errors: 2 timeouts"


def test_table_can_show_an_earlier_runs_values():
    rows = [Figure("switch", 180, "ms", 250).as_dict(), Figure("new", 1, "s").as_dict()]
    lines = table(rows, previous={"switch": 210}).splitlines()
    assert lines[0].split()[-1] == "before"
    assert lines[2].split()[-1] == "210"
    assert lines[3].split()[-1] == "–"
