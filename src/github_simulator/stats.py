"""Counters of what a simulator saw and did, read as a frozen snapshot."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

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
    - `cpu_user_s` / `cpu_system_s`: the simulator process's CPU time since it started (user and
      system; everything in the process, also the client when it runs in the same process;
      `reset_stats` does not zero them).
    - `query_cpu_s`: CPU time of the threads answering `POST /graphql`, from body to answer
      bytes (validation, pricing, execution, JSON), sleeps excluded; `execution_cpu_s`: the part
      spent executing queries.
    - `answer_cache_hits` / `answer_cache_misses`: repository aliases answered from the cache of
      earlier answers, or executed.
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
    cpu_user_s: float = 0.0
    cpu_system_s: float = 0.0
    query_cpu_s: float = 0.0
    execution_cpu_s: float = 0.0
    answer_cache_hits: int = 0
    answer_cache_misses: int = 0

    def to_document(self) -> dict[str, Any]:
        """The snapshot as JSON-ready values (what `GET /_simulator/stats` answers)."""
        document = dataclasses.asdict(self)
        document["statuses"] = {str(k): v for k, v in self.statuses.items()}
        document["faults_injected"] = self.faults_injected
        return document

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
            self._cpu = {"query": 0.0, "execution": 0.0}

    def start_request(self) -> int:
        """Count a request; its 1-based number in arrival order."""
        with self._lock:
            self._number += 1
            self._counts["requests"] += 1
            return self._number

    def spent(self, *, query_cpu: float = 0.0, execution_cpu: float = 0.0) -> None:
        """Add CPU seconds spent answering queries and executing them."""
        with self._lock:
            self._cpu["query"] += query_cpu
            self._cpu["execution"] += execution_cpu

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

    def snapshot(
        self, repo_queries: dict[str, int], cache_counts: tuple[int, int] = (0, 0)
    ) -> SimulatorStats:
        """The counters now; `cache_counts` is the answer cache's (hits, misses)."""
        times = os.times()
        hits, misses = cache_counts
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
                cpu_user_s=times.user,
                cpu_system_s=times.system,
                query_cpu_s=self._cpu["query"],
                execution_cpu_s=self._cpu["execution"],
                answer_cache_hits=hits,
                answer_cache_misses=misses,
            )
