"""The database schema (SQLAlchemy Core), as of the newest migration.

Tables: `snapshots`, `tools` (the catalog entries of each snapshot), `repo_facts` (one row per
repository per snapshot: a typed column per `FACT_FIELDS` name plus the raw JSON), `repo_outcomes`
(how each repository's collection ended, errors included) and `renames` (old -> new names seen in a
snapshot). An imported file's content hash (`catalog_sha256` of an `imported` snapshot) is unique.
Times are stored as naive UTC. No column holds configuration or credentials.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from mlops_radar.sources.facts import FACT_TYPES

__all__ = [
    "FACT_COLUMN_TYPES",
    "metadata",
    "renames",
    "repo_facts",
    "repo_outcomes",
    "schema_migrations",
    "snapshots",
    "tools",
]

metadata = sa.MetaData()

_JSON = sa.JSON(none_as_null=True)

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
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
    sa.CheckConstraint("status IN ('running', 'partial', 'complete')", name="ck_snapshots_status"),
    sa.Index("ix_snapshots_status_date", "status", "snapshot_date"),
    sa.Index("ix_snapshots_sha256", "catalog_sha256"),
    # migration step 2: a file's content is imported at most once, even by racing processes
    sa.Index(
        "ux_snapshots_imported_sha256",
        "catalog_sha256",
        unique=True,
        sqlite_where=sa.text("origin = 'imported'"),
        postgresql_where=sa.text("origin = 'imported'"),
    ),
)


def _snapshot_fk() -> sa.ForeignKey:
    return sa.ForeignKey("snapshots.id", ondelete="CASCADE")


tools = sa.Table(
    "tools",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column(
        "name_key", sa.Text, nullable=False
    ),  # lower-case name, for case-insensitive look-ups
    sa.Column("identity", sa.Text, nullable=False),
    sa.Column("categories", _JSON, nullable=False),
    sa.Column("stages", _JSON, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("repo", sa.Text),
    sa.Column("repo_key", sa.Text),
    sa.Column("subpath", sa.Text),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("org", sa.Text),
    sa.Column("forge", sa.Text),
    sa.Column("forge_path", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("pypi", _JSON),
    sa.Column("source_line", sa.Integer),  # line (or spreadsheet row) of the entry in its source
    sa.Column("source_row", sa.Integer),  # the study's `gspread_row`, where the source has one
    sa.Column("source_category", sa.Text),  # the category exactly as the source wrote it
    sa.Index("ix_tools_repo_key", "repo_key", "snapshot_id"),
    sa.Index("ix_tools_name_key", "name_key"),
    sa.Index("ix_tools_identity", "identity"),
)


def _fact_type(kind: type) -> sa.types.TypeEngine[Any]:
    if kind is bool:
        return sa.Boolean()
    if kind is int:
        return sa.BigInteger()
    if kind is datetime:
        return sa.DateTime()
    if kind is list:
        return _JSON
    return sa.Text()


#: SQL type of each fact column.
FACT_COLUMN_TYPES = {name: _fact_type(kind) for name, kind in FACT_TYPES.items()}

repo_facts = sa.Table(
    "repo_facts",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("repo_key", sa.Text, primary_key=True),
    *(sa.Column(name, kind) for name, kind in FACT_COLUMN_TYPES.items()),
    sa.Column("raw", _JSON),
    sa.Index("ix_repo_facts_repo_key", "repo_key", "snapshot_id"),
)

repo_outcomes = sa.Table(
    "repo_outcomes",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("repo_key", sa.Text, primary_key=True),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("new_name", sa.Text),
    sa.Column("suggestions", _JSON),
    sa.Index("ix_repo_outcomes_repo_key", "repo_key", "snapshot_id"),
)

renames = sa.Table(
    "renames",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("old_key", sa.Text, primary_key=True),
    sa.Column("new_key", sa.Text, nullable=False),
    sa.Column("new_name", sa.Text, nullable=False),
    sa.Index("ix_renames_old_key", "old_key"),
    sa.Index("ix_renames_new_key", "new_key"),
)
