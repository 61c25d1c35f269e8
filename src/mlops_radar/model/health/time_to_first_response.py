"""Time to first response (CHAOSS): hours from an issue or change request being opened to the
first response by someone other than its author, bots excluded (docs/health.md)."""

from __future__ import annotations

from datetime import datetime

from mlops_radar.model.health.base import Event, HealthHistory, Measured, hours, median, same_person

__all__ = ["KEYS", "compute", "first_response"]

KEYS = ("time_to_first_response_median_h",)


def first_response(event: Event) -> datetime | None:
    """The first response by a known person other than the author, not a bot."""
    moments = [
        r.at
        for r in event.responses
        if not r.bot
        and r.author is not None
        and not same_person(r.author, event.author)
        and r.at >= event.created_at
    ]
    return min(moments, default=None)


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """Median over the sampled closed issues and closed or merged pull requests that had such a
    response among their first comments (the others are not counted: no response seen)."""
    if history.closed_issues is None and history.closed_prs is None:
        return {KEYS[0]: Measured(None)}
    spans = []
    for event in (*(history.closed_issues or ()), *(history.closed_prs or ())):
        answered = first_response(event)
        if answered is not None and answered <= at:
            spans.append(hours(answered - event.created_at))
    return {KEYS[0]: Measured(median(spans), len(spans))}
