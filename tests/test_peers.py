import numpy as np
import pandas as pd
import pytest

from indicators.peers import find_peers

FEATURES = pd.DataFrame(
    {"population": [1000, 1100, 5000, 990, 20000], "density": [100, 110, 900, 95, 3000]},
    index=["GM1", "GM2", "GM3", "GM4", "GM5"],
)


def test_nearest_areas_come_first_and_never_the_target():
    peers = find_peers(FEATURES, "GM1", k=2)
    assert list(peers.index) == ["GM4", "GM2"] or list(peers.index) == ["GM2", "GM4"]
    assert "GM1" not in peers.index
    assert peers["distance"].is_monotonic_increasing


def test_contributions_explain_the_distance():
    peers = find_peers(FEATURES, "GM1", k=4)
    contrib = peers.filter(like="contrib_").sum(axis=1)
    np.testing.assert_allclose(np.sqrt(contrib), peers["distance"])


def test_weights_change_who_is_nearest():
    frame = pd.DataFrame({"a": [0.0, 1, 0, 5], "b": [0.0, 0, 1, 5]}, index=list("tuvw"))
    assert find_peers(frame, "t", k=1, weights={"a": 1, "b": 0.01}).index[0] == "v"
    assert find_peers(frame, "t", k=1, weights={"a": 0.01, "b": 1}).index[0] == "u"


def test_missing_feature_is_handled_explicitly():
    frame = FEATURES.astype(float).copy()
    frame.loc["GM2", "density"] = np.nan
    peers = find_peers(frame, "GM1", k=4)
    assert peers.loc["GM2", "features_used"] == 1 and np.isfinite(peers.loc["GM2", "distance"])


def test_unknown_target_raises():
    with pytest.raises(ValueError, match="not in the features' index"):
        find_peers(FEATURES, "GM9")
