"""A deterministic synthetic population with the skew real tool lists show.

Everything comes from one `random.Random(seed)`, so a seed always gives the same repositories.
Stars are lognormal (median about 100, the top of 1,000 repositories in the tens of thousands);
forks, watchers, issues and pull requests are correlated with stars, commits with stars and age.
About a fifth of repositories have had no commit for over six months, some of those are archived;
licenses include `NOASSERTION` (GitHub's "Other") and none; some organizations own several tools.
Files (README, license files, packaging manifests) and their known answers come from
`synthetic_files`, drawn from streams of their own; so do issue, pull-request and commit-author
histories (`histories`, drawn when first asked).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Sequence

from github_simulator.histories import history_stream
from github_simulator.population import DEFAULT_NOW, Population, SimRelease, SimRepo
from github_simulator.synthetic_files import repository_files

__all__ = ["DEFAULT_CATEGORIES", "generate"]

DEFAULT_CATEGORIES = (
    "Data Versioning",
    "Experiment Tracking",
    "Feature Stores",
    "Model Serving",
    "Workflow Orchestration",
    "Model Monitoring",
    "Data Labeling",
    "AutoML",
    "Model Registry",
    "Data Validation",
    "Hyperparameter Tuning",
    "Distributed Training",
)
_PREFIXES = (
    "Flow",
    "Model",
    "Data",
    "Feat",
    "Kube",
    "Deep",
    "Tensor",
    "Spark",
    "Ray",
    "Vec",
    "Lake",
    "Meta",
    "Auto",
    "Hyper",
    "Pipe",
    "Serve",
    "Track",
    "Label",
    "Drift",
    "Guard",
)
_MIDDLES = (
    "ar",
    "el",
    "on",
    "ix",
    "um",
    "ra",
    "zo",
    "ki",
    "lo",
    "ve",
)
_SUFFIXES = (
    "ly",
    "hub",
    "ops",
    "kit",
    "forge",
    "stack",
    "base",
    "flow",
    "lab",
    "scope",
    "board",
    "mesh",
    "pipe",
    "vault",
    "store",
    "line",
    "craft",
    "wise",
    "io",
    "ml",
)
_LICENSES = (
    ("MIT", 33),
    ("Apache-2.0", 35),
    ("BSD-3-Clause", 8),
    ("GPL-3.0", 4),
    ("AGPL-3.0", 2),
    ("MPL-2.0", 2),
    ("NOASSERTION", 7),
    (None, 9),
)
_LANGUAGES = (
    ("Python", 70),
    ("Go", 8),
    ("TypeScript", 5),
    ("Java", 3),
    ("Rust", 3),
    ("C++", 3),
    ("Scala", 2),
    ("Jupyter Notebook", 4),
    (None, 2),
)
_TOPICS = (
    "mlops",
    "machine-learning",
    "python",
    "deep-learning",
    "data-science",
    "kubernetes",
    "pytorch",
    "tensorflow",
    "ai",
    "llm",
    "devops",
    "data-engineering",
)
_ADJECTIVES = ("Open-source", "Lightweight", "Scalable", "Simple", "Production-grade", "Fast")
_AUDIENCES = ("machine learning teams", "data scientists", "ML engineers", "production ML systems")


def generate(
    n: int,
    seed: int,
    *,
    categories: Sequence[str] | None = None,
    now: dt.datetime = DEFAULT_NOW,
) -> Population:
    """`n` synthetic repositories for `seed`; same arguments, same population."""
    if n < 0:
        raise ValueError("a population cannot have a negative size")
    rng = random.Random(seed)
    categories = tuple(categories or DEFAULT_CATEGORIES)
    orgs: list[str] = []
    repos = []
    for tool in _tool_names(n, rng):
        owner = _owner(tool, orgs, rng)
        repos.append(_repo(tool, owner, rng.choice(categories), rng, now))
    return Population(
        repos=[_with_files(r, seed, i) for i, r in enumerate(repos)], orgs=orgs, now=now
    )


def _with_files(repo: SimRepo, seed: int, index: int) -> SimRepo:
    """The repository with its files and their known answers (drawn from a stream of their own,
    so every other field keeps the value the seed gave before files existed)."""
    made = repository_files(repo, seed, index)
    return dataclasses.replace(
        repo,
        files=made.files,
        license_truth=made.license_truth,
        pypi_name=made.pypi_name,
        history_stream=history_stream(seed, index),
    )


def _tool_names(n: int, rng: random.Random) -> list[str]:
    """`n` distinct tool names in a seeded order (two syllables, then three, then numbered)."""
    two = [p + s for p in _PREFIXES for s in _SUFFIXES]
    three = [p + m + s for p in _PREFIXES for m in _MIDDLES for s in _SUFFIXES]
    rng.shuffle(two)
    rng.shuffle(three)
    pool = two + three
    pool += [f"{pool[i % len(pool)]}{i // len(pool) + 2}" for i in range(max(0, n - len(pool)))]
    return pool[:n]


def _owner(tool: str, orgs: list[str], rng: random.Random) -> str:
    """An owner login: a third of tools join a recent organization, the rest get their own."""
    if orgs and rng.random() < 0.3:
        return rng.choice(orgs[-50:])
    if rng.random() < 0.6:
        orgs.append(f"{tool.lower()}-{rng.choice(('ai', 'labs', 'io', 'org'))}")
        return orgs[-1]
    return f"dev-{tool.lower()}{rng.randrange(10, 99)}"


def _weighted(choices: Sequence[tuple[str | None, int]], rng: random.Random) -> str | None:
    values = [value for value, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(values, weights)[0]


def _days(days: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(days * 86400))


def _repo(tool: str, owner: str, category: str, rng: random.Random, now: dt.datetime) -> SimRepo:
    stars = min(250_000, round(rng.lognormvariate(4.6, 1.9)))
    created = now - _days(rng.uniform(90, 3650))
    age_days = (now - created).days
    commits = max(1, round(rng.lognormvariate(4.5, 1.2) * (1 + math.log10(stars + 1))))
    last_commit = max(created, now - _days(_days_since_last_commit(rng)))
    stale = (now - last_commit).days > 180
    pushed = min(now, last_commit + _days(rng.uniform(0, 2)))
    merged = round(commits * rng.lognormvariate(-1.6, 0.6))
    open_issues = round(stars * rng.lognormvariate(-3.4, 0.9))
    contributors = max(1, round(commits**0.6 * rng.uniform(0.3, 1.0)))
    slug = tool.lower()
    return SimRepo(
        owner=owner,
        name=slug if rng.random() < 0.7 else f"{slug}-{rng.choice(('core', 'py', 'server'))}",
        category=category,
        tool_name=tool,
        description=_description(category, rng),
        homepage_url=f"https://{slug}.example.com" if rng.random() < 0.45 else None,
        stars=stars,
        forks=round(stars * rng.lognormvariate(-1.8, 0.6)),
        watchers=max(1, round(stars * rng.lognormvariate(-3.6, 0.5))),
        commits=commits,
        created_at=created,
        last_commit_at=last_commit,
        pushed_at=pushed,
        updated_at=max(pushed, now - _days(rng.uniform(0, 60))),
        license_spdx=_weighted(_LICENSES, rng),
        language=_weighted(_LANGUAGES, rng),
        archived=stale and rng.random() < 0.3,
        fork=rng.random() < 0.02,
        open_issues=open_issues,
        closed_issues=round(open_issues * rng.lognormvariate(1.2, 0.7)),
        open_prs=round(merged * rng.uniform(0, 0.05)),
        closed_prs=round(merged * rng.uniform(0.05, 0.3)),
        merged_prs=merged,
        releases=_releases(created, last_commit, stars, rng),
        topics=tuple(rng.sample(_TOPICS, rng.randrange(0, 7))),
        disk_usage=round(commits * rng.lognormvariate(3.0, 1.0)) + age_days,
        mentionable_users=contributors,
        assignable_users=max(1, contributors // 3),
    )


def _days_since_last_commit(rng: random.Random) -> float:
    """Mostly recent, a quarter within six months, a fifth stale (older than six months)."""
    bucket = rng.random()
    if bucket < 0.55:
        return rng.uniform(0, 30)
    if bucket < 0.80:
        return rng.uniform(30, 180)
    return rng.uniform(181, 1800)


def _releases(
    created: dt.datetime, last_commit: dt.datetime, stars: int, rng: random.Random
) -> tuple[SimRelease, ...]:
    """Zero or more releases between creation and the last commit, oldest first."""
    if rng.random() > (0.85 if stars > 500 else 0.55):
        return ()
    count = min(150, max(1, round(rng.lognormvariate(1.8, 1.0))))
    span = max(1.0, (last_commit - created).total_seconds())
    offsets = sorted(rng.uniform(0.05, 1.0) * span for _ in range(count))
    releases = []
    for i, offset in enumerate(offsets):
        at = created + dt.timedelta(seconds=round(offset))
        tag = f"v{i // 10}.{i % 10}.0"
        releases.append(
            SimRelease(tag_name=tag, name=tag, created_at=at, published_at=at + _days(0.01))
        )
    return tuple(releases)


def _description(category: str, rng: random.Random) -> str:
    return f"{rng.choice(_ADJECTIVES)} {category.lower()} for {rng.choice(_AUDIENCES)}."
