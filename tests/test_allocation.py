"""Largest-remainder allocation with a floor: known answers and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakcoe.allocation import largest_remainder


def test_plain_largest_remainder_known_answer():
    # quotas 4.6, 3.2, 2.2 -> 4, 3, 2 and one more to the largest remainder (a)
    assert largest_remainder({"a": 46, "b": 32, "c": 22}, 10) == {"a": 5, "b": 3, "c": 2}


def test_floor_is_given_first_and_the_rest_shared():
    # c's quota (0.1) is below the floor 2: c gets 2, and 8 are shared 90:9 -> 7.27, 0.73 -> b below floor too
    assert largest_remainder({"a": 90, "b": 9, "c": 1}, 10, floor=2) == {"a": 6, "b": 2, "c": 2}


def test_zero_weights_share_equally():
    assert largest_remainder({"a": 0, "b": 0}, 4) == {"a": 2, "b": 2}


def test_impossible_floor_is_refused():
    with pytest.raises(ValueError, match="floor of 3"):
        largest_remainder({"a": 1, "b": 1}, 5, floor=3)


def test_negative_weight_is_refused():
    with pytest.raises(ValueError):
        largest_remainder({"a": -1, "b": 1}, 5)


@given(
    weights=st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.floats(0, 1e8, allow_nan=False), min_size=1, max_size=8),
    total=st.integers(0, 300),
    floor=st.integers(0, 5),
)
def test_properties(weights, total, floor):
    if floor * len(weights) > total:
        with pytest.raises(ValueError):
            largest_remainder(weights, total, floor)
        return
    result = largest_remainder(weights, total, floor)
    assert set(result) == set(weights)
    assert sum(result.values()) == total
    assert all(v >= floor for v in result.values())
    # no unit above the floor gets more than one hub beyond its proportional quota of what is left
    free = [u for u in weights if result[u] > floor]
    left = total - floor * sum(1 for u in weights if result[u] == floor)
    wsum = sum(weights[u] for u in free)
    if wsum > 0:
        for u in free:
            assert result[u] <= left * weights[u] / wsum + 1 + 1e-9
