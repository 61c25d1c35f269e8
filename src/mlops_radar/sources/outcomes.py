"""Per-repository outcomes of a collection, and the sink a collector writes through.

The collector (sources) cannot import the store (to its right), so it writes through the `FactSink`
protocol defined here; the store implements it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from mlops_radar.sources.facts import RepoFacts

__all__ = ["FactSink", "Outcome", "RepoOutcome"]


class Outcome(StrEnum):
    """How the collection of one repository ended."""

    COLLECTED = "collected"
    RENAMED = "renamed"  # collected, under a new name (old -> new recorded)
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    FAILED = "failed"  # failed after retries
    UNRESOLVED = "unresolved"  # an organisation link: no single repository
    SKIPPED = "skipped"  # no GitHub repository (website, other forge)


@dataclass(frozen=True, slots=True)
class RepoOutcome:
    """The outcome for one repository key ("owner/name", or the org or URL of unresolved ones)."""

    repo: str
    outcome: Outcome
    reason: str | None = None
    new_name: str | None = None  # for RENAMED
    suggestions: tuple[str, ...] = ()  # for UNRESOLVED orgs: most-starred repositories


class FactSink(Protocol):
    """Where a collector writes what it learns. Every call is durable when it returns."""

    def done_repos(self) -> set[str]:
        """Repository keys (lower-case owner/name) finished in this snapshot (for --resume)."""
        ...

    def write(self, facts: Iterable[RepoFacts], outcomes: Iterable[RepoOutcome]) -> None:
        """Record a batch of facts and outcomes atomically."""
        ...
