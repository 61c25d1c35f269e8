"""Elephant factor (CHAOSS): the smallest number of organisations whose people make 50% of the
recent commits (docs/health.md)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured, half_of
from mlops_radar.model.health.organisations import organisation_commits

__all__ = ["KEYS", "compute"]

KEYS = ("elephant_factor",)


def compute(history: HealthHistory, at: datetime, free: Collection[str]) -> dict[str, Measured]:
    """Over the commits whose organisation is known; None when none is."""
    if history.commit_authors is None:
        return {KEYS[0]: Measured(None)}
    commits = organisation_commits(history.commit_authors, free)
    return {KEYS[0]: Measured(half_of(commits), sum(commits.values()))}
