"""What every community-health metric shares: the history read from a `github.health` record,
the snapshot's moment, and the statistics (median, nearest-rank percentile, the 50% rule).

Pure: the record is read as given (a value that is not a time is skipped, never guessed), the
snapshot's date is an argument, nothing is asked of a clock.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = [
    "HOUR",
    "Compute",
    "Event",
    "HealthHistory",
    "Measured",
    "Response",
    "half_of",
    "median",
    "nearest_rank",
    "snapshot_moment",
]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Measured:
    """One metric's value (None: unknown), how many items it was computed from, and whether it
    is only a lower bound (the list GitHub gave was cut before the metric's window ended)."""

    value: float | int | None
    n: int = 0
    lower_bound: bool = False


@dataclass(frozen=True, slots=True)
class Response:
    """A comment or review: when, by whom (None: a deleted account), whether by a bot."""

    at: datetime
    author: str | None
    bot: bool


@dataclass(frozen=True, slots=True)
class Event:
    """An issue or a pull request."""

    created_at: datetime
    author: str | None
    closed_at: datetime | None = None
    merged_at: datetime | None = None
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True, slots=True)
class HealthHistory:
    """A `github.health` record, typed. A list is None when it was not collected."""

    closed_issues: tuple[Event, ...] | None
    closed_issues_total: int | None
    open_issue_created: tuple[datetime, ...] | None
    open_issues_total: int | None
    closed_prs: tuple[Event, ...] | None
    closed_prs_total: int | None
    open_pr_created: tuple[datetime, ...] | None
    open_prs_total: int | None
    release_published: tuple[datetime, ...] | None
    releases_total: int | None
    commits_90d: int | None
    commits_365d: int | None
    commit_authors: tuple[Mapping[str, Any], ...] | None

    @classmethod
    def of(cls, record: object) -> HealthHistory:
        """Read a `GitHubHealth` record (or a mapping of its fields)."""

        def get(name: str) -> Any:
            if isinstance(record, Mapping):
                return record.get(name)
            return getattr(record, name, None)

        return cls(
            closed_issues=_events(get("recent_closed_issues")),
            closed_issues_total=_count(get("closed_issues_total")),
            open_issue_created=_times(get("open_issue_created")),
            open_issues_total=_count(get("open_issues_total")),
            closed_prs=_events(get("recent_closed_prs")),
            closed_prs_total=_count(get("closed_prs_total")),
            open_pr_created=_times(get("open_pr_created")),
            open_prs_total=_count(get("open_prs_total")),
            release_published=_times(get("release_published")),
            releases_total=_count(get("releases_total")),
            commits_90d=_count(get("commits_90d")),
            commits_365d=_count(get("commits_365d")),
            commit_authors=_authors(get("commit_authors")),
        )


#: One metric module's computation: the history and the snapshot's moment to its values by key.
#: Each module of this package defines `KEYS` and `compute` of this type.
Compute = Callable[[HealthHistory, datetime], Mapping[str, Measured]]


def snapshot_moment(snapshot: date | datetime) -> datetime:
    """The end of the snapshot's day (UTC) for a date; an aware datetime as it is."""
    if isinstance(snapshot, datetime):
        return snapshot if snapshot.tzinfo else snapshot.replace(tzinfo=UTC)
    return datetime(snapshot.year, snapshot.month, snapshot.day, tzinfo=UTC) + DAY


def median(values: Sequence[float]) -> float | None:
    """The median (the mean of the middle two for an even count), None for no values."""
    return float(statistics.median(values)) if values else None


def nearest_rank(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at
    or below it (p90 of 1..10 is 9, of 1..20 is 18), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-round(share * len(ordered) * 1000) // 1000))  # ceil, robust to 0.9 * 10
    return float(ordered[min(len(ordered), rank) - 1])


def half_of(counts: Counter[str]) -> int | None:
    """The smallest number of keys whose counts make at least half of the total (CHAOSS's
    contributor absence and elephant factors), None for no counts."""
    total = sum(counts.values())
    if total <= 0:
        return None
    reached = 0
    for rank, (_, count) in enumerate(counts.most_common(), start=1):
        reached += count
        if 2 * reached >= total:
            return rank
    return len(counts)  # pragma: no cover - the loop always reaches half


def hours(span: timedelta) -> float:
    return span / HOUR


def days(span: timedelta) -> float:
    return span / DAY


def same_person(a: str | None, b: str | None) -> bool:
    """GitHub logins compare case-insensitively; an unknown login is nobody in particular."""
    return a is not None and b is not None and a.lower() == b.lower()


# -- reading a record ----------------------------------------------------------------------------


def _time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _times(values: object) -> tuple[datetime, ...] | None:
    if not isinstance(values, list | tuple):
        return None
    return tuple(t for t in (_time(v) for v in values) if t is not None)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _responses(values: object) -> tuple[Response, ...]:
    found = []
    for value in values if isinstance(values, list | tuple) else ():
        if isinstance(value, Mapping) and (at := _time(value.get("at"))) is not None:
            found.append(Response(at, _text(value.get("author")), value.get("bot") is True))
    return tuple(found)


def _events(values: object) -> tuple[Event, ...] | None:
    if not isinstance(values, list | tuple):
        return None
    events = []
    for value in values:
        if not isinstance(value, Mapping) or (created := _time(value.get("created_at"))) is None:
            continue
        events.append(
            Event(
                created,
                _text(value.get("author")),
                _time(value.get("closed_at")),
                _time(value.get("merged_at")),
                _responses(value.get("responses")),
            )
        )
    return tuple(events)


def _authors(values: object) -> tuple[Mapping[str, Any], ...] | None:
    if not isinstance(values, list | tuple):
        return None
    return tuple(v for v in values if isinstance(v, Mapping))


def within(moments: Iterable[datetime | None], start: datetime, end: datetime) -> int:
    """How many of `moments` fall in (start, end]."""
    return sum(1 for m in moments if m is not None and start < m <= end)
