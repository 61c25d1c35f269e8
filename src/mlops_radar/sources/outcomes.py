"""Per-repository outcomes of a source, what the store already holds, and the sink sources write to.

The collector (sources) cannot import the store (to its right), so it writes through the `FactSink`
protocol defined here; the store implements it, one sink per (snapshot, source). Outcomes are kept
per (snapshot, repository, source), so every source records its own outcome and resumes on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from mlops_radar.sources.factsets import FactRecord, FactSet, RepoKey

__all__ = ["FINAL", "FactSink", "Outcome", "RepoOutcome", "StoredOutcome", "StoredState"]


class Outcome(StrEnum):
    """How a source's work on one repository ended."""

    COLLECTED = "collected"
    RENAMED = "renamed"  # collected, under a new name (old -> new recorded)
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    FAILED = "failed"  # failed after retries: tried again by a resume
    GIVEN_UP = "given_up"  # failed in every one of several runs: not tried again
    UNRESOLVED = "unresolved"  # an organisation link: no single repository
    SKIPPED = "skipped"  # nothing this source can ask (a website, another forge)


#: Outcomes that end a key for its snapshot (a resume does not ask again).
FINAL = frozenset(set(Outcome) - {Outcome.FAILED})


@dataclass(frozen=True, slots=True)
class RepoOutcome:
    """The outcome for one key ("owner/name", or the org or URL of unresolved/skipped ones).

    `problems` are values of the answer that could not be used (each made that fact unknown).
    """

    repo: str
    outcome: Outcome
    reason: str | None = None
    new_name: str | None = None  # for RENAMED
    suggestions: tuple[str, ...] = ()  # for UNRESOLVED orgs: most-starred repositories
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    """An outcome the store holds for a key, with how many runs have tried it."""

    outcome: Outcome
    attempts: int


@dataclass(frozen=True)
class StoredState:
    """What the store holds for one source of one snapshot, for a plan to skip finished work.

    `outcomes`: each key's recorded outcome; `present`: the fact sets stored for each key in this
    snapshot; `newest`: for refreshable fact sets, when each key's newest value (in any snapshot up
    to now) was collected; `lookup(fact_set, keys)`: the stored records of this snapshot;
    `earlier(fact_set, keys)`: each key's newest record from earlier snapshots (texts whose git
    object id has not changed need not be fetched again).
    """

    outcomes: Mapping[RepoKey, StoredOutcome] = field(default_factory=dict)
    present: Mapping[RepoKey, frozenset[str]] = field(default_factory=dict)
    newest: Mapping[tuple[str, RepoKey], datetime] = field(default_factory=dict)
    lookup: Callable[[FactSet, Iterable[str]], Mapping[RepoKey, Any]] = lambda _set, _keys: {}
    earlier: Callable[[FactSet, Iterable[str]], Mapping[RepoKey, Any]] = lambda _set, _keys: {}

    def finished(self, key: RepoKey) -> bool:
        """Whether the key has a final outcome in this snapshot."""
        found = self.outcomes.get(key)
        return found is not None and found.outcome in FINAL

    def attempts(self, key: RepoKey) -> int:
        """Runs that have tried the key and failed (0 if none)."""
        found = self.outcomes.get(key)
        return found.attempts if found is not None and found.outcome is Outcome.FAILED else 0


class FactSink(Protocol):
    """Where one source of one snapshot writes what it learns. Every write is durable on return."""

    def stored(self, fact_sets: Iterable[FactSet] = ()) -> StoredState:
        """What this snapshot holds for the source: outcomes, which of `fact_sets` each key has,
        and when the newest value of each refreshable one was collected (any snapshot)."""
        ...

    def values(self, fact_set: FactSet, keys: Iterable[str]) -> dict[RepoKey, Any]:
        """Stored records of `fact_set` in this snapshot for `keys` (missing keys absent)."""
        ...

    def write(self, facts: Iterable[FactRecord], outcomes: Iterable[RepoOutcome]) -> None:
        """Record a batch of facts and outcomes atomically."""
        ...
