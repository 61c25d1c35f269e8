"""The `github.health` group end to end (issue 13): a hand-written repository history served by
the simulator over HTTP, collected with `--depth full` into a real SQLite file, and the metrics
computed from the stored record equal the values worked out by hand; a run killed mid-way
resumes the health group only; the simulator refuses what it does not model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from github_simulator import Population, SimRelease, SimRepo, Simulator, SimulatorConfig
from github_simulator.histories import (
    SimCommitAuthor,
    SimHistory,
    SimIssue,
    SimPullRequest,
    SimResponse,
    synthetic_history,
)
from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.model.health import health_metrics
from mlops_radar.sources.github.documents import BatchShape, batch_document, cheapest_size
from mlops_radar.sources.github.groups import DEPTHS, field_groups
from mlops_radar.sources.github.groups.health import HEALTH
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store
from mlops_radar.store.sink import SnapshotSink

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SNAPSHOT = dt.date(2026, 5, 31)  # ends at NOW
FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=50, concurrency=1)
DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)


def ago(days: float) -> dt.datetime:
    return NOW - days * DAY


def reply(start: dt.datetime, hours: float, who: str | None, **kind: bool) -> SimResponse:
    return SimResponse(who, start + hours * HOUR, **kind)


A, B, C = ago(10), ago(20), ago(30)
P1, P2, P3, P4 = ago(10), ago(40), ago(50), ago(200)
HISTORY = SimHistory(
    issues=(
        SimIssue("alice", A, A + 48 * HOUR, (reply(A, 1, "alice"),
                 reply(A, 2, "dependabot", bot=True), reply(A, 5, "bob"))),
        SimIssue("bob", B, B + 24 * HOUR, (reply(B, 3, "carol"),)),
        SimIssue("carol", C, C + 120 * HOUR),
        SimIssue("dave", ago(5)), SimIssue("dave", ago(15)), SimIssue("erin", ago(100)),
    ),
    pull_requests=(
        SimPullRequest("alice", P1, P1 + 24 * HOUR, P1 + 24 * HOUR,
                       (reply(P1, 2, "bob", review=True),)),
        SimPullRequest("bob", P2, P2 + 96 * HOUR, P2 + 96 * HOUR, (reply(P2, 1, "bob"),
                       reply(P2, 1, "github-actions", bot=True), reply(P2, 10, "alice"))),
        SimPullRequest("carol", P3, None, P3 + 120 * HOUR),
        SimPullRequest("dave", P4, P4 + 24 * HOUR, P4 + 24 * HOUR),
        SimPullRequest("erin", ago(3)),
    ),
    commit_authors=(
        *[SimCommitAuthor("alice@acme.com", "Alice", "alice", "Acme Inc.")] * 60,
        *[SimCommitAuthor("bob@gmail.com", "Bob", "bob")] * 25,
        *[SimCommitAuthor("x@initech.io", "X")] * 15,
    ),
)  # fmt: skip
HEALTHY = SimRepo(
    owner="acme", name="healthy", stars=500, commits=1000,
    created_at=NOW - 1001 * DAY, last_commit_at=NOW - DAY,  # one commit a day
    open_issues=3, closed_issues=3, open_prs=1, closed_prs=1, merged_prs=3,
    releases=tuple(SimRelease(f"v{i}", created_at=ago(d), published_at=ago(d))
                   for i, d in enumerate((400, 200, 30))),
    history=HISTORY,
)  # fmt: skip
QUIET = SimRepo(owner="acme", name="quiet", commits=5, history=SimHistory(
    commit_authors=(SimCommitAuthor("solo@gmail.com", "Solo", "solo"),) * 5))  # fmt: skip
NO_ISSUES = SimRepo(owner="acme", name="tracker-elsewhere", has_issues=False, commits=3,
                    history=SimHistory())  # fmt: skip


def _catalog(names: list[str]) -> Catalog:
    tools = tuple(
        ToolEntry(name=n, categories=("C",), url=f"https://github.com/{n}",
                  kind=LinkKind.REPO, repo=n)
        for n in names
    )  # fmt: skip
    return Catalog(source="test", tools=tools)


@pytest.fixture
def served() -> Iterator[Simulator]:
    population = Population(repos=[HEALTHY, QUIET, NO_ISSUES], orgs=["acme"], now=NOW)
    simulator = Simulator(SimulatorConfig(population=population)).start()
    yield simulator
    simulator.close()


def _collect(store: Store, url: str, names: list[str], **options: Any) -> Any:
    opened = open_collection(store, catalog=_catalog(names))
    return run_collection(store, opened, api_url=url, token=Token("t", "TEST"), config=FAST,
                          groups=DEPTHS["full"], now=lambda: NOW, **options)  # fmt: skip


def test_collected_history_gives_the_hand_computed_metrics(served, tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    names = ["acme/healthy", "acme/quiet", "acme/tracker-elsewhere"]
    result = _collect(store, served.url, names)
    assert result.status.value == "complete"
    records = store.sink(result.snapshot_id).values(HEALTH, names)
    healthy = health_metrics(records["acme/healthy"], SNAPSHOT)
    assert healthy.values() == {
        "time_to_first_response_median_h": 4.0,  # 2 (review), 3, 5, 10 h; own and bot skipped
        "time_to_close_median_h": 48.0,  # 24, 48, 120 h
        "open_issue_age_median_d": 15.0,  # 5, 15, 100 days
        "open_issue_age_p90_d": 100.0,
        "change_request_closure_ratio_90d": 0.75,  # 3 closed / 4 opened in 90 days
        "time_to_merge_median_h": 60.0,  # 24 and 96 h
        "releases_last_year": 2,
        "commits_90d": 90,  # one a day, the newest a day before NOW: days 1..90
        "commits_365d": 365,
        "contributor_absence_factor": 1,
        "elephant_factor": 1,  # acme 60 of 75 with a known organisation
        "organisational_diversity": 2,
        "largest_organisation_share": 0.8,
    }
    quiet = health_metrics(records["acme/quiet"], SNAPSHOT)
    assert quiet.time_to_first_response_median_h is None
    assert quiet.open_issue_age_median_d is None
    assert quiet.contributor_absence_factor == 1
    assert quiet.elephant_factor is None  # gmail names no employer
    assert quiet.releases_last_year == 0
    elsewhere = store.sink(result.snapshot_id).values(HEALTH, names)["acme/tracker-elsewhere"]
    assert (list(elsewhere.recent_closed_issues), elsewhere.open_issues_total) == ([], 0)
    # the e-mail address itself is not stored, only its domain and a digest
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT commit_authors, raw FROM facts_github_health")).all()
    assert all("alice@acme.com" not in str(row[0]) for row in stored)
    store.close()


def test_full_depth_costs_what_githubs_formula_says(served, tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    result = _collect(store, served.url, ["acme/healthy", "acme/quiet", "acme/tracker-elsewhere"])
    # the basic groups: 3 x 9 connections = 1 point; health: 3 x 208 = 624 requests = 6 points
    assert (result.summary.requests, result.summary.points) == (2, 7)
    assert cheapest_size(field_groups()["health"].connections, 50) == 6  # 1,248 = 12 points
    store.close()


class Killed(BaseException):
    """Stands for kill -9 at the moment a write would have been made (it never commits)."""


def test_killed_mid_way_resumes_the_health_group_only(
    simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = simulator(n=30, files=False)
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    real_write = SnapshotSink.write
    health_writes = []

    def write_until_second_health_batch(self: SnapshotSink, facts, outcomes) -> None:  # type: ignore[no-untyped-def]
        facts = list(facts)
        if any(f.fact_set is HEALTH for f in facts):
            health_writes.append(len(facts))
            if len(health_writes) == 2:
                raise Killed
        real_write(self, facts, outcomes)

    monkeypatch.setattr(SnapshotSink, "write", write_until_second_health_batch)
    opened = open_collection(store, catalog=_catalog(sim.names))
    with pytest.raises(Killed):
        run_collection(store, opened, api_url=sim.url, token=Token("t", "TEST"), config=FAST,
                       groups=DEPTHS["full"])  # fmt: skip
    monkeypatch.setattr(SnapshotSink, "write", real_write)

    def rows(table: str) -> dict[str, Any]:
        with store.engine.connect() as conn:
            found = conn.execute(sa.text(f"SELECT repo_key, collected_at FROM {table}")).all()
        return dict(found)

    core_before, health_before = rows("facts_github_core"), rows("facts_github_health")
    waiting = set(core_before) - set(health_before)
    assert len(core_before) == 30  # the light groups' one batch landed
    assert health_before  # the first health batch landed
    assert waiting  # the rest were caught between their light groups and their health
    asked_before = sim.queries()

    resumed = open_collection(store, resume=True, force=True)
    result = run_collection(store, resumed, api_url=sim.url, token=Token("t", "TEST"),
                            config=FAST, groups=DEPTHS["full"])  # fmt: skip
    assert result.status.value == "complete"
    keys = {n.lower() for n in sim.names}
    assert set(rows("facts_github_health")) == keys
    # nothing but health was asked again: the light groups' rows are those written before
    for table in ("facts_github_core", "facts_github_activity", "facts_github_topics"):
        assert rows(table) == {k: v for k, v in rows(table).items() if k in core_before}
        assert all(rows(table)[k] == core_before[k] for k in waiting if k in rows(table)), table
    assert {k: rows("facts_github_health")[k] for k in health_before} == health_before
    for key in set(health_before):  # finished repositories were not asked again
        assert sim.queries().get(key) == asked_before.get(key), key
    # 2 points a repository for health alone, by GitHub's formula
    assert result.summary.points == 2 * len(waiting)
    store.close()


def test_synthetic_histories_are_deterministic_and_keep_other_fields() -> None:
    first, again = Population.synthetic(20, seed=5), Population.synthetic(20, seed=5)
    assert [r.history_stream for r in first.repos] == [r.history_stream for r in again.repos]
    for repo, same in zip(first.repos, again.repos, strict=True):
        assert synthetic_history(repo, repo.history_stream, NOW) == synthetic_history(
            same, same.history_stream, NOW
        )
        history = synthetic_history(repo, repo.history_stream, NOW)
        closed = [i for i in history.issues if i.closed_at is not None]
        assert len(closed) == min(repo.closed_issues, 100)
        assert len(history.commit_authors) == min(repo.commits, 100)
        assert all(i.created_at <= NOW for i in history.issues)
    # the fields drawn before histories existed keep their values (seed 5's first repository)
    assert first.repos[0].history is None  # drawn when first asked, not stored


def _ask(simulator: Simulator, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = httpx.post(
        simulator.url,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": "bearer t"},
        timeout=30,
    )
    return response.json()


@pytest.mark.parametrize(
    ("selection", "unmodelled"),
    [
        ("pullRequests(first: 5) { nodes { timelineItems(first: 5) { totalCount } } }",
         "timelineItems"),
        ("pullRequests(first: 5) { nodes { timelineItems(first: 5, itemTypes: [LABELED_EVENT]) "
         "{ totalCount } } }", "timelineItems"),
        ("issues(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { createdAt } }",
         "issues"),
        ("issues(first: 5) { nodes { author { ... on User { company } } } }", "company"),
        ("issues(first: 5) { nodes { comments(first: 2, orderBy: {field: UPDATED_AT, "
         "direction: ASC}) { totalCount } } }", "comments"),
    ],
)  # fmt: skip
def test_strict_mode_refuses_what_histories_do_not_model(served, selection, unmodelled) -> None:
    answer = _ask(served, f'{{ repository(owner: "acme", name: "healthy") {{ {selection} }} }}')
    codes = {e.get("extensions", {}).get("code") for e in answer.get("errors", [])}
    assert "SIMULATOR_UNMODELLED" in codes, answer
    assert any(e.get("extensions", {}).get("fieldName") == unmodelled for e in answer["errors"])


def test_strict_mode_refuses_items_beyond_the_modelled_newest(simulator) -> None:
    sim = simulator(n=60, seed=3)
    busy = max(sim.population.repos, key=lambda r: r.closed_issues)
    assert busy.closed_issues > 100
    owner, name = busy.full_name.split("/")
    query = ('query($o: String!, $n: String!) { repository(owner: $o, name: $n) { '
             'issues(states: [CLOSED], first: 5) { nodes { createdAt } } } }')  # fmt: skip
    answer = _ask(sim.server, query, {"o": owner, "n": name})  # oldest first: not modelled
    assert any(e.get("extensions", {}).get("code") == "SIMULATOR_UNMODELLED"
               for e in answer["errors"])  # fmt: skip
    newest = query.replace("first: 5", "first: 5, orderBy: {field: CREATED_AT, direction: DESC}")
    answer = _ask(sim.server, newest, {"o": owner, "n": name})
    assert "errors" not in answer
    assert len(answer["data"]["repository"]["issues"]["nodes"]) == 5


def test_the_health_document_validates_against_githubs_schema(github_schema) -> None:
    import graphql

    for size in range(1, cheapest_size(field_groups()["health"].connections, 100) + 1):
        document = batch_document(BatchShape(("health",), repos=size))
        assert graphql.validate(github_schema, graphql.parse(document)) == [], size


def test_hand_counted_connections_and_nodes_are_githubs(github_schema) -> None:
    """docs/collect.md and docs/health.md count 208 connections and 2,600 nodes per repository;
    the simulator's implementation of GitHub's formulas must agree, and the node cap keeps a
    batch under the 500,000-node limit."""
    from github_simulator.analysis import analyse
    from github_simulator.cost import MAX_NODES, measure
    from mlops_radar.sources.github.documents import batch_variables, node_cap
    from mlops_radar.sources.github.groups.health import NODES, window_variables

    group = field_groups()["health"]
    assert (group.connections, group.nodes, NODES) == (208, 2600, 2600)
    for size in (1, 6, node_cap(("health",))):
        shape = BatchShape(("health",), repos=size)
        variables = {**batch_variables([f"o{i}/n{i}" for i in range(size)]),
                     **window_variables(NOW)}  # fmt: skip
        cost = measure(analyse(github_schema, batch_document(shape), None), variables)
        assert (cost.requests, cost.node_count) == (208 * size, 2600 * size), size
        assert cost.node_count <= MAX_NODES
        assert cost.errors == ()
    assert node_cap(("health",)) == 100  # 500,000 // 2,600 = 192, above the 100-alias cap
