"""The `topics` group: a repository's topics (fact set `github.topics`), slow to change.

One connection per repository (`repositoryTopics`, the first 20). Refreshed only when the stored
value is older than the refresh age (default 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup, ReadContext

__all__ = ["GROUP", "TOPICS", "GitHubTopics"]

TOPICS_WINDOW = 20


@dataclass(frozen=True, slots=True)
class GitHubTopics:
    """The topics a repository's owners gave it (at most TOPICS_WINDOW)."""

    topics: tuple[str, ...] | None = None


TOPICS = FactSet("github.topics", GitHubTopics, source="github", refresh=timedelta(days=30))

FRAGMENT = f"""
fragment Topics on Repository {{
  repositoryTopics(first: {TOPICS_WINDOW}) {{ nodes {{ topic {{ name }} }} }}
}}
"""


def read(answer: AnswerReader, context: ReadContext) -> GitHubTopics:
    """The topics of one repository's answer."""
    nodes = answer.objects("repositoryTopics.nodes")
    if nodes is None:
        return GitHubTopics()
    names = (node.text("topic.name") for node in nodes)
    return GitHubTopics(topics=tuple(name for name in names if name))


GROUP = FieldGroup(
    name="topics",
    order=3,
    fact_set=TOPICS,
    fragment_name="Topics",
    fragment=FRAGMENT,
    connections=1,  # repositoryTopics
    read=read,
)
