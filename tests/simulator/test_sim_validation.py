"""Queries GitHub would reject are rejected, with GitHub's error shapes."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from github_simulator import Simulator

Ask = Callable[..., httpx.Response]


@pytest.fixture
def sim(start: Callable[..., Simulator], small_population) -> Simulator:
    return start(population=small_population)


def test_unknown_field_is_rejected_like_github(sim: Simulator, ask: Ask) -> None:
    query = '{ repository(owner: "acme", name: "widget") { name starz } }'
    answer = ask(sim, query)
    assert answer.status_code == 200
    assert answer.json() == {
        "errors": [
            {
                "message": "Field 'starz' doesn't exist on type 'Repository'",
                "extensions": {
                    "code": "undefinedField",
                    "typeName": "Repository",
                    "fieldName": "starz",
                },
                "path": ["query", "repository", "starz"],
                "locations": [{"line": 1, "column": 52}],
            }
        ]
    }
    assert "data" not in answer.json()
    assert sim.stats.rejected == 1
    assert sim.stats.points == 0


def test_unknown_argument_and_missing_argument(sim: Simulator, ask: Ask) -> None:
    errors = ask(sim, '{ repository(owner: "a", name: "b", colour: 1) { id } }').json()
    assert errors["errors"][0]["message"] == "Field 'repository' doesn't accept argument 'colour'"
    assert errors["errors"][0]["extensions"]["code"] == "argumentNotAccepted"
    errors = ask(sim, '{ repository(owner: "a") { id } }').json()
    assert (
        errors["errors"][0]["message"] == "Field 'repository' is missing required arguments: name"
    )


def test_connection_nodes_without_first_is_rejected(sim: Simulator, ask: Ask) -> None:
    query = '{ r: repository(owner: "acme", name: "widget") { issues { nodes { title } } } }'
    (error,) = ask(sim, query).json()["errors"]
    assert error["type"] == "MISSING_PAGINATION_BOUNDARIES"
    assert error["message"] == (
        "You must provide a `first` or `last` value to properly paginate the `issues` connection."
    )
    assert error["path"] == ["r", "issues"]
    assert error["locations"] == [{"line": 1, "column": 50}]


def test_connection_with_only_total_count_needs_no_first(sim: Simulator, ask: Ask) -> None:
    query = (
        '{ repository(owner: "acme", name: "widget") '
        "{ issues { totalCount } releases { totalCount pageInfo { hasNextPage } } } }"
    )
    answer = ask(sim, query).json()
    assert "errors" not in answer
    assert answer["data"]["repository"]["issues"] == {"totalCount": 33}
    assert answer["data"]["repository"]["releases"] == {
        "totalCount": 3,
        "pageInfo": {"hasNextPage": False},
    }


@pytest.mark.parametrize(
    ("argument", "variables", "message"),
    [
        (
            "first: 101",
            {},
            "Requesting 101 records on the `releases` connection exceeds the "
            "`first` limit of 100 records.",
        ),
        (
            "last: 500",
            {},
            "Requesting 500 records on the `releases` connection exceeds the "
            "`last` limit of 100 records.",
        ),
        (
            "first: $n",
            {"n": 101},
            "Requesting 101 records on the `releases` connection exceeds "
            "the `first` limit of 100 records.",
        ),
        ("first: -1", {}, "`first` on the `releases` connection cannot be less than zero."),
        (
            "first: 2, last: 2",
            {},
            "Passing both `first` and `last` to paginate the `releases` "
            "connection is not supported.",
        ),
    ],
)
def test_page_size_limits(
    sim: Simulator, ask: Ask, argument: str, variables: dict, message: str
) -> None:
    query = (
        'query($n: Int = 5) { repository(owner: "acme", name: "widget") '
        f"{{ releases({argument}) {{ nodes {{ tagName }} }} }} }}"
    )
    if "$n" not in argument:
        query = query.replace("query($n: Int = 5)", "query")
    (error,) = ask(sim, query, variables).json()["errors"]
    assert error["message"] == message


def test_page_size_from_a_variable_within_limits_is_answered(sim: Simulator, ask: Ask) -> None:
    query = (
        'query($n: Int = 5) { repository(owner: "acme", name: "widget") '
        "{ releases(first: $n) { nodes { tagName } } } }"
    )
    answered = ask(sim, query, {"n": 2}).json()
    assert len(answered["data"]["repository"]["releases"]["nodes"]) == 2
    defaulted = ask(sim, query).json()
    assert len(defaulted["data"]["repository"]["releases"]["nodes"]) == 3


def test_node_limit(sim: Simulator, ask: Ask) -> None:
    query = """{ organization(login: "acme") { repositories(first: 100) { nodes {
        releases(first: 100) { nodes { releaseAssets(first: 100) { nodes { name } } } } } } } }"""
    (error,) = ask(sim, query).json()["errors"]
    assert error["type"] == "MAX_NODE_LIMIT_EXCEEDED"
    assert error["message"] == (
        "This query requests up to 1,010,100 possible nodes which exceeds the maximum limit of "
        "500,000."
    )


def test_syntax_error(sim: Simulator, ask: Ask) -> None:
    (error,) = ask(sim, "{ repository(owner: ").json()["errors"]
    assert error["message"].startswith("Parse error")
    assert error["locations"] == [{"line": 1, "column": 21}]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "This endpoint requires you to be authenticated."),
        ({"Authorization": "bearer"}, "Bad credentials"),
        ({"Authorization": "Basic abc"}, "Bad credentials"),
    ],
)
def test_authentication_is_required(sim: Simulator, headers: dict, message: str) -> None:
    answer = httpx.post(sim.url, json={"query": "{ viewer { login } }"}, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["message"] == message


def test_bad_body(sim: Simulator, client: httpx.Client) -> None:
    assert client.post(sim.url, content=b"{not json").status_code == 400
    answer = client.post(sim.url, json={"variables": {}})
    assert answer.json()["errors"][0]["message"].startswith("A query attribute must be specified")


def test_each_document_is_validated_once(sim: Simulator, ask: Ask) -> None:
    query = "query($o: String!, $n: String!) { repository(owner: $o, name: $n) { stargazerCount } }"
    first = ask(sim, query, {"o": "acme", "n": "widget"}).json()
    second = ask(sim, query, {"o": "acme", "n": "gadget"}).json()
    assert first["data"]["repository"]["stargazerCount"] == 1234
    assert second["data"]["repository"]["stargazerCount"] == 99000
    assert (sim.stats.validations, sim.stats.validation_cache_hits) == (1, 1)
    ask(sim, query.replace("stargazerCount", "forkCount"), {"o": "acme", "n": "widget"})
    assert (sim.stats.validations, sim.stats.validation_cache_hits) == (2, 1)
