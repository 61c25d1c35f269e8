"""Organizational diversity (CHAOSS): how many organisations the recent commits come from, and
the share of the largest (docs/health.md)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured
from mlops_radar.model.health.organisations import organisation_commits

__all__ = ["KEYS", "compute"]

KEYS = ("organisational_diversity", "largest_organisation_share")


def compute(history: HealthHistory, at: datetime, free: Collection[str]) -> dict[str, Measured]:
    """Over the commits whose organisation is known; None when none is."""
    if history.commit_authors is None:
        return {key: Measured(None) for key in KEYS}
    commits = organisation_commits(history.commit_authors, free)
    known = sum(commits.values())
    if not known:
        return {key: Measured(None) for key in KEYS}
    [(_, largest)] = commits.most_common(1)
    return {KEYS[0]: Measured(len(commits), known), KEYS[1]: Measured(largest / known, known)}
