"""The GitHub GraphQL source: field groups in batches, paying only for what changed.

`plan` turns a catalog's entries into work items, one per repository or organisation, each
naming the field groups it still needs in this snapshot: fact sets already stored are skipped, and
slow-changing ones (community, topics) are skipped while their newest stored value is younger
than its refresh age. Items needing the same groups share a batch, of the size that GitHub's cost
formula makes cheapest (`documents.cheapest_size`). The `files` group works in two phases (the
trees ride in the batch; the texts it needs ride later batches as blob aliases); see
`groups/files.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.errors import ConfigError
from mlops_radar.sources.factsets import FactRecord, FactSet, RepoKey, repo_key
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.client import GitHubClient, GraphQLAnswer
from mlops_radar.sources.github.documents import (
    BatchShape,
    batch_document,
    batch_variables,
    cheapest_size,
    group_variables,
    node_cap,
    points,
)
from mlops_radar.sources.github.groups import (
    DEFAULT_GROUPS,
    FieldGroup,
    ReadContext,
    field_groups,
)
from mlops_radar.sources.github.groups import files as files_group
from mlops_radar.sources.github.groups.core import CORE, GitHubCore
from mlops_radar.sources.outcomes import Outcome, RepoOutcome, StoredState
from mlops_radar.sources.protocol import Answered, BatchResult, Plan, WorkItem

__all__ = ["MAX_RUNS", "GitHubSource"]

#: Runs of one snapshot that may fail on a key before a resume gives it up (`given_up`).
MAX_RUNS = 3
#: Blob and tree aliases riding along one batch.
MAX_RIDERS = 12
FILES = "files"
BLOBS = "files.blobs"
HEALTH = "health"


@dataclass(frozen=True, slots=True)
class _FilesContext:
    """What the files group of one repository needs to know besides its trees."""

    pypi_known: bool
    license_unknown: bool | None = None  # None: decided from this batch's core answer
    prior: RepoOutcome | None = None  # the outcome to record when the files phase is all left
    # texts an earlier snapshot fetched, by (path, git object id): reused, not fetched again
    known: Mapping[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _BlobWork:
    """Phase 2 of the files group for one repository."""

    listing: files_group.Listing
    fetch: tuple[files_group.Entry, ...]
    too_big: tuple[files_group.Entry, ...]
    reused: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which aliases of an answer belong to which item."""

    answer: GraphQLAnswer
    aliases: tuple[tuple[WorkItem, tuple[str, ...]], ...]


@dataclass
class _Reading:
    facts: list[FactRecord] = field(default_factory=list)
    outcomes: list[RepoOutcome] = field(default_factory=list)
    retry: list[tuple[WorkItem, str]] = field(default_factory=list)
    follow_up: list[WorkItem] = field(default_factory=list)


def _skip_reason(entry: ToolEntry) -> str:
    if entry.kind is LinkKind.OTHER_FORGE:
        return f"not on GitHub ({entry.forge or 'another forge'})"
    if entry.kind is LinkKind.WEBSITE:
        return "no public repository (website)"
    return f"no repository in the link ({entry.kind.value})"


def _alias_errors(answer: GraphQLAnswer, alias: str) -> list[Mapping[str, Any]]:
    found = []
    for error in answer.errors:
        path = error.get("path")
        if isinstance(path, list) and path and path[0] == alias:
            found.append(error)
    return found


def _reason(errors: list[Mapping[str, Any]], default: str) -> str:
    for error in errors:
        message = error.get("message")
        if isinstance(message, str) and message:
            return message[:200]
    return default


def _types(errors: list[Mapping[str, Any]]) -> set[str]:
    return {str(e.get("type", "")).upper() for e in errors}


