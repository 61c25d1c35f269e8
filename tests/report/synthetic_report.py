"""Synthetic model input for the report's tests: a facts table shaped like a real list (skewed
stars, gaps, stale, archived and unlicensed tools, a tenth in two categories, hostile names), ranked
by the model's own functions, and snapshot changes computed by the model's own `compare`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

from mlops_radar.model import qualify, score
from mlops_radar.model.changes import SnapshotChanges, compare
from mlops_radar.model.config import default_rings, default_weights, named_policy
from mlops_radar.model.ranking import rank
from mlops_radar.model.results import Ranking
from mlops_radar.store.records import Origin, SnapshotId, SnapshotInfo, SnapshotStatus

SNAPSHOT = date(2026, 11, 30)
PREVIOUS = date(2026, 11, 23)
LICENSES = ["Apache-2.0", "MIT", "BSD-3-Clause", "NOASSERTION", None, "SSPL-1.0"]

#: Names and descriptions an attacker would put in a list, each a tool of its own.
HOSTILE = [
    "<script>alert('name')</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "![pwned](https://evil.example/x.png)",
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(document.cookie)",
    "**bold** _it_ `code` ~~gone~~ | pipe | # heading",
    "&lt;script&gt;alert(2)&lt;/script&gt;",
    "https://evil.example/phish www.evil.example mail@evil.example",
    "[x]: https://evil.example/ref",
    "<details><summary>open</summary>",
    "line\nbreak\r\n- list item\n# heading\n<script>x</script>",
    "\u202eevil\u202c \x1b[31mred",
    ":smile: $x^2$ {{template}} \\[escaped\\]",
]


def _categories(n: int, rng: np.random.Generator) -> list[list[str]]:
    names = [f"Category {i:02d}" for i in range(30)] + ["<script>alert('cat')</script>"]
    first = rng.integers(0, len(names), n)
    second = np.where(rng.random(n) < 0.1, rng.integers(0, len(names), n), -1)
    return [
        [names[a]] if b < 0 or b == a else [names[a], names[b]]
        for a, b in zip(first, second, strict=True)
    ]


def facts(n: int = 5_000, seed: int = 11, snapshot: date = SNAPSHOT) -> pd.DataFrame:
    """A facts table of `n` tools, the first `len(HOSTILE)` with hostile names and licenses."""
    rng = np.random.default_rng(seed)
    stars = np.floor(rng.lognormal(6.0, 2.0, n))

    def gaps(values: np.ndarray, share: float) -> np.ndarray:
        values = values.astype("float64")
        values[rng.random(n) < share] = np.nan
        return values

    moment = pd.Timestamp(datetime.combine(snapshot, datetime.min.time(), tzinfo=UTC))
    last = moment - pd.to_timedelta(rng.exponential(200.0, n).astype(int), unit="D")
    released = moment - pd.to_timedelta(rng.exponential(300.0, n).astype(int), unit="D")
    prs = gaps(rng.poisson(70, n), 0.1)
    names = [HOSTILE[i] if i < len(HOSTILE) else f"tool-{i}" for i in range(n)]
    licenses = rng.choice(np.array(LICENSES, dtype=object), n, p=[0.5, 0.25, 0.1, 0.08, 0.05, 0.02])
    licenses[: len(HOSTILE)] = "<img src=x onerror=alert('license')>"
    return pd.DataFrame(
        {
            "tool": names,
            "repo": [f"owner{i % 997}/tool-{i}" for i in range(n)],
            "categories": _categories(n, rng),
            "stages": [[] for _ in range(n)],
            "origin": "collected",
            "stars": stars,
            "forks": gaps(np.floor(stars * rng.uniform(0.05, 0.3, n)), 0.02),
            "watchers": gaps(np.floor(stars * rng.uniform(0.01, 0.05, n)), 0.02),
            "total_commits": gaps(np.floor(rng.lognormal(6.0, 1.5, n)), 0.05),
            "last_commit_at": last.where(rng.random(n) > 0.05),
            "latest_release_at": released.where(rng.random(n) > 0.3),
            "releases_last_year": gaps(rng.poisson(3.0, n), 0.2),
            "mentionable_users": gaps(np.floor(rng.lognormal(3.0, 1.2, n)), 0.1),
            "open_issues": gaps(rng.poisson(40, n), 0.05),
            "closed_issues": gaps(rng.poisson(120, n), 0.05),
            "pull_requests": prs,
            "merged_prs": np.floor(prs * rng.uniform(0.3, 1.0, n)),
            "license_spdx": licenses,
            "license_name": licenses,
            "archived": rng.random(n) < 0.05,
        }
    )


def ranking_of(
    table: pd.DataFrame, snapshot: date = SNAPSHOT, grouping: str = "category"
) -> Ranking:
    """The model's ranking of `table`, every tool kept, as `app.assessment.ranking` makes it."""
    policy = named_policy("radar")
    scored = score(table, snapshot, policy, default_weights(), default_rings(), grouping=grouping)
    return rank(scored, qualify(table, snapshot, policy))


def info(snapshot_id: int, day: date) -> SnapshotInfo:
    return SnapshotInfo(
        id=SnapshotId(snapshot_id),
        taken_at=datetime.combine(day, datetime.min.time()),
        snapshot_date=day,
        origin=Origin("collected"),
        status=SnapshotStatus.COMPLETE,
        catalog_source=None,
        catalog_sha256=None,
        source_format=None,
        tool_count=None,
        repo_count=None,
        error_count=None,
    )


def changes_of(table: pd.DataFrame) -> SnapshotChanges:
    """Changes from an older snapshot of `table`: the last 40 tools are new, ten more had another
    repository name, and three tools of the old one are gone."""
    old = table.iloc[:-40].copy()
    old["name_with_owner"] = old["repo"]
    old.loc[old.index[100:110], "name_with_owner"] = [f"previous/name-{i}" for i in range(10)]
    gone = pd.DataFrame(
        {"tool": ["gone-1", "<b>gone</b>", "gone-3"], "repo": ["g/1", "g/2", "g/3"]}
    )
    old = pd.concat([old, gone], ignore_index=True)
    new = table.copy()
    new["name_with_owner"] = new["repo"]
    return compare(info(1, PREVIOUS), old, info(2, SNAPSHOT), new, named_policy("radar"))
