"""Issue resolution duration (CHAOSS): the median hours from an issue being opened to its being
closed, over the sampled closed issues (docs/health.md)."""

from __future__ import annotations

from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured, hours, median

__all__ = ["KEYS", "compute"]

KEYS = ("time_to_close_median_h",)


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """Median over closed issues closed by the snapshot's moment; None without any."""
    if history.closed_issues is None:
        return {KEYS[0]: Measured(None)}
    spans = [
        hours(e.closed_at - e.created_at)
        for e in history.closed_issues
        if e.closed_at is not None and e.created_at <= e.closed_at <= at
    ]
    return {KEYS[0]: Measured(median(spans), len(spans))}
