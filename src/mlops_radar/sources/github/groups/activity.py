"""The `activity` group: pull requests and releases (fact set `github.activity`).

Three connections per repository: `pullRequests` (all states, counted), `mergedPullRequests`
(counted), and the 50 newest `releases` (counted, with their publication dates). The acceptance
ratio merged / all is the same number as merged / (open + closed + merged), one connection fewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup, ReadContext

__all__ = ["ACTIVITY", "GROUP", "RELEASES_WINDOW", "GitHubActivity"]

#: How many of the newest releases are fetched to count releases of the last year. A repository
#: with more than this many releases in a year reports this number (a lower bound).
RELEASES_WINDOW = 50
#: "Releases in the last year": published within this window before the answer arrived.
RELEASE_YEAR = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class GitHubActivity:
    """Pull requests and releases of a repository."""

    pull_requests: int | None = None  # all states
    merged_prs: int | None = None
    release_count: int | None = None
    latest_release_tag: str | None = None
    latest_release_at: datetime | None = None
    releases_last_year: int | None = None  # among the RELEASES_WINDOW newest


ACTIVITY = FactSet("github.activity", GitHubActivity, source="github")

FRAGMENT = f"""
fragment Activity on Repository {{
  pullRequests {{ totalCount }}
  mergedPullRequests: pullRequests(states: [MERGED]) {{ totalCount }}
  releases(first: {RELEASES_WINDOW}, orderBy: {{ field: CREATED_AT, direction: DESC }}) {{
    totalCount
    nodes {{ publishedAt }}
  }}
  latestRelease {{ tagName publishedAt }}
}}
"""


def _releases_last_year(answer: AnswerReader, collected_at: datetime) -> int | None:
    """Releases published within a year before `collected_at` among the newest fetched ones;
    drafts (no `publishedAt`) are not releases yet."""
    releases = answer.objects("releases.nodes")
    if releases is None:
        return None
    since = collected_at - RELEASE_YEAR
    published = (release.time("publishedAt") for release in releases)
    return sum(1 for moment in published if moment is not None and since <= moment <= collected_at)


def read(answer: AnswerReader, context: ReadContext) -> GitHubActivity:
    """The activity facts of one repository's answer."""
    return GitHubActivity(
        pull_requests=answer.count("pullRequests.totalCount"),
        merged_prs=answer.count("mergedPullRequests.totalCount"),
        release_count=answer.count("releases.totalCount"),
        latest_release_tag=answer.text("latestRelease.tagName"),
        latest_release_at=answer.time("latestRelease.publishedAt"),
        releases_last_year=_releases_last_year(answer, context.collected_at),
    )


GROUP = FieldGroup(
    name="activity",
    order=1,
    fact_set=ACTIVITY,
    fragment_name="Activity",
    fragment=FRAGMENT,
    connections=3,  # pullRequests, mergedPullRequests, releases
    read=read,
)
