"""Release frequency (CHAOSS "Release Frequency"; OpenSSF Scorecard's maintained check counts
recent activity alike): releases published in the 365 days before the snapshot's moment
(docs/health.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mlops_radar.model.health.base import HealthHistory, Measured, within

__all__ = ["KEYS", "WINDOW", "compute"]

KEYS = ("releases_last_year",)
WINDOW = timedelta(days=365)


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """A count (0 is a known none); a lower bound when the newest releases listed were cut
    inside the window."""
    published = history.release_published
    if published is None:
        return {KEYS[0]: Measured(None)}
    start = at - WINDOW
    count = within(published, start, at)
    total = history.releases_total
    cut = total is not None and total > len(published) and count > 0
    cut = cut and min(published) > start
    return {KEYS[0]: Measured(count, len(published), lower_bound=cut)}
