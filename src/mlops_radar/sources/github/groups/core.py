"""The `core` group: the study's qualifiers and a repository's identity (fact set `github.core`).

Stars, forks, watchers, open and closed issues, total commits, the last commit date, license,
archived, primary language and default branch, plus the cheap scalar fields around them. Four
connections per repository: `watchers`, `history` (commits on the default branch, counted only:
the target commit's own `committedDate` is the last commit), `openIssues`, `closedIssues`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup, ReadContext

__all__ = ["CORE", "GROUP", "GitHubCore"]


@dataclass(frozen=True, slots=True)
class GitHubCore:
    """What GitHub says about a repository's identity, popularity and state."""

    name_with_owner: str | None = None  # as GitHub answers it (differs after a rename)
    url: str | None = None
    description: str | None = None
    homepage: str | None = None
    default_branch: str | None = None
    total_commits: int | None = None  # commits on the default branch
    last_commit_at: datetime | None = None  # the default branch's last commit (UTC)
    stars: int | None = None
    forks: int | None = None
    watchers: int | None = None
    license_spdx: str | None = None  # "NOASSERTION" kept as such; no license at all = None
    license_name: str | None = None  # e.g. "Apache License 2.0", "Other"
    license_key: str | None = None  # e.g. "apache-2.0", "other"
    primary_language: str | None = None
    archived: bool | None = None
    fork: bool | None = None
    created_at: datetime | None = None
    pushed_at: datetime | None = None
    updated_at: datetime | None = None
    open_issues: int | None = None
    closed_issues: int | None = None
    has_issues: bool | None = None  # False: issues are kept elsewhere (JIRA, ...)
    disk_usage_kb: int | None = None


CORE = FactSet("github.core", GitHubCore, source="github")

FRAGMENT = """
fragment Core on Repository {
  nameWithOwner
  url
  description
  homepageUrl
  defaultBranchRef { name target { ... on Commit { committedDate history { totalCount } } } }
  stargazerCount
  forkCount
  watchers { totalCount }
  licenseInfo { spdxId name key }
  primaryLanguage { name }
  isArchived
  isFork
  createdAt
  pushedAt
  updatedAt
  diskUsage
  hasIssuesEnabled
  openIssues: issues(states: [OPEN]) { totalCount }
  closedIssues: issues(states: [CLOSED]) { totalCount }
}
"""


def read(answer: AnswerReader, context: ReadContext) -> GitHubCore:
    """The core facts of one repository's answer."""
    return GitHubCore(
        name_with_owner=answer.text("nameWithOwner"),
        url=answer.text("url"),
        description=answer.text("description", empty_is_none=True),
        homepage=answer.text("homepageUrl", empty_is_none=True),  # GitHub's "" = no homepage
        default_branch=answer.text("defaultBranchRef.name"),
        total_commits=answer.count("defaultBranchRef.target.history.totalCount"),
        last_commit_at=answer.time("defaultBranchRef.target.committedDate"),
        stars=answer.count("stargazerCount"),
        forks=answer.count("forkCount"),
        watchers=answer.count("watchers.totalCount"),
        license_spdx=answer.text("licenseInfo.spdxId"),
        license_name=answer.text("licenseInfo.name"),
        license_key=answer.text("licenseInfo.key"),
        primary_language=answer.text("primaryLanguage.name"),
        archived=answer.flag("isArchived"),
        fork=answer.flag("isFork"),
        created_at=answer.time("createdAt"),
        pushed_at=answer.time("pushedAt"),
        updated_at=answer.time("updatedAt"),
        open_issues=answer.count("openIssues.totalCount"),
        closed_issues=answer.count("closedIssues.totalCount"),
        has_issues=answer.flag("hasIssuesEnabled"),
        disk_usage_kb=answer.count("diskUsage"),
    )


GROUP = FieldGroup(
    name="core",
    order=0,
    fact_set=CORE,
    fragment_name="Core",
    fragment=FRAGMENT,
    connections=4,  # watchers, history, openIssues, closedIssues
    read=read,
)
