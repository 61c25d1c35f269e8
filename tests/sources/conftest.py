"""Fixtures of the sources tests: GitHub's schema, an in-memory FactSink, simulators (127.0.0.1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphql
import pytest

from github_simulator import Faults, Population, Simulator, SimulatorConfig
from mlops_radar.sources.factsets import FactRecord, FactSet, RepoKey
from mlops_radar.sources.outcomes import Outcome, RepoOutcome, StoredOutcome, StoredState

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "data" / "github" / "schema.graphql"


@pytest.fixture(scope="session")
def github_schema() -> graphql.GraphQLSchema:
    """GitHub's published schema (../shared/data/github), loaded as its SOURCE.md says."""
    if not SCHEMA.exists():
        pytest.skip(f"GitHub's schema not found at {SCHEMA}")
    return graphql.build_schema(SCHEMA.read_text(), assume_valid_sdl=True, assume_valid=True)


class MemorySink:
    """A FactSink that keeps every write, to check that nothing is lost or written twice.

    `done` marks keys finished by an earlier run (outcome collected, nothing stored)."""

    def __init__(self, done: Iterable[str] = ()) -> None:
        self.done = set(done)
        self.writes: list[tuple[list[FactRecord], list[RepoOutcome]]] = []

    def stored(self, fact_sets: Iterable[FactSet] = ()) -> StoredState:
        outcomes = {RepoKey(k): StoredOutcome(Outcome.COLLECTED, 1) for k in self.done}
        for outcome in self.outcomes:
            key = RepoKey(outcome.repo.lower())
            before = outcomes.get(key)
            again = before is not None and before.outcome is Outcome.FAILED
            attempts = before.attempts + 1 if again else 1
            outcomes[key] = StoredOutcome(outcome.outcome, attempts)
        present: dict[RepoKey, set[str]] = {}
        for record in self.facts:
            present.setdefault(record.key, set()).add(record.fact_set.name)
        return StoredState(
            outcomes=outcomes,
            present={k: frozenset(v) for k, v in present.items()},
            lookup=self.values,
        )

    def values(self, fact_set: FactSet, keys: Iterable[str]) -> dict[RepoKey, Any]:
        wanted = {k.lower() for k in keys}
        return {f.key: f.values for f in self.facts if f.fact_set == fact_set and f.key in wanted}

    def write(self, facts: Iterable[FactRecord], outcomes: Iterable[RepoOutcome]) -> None:
        self.writes.append((list(facts), list(outcomes)))

    @property
    def facts(self) -> list[FactRecord]:
        return [f for facts, _ in self.writes for f in facts]

    def of(self, fact_set_name: str) -> dict[str, Any]:
        """Records of one fact set by repository as asked."""
        return {f.repo: f.values for f in self.facts if f.fact_set.name == fact_set_name}

    @property
    def outcomes(self) -> list[RepoOutcome]:
        return [o for _, outcomes in self.writes for o in outcomes]


@pytest.fixture
def memory_sink() -> MemorySink:
    return MemorySink()


@dataclass
class SimulatedGitHub:
    """A running simulator and what a catalog of its population should list.

    `names` is that catalog: every repository of the population, the renamed ones under their
    OLD name, the missing ones included (the simulator answers them NOT_FOUND).
    """

    server: Simulator
    population: Population
    names: list[str]
    missing: list[str]
    renamed: dict[str, str]  # old -> new (as the population spells the new one)

    @property
    def url(self) -> str:
        return self.server.url

    def queries(self) -> dict[str, int]:
        """How often each lower-case owner/name was looked up."""
        return dict(self.server.stats.repo_queries)

    def requests(self) -> int:
        return self.server.stats.requests


@pytest.fixture
def simulator() -> Iterator[Callable[..., SimulatedGitHub]]:
    """Start simulators on 127.0.0.1: `simulator(n=..., missing=..., ...)`."""
    running: list[Simulator] = []

    def start(
        n: int = 50,
        *,
        seed: int = 7,
        missing: int = 0,
        renamed: int = 0,
        primary_limit: int = 5000,
        reset_seconds: float = 3600,
        files: bool = True,
        **faults: Any,
    ) -> SimulatedGitHub:
        population = Population.synthetic(n, seed=seed)
        if not files:  # no trees: the files group's second phase (blob riders) never starts
            population = dataclasses.replace(
                population, repos=[dataclasses.replace(r, files=None) for r in population.repos]
            )
        full_names = [repo.full_name for repo in population.repos]
        gone = full_names[len(full_names) - missing :] if missing else []
        moved = {
            f"{new.split('/')[0]}/{new.split('/')[1]}-old": new for new in full_names[:renamed]
        }
        names = list(moved) + full_names[renamed:]
        config = SimulatorConfig(
            population=population,
            faults=Faults(seed=seed, missing=frozenset(gone), renamed=moved, **faults),
            primary_limit=primary_limit,
            reset_seconds=reset_seconds,
        )
        server = Simulator(config).start()
        running.append(server)
        return SimulatedGitHub(server, population, names, gone, moved)

    yield start
    for server in running:
        server.close()
