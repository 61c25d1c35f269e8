"""Queries are answered for real from the population: aliases, variables, NOT_FOUND, renames."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from github_simulator import Faults, Population, Simulator

Ask = Callable[..., httpx.Response]

BATCH = """query Batch($o0: String!, $n0: String!, $o1: String!, $n1: String!) {
  a: repository(owner: $o0, name: $n0) { ...facts }
  b: repository(owner: $o1, name: $n1) { ...facts }
  c: repository(owner: "nobody", name: "nothing") { ...facts }
}
fragment facts on Repository {
  nameWithOwner name owner { login } url description homepageUrl stargazerCount
  stargazers { totalCount } forkCount watchers { totalCount }
  licenseInfo { spdxId name key } primaryLanguage { name }
  isArchived isFork isDisabled isEmpty createdAt pushedAt updatedAt diskUsage
  openIssues: issues(states: [OPEN]) { totalCount }
  closedIssues: issues(states: [CLOSED]) { totalCount }
  openPRs: pullRequests(states: [OPEN]) { totalCount }
  mergedPRs: pullRequests(states: [MERGED]) { totalCount }
  releases(first: 1, orderBy: {field: CREATED_AT, direction: DESC}) {
    totalCount nodes { tagName publishedAt createdAt }
  }
  latestRelease { tagName publishedAt }
  repositoryTopics(first: 10) { totalCount nodes { topic { name } } }
  mentionableUsers { totalCount } assignableUsers { totalCount }
  defaultBranchRef { name target { ... on Commit {
    committedDate history(first: 1) { totalCount nodes { committedDate } }
    recent: history(since: "2025-12-01T00:00:00Z") { totalCount }
  } } }
}"""


@pytest.fixture
def sim(start: Callable[..., Simulator], small_population: Population) -> Simulator:
    return start(
        population=small_population,
        faults=Faults(renamed={"acme/gadget": "acme-corp/gadget-ng"}, missing={"solo-dev/tool"}),
    )


def test_batched_query_with_aliases_and_variables(sim: Simulator, ask: Ask) -> None:
    variables = {"o0": "acme", "n0": "widget", "o1": "ACME", "n1": "Gizmo-Fork"}
    answer = ask(sim, BATCH, variables).json()
    widget, fork = answer["data"]["a"], answer["data"]["b"]
    assert widget == {
        "nameWithOwner": "acme/widget",
        "name": "widget",
        "owner": {"login": "acme"},
        "url": "https://github.com/acme/widget",
        "description": "Serves widgets.",
        "homepageUrl": "https://widget.example.com",
        "stargazerCount": 1234,
        "stargazers": {"totalCount": 1234},
        "forkCount": 56,
        "watchers": {"totalCount": 7},
        "licenseInfo": {"spdxId": "MIT", "name": "MIT License", "key": "mit"},
        "primaryLanguage": {"name": "Python"},
        "isArchived": False,
        "isFork": False,
        "isDisabled": False,
        "isEmpty": False,
        "createdAt": "2023-04-07T00:00:00Z",
        "pushedAt": "2025-12-23T00:00:00Z",
        "updatedAt": "2025-12-31T00:00:00Z",
        "diskUsage": 2048,
        "openIssues": {"totalCount": 3},
        "closedIssues": {"totalCount": 30},
        "openPRs": {"totalCount": 2},
        "mergedPRs": {"totalCount": 40},
        "releases": {
            "totalCount": 3,
            "nodes": [
                {"tagName": "v2.0.0-rc1", "publishedAt": None, "createdAt": "2025-12-12T00:00:00Z"}
            ],
        },
        "latestRelease": {"tagName": "v1.1.0", "publishedAt": "2025-09-24T00:00:00Z"},
        "repositoryTopics": {
            "totalCount": 2,
            "nodes": [{"topic": {"name": "mlops"}}, {"topic": {"name": "serving"}}],
        },
        "mentionableUsers": {"totalCount": 12},
        "assignableUsers": {"totalCount": 4},
        "defaultBranchRef": {
            "name": "main",
            "target": {
                "committedDate": "2025-12-22T00:00:00Z",
                "history": {
                    "totalCount": 100,
                    "nodes": [{"committedDate": "2025-12-22T00:00:00Z"}],
                },
                # 100 commits over 990 days: one every 9.9 days; 21 days back -> 3 commits.
                "recent": {"totalCount": 3},
            },
        },
    }
    assert fork["nameWithOwner"] == "acme/gizmo-fork"
    assert fork["isFork"] is True
    assert sim.stats.repo_queries == {"acme/widget": 1, "acme/gizmo-fork": 1, "nobody/nothing": 1}


def test_missing_repository_answers_null_with_not_found(sim: Simulator, ask: Ask) -> None:
    variables = {"o0": "acme", "n0": "widget", "o1": "solo-dev", "n1": "tool"}
    answer = ask(sim, BATCH, variables).json()
    assert answer["data"]["a"]["nameWithOwner"] == "acme/widget"
    assert answer["data"]["b"] is None
    assert answer["data"]["c"] is None
    assert answer["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["b"],
            "locations": [{"line": 3, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'solo-dev/tool'.",
        },
        {
            "type": "NOT_FOUND",
            "path": ["c"],
            "locations": [{"line": 4, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'nobody/nothing'.",
        },
    ]


def test_renamed_repository_answers_with_its_new_name(sim: Simulator, ask: Ask) -> None:
    query = """{ old: repository(owner: "acme", name: "gadget") { nameWithOwner stargazerCount }
      new: repository(owner: "acme-corp", name: "gadget-ng") { nameWithOwner }
      strict: repository(owner: "acme", name: "gadget", followRenames: false) { nameWithOwner } }"""
    answer = ask(sim, query).json()
    assert answer["data"]["old"] == {
        "nameWithOwner": "acme-corp/gadget-ng",
        "stargazerCount": 99000,
    }
    assert answer["data"]["new"] == {"nameWithOwner": "acme-corp/gadget-ng"}
    assert answer["data"]["strict"] is None
    assert [e["path"] for e in answer["errors"]] == [["strict"]]


def test_licenses_other_and_none(sim: Simulator, ask: Ask) -> None:
    query = """{ other: repository(owner: "acme", name: "gizmo-fork") { licenseInfo { spdxId } }
      gadget: repository(owner: "acme-corp", name: "gadget-ng") { licenseInfo { spdxId name key } }
      release: repository(owner: "acme-corp", name: "gadget-ng") { latestRelease { tagName }
        defaultBranchRef { name } } }"""
    data = ask(sim, query).json()["data"]
    assert data["gadget"]["licenseInfo"] == {
        "spdxId": "NOASSERTION",
        "name": "Other",
        "key": "other",
    }
    assert data["release"] == {"latestRelease": None, "defaultBranchRef": {"name": "main"}}


def test_organization_repositories_by_stars(sim: Simulator, ask: Ask) -> None:
    query = """{ organization(login: "ACME") { login repositories(first: 5, isFork: false,
        orderBy: {field: STARGAZERS, direction: DESC}, privacy: PUBLIC) {
        totalCount nodes { nameWithOwner stargazerCount } } }
      nobody: organization(login: "solo-dev") { login }
      owner: repositoryOwner(login: "solo-dev") { login ... on User { id } } }"""
    answer = ask(sim, query).json()
    organization = answer["data"]["organization"]
    assert organization["repositories"] == {
        "totalCount": 1,
        "nodes": [{"nameWithOwner": "acme/widget", "stargazerCount": 1234}],
    }
    assert answer["data"]["nobody"] is None
    assert answer["errors"][0]["message"] == (
        "Could not resolve to an Organization with the login of 'solo-dev'."
    )


def test_pagination_with_cursors(start: Callable[..., Simulator], ask: Ask) -> None:
    population = Population.synthetic(300, seed=11)
    owner = max(population.orgs, key=lambda login: len(population.owned_by(login)))
    sim = start(population=population)
    names, cursor = [], None
    while True:
        query = """query($login: String!, $after: String) { organization(login: $login) {
          repositories(first: 2, after: $after) { nodes { name }
          pageInfo { hasNextPage endCursor } } } }"""
        page = ask(sim, query, {"login": owner, "after": cursor}).json()["data"]
        repositories = page["organization"]["repositories"]
        names += [node["name"] for node in repositories["nodes"]]
        if not repositories["pageInfo"]["hasNextPage"]:
            break
        cursor = repositories["pageInfo"]["endCursor"]
    assert names == [repo.name for repo in population.owned_by(owner)]
    assert len(names) >= 3


def test_strict_mode_names_each_unmodelled_field(sim: Simulator, ask: Ask) -> None:
    query = """{ nullable: repository(owner: "acme", name: "widget") { isPrivate mirrorUrl
        licenseInfo { spdxId body } }
      nonNull: repository(owner: "acme", name: "widget") { nameWithOwner hasWikiEnabled }
      counted: repository(owner: "acme", name: "widget") { stargazers(first: 2) { totalCount
        nodes { login } } } }"""
    answer = ask(sim, query).json()
    # A nullable unmodelled field answers null with its error; the rest is answered.
    assert answer["data"]["nullable"] == {
        "isPrivate": False,
        "mirrorUrl": None,
        "licenseInfo": None,  # License.body is non-null: the error nulls the licence
    }
    # A non-null one nulls its nearest nullable parent, as any GitHub error would.
    assert answer["data"]["nonNull"] is None
    # Count-only connections answer totalCount, never an invented empty page.
    assert answer["data"]["counted"] == {"stargazers": {"totalCount": 1234, "nodes": None}}
    assert [(e["path"], e["message"]) for e in answer["errors"]] == [
        (["nullable", "mirrorUrl"], "the simulator does not model Repository.mirrorUrl"),
        (["nullable", "licenseInfo", "body"], "the simulator does not model License.body"),
        (["nonNull", "hasWikiEnabled"], "the simulator does not model Repository.hasWikiEnabled"),
        (
            ["counted", "stargazers", "nodes"],
            "the simulator does not model StargazerConnection.nodes",
        ),
    ]


def test_strict_mode_refuses_filters_it_cannot_apply(sim: Simulator, ask: Ask) -> None:
    query = """{ a: repository(owner: "acme", name: "widget") {
        bugs: issues(labels: ["bug"]) { totalCount } }
      b: repository(owner: "acme", name: "widget") {
        open: issues(states: [OPEN], orderBy: {field: CREATED_AT, direction: DESC}) { totalCount }
      }
      c: repository(owner: "acme", name: "widget") { mentionableUsers(query: "bob") { totalCount } }
    }"""
    answer = ask(sim, query).json()
    assert answer["data"] == {"a": None, "b": {"open": {"totalCount": 3}}, "c": None}
    messages = sorted(e["message"] for e in answer["errors"])
    assert messages == [
        "the simulator does not model Repository.issues (argument labels)",
        "the simulator does not model Repository.mentionableUsers (argument query)",
    ]


def test_lenient_mode_answers_placeholders(
    start: Callable[..., Simulator], small_population: Population, ask: Ask
) -> None:
    sim = start(population=small_population, strict=False)
    query = """{ repository(owner: "acme", name: "widget") { isPrivate hasWikiEnabled
        fundingLinks { url } mirrorUrl } user(login: "nobody-at-all") { login } }"""
    answer = ask(sim, query).json()
    assert answer["data"]["repository"] == {
        "isPrivate": False,
        "hasWikiEnabled": False,
        "fundingLinks": [],
        "mirrorUrl": None,
    }
    assert answer["data"]["user"] is None
