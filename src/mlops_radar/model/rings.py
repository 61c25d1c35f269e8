"""Radar rings (Adopt, Trial, Assess, Hold, and Unrated) from score, completeness and gate status.

Unrated when nothing is known about a tool (no data is not a verdict); Hold if an applied gate
failed, or the score is below `hold_below` on at least `hold_completeness` known; a tool that needs
review is capped at Assess before any score rule, until a person resolves its unknown gate; Adopt
and Trial need a score, a completeness threshold (a high score on scant data is not a
recommendation) and a floor of stars as evidence of adoption (scores are relative to the category:
a small category's leader may have a handful of stars). Thresholds: `model/data/rings.toml`.
"""

from __future__ import annotations

import numpy as np

from mlops_radar.model.results import Ring, RingBasis, Status
from mlops_radar.model.weights import RingRules

__all__ = ["RINGS", "assign_rings"]

RINGS = tuple(Ring)


def assign_rings(
    score: np.ndarray,
    completeness: np.ndarray,
    status: np.ndarray,
    rules: RingRules,
    stars: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(ring, basis) per row; basis says why: no_data | gate | review | low_score | scant |
    adopt | trial | trial_floor (Adopt's score, too few stars) | assess_floor (Trial's score, too
    few stars) | assess. `stars` NaN (unknown) never passes a floor."""
    if stars is None:
        stars = np.full(len(score), np.nan)
    nothing = ~(completeness > 0)
    eliminated = status == Status.ELIMINATED
    review = status == Status.NEEDS_REVIEW
    low = score < rules.hold_below
    enough = completeness >= rules.hold_completeness
    adopt = (score >= rules.adopt_score) & (completeness >= rules.adopt_completeness)
    trial = (score >= rules.trial_score) & (completeness >= rules.trial_completeness)
    adopt_floor = (rules.adopt_min_stars <= 0) | (stars >= rules.adopt_min_stars)
    trial_floor = (rules.trial_min_stars <= 0) | (stars >= rules.trial_min_stars)
    conditions = [
        nothing,
        eliminated,
        review,
        low & enough,
        low,
        adopt & adopt_floor,
        adopt & trial_floor,
        trial & trial_floor,
        adopt | trial,
    ]
    u, h, a, t, s = Ring.UNRATED, Ring.HOLD, Ring.ADOPT, Ring.TRIAL, Ring.ASSESS
    ring = np.select(conditions, [u, h, s, h, s, a, t, t, s], s).astype(object)
    b = RingBasis
    bases = [b.NO_DATA, b.GATE, b.REVIEW, b.LOW_SCORE, b.SCANT, b.ADOPT, b.TRIAL_FLOOR, b.TRIAL,
             b.ASSESS_FLOOR]  # fmt: skip
    basis = np.select(conditions, bases, default=b.ASSESS).astype(object)
    return ring, basis
