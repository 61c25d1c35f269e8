"""Objects the GraphQL executor reads: one view per GitHub type the simulator models.

graphql-core's default resolver reads an attribute named like the field, and calls it with
`(info, **arguments)` when it is callable; so a view's methods are named like GitHub's fields
(camelCase) and take GitHub's argument names. A field a view (or an answer dict) lacks is not
modelled: strict mode answers it with an error naming it (see `execution.resolve_field`), lenient
mode with null or a placeholder. A modelled field without a value is None and answers null.
Arguments a view cannot honour (a filter it does not model) are refused the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import graphql

from github_simulator.errors import unmodelled
from github_simulator.gitobjects import FileTree
from github_simulator.histories import (
    SimHistory,
    SimIssue,
    SimPullRequest,
    SimResponse,
    synthetic_history,
)
from github_simulator.population import SimRelease, SimRepo
from github_simulator.shapes import iso, node_id

if TYPE_CHECKING:
    from github_simulator.execution import Directory

__all__ = ["OwnerView", "RepositoryView", "connection", "count_only", "iso", "modelled_arguments"]

_LICENSE_NAMES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "GPL-3.0": "GNU General Public License v3.0",
    "AGPL-3.0": "GNU Affero General Public License v3.0",
    "MPL-2.0": "Mozilla Public License 2.0",
    "NOASSERTION": "Other",
}
_PAGING = frozenset({"first", "last", "after", "before"})


def connection(
    items: Sequence[Any],
    args: dict[str, Any],
    total: int | None = None,
    wrap: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """A GitHub connection over `items`, paginated by `first`/`last`/`after`/`before`; `wrap`
    turns the items of the page (only those) into answer nodes."""
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
    indexes = range(max(0, start), max(0, stop)) if sized else range(0)
    nodes = [items[i] if wrap is None else wrap(items[i]) for i in indexes]
    edges = [{"cursor": _cursor(i), "node": node} for i, node in zip(indexes, nodes, strict=True)]
    return {
        "totalCount": len(items) if total is None else total,
        "nodes": nodes,
        "edges": edges,
        "pageInfo": {
            "hasNextPage": stop < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def count_only(total: int) -> dict[str, Any]:
    """A connection whose items the simulator does not model: only `totalCount` is answered
    (strict mode refuses `nodes`, `edges` and `pageInfo`; lenient mode answers empty pages)."""
    return {"totalCount": total}


def modelled_arguments(info: Any, args: dict[str, Any], modelled: Collection[str]) -> None:
    """Refuse (strict mode) an argument outside `modelled` given a value other than its default:
    the view would otherwise answer as if the argument had not been given."""
    definitions = info.parent_type.fields[info.field_name].args
    for name, value in args.items():
        if name in modelled or name in _PAGING:
            continue
        default = definitions[name].default_value if name in definitions else None
        if value is not None and value != default:
            unmodelled(info, f"argument {name}")


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
        modelled_arguments(info, args, {"isFork", "privacy", "orderBy", "ownerAffiliations"})
        if args.get("ownerAffiliations") not in (None, ["OWNER", "COLLABORATOR"], ["OWNER"]):
            unmodelled(info, "argument ownerAffiliations")
        repos = self.directory.owned_by(self.login)
        if args.get("isFork") is not None:
            repos = [r for r in repos if r.fork == args["isFork"]]
        if args.get("privacy") == "PRIVATE":
            repos = []
        repos = _ordered(repos, args.get("orderBy"))
        return connection(repos, args, wrap=self.directory.view_of)

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
    """A `Repository` answer built from a `SimRepo` (one per repository, shared by requests:
    everything it computes depends on the repository alone)."""

    typename = "Repository"

    def __init__(self, repo: SimRepo, directory: Directory) -> None:
        self.repo = repo
        self.directory = directory
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
        self.isPrivate = False
        self.hasIssuesEnabled = repo.has_issues

    @functools.cached_property
    def id(self) -> str:
        return node_id("R_", self.repo.key)

    def owner(self, info: Any) -> OwnerView:
        return OwnerView(self.repo.owner, self.directory.is_org(self.repo.owner), self.directory)

    def stargazers(self, info: Any, **args: Any) -> dict[str, Any]:
        modelled_arguments(info, args, {"orderBy"})
        return count_only(self.repo.stars)

    def watchers(self, info: Any, **args: Any) -> dict[str, Any]:
        return count_only(self.repo.watchers)

    def forks(self, info: Any, **args: Any) -> dict[str, Any]:
        modelled_arguments(info, args, {"orderBy", "ownerAffiliations"})
        return count_only(self.repo.forks)

    def mentionableUsers(self, info: Any, **args: Any) -> dict[str, Any]:
        modelled_arguments(info, args, ())
        return count_only(self.repo.mentionable_users)

    def assignableUsers(self, info: Any, **args: Any) -> dict[str, Any]:
        modelled_arguments(info, args, ())
        return count_only(self.repo.assignable_users)

    @functools.cached_property
    def history(self) -> SimHistory | None:
        """The repository's issues, pull requests and commit authors, or None (not modelled)."""
        repo = self.repo
        if repo.history is not None:
            return repo.history
        if repo.history_stream is None:
            return None
        return synthetic_history(repo, repo.history_stream, self.directory.population.now)

    def _counts(self, kind: str) -> dict[str, int]:
        """GitHub's counts per state: the repository's, or a complete history's own."""
        history = self.history
        if kind == "issues":
            if history is not None and history.complete:
                return _tally(("CLOSED" if i.closed_at else "OPEN") for i in history.issues)
            return {"OPEN": self.repo.open_issues, "CLOSED": self.repo.closed_issues}
        if history is not None and history.complete:
            return _tally(p.state for p in history.pull_requests)
        repo = self.repo
        return {"OPEN": repo.open_prs, "CLOSED": repo.closed_prs, "MERGED": repo.merged_prs}

    def issues(self, info: Any, states: list[str] | None = None, **args: Any) -> dict[str, Any]:
        """Counts per state, and (where the history is modelled) the newest issues ordered by
        creation; a repository with issues disabled answers 0, as GitHub does."""
        modelled_arguments(info, args, {"orderBy"})
        if not self.repo.has_issues:
            return count_only(0) if not _sized(args) else connection((), args, 0)
        counts = self._counts("issues")
        wanted = states or list(counts)
        total = sum(counts.get(s, 0) for s in wanted)
        if not _sized(args):
            return count_only(total)
        history = self._modelled(info)
        issues = [i for i in history.issues if ("CLOSED" if i.closed_at else "OPEN") in wanted]
        groups = {"OPEN": [i for i in history.issues if i.closed_at is None],
                  "CLOSED": [i for i in history.issues if i.closed_at is not None]}  # fmt: skip
        cutoff = _cutoff(history, [(groups[s], counts.get(s, 0)) for s in wanted])
        key = self.repo.key
        return _newest(info, issues, total, cutoff, args, lambda i: IssueView(key, i))

    def pullRequests(
        self, info: Any, states: list[str] | None = None, **args: Any
    ) -> dict[str, Any]:
        """Counts per state (without `states`, every pull request), and (where the history is
        modelled) the newest pull requests ordered by creation."""
        modelled_arguments(info, args, {"orderBy"})
        counts = self._counts("pulls")
        wanted = states or list(counts)
        total = sum(counts.get(s, 0) for s in wanted)
        if not _sized(args):
            return count_only(total)
        history = self._modelled(info)
        pulls = [p for p in history.pull_requests if p.state in wanted]
        # a synthetic history draws merged and closed ones together, the newest of both
        done = [p for p in history.pull_requests if p.state != "OPEN"]
        open_ = [p for p in history.pull_requests if p.state == "OPEN"]
        lists = []
        if "OPEN" in wanted:
            lists.append((open_, counts.get("OPEN", 0)))
        if {"MERGED", "CLOSED"} & set(wanted):
            lists.append((done, counts.get("MERGED", 0) + counts.get("CLOSED", 0)))
        cutoff = _cutoff(history, lists)
        key = self.repo.key
        return _newest(info, pulls, total, cutoff, args, lambda p: PullRequestView(key, p))

    def _modelled(self, info: Any) -> SimHistory:
        history = self.history
        if history is None:
            unmodelled(info, f"the issues and pull requests of {self.repo.full_name}")
            return SimHistory()
        return history

    def releases(self, info: Any, **args: Any) -> dict[str, Any]:
        releases = list(self.repo.releases)
        order = args.get("orderBy")
        if order:
            field = order.get("field")
            key = (lambda r: r.tag_name) if field == "NAME" else (lambda r: r.created_at)
            releases.sort(key=key, reverse=order.get("direction") == "DESC")
        return connection(releases, args, wrap=_release)

    def latestRelease(self, info: Any) -> ReleaseView | None:
        published = [r for r in self.repo.releases if not r.is_draft and not r.is_prerelease]
        if not published:
            return None
        return _release(max(published, key=lambda r: r.published_at or r.created_at))

    def repositoryTopics(self, info: Any, **args: Any) -> dict[str, Any]:
        key = self.repo.key
        return connection(self.repo.topics, args, wrap=lambda topic: TopicNode(key, topic))

    def licenseInfo(self, info: Any) -> dict[str, Any] | None:
        spdx = self.repo.license_spdx
        return None if spdx is None else _license(spdx)

    def primaryLanguage(self, info: Any) -> dict[str, Any] | None:
        language = self.repo.language
        return None if language is None else _language(language)

    def defaultBranchRef(self, info: Any) -> dict[str, Any] | None:
        if self.repo.is_empty:
            return None
        return {
            "id": node_id("REF_", self.repo.key),
            "name": self.repo.default_branch,
            "prefix": "refs/heads/",
            "target": CommitView(self.repo, 0, self.history),
        }

    def object(self, info: Any, expression: str | None = None, oid: str | None = None) -> Any:
        """`HEAD`, `<branch>`, `HEAD:<path>` or `<branch>:<path>` on the default branch: the
        head commit, or the blob or tree at the path (null when the path does not exist)."""
        if oid is not None:
            return unmodelled(info, "argument oid")
        if expression is None:
            return None
        revision, colon, path = expression.partition(":")
        if revision not in ("HEAD", self.repo.default_branch):
            return unmodelled(info, f"the revision {revision!r}: only HEAD and the default branch")
        if self.repo.is_empty:
            return None
        if not colon:
            return CommitView(self.repo, 0, self.history)
        if self.files is None:
            return unmodelled(info, f"the files of {self.repo.full_name}")
        return self.files.at(path)

    @functools.cached_property
    def files(self) -> FileTree | None:
        """The default branch's files as git objects, or None when they are not modelled."""
        return None if self.repo.files is None else FileTree(self.repo.files, self)


