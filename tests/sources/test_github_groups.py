"""GitHub's answer for one repository -> the field groups' fact records; a bad value makes that
fact unknown with a problem naming the field, never a failed repository or a crash."""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.github.answer import MAX_COUNT, AnswerReader
from mlops_radar.sources.github.client import GitHubClient
from mlops_radar.sources.github.groups import ReadContext, field_groups
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome, StoredState
from mlops_radar.sources.protocol import BatchResult

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def answer(**changes: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "nameWithOwner": "Acme/Rocket",
        "url": "https://github.com/Acme/Rocket",
        "description": "Goes up",
        "homepageUrl": "",
        "defaultBranchRef": {
            "name": "main",
            "target": {"committedDate": "2026-10-02T10:00:00Z", "history": {"totalCount": 1234}},
        },
        "stargazerCount": 4321,
        "forkCount": 99,
        "watchers": {"totalCount": 55},
        "licenseInfo": {"spdxId": "NOASSERTION", "name": "Other", "key": "other"},
        "primaryLanguage": {"name": "Python"},
        "isArchived": False,
        "isFork": False,
        "createdAt": "2019-01-01T00:00:00Z",
        "pushedAt": "2026-10-02T10:00:00Z",
        "updatedAt": "2026-10-03T10:00:00Z",
        "diskUsage": 2048,
        "hasIssuesEnabled": True,
        "openIssues": {"totalCount": 12},
        "closedIssues": {"totalCount": 340},
        "pullRequests": {"totalCount": 443},
        "mergedPullRequests": {"totalCount": 400},
        "releases": {
            "totalCount": 30,
            "nodes": [
                {"publishedAt": "2026-09-01T00:00:00Z"},
                {"publishedAt": "2026-01-01T00:00:00Z"},
                {"publishedAt": None},
                {"publishedAt": "2025-10-31T00:00:00Z"},
            ],
        },
        "latestRelease": {"tagName": "v2.0", "publishedAt": "2026-09-01T00:00:00Z"},
        "repositoryTopics": {"nodes": [{"topic": {"name": "mlops"}}, {"topic": {"name": "ml"}}]},
        "mentionableUsers": {"totalCount": 77},
        "rootTree": {"entries": [{"name": "LICENSE", "type": "blob", "size": 1000},
                                 {"name": "src", "type": "tree", "size": 0},
                                 {"name": "pyproject.toml", "type": "blob", "size": 300}]},
        "licensesTree": None,
    }  # fmt: skip
    node.update(changes)
    return node


def read(node: Any, **extra: Any) -> tuple[dict[str, Any], BatchResult]:
    """Plan one repository, answer its batch with `node` through a mock transport, parse it."""
    errors = extra.pop("_errors", None)
    data = {"r0": node, "rateLimit": {"cost": 1, "remaining": 4999, "limit": 5000}, **extra}
    body = json.dumps({"data": data, **({"errors": errors} if errors else {})})

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body.encode(), headers={"content-type": "json"})

    client = GitHubClient("https://api.example/graphql", Token("t", "TEST"),
                          transport=httpx.MockTransport(handler))  # fmt: skip
    source = GitHubSource(client)
    entry = ToolEntry(name="Rocket", categories=("C",), url="https://github.com/acme/rocket",
                      kind=LinkKind.REPO, repo="acme/rocket")  # fmt: skip
    plan = source.plan([entry], StoredState(), NOW)
    answered = asyncio.run(source.fetch(plan.items))
    result = source.parse(plan.items, answered, NOW)
    return {f.fact_set.name: f.values for f in result.facts}, result


def test_every_fact_of_every_group_is_read() -> None:
    facts, result = read(answer())
    core, activity = facts["github.core"], facts["github.activity"]
    assert core.name_with_owner == "Acme/Rocket"
    assert core.homepage is None  # GitHub's "" means no homepage
    assert core.default_branch == "main"
    assert core.total_commits == 1234
    assert core.last_commit_at == datetime(2026, 10, 2, 10, tzinfo=UTC)
    assert (core.stars, core.forks, core.watchers) == (4321, 99, 55)
    assert (core.license_spdx, core.license_name, core.license_key) == ("NOASSERTION", "Other",
                                                                        "other")  # fmt: skip
    assert (core.open_issues, core.closed_issues, core.has_issues) == (12, 340, True)
    assert (core.disk_usage_kb, core.primary_language) == (2048, "Python")
    assert (core.archived, core.fork) == (False, False)
    assert (activity.pull_requests, activity.merged_prs) == (443, 400)
    assert activity.release_count == 30
    assert activity.releases_last_year == 2  # 2025-10-31 is more than 365 days before NOW
    assert (activity.latest_release_tag, activity.latest_release_at) == (
        "v2.0", datetime(2026, 9, 1, tzinfo=UTC))  # fmt: skip
    assert facts["github.topics"].topics == ("mlops", "ml")
    assert facts["github.community"].mentionable_users == 77
    assert [o.outcome for o in result.outcomes] == [Outcome.COLLECTED]
    # each group keeps its own slice of the answer as evidence
    raw = {f.fact_set.name: f.raw for f in result.facts}
    assert raw["github.core"]["stargazerCount"] == 4321
    assert "mentionableUsers" not in raw["github.core"]
    assert set(raw["github.activity"]) == {"pullRequests", "mergedPullRequests", "releases",
                                           "latestRelease"}  # fmt: skip


