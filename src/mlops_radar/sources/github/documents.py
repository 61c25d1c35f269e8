"""The GraphQL documents the GitHub source sends: one per batch, the union of its field groups.

Every owner, name, login and file expression travels as a variable (`$o0`, `$n0`, ...), never
spliced into the text, so untrusted catalog text (or a file name from a repository) can never
change a query's shape, and a batch of a given shape always sends the same document (cached).

Aliases: `r<i>` a repository with the batch's groups, `t<i>` a repository's root tree only (a
resumed files phase), `b<i>` one file blob, `g<i>` an organisation (its most-starred
repositories). Every query also asks for `rateLimit`, so each answer says what it cost and what is
left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from mlops_radar.sources.github.groups import FieldGroup, field_groups
from mlops_radar.sources.github.groups.files import BLOB_SELECTION

__all__ = [
    "MAX_BATCH",
    "MAX_NODES",
    "ORG_TOP_REPOS",
    "BatchShape",
    "batch_document",
    "batch_variables",
    "cheapest_size",
    "group_variables",
    "node_cap",
    "points",
]

#: GitHub caps `first`/`last` at 100; we also never put more than 100 repositories in one query.
MAX_BATCH = 100
#: GitHub refuses a query that could return more nodes than this.
MAX_NODES = 500_000
#: How many most-starred repositories of an organisation are offered as suggestions.
ORG_TOP_REPOS = 5

RATE_LIMIT_SELECTION = "rateLimit { cost remaining resetAt limit used }"
#: An organisation's most-starred public repositories, offered as suggestions for an org link.
ORG_SELECTION = (
    f"repositories(first: {ORG_TOP_REPOS}, privacy: PUBLIC, isFork: false, "
    "orderBy: { field: STARGAZERS, direction: DESC }) { nodes { nameWithOwner stargazerCount } }"
)


def points(requests: int) -> int:
    """GitHub's cost formula: the connections' requests divided by 100, rounded to the nearest
    whole number (half up), at least 1 ("Rate limits and node limits for the GraphQL API")."""
    return max(1, (requests + 50) // 100)


@dataclass(frozen=True, slots=True)
class BatchShape:
    """How many aliases of each kind a repository batch holds, and the groups of its `r` aliases."""

    groups: tuple[str, ...]  # group names, in declared order
    repos: int = 0
    trees: int = 0
    blobs: int = 0
    orgs: int = 0

    def connections(self) -> int:
        """Connections the document opens (GitHub's requests before dividing by 100): each
        repository's groups', and one per organisation (its repositories)."""
        per_repo = sum(field_groups()[g].connections for g in self.groups)
        return per_repo * self.repos + self.orgs

    def nodes(self) -> int:
        """Nodes by GitHub's node formula, counting the groups that declare theirs (the others'
        few dozen per repository are far from the limit)."""
        return sum(field_groups()[g].nodes for g in self.groups) * self.repos


def node_cap(groups: Iterable[str]) -> int:
    """The most repositories of `groups` one query may hold under GitHub's 500,000-node limit
    (MAX_BATCH when the groups declare no nodes)."""
    per_repo = sum(field_groups()[g].nodes for g in groups)
    return MAX_BATCH if per_repo <= 0 else max(1, min(MAX_BATCH, MAX_NODES // per_repo))


def cheapest_size(connections: int, cap: int) -> int:
    """The batch size (1..cap) with the fewest points per item by GitHub's formula, the larger
    of equals. E.g. 9 connections per repository: 16 repositories cost 144 requests = 1 point
    (16 per point), where 50 cost 450 = 5 points (10 per point)."""
    cap = max(1, min(cap, MAX_BATCH))
    if connections <= 0:
        return cap
    return max(range(1, cap + 1), key=lambda n: (n / points(n * connections), n))


def _check_size(size: int, what: str) -> None:
    if not 0 <= size <= MAX_BATCH:
        raise ValueError(f"{what}: between 0 and {MAX_BATCH} per batch, got {size}")


def _fragments(groups: Iterable[FieldGroup]) -> str:
    return "".join(g.fragment for g in groups)


@cache
def batch_document(shape: BatchShape) -> str:
    """The document for a batch of `shape` (one document per shape, cached)."""
    for size, what in ((shape.repos, "repositories"), (shape.trees, "trees"),
                       (shape.blobs, "file blobs"), (shape.orgs, "organisations")):  # fmt: skip
        _check_size(size, what)
    groups = [field_groups()[name] for name in shape.groups]
    tree = field_groups()["files"]
    params: list[str] = []
    fields: list[str] = []
    spread = " ".join(f"...{g.fragment_name}" for g in groups)
    if shape.repos:
        params += [f"${name}: {kind}" for g in groups for name, kind in g.variables]
    for i in range(shape.repos):
        params.append(f"$o{i}: String!, $n{i}: String!")
        fields.append(f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ nameWithOwner {spread} }}")
    for i in range(shape.trees):
        params.append(f"$to{i}: String!, $tn{i}: String!")
        fields.append(
            f"  t{i}: repository(owner: $to{i}, name: $tn{i}) "
            f"{{ nameWithOwner ...{tree.fragment_name} }}"
        )
    for i in range(shape.blobs):
        params.append(f"$bo{i}: String!, $bn{i}: String!, $bx{i}: String!")
        selection = BLOB_SELECTION.replace("$x", f"$bx{i}")
        fields.append(f"  b{i}: repository(owner: $bo{i}, name: $bn{i}) {{ {selection} }}")
    for i in range(shape.orgs):
        params.append(f"$l{i}: String!")
        fields.append(f"  g{i}: organization(login: $l{i}) {{ {ORG_SELECTION} }}")
    used = {g.name: g for g in groups} if shape.repos else {}
    if shape.trees:
        used[tree.name] = tree
    name = f"Batch{shape.repos}r{shape.trees}t{shape.blobs}b{shape.orgs}g"
    body = "\n".join(fields)
    return (
        f"query {name}({', '.join(params)}) {{\n{body}\n  {RATE_LIMIT_SELECTION}\n}}\n"
        f"{_fragments(sorted(used.values(), key=lambda g: g.order))}"
    )


def group_variables(shape: BatchShape, now: datetime) -> dict[str, Any]:
    """The values of the variables the shape's groups declare (their windows end at `now`)."""
    values: dict[str, Any] = {}
    if not shape.repos:
        return values
    for name in shape.groups:
        group = field_groups()[name]
        if group.variable_values is not None:
            values.update(group.variable_values(now))
    return values


def split_repo(repo: str) -> tuple[str, str]:
    """'owner/name' as (owner, name)."""
    owner, _, name = repo.partition("/")
    return owner, name


def batch_variables(
    repos: Sequence[str],
    trees: Sequence[str] = (),
    blobs: Sequence[tuple[str, str]] = (),
    orgs: Sequence[str] = (),
) -> dict[str, str]:
    """Variables of `batch_document`: repositories, tree riders, (repository, file path) blobs,
    organisation logins."""
    variables: dict[str, str] = {f"l{i}": login for i, login in enumerate(orgs)}
    for i, repo in enumerate(repos):
        variables[f"o{i}"], variables[f"n{i}"] = split_repo(repo)
    for i, repo in enumerate(trees):
        variables[f"to{i}"], variables[f"tn{i}"] = split_repo(repo)
    for i, (repo, path) in enumerate(blobs):
        variables[f"bo{i}"], variables[f"bn{i}"] = split_repo(repo)
        variables[f"bx{i}"] = f"HEAD:{path}"
    return variables
