"""A table per fact set, outcomes per source, and what each snapshot collected.

- `facts_github_core`, `facts_github_activity`, `facts_github_community`, `facts_github_topics`,
  `facts_github_files` and `facts_study`: one row per repository per snapshot with the moment its
  values were collected (`collected_at`) and the raw answer they were read from;
- `outcomes`, keyed by (snapshot, source, repository), with the runs that tried (`attempts`) and
  the values that could not be used (`problems`);
- `snapshots.sources`, `snapshots.collected` (the fact fields its sources collect),
  `snapshots.warnings` (what its collection found wrong, e.g. most repositories not found) and
  `snapshots.claimed_by` (the run writing it);
- every row of `repo_facts` and `repo_outcomes` is copied (collected snapshots to GitHub's fact
  sets, imported ones to the study's; a fact's collection time is its snapshot's `taken_at`; the
  whole raw answer of a collected repository stays in `facts_github_core.raw`, so nothing is lost,
  open and closed pull requests included), then `repo_facts`, `repo_outcomes` and
  `schema_migrations` are dropped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TEXT, BIG, FLAG, WHEN, JSON = sa.Text, sa.BigInteger, sa.Boolean, sa.DateTime, sa.JSON

#: The fact sets of this revision: table -> [(column, type)], as they were declared on its day.
FACT_TABLES: dict[str, list[tuple[str, type]]] = {
    "facts_github_core": [
        ("name_with_owner", TEXT), ("url", TEXT), ("description", TEXT), ("homepage", TEXT),
        ("default_branch", TEXT), ("total_commits", BIG), ("last_commit_at", WHEN),
        ("stars", BIG), ("forks", BIG), ("watchers", BIG), ("license_spdx", TEXT),
        ("license_name", TEXT), ("license_key", TEXT), ("primary_language", TEXT),
        ("archived", FLAG), ("fork", FLAG), ("created_at", WHEN), ("pushed_at", WHEN),
        ("updated_at", WHEN), ("open_issues", BIG), ("closed_issues", BIG),
        ("has_issues", FLAG), ("disk_usage_kb", BIG),
    ],
    "facts_github_activity": [
        ("pull_requests", BIG), ("merged_prs", BIG), ("release_count", BIG),
        ("latest_release_tag", TEXT), ("latest_release_at", WHEN), ("releases_last_year", BIG),
    ],
    "facts_github_community": [("mentionable_users", BIG)],
    "facts_github_topics": [("topics", JSON)],
    "facts_github_files": [("root_entries", JSON), ("license_entries", JSON), ("files", JSON)],
    "facts_study": [
        ("default_branch", TEXT), ("total_commits", BIG), ("last_commit_stale", FLAG),
        ("stars", BIG), ("forks", BIG), ("watchers", BIG), ("license_name", TEXT),
        ("license_manual", TEXT), ("primary_language", TEXT), ("archived", FLAG),
        ("open_issues", BIG), ("closed_issues", BIG),
    ],
}  # fmt: skip

#: Fields each old snapshot collected: GitHub's (has_issues and files came later), the study's by
#: file layout.
_GITHUB_FIELDS = [
    name
    for table in (
        "facts_github_core",
        "facts_github_activity",
        "facts_github_community",
        "facts_github_topics",
    )
    for name, _ in FACT_TABLES[table]
    if name != "has_issues"
]
_STUDY_12 = [
    "default_branch", "total_commits", "last_commit_stale", "forks", "stars", "watchers",
    "license_name", "primary_language", "archived",
]  # fmt: skip
_COLLECTED = {
    "study-csv-12": _STUDY_12,
    "study-csv-16": [*_STUDY_12, "open_issues", "closed_issues"],
    "study-ods": ["stars", "forks", "total_commits", "last_commit_stale", "license_manual"],
}


def _snapshot_id() -> sa.Column[int]:
    return sa.Column(
        "snapshot_id",
        sa.Integer,
        sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    )


def _create_tables() -> None:
    op.add_column("snapshots", sa.Column("sources", JSON))
    op.add_column("snapshots", sa.Column("collected", JSON))
    op.add_column("snapshots", sa.Column("warnings", JSON))
    op.add_column("snapshots", sa.Column("claimed_by", TEXT))
    op.create_table(
        "outcomes",
        _snapshot_id(),
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("repo_key", TEXT, primary_key=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", TEXT),
        sa.Column("new_name", TEXT),
        sa.Column("suggestions", JSON),
        sa.Column("problems", JSON),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
    )
    op.create_index("ix_outcomes_repo_key", "outcomes", ["repo_key", "snapshot_id"])
    for table, columns in FACT_TABLES.items():
        op.create_table(
            table,
            _snapshot_id(),
            sa.Column("repo_key", TEXT, primary_key=True),
            sa.Column("collected_at", WHEN, nullable=False),
            *(sa.Column(name, kind) for name, kind in columns),
            sa.Column("raw", JSON),
        )
        op.create_index(f"ix_{table}_repo_key", table, ["repo_key", "snapshot_id"])


def _copy(table: str, columns: dict[str, str], origin: str, raw: str | None) -> None:
    """INSERT INTO `table` the `repo_facts` rows of snapshots of `origin`; `columns` maps each new
    column to the SQL expression that computes it from the old row `f`."""
    names = ["snapshot_id", "repo_key", "collected_at", *columns, "raw"]
    values = ["f.snapshot_id", "f.repo_key", "s.taken_at", *columns.values(), raw or "NULL"]
    op.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} "  # noqa: S608
        f"FROM repo_facts f JOIN snapshots s ON s.id = f.snapshot_id WHERE s.origin = '{origin}'"
    )


def _same(table: str, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {name: f"f.{name}" for name, _ in FACT_TABLES[table] if name not in skip}


def _copy_facts() -> None:
    core = _same("facts_github_core", skip=("has_issues",))
    _copy("facts_github_core", {**core, "has_issues": "NULL"}, "collected", "f.raw")
    prs = ("f.open_prs", "f.closed_prs", "f.merged_prs")
    total = (
        f"CASE WHEN {' IS NOT NULL AND '.join(prs)} IS NOT NULL "
        f"THEN {' + '.join(prs)} ELSE NULL END"
    )
    activity = _same("facts_github_activity", skip=("pull_requests",))
    _copy("facts_github_activity", {"pull_requests": total, **activity}, "collected", None)
    _copy("facts_github_community", _same("facts_github_community"), "collected", None)
    _copy("facts_github_topics", _same("facts_github_topics"), "collected", None)
    _copy("facts_study", _same("facts_study"), "imported", "f.raw")
    op.execute(
        "INSERT INTO outcomes (snapshot_id, source, repo_key, outcome, reason, new_name, "
        "suggestions, problems, attempts, recorded_at) "
        "SELECT o.snapshot_id, CASE WHEN s.origin = 'collected' THEN 'github' ELSE 'study' END, "
        "o.repo_key, o.outcome, o.reason, o.new_name, o.suggestions, NULL, 1, s.taken_at "
        "FROM repo_outcomes o JOIN snapshots s ON s.id = o.snapshot_id"
    )


def _describe_snapshots() -> None:
    snapshots = sa.table(
        "snapshots",
        sa.column("origin"),
        sa.column("source_format"),
        sa.column("sources", JSON),
        sa.column("collected", JSON),
    )
    op.execute(
        snapshots.update()
        .where(snapshots.c.origin == "collected")
        .values(sources=["github"], collected=_GITHUB_FIELDS)
    )
    for layout, fields in _COLLECTED.items():
        op.execute(
            snapshots.update()
            .where(snapshots.c.origin == "imported", snapshots.c.source_format == layout)
            .values(sources=["study"], collected=fields)
        )


def upgrade() -> None:
    _create_tables()
    _copy_facts()
    _describe_snapshots()
    for index, table in (
        ("ix_repo_facts_repo_key", "repo_facts"),
        ("ix_repo_outcomes_repo_key", "repo_outcomes"),
    ):
        op.drop_index(index, table_name=table)
        op.drop_table(table)
    op.drop_table("schema_migrations")


def downgrade() -> None:
    raise NotImplementedError("mlops-radar databases move forward only")
