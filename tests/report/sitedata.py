"""Snapshots for the report site's tests and benchmark: a real store (SQLite or PostgreSQL) filled
the way a collection fills it (catalog, fact records, outcomes), several snapshots of history, and
optionally one hostile tool whose every outside text tries to run script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factrecords import github_facts
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import Store

#: Each payload sets `window.__pwned` if it ever runs; the browser test checks it stays undefined.
EVIL_DESCRIPTION = (
    "<script>window.__pwned='script'</script></script><script>window.__pwned='after'</script>"
    '<img src=x onerror="window.__pwned=\'img\'"> \u2028 <!-- <a href="javascript:alert(1)">x</a>'
)
EVIL_NAME = "Evil <img src=x onerror=window.__pwned='name'></script>"
EVIL_CATEGORY = "Model Serving <script>window.__pwned='category'</script>"
EVIL_HOMEPAGE = "javascript:window.__pwned='link'"
EVIL_LICENSE = "<svg onload=window.__pwned='license'>"
EVIL_REPO = "evil-org/evil"
GHOST_REPO = "ghost-org/ghost"  # listed, never found: Unrated

CATEGORIES = (
    ("Feature Store", "Feature Store"),
    ("Model Serving", "Model Serving"),
    ("Workflow Tools", "Pipeline Orchestration"),
    ("Drift Detection", "Monitoring"),
    ("Hyperparameter Tuning", "Model Training"),
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def _tools(count: int, evil: bool) -> list[ToolEntry]:
    tools = []
    for i in range(count):
        category, stage = CATEGORIES[i % len(CATEGORIES)]
        repo = f"org{i:05d}/tool{i:05d}"
        tools.append(
            ToolEntry(
                name=f"Tool {i:05d}", categories=(category,), stages=(stage,),
                url=f"https://github.com/{repo}", kind=LinkKind.REPO, repo=repo,
            )
        )  # fmt: skip
    if evil:
        tools.append(
            ToolEntry(
                name=EVIL_NAME, categories=(EVIL_CATEGORY,), stages=("Model Serving",),
                url=f"https://github.com/{EVIL_REPO}", kind=LinkKind.REPO, repo=EVIL_REPO,
                description=EVIL_DESCRIPTION,
            )
        )  # fmt: skip
        tools.append(
            ToolEntry(
                name="Ghost", categories=("Feature Store",), stages=("Feature Store",),
                url=f"https://github.com/{GHOST_REPO}", kind=LinkKind.REPO, repo=GHOST_REPO,
            )
        )  # fmt: skip
    return tools


def _facts(i: int, snapshot: int, when: datetime) -> dict[str, object]:
    """Skewed, deterministic counts that grow from snapshot to snapshot."""
    stars = int(5 * (1.6 ** (i % 23))) + 3 * i % 97 + snapshot * (i % 7) * 11
    return {
        "description": f"Synthetic tool number {i}.",
        "homepage": f"https://tool{i}.example.org",
        "topics": ["mlops", f"topic-{i % 5}"],
        "stars": stars,
        "forks": stars // 8,
        "watchers": stars // 20 + 1,
        "open_issues": i % 13,
        "closed_issues": (i * 7) % 41,
        "total_commits": 50 + (i * 37) % 3000 + snapshot * 20,
        "last_commit_at": when - timedelta(days=(i * 17) % 900),
        "archived": i % 41 == 0,
        "license_spdx": ("Apache-2.0", "MIT", "BSD-3-Clause", "GPL-3.0", None)[i % 5],
        "license_name": ("Apache License 2.0", "MIT License", "BSD 3-Clause", "GPL v3", "Other")[
            i % 5
        ],
    }


def build(
    db_url: str, *, tools: int = 30, snapshots: int = 2, evil: bool = True, batch: int = 500
) -> None:
    """`snapshots` complete snapshots a month apart, each of `tools` tools (the last one lists a
    few more, so the report has new tools), plus the hostile one and an unrated one
    (never found) when `evil`."""
    with Store.open(db_url) as store:
        for s in range(snapshots):
            when = START + timedelta(days=30 * s)
            count = tools if s == snapshots - 1 else max(1, tools - 3)
            entries = _tools(count, evil and s == snapshots - 1)
            sid = store.begin_snapshot(Catalog(source="synthetic", tools=tuple(entries)),
                                       taken_at=when)  # fmt: skip
            sink = store.sink(sid)
            records, outcomes = [], []
            for i in range(count):
                repo = f"org{i:05d}/tool{i:05d}"
                records += github_facts(repo, collected_at=when, **_facts(i, s, when))
                outcomes.append(RepoOutcome(repo, Outcome.COLLECTED))
                if len(outcomes) >= batch:
                    sink.write(records, outcomes)
                    records, outcomes = [], []
            if evil and s == snapshots - 1:
                records += github_facts(
                    EVIL_REPO, collected_at=when, description=EVIL_DESCRIPTION,
                    homepage=EVIL_HOMEPAGE, topics=["<script>window.__pwned='topic'</script>"],
                    stars=500, forks=40, watchers=9, open_issues=3, closed_issues=9,
                    total_commits=400, last_commit_at=when - timedelta(days=3), archived=False,
                    license_spdx=None, license_name=EVIL_LICENSE,
                )  # fmt: skip
                outcomes.append(RepoOutcome(EVIL_REPO, Outcome.COLLECTED))
                outcomes.append(RepoOutcome(GHOST_REPO, Outcome.NOT_FOUND))
            sink.write(records, outcomes)
            store.finish_snapshot(sid, "complete")
