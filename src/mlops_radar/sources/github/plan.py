"""What a collection has to do for a catalog's entries: which repositories and organisations to ask
GitHub about (each once), and which entries have nothing to ask (websites, other forges).

Entries are keyed the way `FactSink.done_repos()` reports finished work: a repository by its
lower-case "owner/name" (a monorepo folder, `subpath`, is collected through its parent repository,
once), an organisation by its lower-case login, anything else by its `ToolEntry.identity`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.outcomes import Outcome, RepoOutcome

__all__ = ["CollectPlan", "plan_collection"]


@dataclass(frozen=True, slots=True)
class CollectPlan:
    """Work for one run: repositories and organisations by key, outcomes known without asking."""

    repos: dict[str, str] = field(
        default_factory=dict
    )  # key -> "owner/name" as the catalog spells it
    orgs: dict[str, str] = field(default_factory=dict)  # key -> login as the catalog spells it
    skipped: tuple[RepoOutcome, ...] = ()
    already_done: int = 0  # keys finished by an earlier run of the same snapshot

    @property
    def total(self) -> int:
        """Keys this run has to finish (asked or skipped)."""
        return len(self.repos) + len(self.orgs) + len(self.skipped)


def _skip_reason(entry: ToolEntry) -> str:
    if entry.kind is LinkKind.OTHER_FORGE:
        return f"not on GitHub ({entry.forge or 'another forge'})"
    if entry.kind is LinkKind.WEBSITE:
        return "no public repository (website)"
    return f"no repository in the link ({entry.kind.value})"


def plan_collection(entries: Iterable[ToolEntry], done: set[str]) -> CollectPlan:
    """The work for `entries`, leaving out keys in `done` (lower-case, `FactSink.done_repos()`)."""
    repos: dict[str, str] = {}
    orgs: dict[str, str] = {}
    skipped: dict[str, RepoOutcome] = {}
    seen_done: set[str] = set()
    for entry in entries:
        if entry.kind in (LinkKind.REPO, LinkKind.SUBPATH) and entry.repo and "/" in entry.repo:
            key, table, value = entry.repo.lower(), repos, entry.repo
        elif entry.kind is LinkKind.ORG and entry.org:
            key, table, value = entry.org.lower(), orgs, entry.org
        else:
            key = entry.identity
            if key not in done and key not in skipped:
                skipped[key] = RepoOutcome(key, Outcome.SKIPPED, reason=_skip_reason(entry))
            seen_done.update({key} & done)
            continue
        if key in done:
            seen_done.add(key)
        else:
            table.setdefault(key, value)
    return CollectPlan(repos, orgs, tuple(skipped.values()), already_done=len(seen_done))
