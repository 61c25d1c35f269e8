"""Change request duration to merge (CHAOSS "Change Requests Duration", merged ones): median
hours from opening to merging of the change requests merged in the last 90 days
(docs/health.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from mlops_radar.model.health.base import HealthHistory, Measured, hours, median

__all__ = ["KEYS", "WINDOW", "compute"]

KEYS = ("time_to_merge_median_h",)
WINDOW = timedelta(days=90)


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """Median over the sampled pull requests merged in the window; None without any."""
    if history.closed_prs is None:
        return {KEYS[0]: Measured(None)}
    start = at - WINDOW
    spans = [
        hours(e.merged_at - e.created_at)
        for e in history.closed_prs
        if e.merged_at is not None and start < e.merged_at <= at
    ]
    return {KEYS[0]: Measured(median(spans), len(spans))}
