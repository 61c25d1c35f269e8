"""Issue age (CHAOSS): how long open issues have been open, in days at the snapshot's moment,
median and 90th percentile (nearest rank) of the newest open issues (docs/health.md)."""

from __future__ import annotations

from datetime import datetime

from mlops_radar.model.health.base import HealthHistory, Measured, days, median, nearest_rank

__all__ = ["KEYS", "compute"]

KEYS = ("open_issue_age_median_d", "open_issue_age_p90_d")


def compute(history: HealthHistory, at: datetime) -> dict[str, Measured]:
    """Ages of the sampled open issues (created by the snapshot's moment). When GitHub counts
    more open issues than were listed (the newest `PAGE`), the older ones are missing: the values
    are lower bounds. No open issues: None (there is no age to tell)."""
    if history.open_issue_created is None:
        return {key: Measured(None) for key in KEYS}
    ages = [days(at - created) for created in history.open_issue_created if created <= at]
    total = history.open_issues_total
    cut = total is not None and total > len(history.open_issue_created)
    n = len(ages)
    return {
        KEYS[0]: Measured(median(ages), n, lower_bound=cut and n > 0),
        KEYS[1]: Measured(nearest_rank(ages, 0.9), n, lower_bound=cut and n > 0),
    }
