"""Schema migrations with Alembic: what revision a database is at, what an upgrade would do, and
the upgrade itself (run whenever a store is opened).

The revisions live in `store/revisions/versions/`, each with its own DDL. Another source's fact set
brings its own revision (`add_revisions(folder)`), which Alembic orders after ours. A database that
mlops-radar 0.1 wrote (its own `schema_migrations` table, no `alembic_version`) starts at the
baseline, which recognises its tables. A database with tables that are neither ours nor 0.1's is
refused: mlops-radar never adds its tables to someone else's database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.store.database import IMMEDIATE

__all__ = [
    "Revision",
    "add_revisions",
    "current_revision",
    "head",
    "pending",
    "remove_revisions",
    "upgrade",
]

REVISIONS = Path(__file__).resolve().parent / "revisions"
_EXTRA: list[Path] = []
_OURS = frozenset({"alembic_version", "schema_migrations", "snapshots"})
_LOCK = 734021  # PostgreSQL advisory lock id of mlops-radar's migrations


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision: its id and what it does (the first line of its docstring)."""

    id: str
    summary: str


def add_revisions(folder: Path) -> None:
    """Also use the revisions in `folder` (another source's fact sets)."""
    folder = folder.resolve()
    if folder not in _EXTRA:
        _EXTRA.append(folder)


def remove_revisions(folder: Path) -> None:
    """Stop using the revisions in `folder`."""
    folder = folder.resolve()
    if folder in _EXTRA:
        _EXTRA.remove(folder)


def _config(connection: sa.Connection | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(REVISIONS))
    config.set_main_option("path_separator", "os")
    locations = [REVISIONS / "versions", *_EXTRA]
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


_SCRIPTS: dict[tuple[Path, ...], object] = {}


def _script() -> Any:
    """Alembic's view of the revisions (read once per set of revision folders)."""
    from alembic.script import ScriptDirectory

    key = tuple(_EXTRA)
    if key not in _SCRIPTS:
        _SCRIPTS[key] = ScriptDirectory.from_config(_config())
    return _SCRIPTS[key]


def head() -> tuple[str, ...]:
    """The newest revision(s) this mlops-radar knows."""
    return tuple(_script().get_heads())


def current_revision(conn: sa.Connection) -> str | None:
    """The database's revision; "0.1" for a database of mlops-radar 0.1; None when empty."""
    from alembic.runtime.migration import MigrationContext

    tables = set(sa.inspect(conn).get_table_names())
    if "alembic_version" in tables:
        heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(sorted(heads)) or None
    if "schema_migrations" in tables:
        return "0.1"
    if tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(
            f"not an mlops-radar database (it holds other tables: {shown}); "
            "name a new file or an empty database"
        )
    return None


def pending(conn: sa.Connection) -> list[Revision]:
    """The revisions an upgrade would apply, oldest first."""
    script = _script()
    current = current_revision(conn)
    _known(current)
    applied: set[str] = set()
    if current not in (None, "0.1"):
        for rev in current.split(","):
            applied |= {r.revision for r in script.iterate_revisions(rev, "base")}
    todo = [r for r in reversed(list(script.walk_revisions())) if r.revision not in applied]
    return [Revision(r.revision, (r.doc or "").strip().splitlines()[0]) for r in todo]


def _known(current: str | None) -> None:
    if current in (None, "0.1"):
        return
    known = {r.revision for r in _script().walk_revisions()}
    unknown = [rev for rev in current.split(",") if rev not in known]
    if unknown:
        raise StoreError(
            f"the database's schema is at revision {unknown[0]}, which this mlops-radar does not "
            "know (it was written by a newer one): upgrade mlops-radar"
        )


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to the newest revision, if it is not there.

    An up-to-date database is only read (SQLite readers keep not waiting for a writer); otherwise
    the upgrade runs under a lock (SQLite's write lock from `BEGIN IMMEDIATE`, a PostgreSQL
    advisory lock), so two processes never migrate at once.
    """
    with engine.connect() as conn:
        todo = pending(conn)
        conn.rollback()
    if not todo:
        return
    from alembic import command

    with engine.connect() as conn, conn.execution_options(**{IMMEDIATE: True}).begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
        if pending(conn):  # another process may have upgraded while we waited for the lock
            command.upgrade(_config(conn), "heads")
