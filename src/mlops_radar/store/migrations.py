"""Versioned schema migrations: a `schema_migrations` table and numbered steps.

Each step is applied once, in order, inside one transaction together with its row in
`schema_migrations`. Step 1 creates the tables of `schema.py` as they were at version 1: without the
indexes later steps add (`_ADDED_LATER`), so a fresh database walks through every step like an old
one does. Later steps change the schema with explicit DDL (and `schema.py` must describe the
result); an older step is never edited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.store import schema
from mlops_radar.store.database import IMMEDIATE

__all__ = ["MIGRATIONS", "migrate", "schema_version"]

_LOG = logging.getLogger(__name__)

#: Indexes of `schema.py` that a later step creates (step 1 must leave them out).
_ADDED_LATER = frozenset({"ux_snapshots_imported_sha256"})

#: Tables whose rows belong to one snapshot (`snapshot_id`), children first.
_SNAPSHOT_CHILDREN = (schema.renames, schema.repo_outcomes, schema.repo_facts, schema.tools)


def _create_tables(conn: sa.Connection) -> None:
    """Step 1: the tables, their constraints and the version-1 indexes."""
    inspector = sa.inspect(conn)
    for table in schema.metadata.sorted_tables:
        if table.name == "schema_migrations" or inspector.has_table(table.name):
            continue
        conn.execute(sa.schema.CreateTable(table))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if index.name not in _ADDED_LATER:
                index.create(conn)


def duplicate_imports(conn: sa.Connection) -> list[int]:
    """Ids of imported snapshots whose file (content hash) an older imported snapshot already holds.

    Per hash the kept snapshot is the oldest complete one (the oldest of any status when none is
    complete); every other one is a duplicate.
    """
    s = schema.snapshots
    rows = conn.execute(
        sa.select(s.c.id, s.c.catalog_sha256)
        .where(s.c.origin == "imported", s.c.catalog_sha256.is_not(None))
        .order_by(s.c.catalog_sha256, sa.case((s.c.status == "complete", 0), else_=1), s.c.id)
    ).all()
    seen: set[str] = set()
    duplicates = []
    for snapshot_id, sha256 in rows:
        if sha256 in seen:
            duplicates.append(int(snapshot_id))
        seen.add(sha256)
    return sorted(duplicates)


def _unique_imports(conn: sa.Connection) -> None:
    """Step 2: remove duplicate imports completely, then make the file hash of imports unique."""
    duplicates = duplicate_imports(conn)
    for start in range(0, len(duplicates), 500):
        ids = duplicates[start : start + 500]
        for table in _SNAPSHOT_CHILDREN:  # explicit: not relying on ON DELETE CASCADE being on
            conn.execute(table.delete().where(table.c.snapshot_id.in_(ids)))
        conn.execute(schema.snapshots.delete().where(schema.snapshots.c.id.in_(ids)))
    if duplicates:
        _LOG.warning(
            "schema step 2 removed %d duplicate imported snapshot(s) (the same file imported "
            "again): ids %s",
            len(duplicates),
            ", ".join(map(str, duplicates)),
        )
    [index] = [i for i in schema.snapshots.indexes if i.name == "ux_snapshots_imported_sha256"]
    index.create(conn)


#: (version, name, step); append new steps at the end.
MIGRATIONS: tuple[tuple[int, str, Callable[[sa.Connection], None]], ...] = (
    (1, "snapshots, tools, repo_facts, repo_outcomes, renames", _create_tables),
    (2, "unique imported file hash (duplicate imports removed)", _unique_imports),
)


def schema_version(conn: sa.Connection) -> int:
    """The highest applied step (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    found = conn.execute(sa.select(sa.func.max(schema.schema_migrations.c.version))).scalar()
    return int(found or 0)


def migrate(engine: sa.Engine, target: int | None = None) -> int:
    """Apply every missing step up to `target` (default: the newest); returns the version reached.

    An up-to-date database is only read (SQLite readers keep not waiting for a writer); otherwise
    the steps run under a lock (SQLite's write lock from `BEGIN IMMEDIATE`, a PostgreSQL advisory
    lock), so two processes never migrate at once. `target` builds a database as an older
    mlops-radar left it (tests of upgrades).
    """
    newest = MIGRATIONS[-1][0]
    goal = newest if target is None else target
    with engine.connect() as conn:
        current = schema_version(conn)
        conn.rollback()
    if current < goal:
        with engine.connect() as conn, conn.execution_options(**{IMMEDIATE: True}).begin():
            current = _apply(conn, goal)
    _check_known(current)
    return max(current, min(goal, newest))


def _apply(conn: sa.Connection, goal: int) -> int:
    """Apply the steps after the database's version up to `goal`; returns the version found."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(734021)"))
    schema.schema_migrations.create(conn, checkfirst=True)
    current = schema_version(conn)
    _check_known(current)
    for version, name, step in MIGRATIONS:
        if current < version <= goal:
            step(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version, name=name, applied_at=_utcnow()
                )
            )
    return current


def _check_known(current: int) -> None:
    newest = MIGRATIONS[-1][0]
    if current > newest:
        raise StoreError(
            f"the database's schema is version {current}, newer than this mlops-radar "
            f"knows ({newest}): upgrade mlops-radar"
        )


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
