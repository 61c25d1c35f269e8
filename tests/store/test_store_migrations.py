"""Upgrading a database built by the previous schema version (1) to the newest (2).

The version-1 database is built by running only step 1 (`migrate(engine, target=1)`) and filled by
the importer, as an older mlops-radar left it; `Store.open` then applies step 2.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.store import Store, importer, schema
from mlops_radar.store.database import create_engine, resolve_url, safe_url
from mlops_radar.store.importer import import_files
from mlops_radar.store.migrations import MIGRATIONS, migrate, schema_version

HEADER = (
    "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    "is_archived;open_issues;closed_issues\n"
)
UNIQUE_INDEX = "ux_snapshots_imported_sha256"
CHILDREN = (schema.tools, schema.repo_facts, schema.repo_outcomes, schema.renames)


def _csv(path: Path, stars: int) -> Path:
    rows = [
        f"{i + 2};Cat;Tool {i};owner{i};repo{i};main;10;False;3;{stars + i};5;MIT;Python;False;1;2"
        for i in range(4)
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def _version_1(db_url: str) -> Store:
    """A store whose database has only step 1 applied (not opened through `Store.open`)."""
    resolved = resolve_url(db_url)
    engine = create_engine(resolved)
    assert migrate(engine, target=1) == 1
    return Store(engine, safe_url(resolved))


def _state(store: Store) -> tuple[int, set[str], set[str]]:
    """Schema version, names of the snapshots' indexes, names of its unique indexes."""
    with store.transaction() as conn:
        indexes = sa.inspect(conn).get_indexes("snapshots")
        return (
            schema_version(conn),
            {str(i["name"]) for i in indexes},
            {str(i["name"]) for i in indexes if i["unique"]},
        )


def _rows_of(store: Store, snapshot_id: int) -> dict[str, int]:
    with store.transaction() as conn:
        return {
            t.name: int(
                conn.execute(
                    sa.select(sa.func.count()).where(t.c.snapshot_id == snapshot_id)
                ).scalar_one()
            )
            for t in CHILDREN
        }


def test_step_1_alone_is_version_1_without_the_unique_index(db_url: str) -> None:
    with _version_1(db_url) as store:
        version, indexes, _unique = _state(store)
    assert version == 1
    assert "ix_snapshots_sha256" in indexes
    assert UNIQUE_INDEX not in indexes
    assert [v for v, _name, _step in MIGRATIONS] == [1, 2]


def test_a_version_1_database_upgrades_keeping_its_snapshots(db_url: str, tmp_path: Path) -> None:
    first, second = _csv(tmp_path / "2021-06-01.csv", 100), _csv(tmp_path / "2021-06-02.csv", 200)
    with _version_1(db_url) as old:
        import_files(old, [first, second])
        before = old.snapshots()
        facts = [old.tool_facts(int(i)) for i in before["id"]]
    with Store.open(db_url) as store:
        version, indexes, unique = _state(store)
        assert version == 2
        assert UNIQUE_INDEX in indexes
        assert UNIQUE_INDEX in unique
        pd.testing.assert_frame_equal(store.snapshots(), before)
        for snapshot_id, table in zip(before["id"], facts, strict=True):
            pd.testing.assert_frame_equal(store.tool_facts(int(snapshot_id)), table)
        [again] = import_files(store, [second])
        assert again.already_imported
        assert again.snapshot_id == int(before["id"].iloc[1])
        assert len(store.snapshots()) == 2


@pytest.mark.parametrize(
    ("first_status", "kept", "removed"), [("complete", 1, 2), ("running", 2, 1)]
)
def test_a_duplicate_import_is_removed_whole_by_the_migration(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    first_status: str,
    kept: int,
    removed: int,
) -> None:
    twice, other = _csv(tmp_path / "2021-06-01.csv", 100), _csv(tmp_path / "2021-06-02.csv", 200)
    with _version_1(db_url) as old:
        import_files(old, [twice])
        with monkeypatch.context() as patch:  # what two racing imports did at version 1
            patch.setattr(importer, "_already", lambda _conn, _sha256: None)
            [duplicate] = import_files(old, [twice])
        assert duplicate.snapshot_id == 2
        assert not duplicate.already_imported
        import_files(old, [other])
        with old.transaction() as conn:
            s = schema.snapshots
            conn.execute(s.update().where(s.c.id == 1).values(status=first_status))
            for snapshot_id in (1, 2):  # a rename row too, so every child table is checked
                conn.execute(
                    schema.renames.insert().values(
                        snapshot_id=snapshot_id, old_key="a/old", new_key="a/new", new_name="a/new"
                    )
                )
        full = {"tools": 4, "repo_facts": 4, "repo_outcomes": 4, "renames": 1}
        assert _rows_of(old, removed) == _rows_of(old, kept) == full
        kept_facts = old.tool_facts(kept)
    with caplog.at_level(logging.WARNING, logger="mlops_radar.store.migrations"):
        store = Store.open(db_url)
    with store:
        assert _state(store)[0] == 2
        assert list(store.snapshots()["id"]) == [kept, 3]
        assert _rows_of(store, removed) == dict.fromkeys(full, 0)
        assert _rows_of(store, kept) == full
        pd.testing.assert_frame_equal(store.tool_facts(kept), kept_facts)
        [again] = import_files(store, [twice])
        assert (again.already_imported, again.snapshot_id) == (True, kept)
    assert "removed 1 duplicate imported snapshot(s)" in caplog.text
    assert f"ids {removed}" in caplog.text


def test_migrating_twice_and_a_newer_database(db_url: str) -> None:
    with _version_1(db_url) as old:
        assert migrate(old.engine) == 2
        assert migrate(old.engine) == 2
        assert migrate(old.engine, target=1) == 2  # never goes back
        with old.transaction() as conn:
            versions = conn.execute(sa.select(schema.schema_migrations.c.version)).scalars().all()
        assert sorted(versions) == [1, 2]
        with old.transaction() as conn:
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=3, name="from the future", applied_at=datetime(2030, 1, 1)
                )
            )
    with pytest.raises(StoreError, match=r"schema is version 3, newer than .* knows \(2\)"):
        Store.open(db_url)
