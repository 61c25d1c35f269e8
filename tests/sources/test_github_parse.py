"""GitHub's answer for one repository -> RepoFacts; wrong types are a reason, never a crash."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.sources.github.parse import AnswerError, parse_org, parse_repository

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def answer(**changes: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "nameWithOwner": "Acme/Rocket",
        "url": "https://github.com/Acme/Rocket",
        "description": "Goes up",
        "homepageUrl": "",
        "defaultBranchRef": {
            "name": "main",
            "target": {
                "committedDate": "2026-10-01T10:00:00Z",
                "history": {
                    "totalCount": 1234,
                    "nodes": [{"committedDate": "2026-10-02T10:00:00Z"}],
                },
            },
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
        "openIssues": {"totalCount": 12},
        "closedIssues": {"totalCount": 340},
        "openPullRequests": {"totalCount": 3},
        "closedPullRequests": {"totalCount": 40},
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
        "diskUsage": 2048,
        "mentionableUsers": {"totalCount": 77},
    }
    node.update(changes)
    return node


def test_every_fact_is_read() -> None:
    facts = parse_repository("acme/rocket", answer(), collected_at=NOW)
    assert facts.repo == "acme/rocket"
    assert facts.name_with_owner == "Acme/Rocket"
    assert facts.homepage is None  # GitHub's "" means no homepage
    assert facts.default_branch == "main"
    assert facts.total_commits == 1234
    assert facts.last_commit_at == datetime(2026, 10, 2, 10, tzinfo=UTC)
    assert (facts.stars, facts.forks, facts.watchers) == (4321, 99, 55)
    assert (facts.license_spdx, facts.license_name, facts.license_key) == (
        "NOASSERTION",
        "Other",
        "other",
    )
    assert (facts.open_issues, facts.closed_issues) == (12, 340)
    assert (facts.open_prs, facts.closed_prs, facts.merged_prs) == (3, 40, 400)
    assert facts.release_count == 30
    assert facts.releases_last_year == 2  # 2025-10-31 is more than 365 days before NOW
    assert (facts.latest_release_tag, facts.latest_release_at) == (
        "v2.0",
        datetime(2026, 9, 1, tzinfo=UTC),
    )
    assert facts.topics == ("mlops", "ml")
    assert (facts.disk_usage_kb, facts.mentionable_users) == (2048, 77)
    assert facts.primary_language == "Python"
    assert (facts.archived, facts.fork) == (False, False)
    assert facts.raw == answer()


def test_missing_values_are_none_not_zero() -> None:
    node = answer(
        licenseInfo=None,
        primaryLanguage=None,
        defaultBranchRef=None,
        latestRelease=None,
        diskUsage=None,
        description=None,
    )
    facts = parse_repository("acme/rocket", node, collected_at=NOW)
    assert facts.license_spdx is None
    assert facts.license_key is None
    assert facts.total_commits is None
    assert facts.last_commit_at is None
    assert facts.default_branch is None
    assert facts.latest_release_tag is None
    assert facts.disk_usage_kb is None
    assert facts.description is None


def test_empty_history_falls_back_to_the_head_commit_date() -> None:
    node = answer()
    node["defaultBranchRef"]["target"]["history"]["nodes"] = []
    facts = parse_repository("acme/rocket", node, collected_at=NOW)
    assert facts.last_commit_at == datetime(2026, 10, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("stargazerCount", "many", "stargazerCount"),
        ("stargazerCount", True, "stargazerCount"),
        ("isArchived", "no", "isArchived"),
        ("createdAt", "yesterday", "createdAt"),
        ("createdAt", 12, "createdAt"),
        ("watchers", [1], "watchers"),
        ("repositoryTopics", {"nodes": "mlops"}, "repositoryTopics.nodes"),
        ("nameWithOwner", None, "nameWithOwner"),
        ("nameWithOwner", "noslash", "nameWithOwner"),
    ],
)
def test_wrong_types_name_the_field(field: str, value: object, named: str) -> None:
    with pytest.raises(AnswerError, match=named.replace(".", r"\.")):
        parse_repository("acme/rocket", answer(**{field: value}), collected_at=NOW)


def test_the_answer_itself_must_be_an_object() -> None:
    with pytest.raises(AnswerError, match="expected an object"):
        parse_repository("acme/rocket", ["no"], collected_at=NOW)  # type: ignore[arg-type]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(answer())), value=json_values)
def test_any_json_in_any_field_parses_or_names_a_reason(field: str, value: object) -> None:
    node = copy.deepcopy(answer())
    node[field] = value
    reason = None
    try:
        facts = parse_repository("acme/rocket", node, collected_at=NOW)
    except AnswerError as exc:
        reason = str(exc)
    if reason is None:
        assert facts.repo == "acme/rocket"
    else:
        assert reason.strip()


def test_org_suggestions_keep_the_answers_order() -> None:
    node = {"repositories": {"nodes": [{"nameWithOwner": "o/big"}, {"nameWithOwner": "o/small"}]}}
    assert parse_org(node) == ("o/big", "o/small")
    assert parse_org({"repositories": None}) == ()
    with pytest.raises(AnswerError):
        parse_org("org")


def test_per_alias_errors_become_outcomes_or_retries() -> None:
    from mlops_radar.sources.github.collector import _Item, _repo_result
    from mlops_radar.sources.outcomes import Outcome

    item = _Item("repo", "acme/rocket", "Acme/Rocket")
    forbidden = [{"type": "FORBIDDEN", "path": ["r0"], "message": "SAML enforcement"}]
    outcome, facts = _repo_result(item, None, forbidden, NOW)  # type: ignore[misc]
    assert (outcome.outcome, outcome.reason, facts) == (Outcome.FORBIDDEN, "SAML enforcement", None)
    missing = [{"type": "NOT_FOUND", "path": ["r0"], "message": "Could not resolve"}]
    assert _repo_result(item, None, missing, NOW)[0].outcome is Outcome.NOT_FOUND  # type: ignore[index]
    assert _repo_result(item, None, [], NOW) == "no answer for this repository"
    outcome, facts = _repo_result(item, answer(stargazerCount="x"), [], NOW)  # type: ignore[misc]
    assert outcome.outcome is Outcome.FAILED
    assert "stargazerCount" in (outcome.reason or "")
    outcome, facts = _repo_result(item, answer(nameWithOwner="Acme/Rocket2"), [], NOW)  # type: ignore[misc]
    assert (outcome.outcome, outcome.new_name) == (Outcome.RENAMED, "Acme/Rocket2")
    outcome, facts = _repo_result(item, answer(), [], NOW)  # type: ignore[misc]
    assert outcome.outcome is Outcome.COLLECTED
    assert facts is not None
