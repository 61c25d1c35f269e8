"""Counters of what a simulator saw and did, read as a frozen snapshot."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from github_simulator.faults import Fault

__all__ = ["SimulatorStats", "StatsRecorder"]


@dataclass(frozen=True)
class SimulatorStats:
    """A snapshot of the counters since the start (or the last `reset_stats`).

    - `requests`: `POST /graphql` requests received; `statuses`: answers per HTTP status
      (0 = connection dropped).
    - `points`: primary points charged; `executed`: requests answered with data.
    - `rejected`: invalid documents and broken pagination or node limits.
    - `rate_limited` / `secondary_limited`: primary and secondary limit answers.
    - `faults`: injected faults per `Fault` value.
    - `repo_queries`: `Query.repository` lookups per lower-case `owner/name` as queried.
    - `validations`: documents parsed and validated; `validation_cache_hits`: reused verdicts.
    """

    requests: int
    executed: int
    points: int
    rejected: int
    rate_limited: int
    secondary_limited: int
    validations: int
    validation_cache_hits: int
    statuses: dict[int, int]
    faults: dict[str, int]
    repo_queries: dict[str, int]

    @property
    def faults_injected(self) -> int:
        """All injected faults except latency."""
        return sum(n for kind, n in self.faults.items() if kind != Fault.LATENCY.value)


class StatsRecorder:
    """Thread-safe counters behind `SimulatorStats`; also numbers the requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._number = 0
        self.reset()

    def reset(self) -> None:
        """Zero every counter (request numbering, which drives `*_on` faults, goes on)."""
        with self._lock:
            self._counts: Counter[str] = Counter()
            self._statuses: Counter[int] = Counter()
            self._faults: Counter[str] = Counter()

    def start_request(self) -> int:
        """Count a request; its 1-based number in arrival order."""
        with self._lock:
            self._number += 1
            self._counts["requests"] += 1
            return self._number

    def answered(self, status: int) -> None:
        self._add(statuses=status)

    def fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults[fault.value] += 1

    def charged(self, points: int) -> None:
        with self._lock:
            self._counts["points"] += points
            self._counts["executed"] += 1

    def rejected(self) -> None:
        self._add("rejected")

    def rate_limited(self) -> None:
        self._add("rate_limited")

    def secondary_limited(self) -> None:
        self._add("secondary_limited")

    def validated(self) -> None:
        self._add("validations")

    def validation_cache_hit(self) -> None:
        self._add("validation_cache_hits")

    def _add(self, name: str | None = None, *, statuses: int | None = None) -> None:
        with self._lock:
            if name is not None:
                self._counts[name] += 1
            if statuses is not None:
                self._statuses[statuses] += 1

    def snapshot(self, repo_queries: dict[str, int]) -> SimulatorStats:
        with self._lock:
            counts = self._counts
            return SimulatorStats(
                requests=counts["requests"],
                executed=counts["executed"],
                points=counts["points"],
                rejected=counts["rejected"],
                rate_limited=counts["rate_limited"],
                secondary_limited=counts["secondary_limited"],
                validations=counts["validations"],
                validation_cache_hits=counts["validation_cache_hits"],
                statuses=dict(self._statuses),
                faults=dict(self._faults),
                repo_queries=repo_queries,
            )
