"""Radar rings (Adopt, Trial, Assess, Hold) from score, completeness and gate status.

Hold if a gate failed, or the score is below `hold_below`; Adopt and Trial need both a score and a
completeness threshold (a high score on scant data is not a recommendation); a tool that needs
review is capped at Assess until a person resolves its unknown gate. Thresholds:
`model/data/rings.toml`.
"""

from __future__ import annotations

import numpy as np

from mlops_radar.model.weights import RingRules

__all__ = ["RINGS", "assign_rings"]

RINGS = ("Adopt", "Trial", "Assess", "Hold")


def assign_rings(
    score: np.ndarray, completeness: np.ndarray, status: np.ndarray, rules: RingRules
) -> tuple[np.ndarray, np.ndarray]:
    """(ring, basis) per row; basis says why: gate | low_score | review | adopt | trial | assess."""
    eliminated = status == "eliminated"
    review = status == "needs_review"
    low = score < rules.hold_below
    adopt = (score >= rules.adopt_score) & (completeness >= rules.adopt_completeness)
    trial = (score >= rules.trial_score) & (completeness >= rules.trial_completeness)
    conditions = [eliminated, low, review & (adopt | trial), adopt, trial]
    ring = np.select(conditions, ["Hold", "Hold", "Assess", "Adopt", "Trial"], default="Assess")
    basis = np.select(
        conditions, ["gate", "low_score", "review", "adopt", "trial"], default="assess"
    )
    return ring, basis