def test_an_unidentified_license_asks_for_its_texts_in_a_rider() -> None:
    facts, result = read(answer())
    assert "github.files" not in facts  # phase 2 first: the LICENSE and the manifest
    [blobs] = result.follow_up
    assert blobs.rider
    assert [e.path for e in blobs.payload.fetch] == ["LICENSE", "pyproject.toml"]


def test_a_known_license_and_a_known_package_need_no_texts() -> None:
    mit = {"spdxId": "MIT", "name": "MIT License", "key": "mit"}
    facts, result = read(answer(licenseInfo=mit, rootTree={"entries": []}))
    assert facts["github.files"].files == []
    assert result.follow_up == ()


def test_missing_values_are_none_not_zero() -> None:
    node = answer(licenseInfo=None, primaryLanguage=None, defaultBranchRef=None,
                  latestRelease=None, diskUsage=None, description=None)  # fmt: skip
    core = read(node)[0]["github.core"]
    assert core.license_spdx is None
    assert core.license_key is None
    assert core.total_commits is None
    assert core.last_commit_at is None
    assert core.default_branch is None
    assert core.disk_usage_kb is None
    assert core.description is None
    assert read(node)[0]["github.activity"].latest_release_tag is None


@pytest.mark.parametrize(
    ("field", "value", "named", "fact"),
    [
        ("stargazerCount", "many", "stargazerCount", "stars"),
        ("stargazerCount", True, "stargazerCount", "stars"),
        ("stargazerCount", 2**63, "stargazerCount", "stars"),
        ("forkCount", -3, "forkCount", "forks"),
        ("isArchived", "no", "isArchived", "archived"),
        ("createdAt", "yesterday", "createdAt", "created_at"),
        ("createdAt", 12, "createdAt", "created_at"),
        ("watchers", [1], "watchers", "watchers"),
        ("description", "bad \ud800 text", "description", "description"),
    ],
)
def test_a_bad_value_is_unknown_with_a_problem(
    field: str, value: object, named: str, fact: str
) -> None:
    facts, result = read(answer(**{field: value}))
    assert getattr(facts["github.core"], fact) is None
    [outcome] = result.outcomes
    assert outcome.outcome is Outcome.COLLECTED
    assert any(named in problem for problem in outcome.problems)
    assert facts["github.core"].name_with_owner == "Acme/Rocket"  # the rest is kept


def test_topics_of_the_wrong_shape_are_a_problem() -> None:
    facts, result = read(answer(repositoryTopics={"nodes": "mlops"}))
    assert facts["github.topics"].topics is None
    assert "repositoryTopics.nodes" in result.outcomes[0].problems[0]


@pytest.mark.parametrize("name", [None, "noslash"])
def test_an_answer_without_a_repository_name_is_retried(name: object) -> None:
    facts, result = read(answer(nameWithOwner=name))
    assert facts == {}
    assert result.outcomes == ()
    assert "nameWithOwner" in result.retry[0][1]


def test_per_alias_errors_become_outcomes_or_retries() -> None:
    forbidden = [{"type": "FORBIDDEN", "path": ["r0"], "message": "SAML enforcement"}]
    _, result = read(None, _errors=forbidden)
    got = (result.outcomes[0].outcome, result.outcomes[0].reason)
    assert got == (Outcome.FORBIDDEN, "SAML enforcement")
    missing = [{"type": "NOT_FOUND", "path": ["r0"], "message": "Could not resolve"}]
    assert read(None, _errors=missing)[1].outcomes[0].outcome is Outcome.NOT_FOUND
    assert read(None)[1].retry[0][1] == "no answer for this repository"
    renamed = read(answer(nameWithOwner="Acme/Rocket2"))[1].outcomes[0]
    assert (renamed.outcome, renamed.new_name) == (Outcome.RENAMED, "Acme/Rocket2")


def test_counts_past_64_bits_and_lone_surrogates_are_refused_at_the_edge() -> None:
    reader = AnswerReader({"a": MAX_COUNT, "b": MAX_COUNT + 1, "c": "\udcff", "d": "x\x00"})
    assert reader.count("a") == MAX_COUNT
    assert reader.count("b") is None
    assert reader.text("c") is None
    assert reader.text("d") is None
    assert len(reader.problems) == 3


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(answer())), value=json_values)
def test_any_json_in_any_field_is_read_or_named(field: str, value: object) -> None:
    node = copy.deepcopy(answer())
    node[field] = value
    context = ReadContext(NOW)
    for group in field_groups().values():
        if group.read is not None:
            reader = AnswerReader(node)
            group.read(reader, context)  # never raises
            assert all(p.strip() for p in reader.problems)


def test_org_suggestions_keep_the_answers_order() -> None:
    node = {"repositories": {"nodes": [{"nameWithOwner": "o/big"}, {"nameWithOwner": "o/small"}]}}
    client = GitHubClient("https://api.example/graphql", Token("t", "TEST"),
                          transport=httpx.MockTransport(lambda r: httpx.Response(
                              200, json={"data": {"g0": node}})))  # fmt: skip
    source = GitHubSource(client)
    org = ToolEntry(name="O", categories=("C",), url="https://github.com/o", kind=LinkKind.ORG,
                    org="o")  # fmt: skip
    plan = source.plan([org], StoredState(), NOW)
    result = source.parse(plan.items, asyncio.run(source.fetch(plan.items)), NOW)
    assert result.outcomes[0].suggestions == ("o/big", "o/small")
    assert result.outcomes[0].outcome is Outcome.UNRESOLVED
