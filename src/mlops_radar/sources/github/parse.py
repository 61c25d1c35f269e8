"""GitHub's answer for one repository -> `RepoFacts`.

The answer is untrusted input: every value is checked for its type before it becomes a fact. A
value of the wrong type raises `AnswerError` naming the field, which the collector records as that
repository's failure reason; it never crashes a run. Missing values (null, absent) become `None`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from mlops_radar.errors import SourceError
from mlops_radar.sources.facts import RepoFacts

__all__ = ["AnswerError", "parse_org", "parse_repository", "parse_timestamp"]

#: "Releases in the last year": releases published within this window before the collection time.
RELEASE_YEAR = timedelta(days=365)


class AnswerError(SourceError):
    """A repository's answer has a value of the wrong type (the message names the field)."""


_T = TypeVar("_T")


def parse_timestamp(value: object, field: str) -> datetime | None:
    """An ISO 8601 timestamp (GitHub's `DateTime`) as an aware UTC datetime; None stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnswerError(f"{field}: expected a timestamp, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AnswerError(f"{field}: not a timestamp: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _walk(node: Mapping[str, Any] | None, path: str) -> object:
    """The value at a dotted `path` below `node`, None if any step is null or absent."""
    value: object = node
    walked: list[str] = []
    for step in path.split("."):
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise AnswerError(f"{'.'.join(walked)}: expected an object, got {type(value).__name__}")
        value = value.get(step)
        walked.append(step)
    return value


def _typed(node: Mapping[str, Any], path: str, kind: type[_T], what: str) -> _T | None:
    """The value at `path` if it is a `kind` (None if null or absent); anything else is an
    AnswerError naming the field. A JSON boolean is not accepted as an integer."""
    value = _walk(node, path)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise AnswerError(f"{path}: expected {what}, got {type(value).__name__}")
    return value


def _int(node: Mapping[str, Any], path: str) -> int | None:
    return _typed(node, path, int, "an integer")


def _str(node: Mapping[str, Any], path: str) -> str | None:
    return _typed(node, path, str, "a string")


def _text(node: Mapping[str, Any], path: str) -> str | None:
    """A free-text string where "" means the same as absent (GitHub answers "" for no homepage)."""
    value = _str(node, path)
    return value if value else None


def _bool(node: Mapping[str, Any], path: str) -> bool | None:
    return _typed(node, path, bool, "a boolean")


def _time(node: Mapping[str, Any], path: str) -> datetime | None:
    return parse_timestamp(_walk(node, path), path)


def _list(node: Mapping[str, Any], path: str) -> list[Any] | None:
    value = _walk(node, path)
    if value is None:
        return None
    if not isinstance(value, list):
        raise AnswerError(f"{path}: expected a list, got {type(value).__name__}")
    return value


def _topics(node: Mapping[str, Any]) -> tuple[str, ...] | None:
    nodes = _list(node, "repositoryTopics.nodes")
    if nodes is None:
        return None
    names = []
    for item in nodes:
        if not isinstance(item, Mapping):
            raise AnswerError("repositoryTopics.nodes: expected objects")
        name = _str(item, "topic.name")
        if name is not None:
            names.append(name)
    return tuple(names)


def _last_commit_at(node: Mapping[str, Any]) -> datetime | None:
    history = _list(node, "defaultBranchRef.target.history.nodes")
    if history and isinstance(history[0], Mapping):
        newest = _time(history[0], "committedDate")
        if newest is not None:
            return newest
    return _time(node, "defaultBranchRef.target.committedDate")


def _releases_last_year(node: Mapping[str, Any], collected_at: datetime) -> int | None:
    """Releases published within a year before `collected_at` among the newest fetched ones."""
    releases = _list(node, "releases.nodes")
    if releases is None:
        return None
    since = collected_at - RELEASE_YEAR
    count = 0
    for item in releases:
        if not isinstance(item, Mapping):
            raise AnswerError("releases.nodes: expected objects")
        published = _time(item, "publishedAt")  # drafts have no publishedAt: not a release yet
        if published is not None and since <= published <= collected_at:
            count += 1
    return count


def parse_repository(asked: str, node: Mapping[str, Any], *, collected_at: datetime) -> RepoFacts:
    """Facts for the repository asked for as `asked` ("owner/name") from its answer `node`.

    `collected_at` (aware) anchors "releases in the last year". Raises `AnswerError` on a value
    of the wrong type.
    """
    if not isinstance(node, Mapping):
        raise AnswerError(f"expected an object, got {type(node).__name__}")
    name_with_owner = _str(node, "nameWithOwner")
    if not name_with_owner or "/" not in name_with_owner:
        raise AnswerError("nameWithOwner: missing or not owner/name")
    return RepoFacts(
        repo=asked,
        name_with_owner=name_with_owner,
        url=_str(node, "url"),
        description=_text(node, "description"),
        homepage=_text(node, "homepageUrl"),
        default_branch=_str(node, "defaultBranchRef.name"),
        total_commits=_int(node, "defaultBranchRef.target.history.totalCount"),
        last_commit_at=_last_commit_at(node),
        stars=_int(node, "stargazerCount"),
        forks=_int(node, "forkCount"),
        watchers=_int(node, "watchers.totalCount"),
        license_spdx=_str(node, "licenseInfo.spdxId"),
        license_name=_str(node, "licenseInfo.name"),
        license_key=_str(node, "licenseInfo.key"),
        primary_language=_str(node, "primaryLanguage.name"),
        archived=_bool(node, "isArchived"),
        fork=_bool(node, "isFork"),
        created_at=_time(node, "createdAt"),
        pushed_at=_time(node, "pushedAt"),
        updated_at=_time(node, "updatedAt"),
        open_issues=_int(node, "openIssues.totalCount"),
        closed_issues=_int(node, "closedIssues.totalCount"),
        open_prs=_int(node, "openPullRequests.totalCount"),
        closed_prs=_int(node, "closedPullRequests.totalCount"),
        merged_prs=_int(node, "mergedPullRequests.totalCount"),
        release_count=_int(node, "releases.totalCount"),
        latest_release_tag=_str(node, "latestRelease.tagName"),
        latest_release_at=_time(node, "latestRelease.publishedAt"),
        releases_last_year=_releases_last_year(node, collected_at),
        topics=_topics(node),
        disk_usage_kb=_int(node, "diskUsage"),
        mentionable_users=_int(node, "mentionableUsers.totalCount"),
        raw=dict(node),
    )


def parse_org(node: object) -> tuple[str, ...]:
    """The "owner/name" of an organisation's repositories in the answer's order (most stars 1st)."""
    if not isinstance(node, Mapping):
        raise AnswerError(f"organization: expected an object, got {type(node).__name__}")
    nodes = _list(node, "repositories.nodes") or []
    names = []
    for item in nodes:
        if isinstance(item, Mapping) and (name := _str(item, "nameWithOwner")):
            names.append(name)
    return tuple(names)
