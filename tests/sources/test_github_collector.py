"""The collector against the GitHub simulator (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import GitHubClient, QueryRejected
from mlops_radar.sources.github.documents import BatchShape, batch_document, batch_variables
from mlops_radar.sources.github.groups import DEFAULT_GROUPS
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig, CollectSummary, ProgressStatus

TOKEN = Token("sim-token", "TEST")
AUTH = {"Authorization": "bearer sim-token"}


def repo_entries(names: list[str]) -> list[ToolEntry]:
    return [
        ToolEntry(
            name=n, categories=("C",), url=f"https://github.com/{n}", kind=LinkKind.REPO, repo=n
        )
        for n in names
    ]


def collect(
    url: str, entries: list[ToolEntry], sink, progress=None, groups=DEFAULT_GROUPS, **config
) -> CollectSummary:
    settings = {"seed": 1, "backoff_base": 0.01, "backoff_cap": 0.05, **config}
    source = GitHubSource(GitHubClient(url, TOKEN), groups=groups)
    return Collector(source, sink, CollectConfig(**settings), progress).run(entries)


class Recorder:
    """A CollectProgress that keeps what it was told."""

    def __init__(self) -> None:
        self.batches: list[ProgressStatus] = []
        self.waits: list[tuple[float, str]] = []

    def batch_done(self, status: ProgressStatus) -> None:
        self.batches.append(status)

    def waiting(self, seconds: float, reason: str) -> None:
        self.waits.append((seconds, reason))


def exactly_once(sink, keys: list[str]) -> dict[str, Outcome]:
    """Each key has exactly one outcome; returns them (lower-case key -> outcome)."""
    seen = Counter(o.repo.lower() for o in sink.outcomes)
    twice = [k for k, n in seen.items() if n > 1]
    assert twice == [], f"recorded twice: {twice[:5]}"
    lost = sorted({k.lower() for k in keys} - set(seen))
    assert lost == [], f"lost: {lost[:5]}"
    facts = Counter((f.fact_set.name, f.repo.lower()) for f in sink.facts)
    assert [k for k, n in facts.items() if n > 1] == []
    return {o.repo.lower(): o.outcome for o in sink.outcomes}


# --- the documents ----------------------------------------------------------------------------


def test_the_simulator_rejects_an_invalid_query(simulator) -> None:
    sim = simulator(n=5)
    document = batch_document(BatchShape(("core",), repos=1))
    broken = document.replace("stargazerCount", "stargazersTotal")
    variables = batch_variables(["a/b"])
    response = httpx.post(
        sim.url, json={"query": broken, "variables": variables}, headers=AUTH, timeout=30
    )
    assert "stargazersTotal" in str(response.json().get("errors"))

    async def send() -> None:
        async with GitHubClient(sim.url, TOKEN) as client:
            await client.query(broken, variables)

    with pytest.raises(QueryRejected, match="stargazersTotal"):
        asyncio.run(send())


# --- collections --------------------------------------------------------------------------------


def test_a_thousand_repositories_cost_one_point_per_16(simulator, memory_sink) -> None:
    sim = simulator(n=1000, files=False)  # no trees: no license texts to fetch afterwards
    progress = Recorder()
    summary = collect(sim.url, repo_entries(sim.names), memory_sink, progress)
    # the default groups open 9 connections per repository: 16 repositories are 144 requests,
    # one point by GitHub's formula, where 50 would be 450 requests, 5 points
    assert summary.requests == sim.requests() == 63
    assert summary.points == sim.server.stats.points == 63
    assert summary.counts[Outcome.COLLECTED] == 1000
    assert not summary.partial
    outcomes = exactly_once(memory_sink, sim.names)
    assert set(outcomes.values()) == {Outcome.COLLECTED}
    assert progress.batches[-1].done == 1000
    assert progress.batches[-1].total == 1000
    assert progress.batches[-1].remaining == 5000 - summary.points
    stars = {repo: core.stars for repo, core in memory_sink.of("github.core").items()}
    assert stars == {r.full_name: r.stars for r in sim.population.repos}
    merged = {repo: a.merged_prs for repo, a in memory_sink.of("github.activity").items()}
    assert merged == {r.full_name: r.merged_prs for r in sim.population.repos}
    users = {r: c.mentionable_users for r, c in memory_sink.of("github.community").items()}
    assert users == {r.full_name: r.mentionable_users for r in sim.population.repos}


def test_core_alone_costs_one_point_per_37(simulator, memory_sink) -> None:
    sim = simulator(n=370)
    summary = collect(sim.url, repo_entries(sim.names), memory_sink, groups=("core",))
    assert summary.points == sim.server.stats.points == 10  # 4 connections: 37 x 4 = 148
    assert {f.fact_set.name for f in memory_sink.facts} == {"github.core"}


def test_with_faults_every_repository_ends_once_with_its_reason(simulator, memory_sink) -> None:
    sim = simulator(
        n=1000,
        missing=5,
        renamed=3,
        error_rate=0.10,
        secondary_on=frozenset({3}),
        malformed_on=frozenset({6}),
        reset_on=frozenset({9}),  # and one dropped connection
    )
    progress = Recorder()
    # batches of 20: about 50 requests, so that 10% of them failing is several failures. One
    # request at a time: the simulator draws its faults by request number, so with two in flight
    # their order (and, rarely, a repository out of attempts) would vary from run to run.
    summary = collect(
        sim.url, repo_entries(sim.names), memory_sink, progress, batch_size=20, concurrency=1
    )
    outcomes = exactly_once(memory_sink, sim.names)
    not_found = {k for k, o in outcomes.items() if o is Outcome.NOT_FOUND}
    assert not_found == {m.lower() for m in sim.missing}
    renames = {o.repo: o.new_name for o in memory_sink.outcomes if o.outcome is Outcome.RENAMED}
    assert renames == sim.renamed
    assert summary.counts[Outcome.FAILED] == 0
    assert summary.counts[Outcome.COLLECTED] == 1000 - 5 - 3
    assert all("NOT_FOUND" in r or "resolve" in r for _, r in summary.failed)
    faults = sim.server.stats.faults
    assert faults.get("502", 0) + faults.get("504", 0) >= 2
    assert faults.get("malformed") == 1
    assert sim.server.stats.secondary_limited == 1
    assert any("secondary" in reason for _, reason in progress.waits)
    assert not summary.partial


def test_monorepo_folders_organisations_and_websites(simulator, memory_sink) -> None:
    sim = simulator(n=40, files=False)  # one phase: each repository is one alias
    first, second = sim.names[3], sim.names[4]
    owner = next(o for o in (n.split("/")[0] for n in sim.names) if sim.population.is_org(o))
    entries = [
        *repo_entries([first, second]),
        ToolEntry(
            name="part",
            categories=("C",),
            url=f"https://github.com/{first}/tree/main/part",
            kind=LinkKind.SUBPATH,
            repo=first,
            subpath="part",
        ),
        ToolEntry(
            name="org",
            categories=("C",),
            url=f"https://github.com/{owner}",
            kind=LinkKind.ORG,
            org=owner,
        ),
        ToolEntry(name="site", categories=("C",), url="https://example.com", kind=LinkKind.WEBSITE),
    ]
    summary = collect(sim.url, entries, memory_sink)
    outcomes = exactly_once(memory_sink, [first, second, owner, "https://example.com"])
    assert outcomes[owner.lower()] is Outcome.UNRESOLVED
    assert outcomes["https://example.com"] is Outcome.SKIPPED
    assert sim.queries()[first.lower()] == 1  # the folder did not cost a second alias
    org = summary.unresolved[0]
    owned = sorted(sim.population.owned_by(owner), key=lambda r: -r.stars)
    assert org.suggestions == tuple(r.full_name for r in owned[:5])


def test_done_repositories_are_not_asked_again(simulator, memory_sink) -> None:
    sim = simulator(n=100, files=False)
    sink = memory_sink
    sink.done = {n.lower() for n in sim.names[:60]}
    summary = collect(sim.url, repo_entries(sim.names), sink)
    assert summary.already_done == 60
    assert set(sink.of("github.core")) == set(sim.names[60:])
    queried = sim.queries()
    assert [n for n in sim.names[:60] if n.lower() in queried] == []
    assert all(queried[n.lower()] == 1 for n in sim.names[60:])


def test_gateway_timeouts_shrink_the_batch_and_nothing_is_lost(simulator, memory_sink) -> None:
    sim = simulator(n=200, max_repositories=10, files=False)
    summary = collect(sim.url, repo_entries(sim.names), memory_sink)
    exactly_once(memory_sink, sim.names)
    assert summary.counts[Outcome.COLLECTED] == 200
    assert sim.server.stats.statuses.get(502, 0) <= 4  # 16 fails, then 8 sticks
    assert summary.requests <= 200 / 8 + 6


def test_an_exhausted_budget_waits_for_the_reset(simulator, memory_sink) -> None:
    sim = simulator(n=120, primary_limit=3, reset_seconds=2)  # 3 one-point batches a window
    progress = Recorder()
    summary = collect(sim.url, repo_entries(sim.names), memory_sink, progress)
    exactly_once(memory_sink, sim.names)
    assert not summary.partial
    assert any("primary" in reason for _, reason in progress.waits)
    assert sim.server.stats.rate_limited == 0  # it waited before GitHub had to refuse


def test_a_wait_longer_than_max_wait_stops_cleanly_and_partially(simulator, memory_sink) -> None:
    sim = simulator(n=300, primary_limit=6, reset_seconds=3600)
    summary = collect(sim.url, repo_entries(sim.names), memory_sink, max_wait=5)
    assert summary.partial
    assert "max-wait" in (summary.stop_reason or "")
    written = {o.repo.lower() for o in memory_sink.outcomes}
    assert 0 < len(written) < 300
    assert len(written) == summary.finished  # what the summary counts is what was stored
    assert summary.requests <= sim.requests()