def _sized(args: dict[str, Any]) -> bool:
    return args.get("first") is not None or args.get("last") is not None


def _tally(states: Iterable[str]) -> dict[str, int]:
    return dict(Counter(states))


_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _cutoff(
    history: SimHistory, lists: Sequence[tuple[Sequence[SimIssue | SimPullRequest], int]]
) -> dt.datetime | None:
    """The creation time before which items may be missing: the oldest modelled item of each
    list holding fewer items than GitHub counts (None: every item is modelled)."""
    cutoffs = [
        min((item.created_at for item in items), default=_NEVER)
        for items, count in lists
        if len(items) < count
    ]
    return max(cutoffs, default=None)


class _Newest(Sequence[Any]):
    """`total` items ordered by creation, of which only those created at or after `cutoff` are
    modelled; reaching another is refused (strict mode) or answers null."""

    def __init__(self, info: Any, items: Sequence[Any], total: int, cutoff: Any, asc: bool) -> None:
        newest = sorted(items, key=lambda item: item.created_at, reverse=True)
        self.known = [i for i in newest if cutoff is None or i.created_at >= cutoff]
        self.total = max(total, len(self.known))
        self.info = info
        self.asc = asc

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int) or not 0 <= index < self.total:
            raise IndexError(index)
        position = self.total - 1 - index if self.asc else index
        if position < len(self.known):
            return self.known[position]
        return unmodelled(self.info, f"items older than the newest {len(self.known)}")


