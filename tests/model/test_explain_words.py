"""Explanations in words: a standing that seems to contradict the signal's pull says why."""

from __future__ import annotations

import math

import pytest

from mlops_radar.model.explain import describe
from mlops_radar.model.weights import SignalSpec

STARS = SignalSpec("stars", "popularity", 1.0, "log", 1000.0, True, "stars")


@pytest.mark.parametrize(
    ("value", "pct", "pull", "expected"),
    [
        (2497, 0.95, 0.2, "2,497 stars, in the top 10% of AutoML"),
        (24, 0.55, -0.1, "24 stars, in the top 50% of AutoML, but low on the global scale"),
        (9000, 0.30, 0.1, "9,000 stars, in the bottom 30% of AutoML, but high on the global scale"),
        (3, 0.05, -0.2, "3 stars, in the bottom 10% of AutoML"),
        (1, 0.05, -0.2, "1 star, in the bottom 10% of AutoML"),
        (math.nan, math.nan, -0.3, "stars: unknown (counts as 0)"),
    ],
)
def test_describe(value: float, pct: float, pull: float, expected: str) -> None:
    assert describe(STARS, value, pct, "AutoML", pull) == expected