class GitHubSource:
    """Repositories and organisations of a catalog, from GitHub's GraphQL API."""

    name = "github"
    max_riders = MAX_RIDERS

    def __init__(
        self,
        client: GitHubClient,
        *,
        groups: Iterable[str] = DEFAULT_GROUPS,
        max_runs: int = MAX_RUNS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        known = field_groups()
        wanted = {"core", *groups}
        unknown = wanted - set(known)
        if unknown:
            raise ConfigError(
                f"unknown field group(s) {', '.join(sorted(unknown))}: use {', '.join(known)}"
            )
        self._client = client
        self.groups: tuple[FieldGroup, ...] = tuple(g for g in known.values() if g.name in wanted)
        self._max_runs = max_runs
        self._clock = clock  # where the health group's windows end

    # -- planning --------------------------------------------------------------------------------

    def fact_sets(self) -> tuple[FactSet, ...]:
        """The fact sets this run may write."""
        return tuple(g.fact_set for g in self.groups)

    def plan(self, entries: Sequence[ToolEntry], stored: StoredState, now: datetime) -> Plan:
        """One item per repository or organisation with the groups it still needs."""
        repos: dict[RepoKey, str] = {}
        orgs: dict[RepoKey, str] = {}
        pypi: set[RepoKey] = set()
        known: dict[str, RepoOutcome] = {}
        for entry in entries:
            if entry.kind in (LinkKind.REPO, LinkKind.SUBPATH) and entry.repo and "/" in entry.repo:
                key = repo_key(entry.repo)
                repos.setdefault(key, entry.repo)
                if entry.pypi:
                    pypi.add(key)
            elif entry.kind is LinkKind.ORG and entry.org:
                orgs.setdefault(repo_key(entry.org), entry.org)
            else:
                key = repo_key(entry.identity)
                known.setdefault(key, RepoOutcome(key, Outcome.SKIPPED, reason=_skip_reason(entry)))
        done = {k for k in (*repos, *orgs, *known) if stored.finished(RepoKey(k))}
        earlier: Mapping[RepoKey, Any] = {}
        if any(g.name == FILES for g in self.groups):
            earlier = stored.earlier(files_group.FILES, [k for k in repos if k not in done])
        items: list[WorkItem] = []
        for key, asked in repos.items():
            if key in done:
                continue
            if stored.attempts(key) >= self._max_runs:
                why = f"failed in {stored.attempts(key)} runs of this snapshot: given up"
                known[key] = RepoOutcome(asked, Outcome.GIVEN_UP, reason=why)
                continue
            texts = files_group.reusable(earlier.get(key))
            items += self._repo_items(key, asked, key in pypi, stored, now, texts)
        for key, login in orgs.items():
            if key not in done:
                items.append(WorkItem(key, login, frozenset({"org"}), ("org",)))
        return Plan(
            items=tuple(items),
            known=tuple(o for k, o in known.items() if k not in done),
            already_done=len(done),
        )

    def _due(self, group: FieldGroup, key: RepoKey, stored: StoredState, now: datetime) -> bool:
        if group.fact_set.name in stored.present.get(key, frozenset()):
            return False
        refresh = group.fact_set.refresh
        newest = stored.newest.get((group.fact_set.name, key))
        return refresh is None or newest is None or now - newest >= refresh

    def _repo_items(
        self,
        key: RepoKey,
        asked: str,
        pypi_known: bool,
        stored: StoredState,
        now: datetime,
        known: Mapping[tuple[str, str], dict[str, Any]],
    ) -> list[WorkItem]:
        """The key's items: one for its groups, and the heavy health group as one of its own
        (its batches are sized, halved and resumed apart from the light groups')."""
        parts = [g.name for g in self.groups if self._due(g, key, stored, now)]
        items = []
        if HEALTH in parts:
            parts.remove(HEALTH)
            items.append(WorkItem(key, asked, frozenset({HEALTH}), ("repo", (HEALTH,))))
            if not parts:
                return items
        return [self._repo_item(key, asked, pypi_known, stored, parts, known), *items]

    def _repo_item(
        self,
        key: RepoKey,
        asked: str,
        pypi_known: bool,
        stored: StoredState,
        parts: list[str],
        known: Mapping[tuple[str, str], dict[str, Any]],
    ) -> WorkItem:
        if not parts:  # every fact set is there but no outcome: ask the cheap group again
            parts = ["core"]
        if parts != [FILES]:
            context = _FilesContext(pypi_known, known=known) if FILES in parts else None
            shape = ("repo", tuple(parts))
            return WorkItem(key, asked, frozenset(parts), shape, payload=context)
        # only the files group is left: its trees ride another batch for free
        [core] = stored.lookup(CORE, [key]).values() or [GitHubCore()]
        name = core.name_with_owner
        if name and name.lower() != key:
            prior = RepoOutcome(asked, Outcome.RENAMED, new_name=name)
        else:
            prior = RepoOutcome(asked, Outcome.COLLECTED)
        unknown = files_group.license_unidentified(core.license_spdx, core.license_key)
        context = _FilesContext(pypi_known, license_unknown=unknown, prior=prior, known=known)
        return WorkItem(key, asked, frozenset({FILES}), (FILES,), rider=True, payload=context)

    def preferred_size(self, shape: Hashable, cap: int) -> int:
        """The cheapest size by GitHub's formula for this shape's connections per item."""
        if shape == ("org",):
            return cheapest_size(1, cap)
        assert isinstance(shape, tuple)
        groups = field_groups()
        cap = min(cap, node_cap(shape[1]))
        return cheapest_size(sum(groups[g].connections for g in shape[1]), cap)

    # -- one batch ---------------------------------------------------------------------------------

    @staticmethod
    def _shape(batch: Sequence[WorkItem]) -> BatchShape:
        main = [i for i in batch if not i.rider]
        groups: tuple[str, ...] = ()
        if main and main[0].shape != ("org",):
            groups = main[0].shape[1]  # type: ignore[index]
        return BatchShape(
            groups=groups,
            repos=len(main) if groups else 0,
            trees=sum(1 for i in batch if i.rider and i.parts == {FILES}),
            blobs=sum(len(i.payload.fetch) for i in batch if i.parts == {BLOBS}),
            orgs=len(main) if main and not groups else 0,
        )

    def estimate(self, batch: Sequence[WorkItem]) -> int:
        """Points by GitHub's formula."""
        return points(self._shape(batch).connections())

    async def fetch(self, batch: Sequence[WorkItem]) -> Answered:
        """Send one batch as one document."""
        repos: list[str] = []
        trees: list[str] = []
        blobs: list[tuple[str, str]] = []
        orgs: list[str] = []
        layout: list[tuple[WorkItem, tuple[str, ...]]] = []
        for item in batch:
            if item.parts == {BLOBS}:
                first = len(blobs)
                blobs += [(item.asked, entry.path) for entry in item.payload.fetch]
                layout.append((item, tuple(f"b{j}" for j in range(first, len(blobs)))))
            elif item.rider:
                layout.append((item, (f"t{len(trees)}",)))
                trees.append(item.asked)
            elif item.shape == ("org",):
                layout.append((item, (f"g{len(orgs)}",)))
                orgs.append(item.asked)
            else:
                layout.append((item, (f"r{len(repos)}",)))
                repos.append(item.asked)
        shape = self._shape(batch)
        variables = batch_variables(repos, trees, blobs, orgs)
        variables.update(group_variables(shape, self._clock()))
        answer = await self._client.query(batch_document(shape), variables)
        return Answered(_Layout(answer, tuple(layout)), answer.budget)

    def parse(
        self, batch: Sequence[WorkItem], answered: Answered, collected_at: datetime
    ) -> BatchResult:
        """Facts, outcomes, retries and follow-ups of one answer."""
        layout: _Layout = answered.data
        reading = _Reading()
        context = ReadContext(collected_at)
        for item, aliases in layout.aliases:
            if item.parts == {BLOBS}:
                self._read_blobs(item, aliases, layout.answer, reading, collected_at)
            elif item.shape == ("org",):
                node = layout.answer.data.get(aliases[0])
                errors = _alias_errors(layout.answer, aliases[0])
                reading.outcomes.append(_org_outcome(item, node, errors))
            else:
                self._read_repo(item, aliases[0], layout.answer, reading, context)
        return BatchResult(
            facts=tuple(reading.facts),
            outcomes=tuple(reading.outcomes),
            retry=tuple(reading.retry),
            follow_up=tuple(reading.follow_up),
        )

    def _read_repo(
        self,
        item: WorkItem,
        alias: str,
        answer: GraphQLAnswer,
        reading: _Reading,
        context: ReadContext,
    ) -> None:
        node = answer.data.get(alias)
        errors = _alias_errors(answer, alias)
        if not isinstance(node, Mapping):
            types = _types(errors)
            if node is None and "NOT_FOUND" in types:
                reason = _reason(errors, "not found")
                reading.outcomes.append(RepoOutcome(item.asked, Outcome.NOT_FOUND, reason=reason))
            elif node is None and "FORBIDDEN" in types:
                reason = _reason(errors, "forbidden")
                reading.outcomes.append(RepoOutcome(item.asked, Outcome.FORBIDDEN, reason=reason))
            elif node is None:
                reading.retry.append((item, _reason(errors, "no answer for this repository")))
            else:
                reading.retry.append((item, f"unreadable answer: {type(node).__name__}"))
            return
        problems: list[str] = []
        reader = AnswerReader(node, problems)
        name = reader.text("nameWithOwner")
        if not name or "/" not in name:
            reading.retry.append((item, "unreadable answer: nameWithOwner missing"))
            return
        core: GitHubCore | None = None
        for group in self.groups:
            if group.name not in item.parts or group.read is None:
                continue
            values = group.read(reader, context)
            if isinstance(values, GitHubCore):
                core = values
            raw = {key: node.get(key) for key in group.keys if key in node}
            reading.facts.append(
                FactRecord(group.fact_set, item.asked, context.collected_at, values, raw)
            )
        if FILES in item.parts:
            self._read_trees(item, reader, core, reading, context.collected_at)
        if item.rider:
            prior = item.payload.prior
            reading.outcomes.append(
                RepoOutcome(
                    prior.repo, prior.outcome, new_name=prior.new_name, problems=tuple(problems)
                )
            )
        elif name.lower() != item.key:
            reading.outcomes.append(
                RepoOutcome(item.asked, Outcome.RENAMED, new_name=name, problems=tuple(problems))
            )
        else:
            reading.outcomes.append(
                RepoOutcome(item.asked, Outcome.COLLECTED, problems=tuple(problems))
            )

    def _read_trees(
        self,
        item: WorkItem,
        reader: AnswerReader,
        core: GitHubCore | None,
        reading: _Reading,
        collected_at: datetime,
    ) -> None:
        context: _FilesContext = item.payload
        unknown = context.license_unknown
        if unknown is None:
            unknown = core is None or files_group.license_unidentified(
                core.license_spdx, core.license_key
            )
        found = files_group.listing(reader)
        needs = files_group.Needs(license_texts=unknown, manifests=not context.pypi_known)
        wanted, too_big = files_group.wanted(found, needs)
        reused = tuple(
            context.known[(e.path, e.oid)]
            for e in wanted
            if e.oid and (e.path, e.oid) in context.known
        )
        fetch = tuple(e for e in wanted if not (e.oid and (e.path, e.oid) in context.known))
        raw = {key: reader.node.get(key) for key in files_group.GROUP.keys}
        if not fetch:
            values = files_group.record(found, list(reused), too_big)
            reading.facts.append(
                FactRecord(files_group.FILES, item.asked, collected_at, values, raw)
            )
            return
        work = _BlobWork(found, fetch, too_big, reused)
        reading.follow_up.append(
            WorkItem(item.key, item.asked, frozenset({BLOBS}), (BLOBS,), rider=True, payload=work)
        )

    def _read_blobs(
        self,
        item: WorkItem,
        aliases: tuple[str, ...],
        answer: GraphQLAnswer,
        reading: _Reading,
        collected_at: datetime,
    ) -> None:
        work: _BlobWork = item.payload
        fetched = []
        for entry, alias in zip(work.fetch, aliases, strict=True):
            node = answer.data.get(alias)
            if not isinstance(node, Mapping):
                errors = _alias_errors(answer, alias)
                reading.retry.append((item, _reason(errors, f"no answer for file {entry.path}")))
                return
            fetched.append(files_group.read_blob(entry, AnswerReader(node)))
        values = files_group.record(work.listing, [*work.reused, *fetched], work.too_big)
        reading.facts.append(FactRecord(files_group.FILES, item.asked, collected_at, values))

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()


def _org_outcome(item: WorkItem, node: object, errors: list[Mapping[str, Any]]) -> RepoOutcome:
    """An organisation link: unresolved, with its most-starred repositories as suggestions."""
    if node is None:
        reason = _reason(errors, "no answer")
        return RepoOutcome(
            item.asked, Outcome.UNRESOLVED, reason=f"organisation not found: {reason}"
        )
    if not isinstance(node, Mapping):
        return RepoOutcome(item.asked, Outcome.UNRESOLVED, reason="unreadable answer")
    reader = AnswerReader(node)
    repos = reader.objects("repositories.nodes") or []
    names = tuple(n for n in (r.text("nameWithOwner") for r in repos) if n)
    return RepoOutcome(
        item.asked,
        Outcome.UNRESOLVED,
        reason="an organisation, not one repository",
        suggestions=names,
    )
