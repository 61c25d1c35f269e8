"""Radar rings: score and completeness thresholds, gates, and the stars floor of evidence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlops_radar.model.explain import ring_reason
from mlops_radar.model.results import Ring
from mlops_radar.model.rings import assign_rings
from mlops_radar.model.weights import RingRules
from mlops_radar.report.words import ring_words

RULES = RingRules(
    hold_below=20,
    adopt_score=65,
    adopt_completeness=0.8,
    trial_score=45,
    trial_completeness=0.6,
    adopt_min_stars=1000,
    trial_min_stars=100,
)


@pytest.mark.parametrize(
    ("score", "completeness", "status", "stars", "ring", "basis"),
    [
        (80, 1.0, "qualified", 5000, "Adopt", "adopt"),
        (80, 1.0, "qualified", 999, "Trial", "trial_floor"),  # Adopt's score, too few stars
        (80, 1.0, "qualified", 99, "Assess", "assess_floor"),
        (80, 1.0, "qualified", math.nan, "Assess", "assess_floor"),  # unknown never passes
        (50, 1.0, "qualified", 150, "Trial", "trial"),
        (50, 1.0, "qualified", 50, "Assess", "assess_floor"),
        (80, 0.7, "qualified", 5000, "Trial", "trial"),  # scant data: not Adopt
        (30, 1.0, "qualified", 5000, "Assess", "assess"),
        (10, 1.0, "qualified", 5000, "Hold", "low_score"),
        (90, 1.0, "eliminated", 90000, "Hold", "gate"),
        (90, 1.0, "needs_review", 90000, "Assess", "review"),
    ],
)
def test_ring_table(
    score: float, completeness: float, status: str, stars: float, ring: str, basis: str
) -> None:
    rings, bases = assign_rings(
        np.array([score]), np.array([completeness]), np.array([status]), RULES, np.array([stars])
    )
    assert (rings[0], bases[0]) == (ring, basis)


def _reason(basis: str, ring: str, stars: float, score: float) -> str:
    return ring_words(ring_reason(ring, basis, score, 1.0, stars, {}, RULES))


def test_floor_reason_names_the_stars_and_the_floor() -> None:
    found = ring_reason("Trial", "trial_floor", 73.2, 1.0, 317.0, {}, RULES)
    assert (found.reached, found.wanted, found.floor) == (Ring.ADOPT, Ring.ADOPT, 1000)
    assert _reason("trial_floor", "Trial", 317.0, 73.2) == (
        "Trial: score 73 reaches Adopt, but 317 stars is below the 1,000 that Adopt asks as "
        "evidence of adoption"
    )


def test_floor_reason_says_which_ring_the_score_reached() -> None:
    assert _reason("assess_floor", "Assess", 9.0, 65.3).startswith(
        "Assess: score 65 reaches Adopt, but 9 stars is below the 100 that Trial asks"
    )
    assert _reason("assess_floor", "Assess", 9.0, 50.0).startswith("Assess: score 50 reaches Trial")


def test_no_floor_when_the_rules_set_none() -> None:
    rules = RingRules(20, 65, 0.8, 45, 0.6)
    rings, _ = assign_rings(
        np.array([80.0]), np.array([1.0]), np.array(["qualified"]), rules, np.array([3.0])
    )
    assert rings[0] == "Adopt"
