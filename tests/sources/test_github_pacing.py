"""Adaptive batch size, backoff and the plan of a collection."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.github.client import GitHubClient
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome, StoredOutcome, StoredState
from mlops_radar.sources.pacing import HOLD, SEND, Backoff, BatchSizer, PointBudget, RateBudget


def test_batch_size_halves_on_failures_and_grows_back_gradually() -> None:
    sizer = BatchSizer(50, grow_after=2)
    assert sizer.ladder == (50, 25, 12, 6, 3, 1)
    sizer.shrink(50)
    assert sizer.size == 25
    sizer.shrink(50)  # a second batch of the old size failing too does not halve again
    assert sizer.size == 25
    sizer.succeeded()
    assert sizer.size == 25
    for _ in range(6):  # 50 failed twice: 2 * 2**2 = 8 successes before trying it again
        sizer.succeeded()
        assert sizer.size == 25
    sizer.succeeded()
    assert sizer.size == 50
    for _ in range(10):
        sizer.shrink(sizer.size)
    assert sizer.size == 1


def test_a_size_that_keeps_failing_is_tried_ever_more_rarely() -> None:
    sizer = BatchSizer(50, grow_after=2)
    sizes = []
    for _ in range(60):
        sizes.append(sizer.size)
        if sizer.size > 20:  # GitHub refuses anything over 20 aliases
            sizer.shrink(sizer.size)
        else:
            sizer.succeeded()
    failures = sum(1 for s in sizes if s > 20)
    assert failures <= 6
    assert sizes[-10:].count(12) >= 9


def test_backoff_grows_is_capped_jittered_and_resets() -> None:
    backoff = Backoff(1.0, 8.0, random.Random(1))
    delays = [backoff.failed() for _ in range(6)]
    assert 0.5 <= delays[0] < 1.5
    assert 2.0 <= delays[2] < 6.0
    assert all(d < 12.0 for d in delays)
    backoff.succeeded()
    assert backoff.failed() < 1.5
    again = Backoff(1.0, 8.0, random.Random(1))
    assert [again.failed() for _ in range(6)] == delays


def entry(name: str, url: str, kind: LinkKind, **fields: str) -> ToolEntry:
    return ToolEntry(name=name, categories=("C",), url=url, kind=kind, **fields)


def test_plan_dedupes_repositories_and_routes_each_kind() -> None:
    entries = [
        entry("A", "https://github.com/Acme/A", LinkKind.REPO, repo="Acme/A"),
        entry("A again", "https://github.com/acme/a", LinkKind.REPO, repo="acme/a"),
        entry(
            "A part",
            "https://github.com/acme/a/tree/main/part",
            LinkKind.SUBPATH,
            repo="acme/a",
            subpath="part",
        ),
        entry("B", "https://github.com/b/b", LinkKind.REPO, repo="b/b"),
        entry("Org", "https://github.com/bigorg", LinkKind.ORG, org="BigOrg"),
        entry("Site", "https://example.com", LinkKind.WEBSITE),
        entry("Lab", "https://gitlab.com/x/y", LinkKind.OTHER_FORGE, forge="gitlab.com"),
    ]
    source = GitHubSource(GitHubClient("http://127.0.0.1:9/graphql", Token("t", "TEST")))
    done = StoredState(outcomes={"b/b": StoredOutcome(Outcome.COLLECTED, 1)})
    plan = source.plan(entries, done, datetime(2026, 1, 1, tzinfo=UTC))
    assert [(i.key, i.asked) for i in plan.items] == [("acme/a", "Acme/A"), ("bigorg", "BigOrg")]
    assert plan.items[0].parts == {"core", "activity", "community", "topics", "files"}
    assert plan.items[1].shape == ("org",)
    assert [o.outcome for o in plan.known] == [Outcome.SKIPPED, Outcome.SKIPPED]
    assert "gitlab.com" in (plan.known[1].reason or "")
    assert plan.already_done == 1
    assert plan.total == 4


def test_plan_skips_stored_fact_sets_and_fresh_slow_ones() -> None:
    source = GitHubSource(GitHubClient("http://127.0.0.1:9/graphql", Token("t", "TEST")))
    now = datetime(2026, 1, 31, tzinfo=UTC)
    entries = [entry(n, f"https://github.com/{n}", LinkKind.REPO, repo=n) for n in ("a/a", "b/b")]
    stored = StoredState(
        present={"a/a": frozenset({"github.core", "github.activity"})},
        newest={
            ("github.community", "a/a"): now - timedelta(days=3),  # fresh: carried
            ("github.topics", "a/a"): now - timedelta(days=30),  # 30 days old: asked again
            ("github.community", "b/b"): now - timedelta(days=31),
        },
    )
    plan = source.plan(entries, stored, now)
    assert {i.key: i.parts for i in plan.items} == {
        "a/a": {"topics", "files"},
        "b/b": {"core", "activity", "community", "topics", "files"},
    }


def test_point_budget_probes_first_then_reserves_and_waits_for_the_reset() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    budget = PointBudget()
    assert budget.verdict(5, now) == SEND
    first = budget.reserve(5)
    assert first == 5
    assert budget.verdict(5, now) == HOLD  # the budget is unknown until the probe answers
    budget.release(first)
    budget.update(RateBudget(remaining=8, reset_at=now + timedelta(seconds=30), cost=5), 5)
    assert budget.verdict(5, now) == SEND
    second = budget.reserve(5)
    assert budget.verdict(5, now) == HOLD  # 8 - 5 reserved = 3 left: wait for that answer
    budget.release(second)
    budget.update(RateBudget(remaining=3, reset_at=now + timedelta(seconds=30), cost=5), 5)
    wait = budget.verdict(5, now)
    assert isinstance(wait, float)
    assert 30 <= wait <= 32
    assert budget.verdict(2, now) == SEND  # a cheaper batch still fits the 3 points left
    assert budget.verdict(5, now + timedelta(seconds=40)) == SEND  # past the reset: probe again
    assert budget.reported.remaining is None


def test_estimates_follow_what_the_server_reports() -> None:
    budget = PointBudget()
    budget.update(RateBudget(remaining=100, cost=4), 2)  # costs twice the estimate
    assert budget.estimate(3) == 6
    budget.update(RateBudget(remaining=100, cost=10**9), 1)  # an absurd cost: the factor is capped
    assert budget.estimate(1) == 10


def test_budgets_outside_the_documented_limits_are_not_believed() -> None:
    checked = RateBudget.checked(limit=5000, remaining=10**12, used=-3, reset_at=None, cost=10**9)
    assert (checked.limit, checked.remaining, checked.used, checked.cost) == (
        5000,
        None,
        None,
        None,
    )
    assert (
        RateBudget.checked(limit=10, remaining=11, used=None, reset_at=None, cost=1).remaining
        is None
    )


def test_a_late_answer_never_raises_the_budget_within_a_window() -> None:
    reset = datetime(2026, 1, 1, 1, tzinfo=UTC)
    budget = PointBudget()
    budget.update(RateBudget(limit=5000, remaining=4900, reset_at=reset, cost=5), 5)
    budget.update(RateBudget(limit=5000, remaining=4905, reset_at=reset, cost=5), 5)  # older
    assert budget.reported.remaining == 4900
    later = reset + timedelta(hours=1)  # a new window: its budget is taken as reported
    budget.update(RateBudget(limit=5000, remaining=4995, reset_at=later, cost=5), 5)
    assert budget.reported.remaining == 4995
