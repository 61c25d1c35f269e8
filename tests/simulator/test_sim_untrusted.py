"""Whatever a client sends, the simulator answers with JSON, never a crash (property tests)."""

from __future__ import annotations

import json

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from github_simulator import Population, SimulatorConfig
from github_simulator.service import GraphQLService

AUTH = {"authorization": "bearer property"}
PIECES = st.sampled_from(
    [
        "{",
        "}",
        "(",
        ")",
        "repository",
        "owner:",
        "name:",
        '"a"',
        "first:",
        "101",
        "$n",
        "...",
        "on",
        "Repository",
        "nodes",
        "issues",
        "query",
        "fragment",
        "F",
        ":",
        "[",
        "]",
        "@skip",
    ]
)


@pytest.fixture(scope="module")
def service(schema: graphql.GraphQLSchema) -> GraphQLService:
    population = Population.synthetic(5, seed=1)
    return GraphQLService(
        SimulatorConfig(
            population=population, secondary_limit_per_minute=10**9, primary_limit=10**9
        )
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map(" ".join)),
    variables=st.one_of(
        st.none(), st.dictionaries(st.sampled_from(["n", "o"]), st.one_of(st.integers(), st.text()))
    ),
)
def test_any_query_gets_a_json_answer(
    service: GraphQLService, query: str, variables: dict | None
) -> None:
    body = json.dumps({"query": query, "variables": variables}).encode()
    answer = service.handle(AUTH, body)
    assert answer.body is not None
    payload = json.loads(answer.body)
    assert answer.status == 200
    assert "data" in payload or payload["errors"]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=200))
def test_any_body_gets_a_json_answer(service: GraphQLService, body: bytes) -> None:
    answer = service.handle(AUTH, body)
    assert answer.body is not None
    assert answer.status in (200, 400)
    json.loads(answer.body)
