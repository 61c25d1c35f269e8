"""Objects the GraphQL executor reads: one view per GitHub type the simulator models.

graphql-core's default resolver reads an attribute named like the field, and calls it with
`(info, **arguments)` when it is callable; so a view's methods are named like GitHub's fields
(camelCase) and take GitHub's argument names. Fields a view lacks resolve to null (or to a
zero value when the schema says non-null, see `execution.resolve_field`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import graphql

from github_simulator.population import SimRelease, SimRepo

if TYPE_CHECKING:
    from github_simulator.execution import Directory

__all__ = ["OwnerView", "RepositoryView", "connection", "iso"]

_LICENSE_NAMES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "GPL-3.0": "GNU General Public License v3.0",
    "AGPL-3.0": "GNU Affero General Public License v3.0",
    "MPL-2.0": "Mozilla Public License 2.0",
    "NOASSERTION": "Other",
}


def iso(moment: dt.datetime | None) -> str | None:
    """GitHub's DateTime form: `2025-01-31T12:00:00Z`."""
    return None if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(prefix: str, key: str) -> str:
    """A stable, opaque global node id."""
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).digest()[:9]
    return prefix + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def connection(
    items: Sequence[Any], args: dict[str, Any], total: int | None = None
) -> dict[str, Any]:
    """A GitHub connection over `items`, paginated by `first`/`last`/`after`/`before`."""
    start, stop = 0, len(items)
    if args.get("after") is not None:
        start = _cursor_index(args["after"]) + 1
    if args.get("before") is not None:
        stop = min(stop, _cursor_index(args["before"]))
    if args.get("first") is not None:
        stop = min(stop, start + args["first"])
    elif args.get("last") is not None:
        start = max(start, stop - args["last"])
    sized = args.get("first") is not None or args.get("last") is not None
    # Without first/last only totalCount/pageInfo can be selected (nodes are rejected up front).
    page = list(enumerate(items))[start:stop] if sized else []
    edges = [{"cursor": _cursor(i), "node": item} for i, item in page]
    return {
        "totalCount": len(items) if total is None else total,
        "nodes": [item for _, item in page],
        "edges": edges,
        "pageInfo": {
            "hasNextPage": stop < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def count_only(total: int) -> dict[str, Any]:
    """A connection whose items the simulator does not model: a count and empty pages."""
    return connection((), {}, total)


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _cursor_index(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor, validate=True).decode()
        return int(text.removeprefix("cursor:v2:"))
    except ValueError:
        raise graphql.GraphQLError(f"`{cursor}` does not appear to be a valid cursor.") from None


class OwnerView:
    """An Organization or a User, with its repositories."""

    def __init__(self, login: str, is_org: bool, directory: Directory) -> None:
        self.login = login
        self.typename = "Organization" if is_org else "User"
        self.directory = directory
        self.id = node_id("O_" if is_org else "U_", login.lower())
        self.url = f"https://github.com/{login}"
        self.resourcePath = f"/{login}"
        self.name = login

    def repositories(self, info: Any, **args: Any) -> dict[str, Any]:
        repos = self.directory.owned_by(self.login)
        if args.get("isFork") is not None:
            repos = [r for r in repos if r.fork == args["isFork"]]
        if args.get("privacy") == "PRIVATE":
            repos = []
        repos = _ordered(repos, args.get("orderBy"))
        return connection([RepositoryView(r, self.directory) for r in repos], args)

    def repository(self, info: Any, name: str, followRenames: bool = True) -> Any:
        return self.directory.view(self.login, name, follow_renames=followRenames)


_REPO_ORDER = {
    "STARGAZERS": lambda r: r.stars,
    "CREATED_AT": lambda r: r.created_at,
    "UPDATED_AT": lambda r: r.updated_at or r.created_at,
    "PUSHED_AT": lambda r: r.pushed_at or r.created_at,
    "NAME": lambda r: r.name.lower(),
}


def _ordered(repos: list[SimRepo], order: dict[str, str] | None) -> list[SimRepo]:
    if not order or order.get("field") not in _REPO_ORDER:
        return repos
    return sorted(repos, key=_REPO_ORDER[order["field"]], reverse=order.get("direction") == "DESC")


class RepositoryView:
    """A `Repository` answer built from a `SimRepo`."""

    typename = "Repository"

    def __init__(self, repo: SimRepo, directory: Directory) -> None:
        self.repo = repo
        self.directory = directory
        self.id = node_id("R_", repo.key)
        self.name = repo.name
        self.nameWithOwner = repo.full_name
        self.url = f"https://github.com/{repo.full_name}"
        self.resourcePath = f"/{repo.full_name}"
        self.description = repo.description
        self.homepageUrl = repo.homepage_url
        self.stargazerCount = repo.stars
        self.forkCount = repo.forks
        self.isArchived = repo.archived
        self.isFork = repo.fork
        self.isDisabled = repo.disabled
        self.isEmpty = repo.is_empty
        self.createdAt = iso(repo.created_at)
        self.pushedAt = iso(repo.pushed_at)
        self.updatedAt = iso(repo.updated_at or repo.created_at)
        self.diskUsage = repo.disk_usage
        self.visibility = "PUBLIC"
        self.hasIssuesEnabled = True

    def owner(self, info: Any) -> OwnerView:
        return OwnerView(self.repo.owner, self.directory.is_org(self.repo.owner), self.directory)

    def stargazers(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.stars)

    def watchers(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.watchers)

    def forks(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.forks)

    def mentionableUsers(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.mentionable_users)

    def assignableUsers(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.assignable_users)

    def issues(self, info: Any, states: list[str] | None = None, **args: Any) -> dict[str, Any]:
        counts = {"OPEN": self.repo.open_issues, "CLOSED": self.repo.closed_issues}
        return count_only(sum(counts[s] for s in states or counts))

    def pullRequests(
        self, info: Any, states: list[str] | None = None, **args: Any
    ) -> dict[str, Any]:
        repo = self.repo
        counts = {"OPEN": repo.open_prs, "CLOSED": repo.closed_prs, "MERGED": repo.merged_prs}
        return count_only(sum(counts[s] for s in states or counts))

    def releases(self, info: Any, **args: Any) -> dict[str, Any]:
        releases = list(self.repo.releases)
        order = args.get("orderBy")
        if order:
            field = order.get("field")
            key = (lambda r: r.tag_name) if field == "NAME" else (lambda r: r.created_at)
            releases.sort(key=key, reverse=order.get("direction") == "DESC")
        return connection([_release(r) for r in releases], args)

    def latestRelease(self, info: Any) -> dict[str, Any] | None:
        published = [r for r in self.repo.releases if not r.is_draft and not r.is_prerelease]
        if not published:
            return None
        return _release(max(published, key=lambda r: r.published_at or r.created_at))

    def repositoryTopics(self, info: Any, **args: Any) -> dict[str, Any]:
        topics = [
            {
                "id": node_id("RT_", f"{self.repo.key}:{t}"),
                "topic": {"id": node_id("T_", t), "name": t},
                "url": f"https://github.com/topics/{t}",
                "resourcePath": f"/topics/{t}",
            }
            for t in self.repo.topics
        ]
        return connection(topics, args)

    def licenseInfo(self, info: Any) -> dict[str, Any] | None:
        spdx = self.repo.license_spdx
        if spdx is None:
            return None
        key = "other" if spdx == "NOASSERTION" else spdx.lower()
        return {
            "id": node_id("L_", key),
            "spdxId": spdx,
            "key": key,
            "name": _LICENSE_NAMES.get(spdx, spdx),
            "url": None if key == "other" else f"http://choosealicense.com/licenses/{key}/",
        }

    def primaryLanguage(self, info: Any) -> dict[str, Any] | None:
        language = self.repo.language
        return None if language is None else {"id": node_id("LA_", language), "name": language}

    def defaultBranchRef(self, info: Any) -> dict[str, Any] | None:
        if self.repo.is_empty:
            return None
        return {
            "id": node_id("REF_", self.repo.key),
            "name": self.repo.default_branch,
            "prefix": "refs/heads/",
            "target": CommitView(self.repo, 0),
        }


def _release(release: SimRelease) -> dict[str, Any]:
    return {
        "id": node_id("RE_", f"{release.tag_name}:{release.created_at}"),
        "tagName": release.tag_name,
        "name": release.name,
        "createdAt": iso(release.created_at),
        "publishedAt": iso(release.published_at),
        "isPrerelease": release.is_prerelease,
        "isDraft": release.is_draft,
        "isLatest": False,
    }


class CommitView:
    """The `index`-th newest commit of the default branch (commits evenly spread over time)."""

    typename = "Commit"

    def __init__(self, repo: SimRepo, index: int) -> None:
        self.repo = repo
        last = repo.last_commit_at or repo.created_at
        self.spacing = (last - repo.created_at) / max(1, repo.commits)
        moment = last - self.spacing * index
        self.oid = hashlib.sha1(f"{repo.key}:{index}".encode(), usedforsecurity=False).hexdigest()
        self.abbreviatedOid = self.oid[:7]
        self.id = node_id("C_", self.oid)
        self.committedDate = self.authoredDate = iso(moment)
        self.message = self.messageHeadline = f"Commit {repo.commits - index}"
        self.url = f"https://github.com/{repo.full_name}/commit/{self.oid}"
        self.moment = moment

    def history(self, info: Any, **args: Any) -> dict[str, Any]:
        """Commits from this one backwards, optionally bounded by `since`/`until`."""
        first, total = 0, self.repo.commits
        if args.get("until"):
            until = _timestamp(args["until"])
            first = 0 if until >= self.moment else self._index_at(self.moment - until, ceil=True)
        if args.get("since"):
            since = _timestamp(args["since"])
            total = (
                min(total, self._index_at(self.moment - since) + 1) if since <= self.moment else 0
            )
        count = max(0, total - first)
        size = args.get("first") or args.get("last") or 0
        return connection(
            [CommitView(self.repo, i) for i in range(first, first + min(size, count))],
            {"first": size},
            count,
        )

    def _index_at(self, gap: dt.timedelta, *, ceil: bool = False) -> int:
        if self.spacing.total_seconds() <= 0:
            return 0
        steps = gap / self.spacing
        return int(-(-steps // 1)) if ceil else int(steps)


def _timestamp(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise graphql.GraphQLError(f"Invalid GitTimestamp: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
