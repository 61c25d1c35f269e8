"""Fixtures of the hardening tests (issue 14): GitHub simulators on 127.0.0.1 (real HTTP)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from github_simulator import Faults, Population, Simulator, SimulatorConfig


@pytest.fixture
def simulator() -> Iterator[Callable[..., Simulator]]:
    """`simulator(n=..., port=..., **faults)`: a started simulator of `n` synthetic repositories,
    closed at the end of the test."""
    running: list[Simulator] = []

    def start(
        n: int = 20,
        *,
        seed: int = 3,
        port: int = 0,
        primary_limit: int = 5000,
        reset_seconds: float = 3600,
        **faults: Any,
    ) -> Simulator:
        population = Population.synthetic(n, seed=seed)
        config = SimulatorConfig(
            population=population,
            faults=Faults(seed=seed, **faults),
            primary_limit=primary_limit,
            reset_seconds=reset_seconds,
            port=port,
        )
        server = Simulator(config).start()
        running.append(server)
        return server

    yield start
    for server in running:
        server.close()
