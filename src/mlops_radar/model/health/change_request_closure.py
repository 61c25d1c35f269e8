"""Change request closure ratio (CHAOSS): change requests closed (merged or not) in the last 90
days over those opened in the same 90 days (docs/health.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from mlops_radar.model.health.base import HealthHistory, Measured, within

__all__ = ["KEYS", "WINDOW", "compute", "covers"]

KEYS = ("change_request_closure_ratio_90d",)
WINDOW = timedelta(days=90)


def covers(created: Sequence[datetime], total: int | None, start: datetime) -> bool:
    """Whether a list of the newest items (by creation) holds every item created after `start`:
    it is complete, or its oldest item is older than `start`."""
    if total is not None and total <= len(created):
        return True
    return bool(created) and min(created) <= start


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """None when either list is missing, when a list was cut inside the window (the opened ones
    could not all be counted), or when none was opened in the window."""
    closed, open_ = history.closed_prs, history.open_pr_created
    if closed is None or open_ is None:
        return {KEYS[0]: Measured(None)}
    start = at - WINDOW
    closed_created = [e.created_at for e in closed]
    if not covers(closed_created, history.closed_prs_total, start) or not covers(
        list(open_), history.open_prs_total, start
    ):
        return {KEYS[0]: Measured(None)}
    opened = within(closed_created, start, at) + within(open_, start, at)
    finished = within((e.merged_at or e.closed_at for e in closed), start, at)
    if opened == 0:
        return {KEYS[0]: Measured(None)}
    return {KEYS[0]: Measured(finished / opened, opened)}
