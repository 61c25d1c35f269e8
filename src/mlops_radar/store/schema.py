"""The tables the store reads and writes (SQLAlchemy Core), as the newest migration leaves them.

These objects are for queries only: the database's schema is made by the Alembic revisions in
`store/migrations/versions/`, each with its own explicit DDL, never from this module. A test checks
that a migrated database and these declarations agree.

Tables: `snapshots`; `tools` (the catalog entries of each snapshot); `outcomes` (how each source's
work on each repository ended, per snapshot); `renames` (old -> new names seen in a snapshot); and
one table per fact set (`facts_github_core`, `facts_study`, ...: `fact_table(fact_set)`), each row a
repository's values in one snapshot with the moment they were collected. Times are naive UTC. No
column holds configuration or credentials.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from mlops_radar.sources.factsets import FactSet

__all__ = ["fact_table", "metadata", "outcomes", "renames", "snapshots", "tools"]

metadata = sa.MetaData()

JSON = sa.JSON(none_as_null=True)

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
    sa.Column("sources", JSON),  # names of the sources whose facts it holds
    sa.Column("collected", JSON),  # fact fields those sources collect for it
    sa.Column("warnings", JSON),  # [{"code", ...}]: what its collection found wrong
    sa.Column("claimed_by", sa.Text),  # the run writing it now (host:pid:start), or None
)


def _snapshot_fk() -> sa.ForeignKey:
    return sa.ForeignKey("snapshots.id", ondelete="CASCADE")


tools = sa.Table(
    "tools",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column("identity", sa.Text, nullable=False),
    sa.Column("categories", JSON, nullable=False),
    sa.Column("stages", JSON, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("repo", sa.Text),
    sa.Column("repo_key", sa.Text),
    sa.Column("subpath", sa.Text),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("org", sa.Text),
    sa.Column("forge", sa.Text),
    sa.Column("forge_path", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("pypi", JSON),
    sa.Column("source_line", sa.Integer),
    sa.Column("source_row", sa.Integer),
    sa.Column("source_category", sa.Text),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("source", sa.String(32), primary_key=True),
    sa.Column("repo_key", sa.Text, primary_key=True),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("new_name", sa.Text),
    sa.Column("suggestions", JSON),
    sa.Column("problems", JSON),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

renames = sa.Table(
    "renames",
    metadata,
    sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
    sa.Column("old_key", sa.Text, primary_key=True),
    sa.Column("new_key", sa.Text, nullable=False),
    sa.Column("new_name", sa.Text, nullable=False),
)

#: Columns of every fact-set table before its fields.
FACT_KEY_COLUMNS = ("snapshot_id", "repo_key", "collected_at")


def column_type(kind: type) -> sa.types.TypeEngine[Any]:
    """The SQL type of a fact field of Python type `kind` (one of FIELD_KINDS)."""
    if kind is bool:
        return sa.Boolean()
    if kind is int:
        return sa.BigInteger()
    if kind is float:
        return sa.Float()
    if kind is datetime:
        return sa.DateTime()
    if kind in (list, dict):
        return JSON
    return sa.Text()


@cache
def fact_table(fact_set: FactSet) -> sa.Table:
    """The table of one fact set: keys, collection time, one column per field, the raw answer."""
    return sa.Table(
        fact_set.table,
        metadata,
        sa.Column("snapshot_id", sa.Integer, _snapshot_fk(), primary_key=True),
        sa.Column("repo_key", sa.Text, primary_key=True),
        sa.Column("collected_at", sa.DateTime, nullable=False),
        *(sa.Column(f.name, column_type(f.kind)) for f in fact_set.fields),
        sa.Column("raw", JSON),
    )
