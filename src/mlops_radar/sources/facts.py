"""Facts about one repository at one moment: the contract between sources, store and model.

Every source (GitHub GraphQL, the study's legacy files, later PyPI and license texts) produces
`RepoFacts`; the store keeps one row per repository per snapshot with these typed columns plus the
raw JSON; the model reads a table whose columns are these field names. Missing data is `None`,
never 0 or "".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["FACT_FIELDS", "FACT_TYPES", "RepoFacts"]


@dataclass(frozen=True, slots=True)
class RepoFacts:
    """What is known about one repository in one snapshot."""

    repo: str  # "owner/name" as asked for (the catalog's spelling)
    name_with_owner: str | None = None  # as GitHub answers it (differs after a rename)
    url: str | None = None
    description: str | None = None
    homepage: str | None = None
    default_branch: str | None = None
    total_commits: int | None = None  # commits on the default branch
    last_commit_at: datetime | None = None  # date of the default branch's last commit (UTC)
    # The study's own verdict where the commit date is not known (legacy imports): True means the
    # last commit was OLDER than six months on the snapshot's day.
    last_commit_stale: bool | None = None
    stars: int | None = None
    forks: int | None = None
    watchers: int | None = None
    license_spdx: str | None = None  # "NOASSERTION" kept as such; no license at all = None
    license_name: str | None = None  # e.g. "Apache License 2.0", "Other"
    license_key: str | None = None  # e.g. "apache-2.0", "other"
    license_manual: str | None = None  # a license identified by hand (the study's spreadsheet)
    primary_language: str | None = None
    archived: bool | None = None
    fork: bool | None = None
    created_at: datetime | None = None
    pushed_at: datetime | None = None
    updated_at: datetime | None = None
    open_issues: int | None = None
    closed_issues: int | None = None
    open_prs: int | None = None
    closed_prs: int | None = None
    merged_prs: int | None = None
    release_count: int | None = None
    latest_release_tag: str | None = None
    latest_release_at: datetime | None = None
    releases_last_year: int | None = None
    topics: tuple[str, ...] | None = None
    disk_usage_kb: int | None = None
    mentionable_users: int | None = None
    # The source's answer for this repository, kept to re-derive facts without collecting again.
    raw: dict[str, Any] | None = None

    def as_row(self) -> dict[str, Any]:
        """A flat dict of the typed facts (no `raw`), for tables."""
        row = {f: getattr(self, f) for f in FACT_FIELDS}
        if row["topics"] is not None:
            row["topics"] = list(row["topics"])
        return row


#: Names of the typed fact columns, in order (everything but `raw`).
FACT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(RepoFacts) if f.name != "raw"
)

#: Types for readers that need them (store schema, exports).
FACT_TYPES: dict[str, type] = {
    "repo": str,
    "name_with_owner": str,
    "url": str,
    "description": str,
    "homepage": str,
    "default_branch": str,
    "total_commits": int,
    "last_commit_at": datetime,
    "last_commit_stale": bool,
    "stars": int,
    "forks": int,
    "watchers": int,
    "license_spdx": str,
    "license_name": str,
    "license_key": str,
    "license_manual": str,
    "primary_language": str,
    "archived": bool,
    "fork": bool,
    "created_at": datetime,
    "pushed_at": datetime,
    "updated_at": datetime,
    "open_issues": int,
    "closed_issues": int,
    "open_prs": int,
    "closed_prs": int,
    "merged_prs": int,
    "release_count": int,
    "latest_release_tag": str,
    "latest_release_at": datetime,
    "releases_last_year": int,
    "topics": list,
    "disk_usage_kb": int,
    "mentionable_users": int,
}
assert set(FACT_TYPES) == set(FACT_FIELDS), "FACT_TYPES must name every fact field"
