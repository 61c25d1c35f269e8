"""Simulator test fixtures: the schema (built once per session) and a small population."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import graphql
import httpx
import pytest

from github_simulator import Population, SimRelease, SimRepo, Simulator, SimulatorConfig
from github_simulator.schema import load_schema

TOKEN = "sim-test-token"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def schema() -> graphql.GraphQLSchema:
    """GitHub's schema, built once for the whole session (about 1-2 s)."""
    return load_schema()


@pytest.fixture(scope="session")
def small_population() -> Population:
    """Hand-written repositories whose every answered value the tests can check exactly."""
    day = dt.timedelta(days=1)
    return Population(
        repos=[
            SimRepo(
                owner="acme",
                name="widget",
                category="Serving",
                tool_name="Widget",
                description="Serves widgets.",
                homepage_url="https://widget.example.com",
                stars=1234,
                forks=56,
                watchers=7,
                commits=100,
                created_at=NOW - 1000 * day,
                last_commit_at=NOW - 10 * day,
                pushed_at=NOW - 9 * day,
                updated_at=NOW - day,
                license_spdx="MIT",
                language="Python",
                open_issues=3,
                closed_issues=30,
                open_prs=2,
                closed_prs=4,
                merged_prs=40,
                releases=(
                    SimRelease("v1.0.0", created_at=NOW - 300 * day, published_at=NOW - 300 * day),
                    SimRelease("v1.1.0", created_at=NOW - 100 * day, published_at=NOW - 99 * day),
                    SimRelease("v2.0.0-rc1", created_at=NOW - 20 * day, is_prerelease=True),
                ),
                topics=("mlops", "serving"),
                disk_usage=2048,
                mentionable_users=12,
                assignable_users=4,
            ),
            SimRepo(owner="acme", name="gadget", stars=99000, license_spdx="NOASSERTION"),
            SimRepo(owner="acme", name="gizmo-fork", stars=5, fork=True, license_spdx="MIT"),
            SimRepo(owner="solo-dev", name="tool", stars=3, license_spdx=None, language=None),
        ],
        orgs=["acme"],
        now=NOW,
    )


@pytest.fixture
def start(schema: graphql.GraphQLSchema) -> Iterator[Callable[..., Simulator]]:
    """Start simulators (closed after the test): `start(population=..., faults=..., ...)`."""
    running: list[Simulator] = []

    def _start(**options: Any) -> Simulator:
        options.setdefault("population", Population.synthetic(60, seed=3))
        simulator = Simulator(SimulatorConfig(**options)).start()
        running.append(simulator)
        return simulator

    yield _start
    for simulator in running:
        simulator.close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """An httpx client that sends the test token."""
    with httpx.Client(headers={"Authorization": f"bearer {TOKEN}"}, timeout=10) as c:
        yield c


Ask = Callable[..., httpx.Response]


@pytest.fixture
def ask(client: httpx.Client) -> Ask:
    """`ask(simulator, query, variables=None)`: POST one GraphQL query with the test token."""

    def _ask(
        simulator: Simulator, query: str, variables: dict[str, Any] | None = None
    ) -> httpx.Response:
        return client.post(simulator.url, json={"query": query, "variables": variables or {}})

    return _ask
