"""`health_metrics(record, snapshot_date)`: every community-health metric of one repository."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from mlops_radar.model.health import (
    change_request_closure,
    commit_frequency,
    contributor_absence,
    elephant_factor,
    open_issue_age,
    organisational_diversity,
    release_frequency,
    time_to_close,
    time_to_first_response,
    time_to_merge,
)
from mlops_radar.model.health.base import Compute, HealthHistory, Measured, snapshot_moment

__all__ = ["METRIC_KEYS", "HealthMetrics", "health_metrics"]

_PLAIN: tuple[Compute, ...] = (
    time_to_first_response.compute,
    time_to_close.compute,
    open_issue_age.compute,
    change_request_closure.compute,
    time_to_merge.compute,
    release_frequency.compute,
    commit_frequency.compute,
    contributor_absence.compute,
)


@dataclass(frozen=True, slots=True)
class HealthMetrics:
    """One repository's community-health metrics at a snapshot; None where unknown (never 0 for
    unknown). `n` says how many items each value was computed from; `lower_bounds` names the
    values that are only lower bounds (GitHub's list was cut inside the metric's window)."""

    time_to_first_response_median_h: float | None = None
    time_to_close_median_h: float | None = None
    open_issue_age_median_d: float | None = None
    open_issue_age_p90_d: float | None = None
    change_request_closure_ratio_90d: float | None = None
    time_to_merge_median_h: float | None = None
    releases_last_year: int | None = None
    commits_90d: int | None = None
    commits_365d: int | None = None
    contributor_absence_factor: int | None = None
    elephant_factor: int | None = None
    organisational_diversity: int | None = None
    largest_organisation_share: float | None = None
    n: Mapping[str, int] = field(default_factory=dict)
    lower_bounds: frozenset[str] = frozenset()

    def values(self) -> dict[str, float | int | None]:
        """The metrics by JSON key."""
        return {key: getattr(self, key) for key in METRIC_KEYS}


#: The metrics' keys, in order (the `"health"` keys of `show TOOL --json`).
METRIC_KEYS: tuple[str, ...] = tuple(
    f.name for f in fields(HealthMetrics) if f.name not in ("n", "lower_bounds")
)


def health_metrics(
    record: object,
    snapshot_date: date | datetime,
    *,
    free_mail: Collection[str] | None = None,
) -> HealthMetrics:
    """The metrics of a `github.health` record (a `GitHubHealth` or a mapping of its fields) at
    the snapshot's date (windows end at the end of that day, UTC). `free_mail`: the domains that
    say nothing about an employer (default: the packaged list, `config.free_mail_domains()`)."""
    if free_mail is None:
        from mlops_radar.model.config import free_mail_domains

        free_mail = free_mail_domains()
    history = HealthHistory.of(record)
    at = snapshot_moment(snapshot_date)
    measured: dict[str, Measured] = {}
    for compute in _PLAIN:
        measured.update(compute(history, at))
    measured.update(elephant_factor.compute(history, at, free_mail))
    measured.update(organisational_diversity.compute(history, at, free_mail))
    return HealthMetrics(
        **{key: measured[key].value for key in METRIC_KEYS},  # type: ignore[arg-type]
        n={key: measured[key].n for key in METRIC_KEYS},
        lower_bounds=frozenset(key for key in METRIC_KEYS if measured[key].lower_bound),
    )