def _newest(
    info: Any,
    items: Sequence[Any],
    total: int,
    cutoff: dt.datetime | None,
    args: dict[str, Any],
    wrap: Callable[[Any], Any],
) -> dict[str, Any]:
    """A connection over issues or pull requests ordered by creation (GitHub's default: oldest
    first); other orders are not modelled."""
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    if order.get("field") != "CREATED_AT":
        unmodelled(info, f"orderBy {order.get('field')}")
    page = _Newest(info, items, total, cutoff, asc=order.get("direction") != "DESC")
    return connection(page, args, wrap=lambda item: None if item is None else wrap(item))


def _actor(login: str | None, bot: bool = False) -> dict[str, Any] | None:
    """An `Actor` (None: a deleted account, which GitHub answers as null)."""
    if login is None:
        return None
    return {"__typename": "Bot" if bot else "User", "login": login}


def _response(response: SimResponse) -> dict[str, Any]:
    return {
        "__typename": "PullRequestReview" if response.review else "IssueComment",
        "createdAt": iso(response.created_at),
        "author": _actor(response.author, response.bot),
    }


class IssueView:
    """An `Issue` of a modelled history."""

    typename = "Issue"

    def __init__(self, repo_key: str, issue: SimIssue) -> None:
        self.issue = issue
        self._key = f"{repo_key}:{issue.created_at.isoformat()}"
        self.createdAt = iso(issue.created_at)
        self.closedAt = iso(issue.closed_at)
        self.closed = issue.closed_at is not None
        self.state = "CLOSED" if self.closed else "OPEN"
        self.author = _actor(issue.author)

    @property
    def id(self) -> str:
        return node_id("I_", self._key)

    def comments(self, info: Any, **args: Any) -> dict[str, Any]:
        modelled_arguments(info, args, ())
        comments = [r for r in self.issue.responses if not r.review]
        return connection(comments, args, wrap=_response)


