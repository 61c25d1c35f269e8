"""Contributor absence factor (CHAOSS, formerly "bus factor"): the smallest number of authors
making 50% of the recent commits (the newest commits of the default branch, docs/health.md)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured, half_of

__all__ = ["KEYS", "compute"]

KEYS = ("contributor_absence_factor",)


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """Authors are told apart by GitHub login, else by (a digest of) their commit e-mail;
    commits of unknown authors are not counted. None without any known author."""
    if history.commit_authors is None:
        return {KEYS[0]: Measured(None)}
    authors: Counter[str] = Counter(
        a["identity"] for a in history.commit_authors if isinstance(a.get("identity"), str)
    )
    return {KEYS[0]: Measured(half_of(authors), sum(authors.values()))}
