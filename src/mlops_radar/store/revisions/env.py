"""Alembic's environment for mlops-radar: migrations run on the connection the store hands over.

The store opens the connection, takes the lock (SQLite's write lock, a PostgreSQL advisory lock)
and passes it in `config.attributes["connection"]`; nothing here reads a URL, a file or the
environment. Revisions hold their own DDL (`versions/`), never today's table declarations.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