class PullRequestView:
    """A `PullRequest` of a modelled history."""

    typename = "PullRequest"
    _ITEM_TYPES = frozenset({"ISSUE_COMMENT", "PULL_REQUEST_REVIEW"})

    def __init__(self, repo_key: str, pull: SimPullRequest) -> None:
        self.pull = pull
        self._key = f"{repo_key}:{pull.created_at.isoformat()}"
        self.createdAt = iso(pull.created_at)
        self.mergedAt = iso(pull.merged_at)
        self.closedAt = iso(pull.closed_at)
        self.merged = pull.merged_at is not None
        self.closed = pull.closed_at is not None
        self.state = pull.state
        self.author = _actor(pull.author)

    @property
    def id(self) -> str:
        return node_id("PR_", self._key)

    def timelineItems(self, info: Any, itemTypes: list[str] | None = None, **args: Any) -> Any:
        """Comments and reviews only: other timeline events are not modelled."""
        modelled_arguments(info, args, ())
        if itemTypes is None or not set(itemTypes) <= self._ITEM_TYPES:
            unmodelled(info, "timeline items other than ISSUE_COMMENT and PULL_REQUEST_REVIEW")
        kinds = set(itemTypes or ())
        items = [
            r
            for r in self.pull.responses
            if ("PULL_REQUEST_REVIEW" if r.review else "ISSUE_COMMENT") in kinds
        ]
        return connection(items, args, wrap=_response)


class ReleaseView:
    """A `Release`; identifiers and dates are formatted only when selected."""

    typename = "Release"
    isLatest = False

    def __init__(self, release: SimRelease) -> None:
        self.release = release
        self.tagName = release.tag_name
        self.name = release.name
        self.isPrerelease = release.is_prerelease
        self.isDraft = release.is_draft

    @property
    def id(self) -> str:
        return node_id("RE_", f"{self.release.tag_name}:{self.release.created_at}")

    @property
    def createdAt(self) -> str | None:
        return iso(self.release.created_at)

    @property
    def publishedAt(self) -> str | None:
        return iso(self.release.published_at)


