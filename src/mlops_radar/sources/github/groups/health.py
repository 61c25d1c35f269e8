"""The `health` group: issue, pull-request, release and commit-author histories (fact set
`github.health`), for CHAOSS's community-health metrics (`model/health/`, docs/health.md).

Not a default group: `collect --depth full` adds it. What it asks, per repository:

- the 100 newest closed issues (created, closed, author) with their first `RESPONSES` comments
  (author login and whether the author is a Bot);
- the creation dates of the 100 newest open issues;
- the 100 newest merged or closed pull requests (created, merged, closed, author) with their first
  `RESPONSES` comments or reviews;
- the creation dates of the 100 newest open pull requests (for the change-request closure ratio);
- the 100 newest releases' publication dates;
- commits on the default branch in the 90 and 365 days before the request (`history(since:)`);
- the authors of the 100 newest commits: login and company where GitHub links a user, the domain
  of the author's e-mail (the address itself is not kept; a digest of it tells authors without a
  GitHub account apart).

Connections by GitHub's formula: closed issues 1 + their comments 100 (one request per issue),
open issues 1, closed pull requests 1 + their timeline items 100, open pull requests 1, releases 1,
history 3 (two counted windows and the newest commits; a commit's `author` is an object, not a
connection): 208 per repository. Nodes by GitHub's node formula: 100 + 100 x RESPONSES per
commented list, 100 for each other list: 600 + 200 x RESPONSES = 2,600 per repository, so a
batch stays under GitHub's 500,000-node limit up to 192 repositories (`documents.node_cap`;
more than the 100 aliases we ever put in one query).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup, ReadContext

__all__ = [
    "GROUP",
    "HEALTH",
    "NODES",
    "PAGE",
    "RESPONSES",
    "GitHubHealth",
    "window_variables",
]

#: Items per list (GitHub's maximum page).
PAGE = 100
#: Comments (issues) or comments and reviews (pull requests) read per item to find the first
#: response by someone other than the author and not a bot.
RESPONSES = 10
#: Nodes per repository by GitHub's node formula (see the module's docstring).
NODES = 2 * (PAGE + PAGE * RESPONSES) + 4 * PAGE
#: The windows of `history(since:)`, in days before the request.
COMMIT_WINDOWS = (90, 365)
#: Bots GitHub does not type as `Bot` (apps acting through a user account) still say so.
_BOT_SUFFIX = "[bot]"


@dataclass(frozen=True, slots=True)
class GitHubHealth:
    """A repository's recent issue, pull-request, release and commit-author history.

    Times are ISO 8601 UTC strings inside the lists (JSON columns). An item's `responses` are its
    first comments (and reviews) in order: `{"at", "author", "bot"}`. `*_total` is GitHub's count
    of the list's items (more than the list holds when it was cut at `PAGE`).
    """

    # [{"created_at", "closed_at", "author", "responses"}], newest first
    recent_closed_issues: list[Any] | None = None
    closed_issues_total: int | None = None
    open_issue_created: list[Any] | None = None  # ISO times, newest first
    open_issues_total: int | None = None
    # [{"created_at", "merged_at", "closed_at", "author", "responses"}], newest first
    recent_closed_prs: list[Any] | None = None
    closed_prs_total: int | None = None
    open_pr_created: list[Any] | None = None  # ISO times, newest first
    open_prs_total: int | None = None
    release_published: list[Any] | None = None  # ISO times of published releases, newest first
    releases_total: int | None = None
    commits_90d: int | None = None  # on the default branch, before `windows_end`
    commits_365d: int | None = None
    windows_end: datetime | None = None  # the moment the commit windows were counted back from
    # [{"login", "domain", "company", "identity"}] of the newest commits, newest first
    commit_authors: list[Any] | None = None


HEALTH = FactSet("github.health", GitHubHealth, source="github", in_model=False)

_ACTOR = "author { __typename login }"
FRAGMENT = f"""
fragment Health on Repository {{
  healthClosedIssues: issues(states: [CLOSED], first: {PAGE},
      orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
    totalCount
    nodes {{
      createdAt closedAt {_ACTOR}
      comments(first: {RESPONSES}) {{ nodes {{ createdAt {_ACTOR} }} }}
    }}
  }}
  healthOpenIssues: issues(states: [OPEN], first: {PAGE},
      orderBy: {{ field: CREATED_AT, direction: DESC }}) {{ totalCount nodes {{ createdAt }} }}
  healthClosedPullRequests: pullRequests(states: [MERGED, CLOSED], first: {PAGE},
      orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
    totalCount
    nodes {{
      createdAt mergedAt closedAt {_ACTOR}
      timelineItems(first: {RESPONSES}, itemTypes: [ISSUE_COMMENT, PULL_REQUEST_REVIEW]) {{
        nodes {{
          __typename
          ... on IssueComment {{ createdAt {_ACTOR} }}
          ... on PullRequestReview {{ createdAt {_ACTOR} }}
        }}
      }}
    }}
  }}
  healthOpenPullRequests: pullRequests(states: [OPEN], first: {PAGE},
      orderBy: {{ field: CREATED_AT, direction: DESC }}) {{ totalCount nodes {{ createdAt }} }}
  healthReleases: releases(first: {PAGE}, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
    totalCount
    nodes {{ publishedAt }}
  }}
  healthBranch: defaultBranchRef {{
    target {{
      ... on Commit {{
        commits90: history(since: $healthSince90) {{ totalCount }}
        commits365: history(since: $healthSince365) {{ totalCount }}
        recentCommits: history(first: {PAGE}) {{
          nodes {{ author {{ email user {{ login company }} }} }}
        }}
      }}
    }}
  }}
}}
"""

#: The document's variables this group adds (name, GraphQL type).
VARIABLES = (("healthSince90", "GitTimestamp!"), ("healthSince365", "GitTimestamp!"))


def window_variables(now: datetime) -> dict[str, str]:
    """The `since` values of the commit windows, counted back from `now` (aware UTC), to the
    second (so a batch's answers are comparable with each other)."""
    end = now.replace(microsecond=0)
    return {
        f"healthSince{days}": (end - timedelta(days=days)).isoformat().replace("+00:00", "Z")
        for days in COMMIT_WINDOWS
    }


def _iso(reader: AnswerReader, path: str) -> str | None:
    moment = reader.time(path)
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def _actor(reader: AnswerReader) -> tuple[str | None, bool]:
    """The author's login (None: a deleted account, "ghost") and whether it is a bot."""
    login = reader.text("author.login")
    kind = reader.text("author.__typename")
    return login, kind == "Bot" or (login or "").lower().endswith(_BOT_SUFFIX)


def _responses(nodes: list[AnswerReader] | None) -> list[dict[str, Any]]:
    found = []
    for node in nodes or ():
        login, bot = _actor(node)
        at = _iso(node, "createdAt")
        if at is not None:
            found.append({"at": at, "author": login, "bot": bot})
    return found


def _issues(answer: AnswerReader, path: str, responses: str, *, pulls: bool) -> list[Any] | None:
    nodes = answer.objects(f"{path}.nodes")
    if nodes is None:
        return None
    items = []
    for node in nodes:
        created = _iso(node, "createdAt")
        if created is None:
            continue
        login, _ = _actor(node)
        item: dict[str, Any] = {"created_at": created, "closed_at": _iso(node, "closedAt")}
        if pulls:
            item["merged_at"] = _iso(node, "mergedAt")
        item["author"] = login
        item["responses"] = _responses(node.objects(f"{responses}.nodes"))
        items.append(item)
    return items


def _dates(answer: AnswerReader, path: str, field: str) -> list[Any] | None:
    nodes = answer.objects(f"{path}.nodes")
    if nodes is None:
        return None
    return [at for at in (_iso(node, field) for node in nodes) if at is not None]


def _domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    return domain or None


def _authors(answer: AnswerReader) -> list[Any] | None:
    nodes = answer.objects("healthBranch.target.recentCommits.nodes")
    if nodes is None:
        return None
    authors = []
    for node in nodes:
        email = node.text("author.email")
        login = node.text("author.user.login")
        domain = _domain(email)
        if login:
            identity: str | None = f"login:{login.lower()}"
        elif email:  # a digest tells authors apart without keeping their address
            digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
            identity = f"email:{digest}"
        else:
            identity = None
        authors.append(
            {
                "login": login,
                "domain": domain,
                "company": node.text("author.user.company", empty_is_none=True),
                "identity": identity,
            }
        )
    return authors


def read(answer: AnswerReader, context: ReadContext) -> GitHubHealth:
    """The health facts of one repository's answer."""
    return GitHubHealth(
        recent_closed_issues=_issues(answer, "healthClosedIssues", "comments", pulls=False),
        closed_issues_total=answer.count("healthClosedIssues.totalCount"),
        open_issue_created=_dates(answer, "healthOpenIssues", "createdAt"),
        open_issues_total=answer.count("healthOpenIssues.totalCount"),
        recent_closed_prs=_issues(answer, "healthClosedPullRequests", "timelineItems", pulls=True),
        closed_prs_total=answer.count("healthClosedPullRequests.totalCount"),
        open_pr_created=_dates(answer, "healthOpenPullRequests", "createdAt"),
        open_prs_total=answer.count("healthOpenPullRequests.totalCount"),
        release_published=_dates(answer, "healthReleases", "publishedAt"),
        releases_total=answer.count("healthReleases.totalCount"),
        commits_90d=answer.count("healthBranch.target.commits90.totalCount"),
        commits_365d=answer.count("healthBranch.target.commits365.totalCount"),
        windows_end=context.collected_at if answer.value("healthBranch") is not None else None,
        commit_authors=_authors(answer),
    )


GROUP = FieldGroup(
    name="health",
    order=5,
    fact_set=HEALTH,
    fragment_name="Health",
    fragment=FRAGMENT,
    # closed issues + comments, open issues, closed PRs + timeline items, open PRs, releases,
    # history x 3
    connections=1 + PAGE + 1 + 1 + PAGE + 1 + 1 + 3,
    read=read,
    nodes=NODES,
    variables=VARIABLES,
    variable_values=window_variables,
)
