"""Commit frequency (CHAOSS "Code Changes Commits"): commits on the default branch in the 90 and
365 days before the collection (GitHub's `history(since:)` counts, docs/health.md)."""

from __future__ import annotations

from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured

__all__ = ["KEYS", "compute"]

KEYS = ("commits_90d", "commits_365d")


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """GitHub's counts as collected (their windows end at the collection, not at `at`)."""
    return {
        KEYS[0]: Measured(history.commits_90d, history.commits_90d or 0),
        KEYS[1]: Measured(history.commits_365d, history.commits_365d or 0),
    }