_release = ReleaseView


class TopicNode:
    """A `RepositoryTopic` (a topic as one repository carries it)."""

    typename = "RepositoryTopic"

    def __init__(self, repo_key: str, topic: str) -> None:
        self._key = f"{repo_key}:{topic}"
        self.topic = _topic(topic)
        self.url = f"https://github.com/topics/{topic}"
        self.resourcePath = f"/topics/{topic}"

    @property
    def id(self) -> str:
        return node_id("RT_", self._key)


@functools.cache
def _topic(name: str) -> dict[str, Any]:
    return {"id": node_id("T_", name), "name": name}


@functools.cache
def _license(spdx: str) -> dict[str, Any]:
    key = "other" if spdx == "NOASSERTION" else spdx.lower()
    return {
        "id": node_id("L_", key),
        "spdxId": spdx,
        "key": key,
        "name": _LICENSE_NAMES.get(spdx, spdx),
        "url": None if key == "other" else f"http://choosealicense.com/licenses/{key}/",
    }


@functools.cache
def _language(name: str) -> dict[str, Any]:
    return {"id": node_id("LA_", name), "name": name}


class CommitView:
    """The `index`-th newest commit of the default branch (commits evenly spread over time)."""

    typename = "Commit"

    def __init__(self, repo: SimRepo, index: int, history: SimHistory | None = None) -> None:
        self.repo = repo
        self.index = index
        self._history = history
        last = repo.last_commit_at or repo.created_at
        self.spacing = (last - repo.created_at) / max(1, repo.commits)
        self.moment = last - self.spacing * index
        self.message = self.messageHeadline = f"Commit {repo.commits - index}"

    @functools.cached_property
    def oid(self) -> str:
        key = f"{self.repo.key}:{self.index}"
        return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()

    @property
    def abbreviatedOid(self) -> str:
        return self.oid[:7]

    @property
    def id(self) -> str:
        return node_id("C_", self.oid)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo.full_name}/commit/{self.oid}"

    @property
    def committedDate(self) -> str | None:
        return iso(self.moment)

    authoredDate = committedDate

    def author(self, info: Any) -> dict[str, Any] | None:
        """The commit's author (a `GitActor`) where the history models it: its newest commits."""
        authors = () if self._history is None else self._history.commit_authors
        if self.index >= len(authors):
            unmodelled(info, f"the author of commit {self.index} of {self.repo.full_name}")
            return None
        author = authors[self.index]
        user = None
        if author.login is not None:
            user = {"__typename": "User", "login": author.login, "company": author.company}
        return {"email": author.email, "name": author.name, "user": user,
                "date": iso(self.moment)}  # fmt: skip

    def history(self, info: Any, **args: Any) -> dict[str, Any]:
        """Commits from this one backwards, optionally bounded by `since`/`until`."""
        modelled_arguments(info, args, {"since", "until"})
        first, total = 0, self.repo.commits
        if args.get("until"):
            until = _timestamp(args["until"])
            first = 0 if until >= self.moment else self._index_at(self.moment - until, ceil=True)
        if args.get("since"):
            since = _timestamp(args["since"])
            total = (
                min(total, self._index_at(self.moment - since) + 1) if since <= self.moment else 0
            )
        return connection(_Commits(self.repo, first, max(0, total - first), self._history), args)

    def _index_at(self, gap: dt.timedelta, *, ceil: bool = False) -> int:
        if self.spacing.total_seconds() <= 0:
            return 0
        steps = gap / self.spacing
        return int(-(-steps // 1)) if ceil else int(steps)


class _Commits(Sequence[CommitView]):
    """`count` consecutive commits from the `start`-th newest, made only when paged to."""

    def __init__(
        self, repo: SimRepo, start: int, size: int, history: SimHistory | None = None
    ) -> None:
        self.repo = repo
        self.start = start
        self.size = size
        self._history = history

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise IndexError(index)
        return CommitView(self.repo, self.start + index, self._history)


def _timestamp(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise graphql.GraphQLError(f"Invalid GitTimestamp: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
