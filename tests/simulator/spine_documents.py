"""The batch documents of the collector's spine v2 (field groups), as the simulator must answer
them: `r<i>` aliases select the groups, `b<i>` aliases one blob each, all names as variables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

FRAGMENTS = {
    "Core": """fragment Core on Repository {
  nameWithOwner url description homepageUrl
  defaultBranchRef { name target { ... on Commit { committedDate history { totalCount } } } }
  stargazerCount forkCount watchers { totalCount }
  licenseInfo { spdxId name key }
  primaryLanguage { name }
  isArchived isFork createdAt pushedAt updatedAt diskUsage hasIssuesEnabled
  openIssues: issues(states: [OPEN]) { totalCount }
  closedIssues: issues(states: [CLOSED]) { totalCount }
}""",
    "Activity": """fragment Activity on Repository {
  pullRequests { totalCount }
  mergedPullRequests: pullRequests(states: [MERGED]) { totalCount }
  releases(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) {
    totalCount nodes { publishedAt }
  }
  latestRelease { tagName publishedAt }
}""",
    "Community": "fragment Community on Repository { mentionableUsers { totalCount } }",
    "Topics": (
        "fragment Topics on Repository { repositoryTopics(first: 20) { nodes { topic { name } } } }"
    ),
    "FilesTree": """fragment FilesTree on Repository {
  rootTree: object(expression: "HEAD:") { ... on Tree { entries { name type size } } }
  licensesTree: object(expression: "HEAD:LICENSES") { ... on Tree { entries { name type size } } }
}""",
}
GROUPS = tuple(FRAGMENTS)
BLOB_SELECTION = (
    "object(expression: $bx{i}) {{ ... on Blob {{ byteSize isBinary isTruncated text }} }}"
)


def document(repositories: int, blobs: int = 0, groups: Sequence[str] = GROUPS) -> str:
    """`query Repos<N>` with `repositories` aliases selecting `groups` and `blobs` blob aliases."""
    params = [f"$o{i}: String!, $n{i}: String!" for i in range(repositories)]
    params += [f"$bo{i}: String!, $bn{i}: String!, $bx{i}: String!" for i in range(blobs)]
    spreads = " ".join(f"...{group}" for group in groups)
    lines = [
        f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ {spreads} }}"
        for i in range(repositories)
    ]
    lines += [
        f"  b{i}: repository(owner: $bo{i}, name: $bn{i}) {{ {BLOB_SELECTION.format(i=i)} }}"
        for i in range(blobs)
    ]
    head = f"query Repos{repositories}({', '.join(params)}) {{"
    tail = "  rateLimit { cost remaining resetAt limit used }\n}"
    return "\n".join([head, *lines, tail, *(FRAGMENTS[g] for g in groups)])


def variables(names: Iterable[str], blobs: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """`$o<i>`/`$n<i>` per `owner/name`; `$bo<i>`/`$bn<i>`/`$bx<i>` per (name, expression)."""
    values: dict[str, str] = {}
    for i, full_name in enumerate(names):
        values[f"o{i}"], _, values[f"n{i}"] = full_name.partition("/")
    for i, (full_name, expression) in enumerate(blobs):
        values[f"bo{i}"], _, values[f"bn{i}"] = full_name.partition("/")
        values[f"bx{i}"] = expression
    return values
