"""Opening a database: URL resolution, engine set-up (SQLite pragmas) and one-line errors.

`None` means `$MLOPS_RADAR_DB` or a SQLite file in the user data folder; a bare path means SQLite;
anything with `://` is an SQLAlchemy URL (`postgresql+psycopg://...`).
Messages never show a password.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from mlops_radar.errors import StoreError

__all__ = [
    "DEFAULT_DB_NAME",
    "IMMEDIATE",
    "create_engine",
    "default_db_path",
    "is_read_only",
    "resolve_url",
    "safe_url",
]

#: Execution option of a connection whose SQLite transactions take the write lock at `BEGIN`
#: (`BEGIN IMMEDIATE`): a transaction that reads, then writes, then waits for another writer would
#: otherwise fail with "database is locked" instead of waiting. No effect on PostgreSQL.
IMMEDIATE = "mlops_radar_begin_immediate"

DEFAULT_DB_NAME = "radar.sqlite3"
_ENV = "MLOPS_RADAR_DB"


def default_db_path() -> Path:
    """The SQLite file used when nothing else is named."""
    return platformdirs.user_data_path("mlops-radar", appauthor=False) / DEFAULT_DB_NAME


def resolve_url(url: str | None) -> URL:
    """Turn what a person typed (or nothing) into an SQLAlchemy URL."""
    if url is None or not url.strip():
        url = os.environ.get(_ENV) or None
    if url is None:
        path = default_db_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder {path.parent}: {exc.strerror or exc}; "
                "name a database with --db PATH or MLOPS_RADAR_DB"
            ) from None
        return URL.create("sqlite+pysqlite", database=str(path))
    if "://" not in url:
        path = Path(url).expanduser()
        if not path.parent.is_dir():
            raise StoreError(f"{path}: folder {path.parent} does not exist")
        return URL.create("sqlite+pysqlite", database=str(path.resolve()))
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            "not a database URL or path (expected e.g. a file path or "
            "postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreError(
            f"unsupported database {parsed.drivername!r}: use a SQLite path or postgresql+psycopg://"
        )
    return parsed


def safe_url(url: URL) -> str:
    """The URL as it may be shown to a person: password hidden."""
    return url.render_as_string(hide_password=True)


def is_read_only(url: URL) -> bool:
    """A SQLite file that exists in a folder (or is a file) this process cannot write: SQLite
    needs to create its `-wal`/`-shm` files beside it, so it is opened read-only instead."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    path = Path(url.database)
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def create_engine(url: URL) -> sa.Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and explicit transactions (read-only and
    immutable for a file this process cannot write)."""
    if is_read_only(url):
        target = f"file:{Path(str(url.database)).as_posix()}?mode=ro&immutable=1&uri=true"
        engine = sa.create_engine("sqlite+pysqlite:///" + target, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_read_only)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except ImportError:
        raise StoreError(
            "PostgreSQL needs the psycopg driver: pip install 'mlops-radar[postgres]'"
        ) from None


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (so DDL and reads are
    # inside them too): https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#pysqlite-serializable
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _journal_mode_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(
        "PRAGMA synchronous=FULL"
    )  # a returned write survives a crash (FactSink contract)
    cursor.close()


def _sqlite_read_only(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _journal_mode_wal(cursor: sqlite3.Cursor, wait: float = 30.0) -> None:
    """Switch to WAL, retrying while another process holds the lock that the switch needs.

    SQLite answers "database is locked" at once (the busy timeout does not apply) when two processes
    open a fresh file together and both switch it; once the file is in WAL the pragma is a no-op.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_on_begin(connection: sa.Connection) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def describe_error(exc: BaseException, url: URL) -> str:
    """The first line of a database error, with any password of `url` masked."""
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if url.password:
        text = text.replace(str(url.password), "***")
    return text
