"""A toy source, written against mlops-radar's public seams only, as another source would be:
its fact set (`toy.stats`: downloads of a package), a `Source` over a small JSON API, and nothing
else. Its table comes from the one revision in `revisions/`.

The API (`ToyServer` in the test): `POST /stats` with `{"repos": [...]}` answers
`{"stats": {repo: downloads or null}}`, or 429 with `retry-after` when it is busy.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.factsets import FactRecord, FactSet, repo_key
from mlops_radar.sources.outcomes import Outcome, RepoOutcome, StoredState
from mlops_radar.sources.protocol import (
    Answered,
    BatchResult,
    Plan,
    RateLimited,
    RetryLater,
    WorkItem,
)


@dataclass(frozen=True, slots=True)
class ToyStats:
    """How often a package was downloaded."""

    downloads: int | None = None


TOY = FactSet("toy.stats", ToyStats, source="toy")


class ToySource:
    """Downloads per repository, ten repositories per request."""

    name = "toy"
    max_riders = 0

    def __init__(self, url: str) -> None:
        self._url = url
        self._http = httpx.AsyncClient(timeout=10)

    def fact_sets(self) -> tuple[FactSet, ...]:
        return (TOY,)

    def plan(self, entries: Sequence[ToolEntry], stored: StoredState, now: datetime) -> Plan:
        repos = {repo_key(e.repo): e.repo for e in entries if e.kind is LinkKind.REPO and e.repo}
        todo = [
            WorkItem(key, asked, frozenset({"stats"}), "stats")
            for key, asked in repos.items()
            if not stored.finished(key)
        ]
        return Plan(tuple(todo), already_done=len(repos) - len(todo))

    def preferred_size(self, shape: Hashable, cap: int) -> int:
        return min(cap, 10)

    def estimate(self, batch: Sequence[WorkItem]) -> int:
        return 1

    async def fetch(self, batch: Sequence[WorkItem]) -> Answered:
        try:
            response = await self._http.post(self._url, json={"repos": [i.asked for i in batch]})
        except httpx.TransportError as exc:
            raise RetryLater(f"toy API: {type(exc).__name__}", transport=True) from None
        if response.status_code == 429:
            raise RateLimited("secondary", float(response.headers["retry-after"]), "toy is busy")
        return Answered(response.json()["stats"])

    def parse(
        self, batch: Sequence[WorkItem], answered: Answered, collected_at: datetime
    ) -> BatchResult:
        facts, outcomes = [], []
        for item in batch:
            found = answered.data.get(item.asked)
            if found is None:
                outcomes.append(RepoOutcome(item.asked, Outcome.NOT_FOUND, reason="no package"))
                continue
            facts.append(FactRecord(TOY, item.asked, collected_at, ToyStats(downloads=found)))
            outcomes.append(RepoOutcome(item.asked, Outcome.COLLECTED))
        return BatchResult(facts=tuple(facts), outcomes=tuple(outcomes))

    async def aclose(self) -> None:
        await self._http.aclose()
