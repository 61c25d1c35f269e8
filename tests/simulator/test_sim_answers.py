"""The faster executor (`answers.SimExecutionContext`) answers exactly as graphql-core's own.

Each document runs three times over the same population: through graphql-core's stock
`ExecutionContext`, through the simulator's (answers cache empty), and again (from the cache).
Data, errors and the per-repository lookup counts must be equal.
"""

from __future__ import annotations

from typing import Any

import graphql
import pytest
from spine_documents import GROUPS, document, variables

from github_simulator import Faults, Population
from github_simulator.analysis import analyse
from github_simulator.answers import AnswerCache
from github_simulator.execution import (
    Directory,
    ExecutionRuntime,
    QueryRoot,
    _shape,
    execute_plan,
    resolve_field,
    resolve_type,
)

POPULATION = Population.synthetic(60, seed=3)
NAMES = [repo.full_name for repo in POPULATION.repos]
FAULTS = Faults(missing={NAMES[3]}, forbidden={NAMES[4]}, renamed={NAMES[5]: "moved/away"})
RATE = {"cost": 1, "limit": 5000, "remaining": 4999, "used": 1, "resetAt": "2026-01-01T01:00:00Z"}

DIRECTIVES = """query($o: String!, $n: String!, $withTopics: Boolean!, $skipDates: Boolean!) {
  a: repository(owner: $o, name: $n) {
    nameWithOwner repositoryTopics(first: 3) @include(if: $withTopics) { nodes { topic { name } } }
    createdAt @skip(if: $skipDates) pushedAt @skip(if: $skipDates)
    ... on Repository @include(if: $withTopics) { stargazerCount }
  }
  b: repository(owner: $o, name: $n) { nameWithOwner id __typename
    releases(last: 2) { totalCount edges { cursor node { tagName createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }
}"""
OWNERS = """query($login: String!) { repositoryOwner(login: $login) { login __typename
  ... on Organization { repositories(first: 3, orderBy: {field: STARGAZERS, direction: DESC}) {
    totalCount nodes { nameWithOwner stargazerCount isFork } } } } }"""
UNMODELLED = """query($o: String!, $n: String!) { a: repository(owner: $o, name: $n) {
  nameWithOwner mirrorUrl hasWikiEnabled } b: repository(owner: $o, name: $n) { isPrivate } }"""

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("spine", document(12, 3, GROUPS[:4]), variables(NAMES[:12], [(NAMES[0], "HEAD:x")] * 3)),
    ("spine twice", document(4, 0, GROUPS[:2]), variables([NAMES[0], NAMES[1], NAMES[0], "x/y"])),
    ("files unmodelled", document(3, 0, GROUPS), variables(NAMES[:3])),
    (
        "directives on",
        DIRECTIVES,
        {
            "o": NAMES[7].split("/")[0],
            "n": NAMES[7].split("/")[1],
            "withTopics": True,
            "skipDates": False,
        },
    ),
    (
        "directives off",
        DIRECTIVES,
        {
            "o": NAMES[7].split("/")[0],
            "n": NAMES[7].split("/")[1],
            "withTopics": False,
            "skipDates": True,
        },
    ),
    ("owners", OWNERS, {"login": max(POPULATION.orgs, key=lambda o: len(POPULATION.owned_by(o)))}),
    ("unmodelled", UNMODELLED, {"o": NAMES[0].split("/")[0], "n": NAMES[0].split("/")[1]}),
]


def _stock(schema: graphql.GraphQLSchema, query: str, values: dict[str, Any], strict: bool):
    directory = Directory(POPULATION, FAULTS)
    result = graphql.execute(
        schema,
        graphql.parse(query),
        root_value=QueryRoot(directory, RATE),
        context_value=ExecutionRuntime(strict=strict, answers=None),
        variable_values=values,
        field_resolver=resolve_field,
        type_resolver=resolve_type,
    )
    assert isinstance(result, graphql.ExecutionResult)
    return result.data, [_shape(e) for e in result.errors or ()], dict(directory.queried)


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize(("name", "query", "values"), CASES, ids=[c[0] for c in CASES])
def test_same_answers_as_graphql_core(
    schema: graphql.GraphQLSchema, name: str, query: str, values: dict[str, Any], strict: bool
) -> None:
    expected = _stock(schema, query, values, strict)
    plan = analyse(schema, query, None)
    assert plan.errors == ()
    directory = Directory(POPULATION, FAULTS)
    cache = AnswerCache()
    runtime = ExecutionRuntime(strict=strict, answers=cache)
    for _ in range(2):
        directory.clear_queries()
        data, errors = execute_plan(schema, plan, values, None, QueryRoot(directory, RATE), runtime)
        assert (data, errors, dict(directory.queried)) == expected
    if name.startswith("spine"):
        assert cache.counts()[0] > 0  # the second run was answered from the cache


def test_the_cache_tells_selections_and_variables_apart(schema: graphql.GraphQLSchema) -> None:
    """Same repository, different selections or variable values: different answers."""
    cache = AnswerCache()
    runtime = ExecutionRuntime(answers=cache)
    directory = Directory(POPULATION, Faults())
    owner, name = NAMES[9].split("/")
    answers = []
    for since in ("2020-01-01T00:00:00Z", "2025-12-01T00:00:00Z", "2020-01-01T00:00:00Z"):
        query = """query($o: String!, $n: String!, $since: GitTimestamp!) {
          repository(owner: $o, name: $n) { defaultBranchRef { target { ... on Commit {
          history(since: $since) { totalCount } } } } } }"""
        plan = analyse(schema, query, None)
        values = {"o": owner, "n": name, "since": since}
        data, _ = execute_plan(schema, plan, values, None, QueryRoot(directory, RATE), runtime)
        assert data is not None
        answers.append(data["repository"]["defaultBranchRef"]["target"]["history"]["totalCount"])
    assert answers[0] == answers[2] == POPULATION.repos[9].commits
    assert answers[1] < answers[0]
    assert cache.counts() == (1, 2)
