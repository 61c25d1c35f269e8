"""GitHub's cost formula and node count, hand-computed (docs: "Rate limits and node limits")."""

from __future__ import annotations

from collections.abc import Callable

import graphql
import httpx
import pytest
from spine_documents import GROUPS, document, variables

from github_simulator import Simulator
from github_simulator.analysis import analyse
from github_simulator.cost import measure, points

Ask = Callable[..., httpx.Response]

DOCS_EXAMPLE = """query { viewer { login repositories(first: 100) { edges { node { id
  issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } }
  } } } }"""
FIFTY_COUNTS = "{{ {} }}".format(
    " ".join(
        f'r{i}: repository(owner: "a", name: "n{i}") {{ stargazers {{ totalCount }} '
        "watchers { totalCount } issues { totalCount } }"
        for i in range(50)
    )
)


@pytest.mark.parametrize(
    ("query", "variables", "requests", "cost", "nodes"),
    [
        # GitHub's own worked example: 1 + 100 + 100*50 = 5,101 requests -> 51 points.
        (DOCS_EXAMPLE, {}, 5101, 51, 100 + 100 * 50 + 100 * 50 * 60),
        # No connection at all: the minimum of 1 point.
        ('{ repository(owner: "a", name: "b") { name stargazerCount } }', {}, 0, 1, 0),
        (
            '{ repository(owner: "a", name: "b") { issues(first: 100) { nodes { id } } } }',
            {},
            1,
            1,
            100,
        ),
        # 1 + 100 requests = 1.01 -> 1 point; 100 + 100*100 nodes.
        (
            '{ organization(login: "o") { repositories(first: 100) { nodes { issues(first: 100) '
            "{ nodes { id } } } } } }",
            {},
            101,
            1,
            10_100,
        ),
        # 50 aliases x 3 count-only connections = 150 requests = 1.5 -> rounds up to 2.
        (FIFTY_COUNTS, {}, 150, 2, 0),
        # Variables resolve into the sizes: 1 + 10 = 11 requests, 10 + 10*20 nodes.
        (
            'query($n: Int!, $m: Int = 20) { organization(login: "o") { repositories(first: $n) '
            "{ nodes { releases(last: $m) { nodes { tagName } } } } } }",
            {"n": 10},
            11,
            1,
            210,
        ),
    ],
)
def test_cost_table(
    schema: graphql.GraphQLSchema,
    query: str,
    variables: dict,
    requests: int,
    cost: int,
    nodes: int,
) -> None:
    plan = analyse(schema, query, None)
    assert plan.errors == ()
    measured = measure(plan, variables)
    assert (measured.requests, measured.cost, measured.node_count) == (requests, cost, nodes)
    assert measured.errors == ()


@pytest.mark.parametrize(
    ("requests", "expected"),
    [(0, 1), (49, 1), (149, 1), (150, 2), (249, 2), (250, 3), (5101, 51), (10_000, 100)],
)
def test_points_round_half_up_with_minimum_one(requests: int, expected: int) -> None:
    assert points(requests) == expected


def test_rate_limit_field_reports_the_cost(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start()
    query = f"{{ rateLimit {{ cost nodeCount limit }} {FIFTY_COUNTS[2:-2]} }}"
    answer = ask(sim, query).json()
    assert answer["data"]["rateLimit"] == {"cost": 2, "nodeCount": 0, "limit": 5000}
    assert sim.stats.points == 2


# Hand count of the spine's field groups (connections per repository alias):
#   Core 4 (history, watchers, openIssues, closedIssues), Activity 3 (pullRequests,
#   mergedPullRequests, releases), Community 1 (mentionableUsers), Topics 1 (repositoryTopics),
#   FilesTree 0 (`object` and `entries` are not connections), a blob alias 0.
#   Nodes: releases(first: 50) and repositoryTopics(first: 20) per repository alias.
@pytest.mark.parametrize(
    ("groups", "repositories", "blobs", "requests", "cost", "nodes"),
    [
        (GROUPS, 50, 40, 50 * 9, 5, 50 * 70),  # 450 requests = 4.5 -> 5 points
        (("Core",), 50, 0, 50 * 4, 2, 0),
        (("Core", "FilesTree"), 50, 100, 50 * 4, 2, 0),
        (("Core", "Activity"), 50, 0, 50 * 7, 4, 50 * 50),  # 350 = 3.5 -> 4
        (("Core", "Community", "Topics"), 25, 0, 25 * 6, 2, 25 * 20),  # 150 = 1.5 -> 2
        (("FilesTree",), 100, 0, 0, 1, 0),  # no connection: the minimum of 1 point
    ],
)
def test_spine_documents_cost_as_counted_by_hand(
    schema: graphql.GraphQLSchema,
    groups: tuple[str, ...],
    repositories: int,
    blobs: int,
    requests: int,
    cost: int,
    nodes: int,
) -> None:
    plan = analyse(schema, document(repositories, blobs, groups), None)
    assert plan.errors == ()
    measured = measure(plan, variables(["a/b"] * repositories, [("a/b", "HEAD:LICENSE")] * blobs))
    assert (measured.requests, measured.cost, measured.node_count) == (requests, cost, nodes)
    assert plan.repository_fields == repositories + blobs


def test_spine_document_is_charged_its_cost(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start()
    names = [repo.full_name for repo in sim.config.population.repos[:50]]
    answer = ask(sim, document(50, 2), variables(names, [(names[0], "HEAD:README.md")] * 2))
    rate_limit = answer.json()["data"]["rateLimit"]
    assert (rate_limit["cost"], rate_limit["used"]) == (5, 5)
    assert sim.stats.points == 5
