"""The simulator's future: a seeded population advanced in time with a known relation."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from github_simulator.future import logistic_chance, present_signals
from github_simulator.population import Population


def test_same_arguments_same_future_and_the_rules_hold() -> None:
    now = Population.synthetic(300, seed=3)
    first, again = now.advance(months=24, seed=9), now.advance(months=24, seed=9)
    assert first.active == again.active
    assert first.later.to_document() == again.later.to_document()
    assert first.later.now - now.now >= dt.timedelta(days=730)
    year_before = first.later.now - dt.timedelta(days=366)
    for repo in now.repos:
        later = first.later.get(repo.full_name)
        if first.active[repo.key]:
            assert later is not None
            assert later.last_commit_at is not None
            assert later.last_commit_at > year_before
            assert not later.archived
            assert later.stars >= repo.stars
        elif later is None:
            assert repo.key in first.gone
        else:
            assert later.last_commit_at == repo.last_commit_at  # no commit since
    assert 0 < sum(first.active.values()) < 300
    assert first.gone


def test_the_chance_is_the_stated_logistic_relation() -> None:
    repo = Population.synthetic(1, seed=1).repos[0]
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    signals = present_signals(repo, when)
    assert all(0.0 <= v <= 1.0 for v in signals.values())
    chance = logistic_chance({"stars": 2.0}, intercept=-1.0)

    assert chance(repo, when) == pytest.approx(1 / (1 + math.exp(1.0 - 2.0 * signals["stars"])))


def test_an_inactive_repository_must_read_as_dead() -> None:
    with pytest.raises(ValueError, match="13 months"):
        Population.synthetic(5, seed=1).advance(months=12)
