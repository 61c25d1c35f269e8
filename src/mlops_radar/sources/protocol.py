"""The small protocol every source implements, and the failures a collector acts on.

A source turns a catalog's entries into work items (`plan`), sends a batch of them (`fetch`) and
reads the answer into fact records, outcomes, items to retry and follow-up items (`parse`). The
`Collector` only coordinates: queue, batch sizing and halving, retries, pacing from the budget the
source reports, durable writes through a `FactSink`, progress. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from mlops_radar.catalog.records import ToolEntry
from mlops_radar.errors import CollectError, SourceError
from mlops_radar.sources.factsets import FactRecord, FactSet, RepoKey
from mlops_radar.sources.outcomes import RepoOutcome, StoredState
from mlops_radar.sources.pacing import RateBudget

__all__ = [
    "Answered",
    "BatchResult",
    "Plan",
    "RateLimited",
    "RetryLater",
    "ShrinkBatch",
    "Source",
    "SourceStopped",
    "TransientError",
    "WorkItem",
]


@dataclass(frozen=True, slots=True)
class WorkItem:
    """Something to ask a source about one key.

    `parts` name what to fetch (a source's field groups, or a later phase of one); items with the
    same `shape` can share a batch; a `rider` costs nothing extra and may join any batch (up to the
    source's `max_riders`); `payload` is source-specific (e.g. file paths to fetch).
    """

    key: RepoKey
    asked: str  # as the catalog spells it
    parts: frozenset[str]
    shape: Hashable
    rider: bool = False
    payload: Any = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A run's work: items to send, outcomes known without asking, and what is done already."""

    items: tuple[WorkItem, ...]
    known: tuple[RepoOutcome, ...] = ()  # e.g. skipped: nothing to ask this source
    already_done: int = 0  # keys finished by an earlier run of the same snapshot

    @property
    def total(self) -> int:
        """Keys this run has to finish."""
        return len({item.key for item in self.items}) + len(self.known)


@dataclass(frozen=True, slots=True)
class Answered:
    """A usable answer to one batch: source-specific `data` and the budget it reported."""

    data: Any
    budget: RateBudget = field(default_factory=RateBudget)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one answer taught: facts to store, outcomes (per key, provisional until the key's last
    item is done), items to retry with a reason, and follow-up items (a later phase)."""

    facts: tuple[FactRecord, ...] = ()
    outcomes: tuple[RepoOutcome, ...] = ()
    retry: tuple[tuple[WorkItem, str], ...] = ()
    follow_up: tuple[WorkItem, ...] = ()


class Source(Protocol):
    """A source of facts (GitHub's GraphQL API, a package index, git history, ...)."""

    name: str
    #: How many rider items may join one batch.
    max_riders: int

    def fact_sets(self) -> tuple[FactSet, ...]:
        """The fact sets this run of the source may write (refreshable ones are looked up)."""
        ...

    def plan(self, entries: Sequence[ToolEntry], stored: StoredState, now: datetime) -> Plan:
        """The work for `entries`, leaving out what `stored` says is finished or fresh enough."""
        ...

    def preferred_size(self, shape: Hashable, cap: int) -> int:
        """The cheapest batch size (at most `cap`) for items of this shape."""
        ...

    def estimate(self, batch: Sequence[WorkItem]) -> int:
        """Points (or other budget units) a batch is expected to cost."""
        ...

    async def fetch(self, batch: Sequence[WorkItem]) -> Answered:
        """Send one batch; raise one of this module's errors when it fails."""
        ...

    def parse(
        self, batch: Sequence[WorkItem], answered: Answered, collected_at: datetime
    ) -> BatchResult:
        """Read an answer; never raises for a bad value of one key (that key gets a problem)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


# --- failures --------------------------------------------------------------------------------


class TransientError(SourceError):
    """A request failed in a way that may pass on retry; `reason` is one line for the summary.

    `transport` is True when nothing came back at all (connection refused, reset, DNS): a run
    where every request fails that way is an outage and stops early.
    """

    def __init__(self, reason: str, *, transport: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transport = transport


class ShrinkBatch(TransientError):
    """The batch was too heavy or slow for the server (502, 504, timeout): retry it smaller."""


class RetryLater(TransientError):
    """The request failed on the way (reset, malformed body, 5xx): retry after a backoff."""


class RateLimited(SourceError):
    """A rate limit: wait `seconds` before the next request."""

    def __init__(self, kind: Literal["primary", "secondary"], seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.seconds = max(0.0, seconds)
        self.reason = reason


class SourceStopped(CollectError):
    """The source cannot go on at all (the token refused, the query rejected): stop the run."""
