"""The GraphQL documents the collector sends to GitHub.

Owners and names travel as variables (`$o0`, `$n0`, ...), never spliced into the text, so a
batch of a given size always sends the same document: GitHub (and the simulator) parse and validate
each distinct document once, and untrusted catalog text can never change a query's shape.

Each repository is one alias (`r0` .. `rN-1`) selecting `...RepoFacts`; every query also asks for
`rateLimit`, so the collector learns each query's cost and the budget left from the answer itself.
"""

from __future__ import annotations

from functools import cache
from typing import Final

__all__ = [
    "MAX_BATCH",
    "ORG_TOP_REPOS",
    "RELEASES_WINDOW",
    "org_query",
    "org_variables",
    "repo_alias",
    "repo_query",
    "repo_variables",
]

#: GitHub caps `first`/`last` at 100; we also never put more than 100 repositories in one query.
MAX_BATCH: Final = 100

#: How many most recent releases are fetched to count releases of the last year. A repository
#: with more than this many releases in a year reports this number (a lower bound); see
#: docs/collect.md.
RELEASES_WINDOW: Final = 50

#: How many most-starred repositories of an organisation are offered as suggestions.
ORG_TOP_REPOS: Final = 5

RATE_LIMIT_SELECTION: Final = "rateLimit { cost remaining resetAt limit used }"

REPO_FRAGMENT: Final = f"""
fragment RepoFacts on Repository {{
  nameWithOwner
  url
  description
  homepageUrl
  defaultBranchRef {{
    name
    target {{
      ... on Commit {{
        committedDate
        history(first: 1) {{ totalCount nodes {{ committedDate }} }}
      }}
    }}
  }}
  stargazerCount
  forkCount
  watchers {{ totalCount }}
  licenseInfo {{ spdxId name key }}
  primaryLanguage {{ name }}
  isArchived
  isFork
  createdAt
  pushedAt
  updatedAt
  openIssues: issues(states: [OPEN]) {{ totalCount }}
  closedIssues: issues(states: [CLOSED]) {{ totalCount }}
  openPullRequests: pullRequests(states: [OPEN]) {{ totalCount }}
  closedPullRequests: pullRequests(states: [CLOSED]) {{ totalCount }}
  mergedPullRequests: pullRequests(states: [MERGED]) {{ totalCount }}
  releases(first: {RELEASES_WINDOW}, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
    totalCount
    nodes {{ publishedAt }}
  }}
  latestRelease {{ tagName publishedAt }}
  repositoryTopics(first: 20) {{ nodes {{ topic {{ name }} }} }}
  diskUsage
  mentionableUsers {{ totalCount }}
}}
"""


def repo_alias(index: int) -> str:
    """The alias of the `index`-th repository of a batch."""
    return f"r{index}"


def _check_size(size: int) -> None:
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"batch size must be between 1 and {MAX_BATCH}, got {size}")


@cache
def repo_query(size: int) -> str:
    """The document that asks for `size` repositories (one document per size, cached)."""
    _check_size(size)
    params = ", ".join(f"$o{i}: String!, $n{i}: String!" for i in range(size))
    aliases = "\n".join(
        f"  {repo_alias(i)}: repository(owner: $o{i}, name: $n{i}) {{ ...RepoFacts }}"
        for i in range(size)
    )
    return (
        f"query Repos{size}({params}) {{\n{aliases}\n  {RATE_LIMIT_SELECTION}\n}}\n{REPO_FRAGMENT}"
    )


def repo_variables(repos: list[str]) -> dict[str, str]:
    """Variables for `repo_query(len(repos))`: each "owner/name" split into `$oI` and `$nI`."""
    _check_size(len(repos))
    variables: dict[str, str] = {}
    for i, repo in enumerate(repos):
        owner, _, name = repo.partition("/")
        variables[f"o{i}"] = owner
        variables[f"n{i}"] = name
    return variables


@cache
def org_query(size: int) -> str:
    """The document that asks for the most-starred public repositories of `size` organisations."""
    _check_size(size)
    params = ", ".join(f"$l{i}: String!" for i in range(size))
    aliases = "\n".join(
        f"  g{i}: organization(login: $l{i}) {{\n"
        f"    repositories(first: {ORG_TOP_REPOS}, privacy: PUBLIC, isFork: false,\n"
        "                 orderBy: { field: STARGAZERS, direction: DESC }) {\n"
        "      nodes { nameWithOwner stargazerCount }\n"
        "    }\n"
        "  }"
        for i in range(size)
    )
    return f"query Orgs{size}({params}) {{\n{aliases}\n  {RATE_LIMIT_SELECTION}\n}}\n"


def org_variables(logins: list[str]) -> dict[str, str]:
    """Variables for `org_query(len(logins))`."""
    _check_size(len(logins))
    return {f"l{i}": login for i, login in enumerate(logins)}
