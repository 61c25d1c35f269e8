"""The collector's settings, the progress it reports while running, and the summary it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from mlops_radar.sources.outcomes import Outcome, RepoOutcome

__all__ = [
    "CollectConfig",
    "CollectProgress",
    "CollectSummary",
    "GroupCost",
    "ProgressStatus",
    "SummaryTally",
]


#: The longest wait a run accepts by default: GitHub's primary window is one hour, so no legitimate
#: reset is further away; a server asking for more (a `retry-after` of 1e308, a reset in 2099)
#: ends the run as partial at once instead of hanging it.
DEFAULT_MAX_WAIT = 3700.0


@dataclass(frozen=True, slots=True)
class CollectConfig:
    """How a run behaves. `batch_size` caps the items of one request (the source picks the
    cheapest size up to it); `max_wait` None waits as long as a rate limit asks."""

    batch_size: int = 50
    concurrency: int = 2
    max_wait: float | None = DEFAULT_MAX_WAIT  # seconds; a longer wait stops the run (partial)
    max_attempts: int = 5  # per item in one run, over transient failures
    max_outage: int = 5  # requests in a row that got no answer at all before the run stops
    backoff_base: float = 1.0  # seconds
    backoff_cap: float = 60.0  # seconds
    grow_after: int = 2  # successful batches in a row before the batch size grows back
    seed: int | None = None  # for the backoff jitter (tests)

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size <= 100:
            raise ValueError("batch size must be between 1 and 100")
        if self.concurrency < 1 or self.max_attempts < 1 or self.max_outage < 1:
            raise ValueError("concurrency, max_attempts and max_outage must be at least 1")


@dataclass(frozen=True, slots=True)
class GroupCost:
    """What the batches of one field group asked alone (the health group's are batched apart
    from the light groups): requests sent (retries included), points GitHub charged, and pages
    (items answered: one page of each of the group's lists for one repository)."""

    requests: int = 0
    points: int = 0
    pages: int = 0


@dataclass(frozen=True, slots=True)
class ProgressStatus:
    """Where a run stands after a batch. `groups`: the cost of the groups batched alone, by name."""

    done: int
    total: int
    requests: int
    points: int
    remaining: int | None  # primary budget left, as last reported
    limit: int | None
    groups: Mapping[str, GroupCost] = field(default_factory=dict)


class CollectProgress(Protocol):
    """What a front end (the CLI's progress bar) is told while a run goes on."""

    def batch_done(self, status: ProgressStatus) -> None:
        """A batch finished (its results are stored)."""

    def waiting(self, seconds: float, reason: str) -> None:
        """The run pauses `seconds` for `reason` (a rate limit, a backoff)."""


@dataclass(frozen=True, slots=True)
class CollectSummary:
    """What a run did. `partial` is True when it stopped before every key was finished, or when a
    key failed after its retries (a resume tries it again)."""

    total: int
    counts: dict[Outcome, int]
    renamed: tuple[tuple[str, str], ...]  # (old, new)
    failed: tuple[tuple[str, str], ...]  # (key, reason), not found and forbidden included
    unresolved: tuple[RepoOutcome, ...]
    already_done: int
    requests: int
    points: int
    budget_left: int | None
    partial: bool
    stop_reason: str | None
    elapsed_seconds: float
    groups: Mapping[str, GroupCost] = field(default_factory=dict)  # cost of groups batched alone

    @property
    def finished(self) -> int:
        """Keys that got an outcome in this run."""
        return sum(self.counts.values())


@dataclass(slots=True)
class SummaryTally:
    """Running totals of outcomes, turned into a `CollectSummary` at the end."""

    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unresolved: list[RepoOutcome] = field(default_factory=list)

    def add(self, outcome: RepoOutcome) -> None:
        """Count one final outcome."""
        self.counts[outcome.outcome] += 1
        if outcome.outcome is Outcome.RENAMED and outcome.new_name:
            self.renamed.append((outcome.repo, outcome.new_name))
        elif outcome.outcome in (Outcome.NOT_FOUND, Outcome.FORBIDDEN, Outcome.FAILED):
            self.failed.append((outcome.repo, f"{outcome.outcome.value}: {outcome.reason}"))
        elif outcome.outcome is Outcome.UNRESOLVED:
            self.unresolved.append(outcome)
