"""Baseline: the schema of mlops-radar 0.1 (its own migrator's version 2).

Creates snapshots, tools, repo_facts, repo_outcomes, renames and schema_migrations for a new
database. A database that mlops-radar 0.1 wrote already has them: its version 1 gets the unique
index on imported file hashes (duplicate imports removed first, as 0.1's step 2 did); version 2
is left as it is.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_LOG = logging.getLogger("mlops_radar.store")
_SNAPSHOT_CHILDREN = ("renames", "repo_outcomes", "repo_facts", "tools")


def _snapshot_id() -> sa.Column[int]:
    return sa.Column(
        "snapshot_id",
        sa.Integer,
        sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    )


def _create() -> None:
    op.create_table(
        "schema_migrations",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.Column("snapshot_date", sa.Date, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("catalog_source", sa.Text),
        sa.Column("catalog_sha256", sa.String(64)),
        sa.Column("source_format", sa.String(32)),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("tool_count", sa.Integer),
        sa.Column("repo_count", sa.Integer),
        sa.Column("error_count", sa.Integer),
        sa.CheckConstraint("origin IN ('collected', 'imported')", name="ck_snapshots_origin"),
        sa.CheckConstraint(
            "status IN ('running', 'partial', 'complete')", name="ck_snapshots_status"
        ),
    )
    op.create_index("ix_snapshots_sha256", "snapshots", ["catalog_sha256"])
    op.create_index("ix_snapshots_status_date", "snapshots", ["status", "snapshot_date"])
    op.create_table(
        "renames",
        _snapshot_id(),
        sa.Column("old_key", sa.Text, primary_key=True),
        sa.Column("new_key", sa.Text, nullable=False),
        sa.Column("new_name", sa.Text, nullable=False),
    )
    op.create_index("ix_renames_new_key", "renames", ["new_key"])
    op.create_index("ix_renames_old_key", "renames", ["old_key"])
    text, big, flag, when = sa.Text, sa.BigInteger, sa.Boolean, sa.DateTime
    facts = [
        ("repo", text), ("name_with_owner", text), ("url", text), ("description", text),
        ("homepage", text), ("default_branch", text), ("total_commits", big),
        ("last_commit_at", when), ("last_commit_stale", flag), ("stars", big), ("forks", big),
        ("watchers", big), ("license_spdx", text), ("license_name", text),
        ("license_key", text), ("license_manual", text), ("primary_language", text),
        ("archived", flag), ("fork", flag), ("created_at", when), ("pushed_at", when),
        ("updated_at", when), ("open_issues", big), ("closed_issues", big), ("open_prs", big),
        ("closed_prs", big), ("merged_prs", big), ("release_count", big),
        ("latest_release_tag", text), ("latest_release_at", when),
        ("releases_last_year", big),
    ]  # fmt: skip
    op.create_table(
        "repo_facts",
        _snapshot_id(),
        sa.Column("repo_key", sa.Text, primary_key=True),
        *(sa.Column(name, kind) for name, kind in facts),
        sa.Column("topics", sa.JSON),
        sa.Column("disk_usage_kb", sa.BigInteger),
        sa.Column("mentionable_users", sa.BigInteger),
        sa.Column("raw", sa.JSON),
    )
    op.create_index("ix_repo_facts_repo_key", "repo_facts", ["repo_key", "snapshot_id"])
    op.create_table(
        "repo_outcomes",
        _snapshot_id(),
        sa.Column("repo_key", sa.Text, primary_key=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("new_name", sa.Text),
        sa.Column("suggestions", sa.JSON),
    )
    op.create_index("ix_repo_outcomes_repo_key", "repo_outcomes", ["repo_key", "snapshot_id"])
    op.create_table(
        "tools",
        _snapshot_id(),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("identity", sa.Text, nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("stages", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("repo", sa.Text),
        sa.Column("repo_key", sa.Text),
        sa.Column("subpath", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("org", sa.Text),
        sa.Column("forge", sa.Text),
        sa.Column("forge_path", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("pypi", sa.JSON),
        sa.Column("source_line", sa.Integer),
        sa.Column("source_row", sa.Integer),
        sa.Column("source_category", sa.Text),
    )
    op.create_index("ix_tools_identity", "tools", ["identity"])
    op.create_index("ix_tools_name_key", "tools", ["name_key"])
    op.create_index("ix_tools_repo_key", "tools", ["repo_key", "snapshot_id"])
    _unique_imports_index()
    stamp = sa.table(
        "schema_migrations", sa.column("version"), sa.column("name"), sa.column("applied_at")
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        stamp,
        [
            {"version": 1, "name": "snapshots, tools, repo_facts, repo_outcomes, renames",
             "applied_at": now},
            {"version": 2, "name": "unique imported file hash (duplicate imports removed)",
             "applied_at": now},
        ],
    )  # fmt: skip


def _unique_imports_index() -> None:
    op.create_index(
        "ux_snapshots_imported_sha256",
        "snapshots",
        ["catalog_sha256"],
        unique=True,
        sqlite_where=sa.text("origin = 'imported'"),
        postgresql_where=sa.text("origin = 'imported'"),
    )


def _remove_duplicate_imports(conn: sa.Connection) -> None:
    """0.1's step 2: per file hash keep the oldest complete import (else the oldest)."""
    rows = conn.execute(
        sa.text(
            "SELECT id, catalog_sha256 FROM snapshots WHERE origin = 'imported' AND "
            "catalog_sha256 IS NOT NULL ORDER BY catalog_sha256, "
            "CASE WHEN status = 'complete' THEN 0 ELSE 1 END, id"
        )
    ).all()
    seen: set[str] = set()
    duplicates = []
    for snapshot_id, sha256 in rows:
        if sha256 in seen:
            duplicates.append(int(snapshot_id))
        seen.add(sha256)
    for snapshot_id in duplicates:
        for table in (*_SNAPSHOT_CHILDREN, "snapshots"):
            column = "id" if table == "snapshots" else "snapshot_id"
            conn.execute(sa.text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": snapshot_id})  # noqa: S608
    if duplicates:
        _LOG.warning("removed %d duplicate imported snapshot(s): %s", len(duplicates), duplicates)


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table("snapshots"):
        _create()
        return
    version = conn.execute(sa.text("SELECT max(version) FROM schema_migrations")).scalar()
    if (version or 0) < 2:  # written by 0.1 before its step 2
        _remove_duplicate_imports(conn)
        _unique_imports_index()
        conn.execute(
            sa.text(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                "(2, 'unique imported file hash (duplicate imports removed)', :now)"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None)},
        )


def downgrade() -> None:
    raise NotImplementedError("mlops-radar databases move forward only")
