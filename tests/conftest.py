"""Fixtures shared by every stage's tests.

`db_url` runs a test twice: on a fresh SQLite file in `tmp_path`, and on a fresh PostgreSQL database
created on the server named by `MLOPS_RADAR_TEST_PG` (skipped, with the reason, when it is unset or
no server answers). `scripts/pg-start --export` prints that variable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_ENV = "MLOPS_RADAR_TEST_PG"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _postgres_url() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL leg skipped: {PG_ENV} is unset (run scripts/pg-start --export)")
    url = sa.make_url(base)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        conn = engine.connect()
    except sa.exc.OperationalError:
        engine.dispose()
        pytest.skip(f"PostgreSQL leg skipped: no server answers at {url.render_as_string()}")
    name = f"radar_test_{uuid.uuid4().hex[:16]}"
    try:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.close()
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL (or SQLite path) of an empty database, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "radar.sqlite3")
    else:
        yield from _postgres_url()


@pytest.fixture
def study_data() -> Path:
    """The study's files under ../shared/data/mlopstools-2021 (skipped when absent)."""
    path = SHARED_DATA / "mlopstools-2021"
    if not path.is_dir():
        pytest.skip(f"the study's data is not at {path}")
    return path
