"""The `community` group: mentionable users (fact set `github.community`), slow to change.

One connection per repository (`mentionableUsers`, counted). Refreshed only when the stored value
is older than the refresh age (default 30 days); a snapshot in between uses the newest stored value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup, ReadContext

__all__ = ["COMMUNITY", "GROUP", "GitHubCommunity"]


@dataclass(frozen=True, slots=True)
class GitHubCommunity:
    """Who can be mentioned in a repository: its contributors and members."""

    mentionable_users: int | None = None


COMMUNITY = FactSet(
    "github.community", GitHubCommunity, source="github", refresh=timedelta(days=30)
)

FRAGMENT = """
fragment Community on Repository {
  mentionableUsers { totalCount }
}
"""


def read(answer: AnswerReader, context: ReadContext) -> GitHubCommunity:
    """The community facts of one repository's answer."""
    return GitHubCommunity(mentionable_users=answer.count("mentionableUsers.totalCount"))


GROUP = FieldGroup(
    name="community",
    order=2,
    fact_set=COMMUNITY,
    fragment_name="Community",
    fragment=FRAGMENT,
    connections=1,  # mentionableUsers
    read=read,
)
