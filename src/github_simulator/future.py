"""A population's future: the same repositories some months later, each kept active or not by a
chance drawn from a relation to its present facts that the caller knows.

`advance(population, months=24, seed=1, chance=logistic_chance())` returns a `Future`: the later
`Population` (dated `now + months`) and, per repository key, the chance it was given and whether it
stayed active. An active repository gets commits up to the new date (its last commit within the
last 90 days) and more stars; an inactive one keeps its last commit (older than `months`), and a
share of them are archived or deleted (gone from the later population: GitHub answers NOT_FOUND).
Same arguments, same future.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from github_simulator.population import Population, SimRepo

__all__ = ["DEFAULT_COEFFICIENTS", "Future", "advance", "logistic_chance", "present_signals"]

Chance = Callable[[SimRepo, dt.datetime], float]


def present_signals(repo: SimRepo, now: dt.datetime) -> dict[str, float]:
    """A repository's present facts normalised to 0..1: counts on log scales against fixed
    thresholds (as OpenSSF's criticality_score does), recency of the last commit (1 today, 0 a
    year or more ago, log scale), shares of issues closed and pull requests merged, not archived."""

    def log_scale(value: float, threshold: float) -> float:
        return min(1.0, math.log1p(max(0.0, value)) / math.log1p(threshold))

    def share(part: int, whole: int) -> float:
        return part / whole if whole > 0 else 0.0

    days = (now - repo.last_commit_at).days if repo.last_commit_at is not None else 3650
    issues = repo.open_issues + repo.closed_issues
    prs = repo.open_prs + repo.closed_prs + repo.merged_prs
    return {
        "stars": log_scale(repo.stars, 20_000),
        "forks": log_scale(repo.forks, 5_000),
        "watchers": log_scale(repo.watchers, 1_000),
        "commits": log_scale(repo.commits, 10_000),
        "recency": 1.0 - log_scale(max(0, days), 365),
        "contributors": log_scale(repo.mentionable_users, 1_000),
        "issue_closure": share(repo.closed_issues, issues),
        "pr_merge": share(repo.merged_prs, prs),
        "not_archived": 0.0 if repo.archived else 1.0,
    }


#: The default relation's coefficients over `present_signals`.
DEFAULT_COEFFICIENTS = {
    "stars": 1.6, "forks": 1.6, "watchers": 0.8, "commits": 1.1, "recency": 1.6,
    "contributors": 2.1, "issue_closure": 1.4, "pr_merge": 1.1, "not_archived": 1.2,
}  # fmt: skip


def logistic_chance(
    coefficients: Mapping[str, float] | None = None,
    intercept: float | None = None,
    strength: float = 1.0,
) -> Chance:
    """P(active later) = 1 / (1 + exp(-strength * (intercept + sum coefficient * signal))) over
    `present_signals` (default coefficients `DEFAULT_COEFFICIENTS`; default intercept: minus
    half their sum, so a repository halfway on every signal has an even chance)."""
    weights = dict(coefficients or DEFAULT_COEFFICIENTS)
    base = -sum(weights.values()) / 2.0 if intercept is None else intercept

    def chance(repo: SimRepo, now: dt.datetime) -> float:
        signals = present_signals(repo, now)
        z = strength * (base + sum(w * signals[name] for name, w in weights.items()))
        return 1.0 / (1.0 + math.exp(-z))

    return chance


@dataclass(frozen=True)
class Future:
    """The later population and the truth of how it came about."""

    later: Population
    chance: Mapping[str, float]  # repository key -> the chance it was given
    active: Mapping[str, bool]  # repository key -> whether it stayed active
    gone: frozenset[str]  # keys deleted from the later population


def advance(
    population: Population,
    *,
    months: int = 24,
    seed: int = 1,
    chance: Chance | None = None,
    archive_share: float = 0.3,
    delete_share: float = 0.1,
) -> Future:
    """The population `months` later (see the module)."""
    if months < 13:
        raise ValueError("advance by 13 months or more: an inactive repository must read as dead")
    rule = chance or logistic_chance()
    rng = random.Random(seed)
    later_now = population.now + dt.timedelta(days=round(months * 30.44))
    repos, chances, active, gone = [], {}, {}, set()
    for repo in population.repos:
        p = rule(repo, population.now)
        alive = rng.random() < p
        chances[repo.key], active[repo.key] = p, alive
        if alive:
            last = later_now - dt.timedelta(days=rng.uniform(0, 90))
            grown = dataclasses.replace(
                repo,
                archived=False,
                stars=round(repo.stars * rng.uniform(1.0, 2.5)),
                commits=repo.commits + max(1, round(repo.commits * rng.uniform(0.05, 0.5))),
                last_commit_at=last,
                pushed_at=last,
                updated_at=last,
            )
            repos.append(grown)
            continue
        fate = rng.random()
        if fate < delete_share:
            gone.add(repo.key)
            continue
        repos.append(dataclasses.replace(repo, archived=repo.archived or fate < archive_share))
    later = Population(repos=repos, orgs=population.orgs, now=later_now)
    return Future(later, chances, active, frozenset(gone))
