"""Versioned schema migrations: a `schema_migrations` table and numbered steps.

Each step is applied once, in order, inside one transaction together with its row in
`schema_migrations`. Step 1 creates the tables of `schema.py`; later steps must change the schema
with explicit DDL (and `schema.py` must describe the result), never edit an older step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.store import schema

__all__ = ["MIGRATIONS", "migrate", "schema_version"]


def _create_tables(conn: sa.Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t.name != "schema_migrations"]
    schema.metadata.create_all(conn, tables=tables)


#: (version, name, step); append new steps at the end.
MIGRATIONS: tuple[tuple[int, str, Callable[[sa.Connection], None]], ...] = (
    (1, "snapshots, tools, repo_facts, repo_outcomes, renames", _create_tables),
)


def schema_version(conn: sa.Connection) -> int:
    """The highest applied step (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema.schema_migrations.c.version))).scalar()
    return int(found or 0)


def migrate(engine: sa.Engine) -> int:
    """Apply every missing step; returns the resulting version."""
    newest = MIGRATIONS[-1][0]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # one migrating process at a time
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(734021)"))
        schema.schema_migrations.create(conn, checkfirst=True)
        current = schema_version(conn)
        if current > newest:
            raise StoreError(
                f"the database's schema is version {current}, newer than this mlops-radar "
                f"knows ({newest}): upgrade mlops-radar"
            )
        for version, name, step in MIGRATIONS:
            if version > current:
                step(conn)
                conn.execute(
                    schema.schema_migrations.insert().values(
                        version=version, name=name, applied_at=_utcnow()
                    )
                )
    return newest


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
