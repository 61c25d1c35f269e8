"""A small cache in the user's cache folder: per (package, version, Python, platform) facts from
the package index, OSV answers and held-back resolutions (with an age limit).

One SQLite file (`folder/cache.sqlite3`, stdlib `sqlite3`, WAL journal) holds every entry as JSON
text under (kind, key). It replaced one JSON file per entry: writing a file and renaming it over
the old one cost 0.2-1.3 ms of the check's CPU per release (by file system), a row 0.06-0.09 ms,
and a check of 123 releases writes 123 of them while uv resolves on the same cores. Several
processes may share the file (SQLite locks it; a busy writer is waited for up to 5 s). An entry
that cannot be read is a miss; a cache that cannot be opened or written is skipped silently (a
file that is not a database is moved aside once and a new one started).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["FILENAME", "Cache", "default_cache_dir"]

FILENAME = "cache.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries ("
    " kind TEXT NOT NULL, key TEXT NOT NULL, stored REAL NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (kind, key)) WITHOUT ROWID"
)


def default_cache_dir() -> Path:
    """`$MLOPS_RADAR_CACHE` or the user cache folder of mlops-radar."""
    override = os.environ.get("MLOPS_RADAR_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("mlops-radar"))


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")  # where the file system cannot, SQLite keeps its own
        db.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut may lose the last writes
        db.execute(_SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


class Cache:
    """JSON values under (kind, key) in `folder/cache.sqlite3`, keyed by the parts that make
    them what they are. Safe to share between threads (one connection, one lock)."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = Path(folder)
        self.enabled = enabled
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._unusable = False

    @property
    def path(self) -> Path:
        return self.folder / FILENAME

    def _connection(self) -> sqlite3.Connection | None:
        """The open connection (made on first use), or None when the cache cannot be used.
        Called with the lock held."""
        if self._db is not None or self._unusable:
            return self._db
        try:
            try:
                db = _open(self.path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise  # locked, read-only, no such folder: not a broken file
                # not a database (or a damaged one): moved aside, not deleted, and begun anew
                self.path.replace(self.path.with_name(f"{FILENAME}.broken-{int(time.time())}"))
                db = _open(self.path)
        except (sqlite3.Error, OSError):
            self._unusable = True
            return None
        self._db = db
        weakref.finalize(self, db.close)
        return db

    def get(self, kind: str, key: tuple[str, ...], max_age: float | None = None) -> Any:
        """The stored value, or None when absent, unreadable or older than `max_age` seconds."""
        if not self.enabled:
            return None
        with self._lock:
            db = self._connection()
            if db is None:
                return None
            try:
                row = db.execute(
                    "SELECT stored, value FROM entries WHERE kind = ? AND key = ?",
                    (kind, json.dumps(list(key))),
                ).fetchone()
            except sqlite3.Error:
                return None
        if row is None:
            return None
        stored, value = row
        if max_age is not None and (
            not isinstance(stored, (int, float)) or time.time() - stored > max_age
        ):
            return None
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            return None

    def put(self, kind: str, key: tuple[str, ...], value: Any) -> None:
        """Store `value` (JSON-able); a cache that cannot be written is skipped silently."""
        if not self.enabled:
            return
        text = json.dumps(value)
        with self._lock:
            db = self._connection()
            if db is None:
                return
            try:
                db.execute(
                    "INSERT OR REPLACE INTO entries (kind, key, stored, value) VALUES (?, ?, ?, ?)",
                    (kind, json.dumps(list(key)), time.time(), text),
                )
            except sqlite3.Error:
                return

    def close(self) -> None:
        """Close the file (a later call opens it again)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
