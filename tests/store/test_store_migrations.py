"""Schema migrations (Alembic): a database that mlops-radar 0.1 wrote upgrades in place, equals a
fresh one by reflection, and loses nothing; on SQLite (a committed file) and PostgreSQL (a
committed dump, loaded with psql). See tests/data/store/README.md for how those were written.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.sources.registry import fact_sets
from mlops_radar.store import Store, schema
from mlops_radar.store.migrate import current_revision, head, pending

DATA = Path(__file__).resolve().parents[1] / "data" / "store"
V2_SQLITE = DATA / "radar-v2.sqlite3"
V2_POSTGRES = DATA / "radar-v2.postgres.sql"
GITHUB_FIELDS = {
    "name_with_owner", "url", "description", "homepage", "default_branch", "total_commits",
    "last_commit_at", "stars", "forks", "watchers", "license_spdx", "license_name", "license_key",
    "primary_language", "archived", "fork", "created_at", "pushed_at", "updated_at",
    "open_issues", "closed_issues", "disk_usage_kb", "merged_prs", "release_count",
    "latest_release_tag", "latest_release_at", "releases_last_year", "mentionable_users",
    "topics",
}  # fmt: skip
STUDY_FIELDS = {
    "default_branch", "total_commits", "last_commit_stale", "stars", "forks", "watchers",
    "license_name", "license_manual", "primary_language", "archived", "open_issues",
    "closed_issues",
}  # fmt: skip


def _reflect(url: str) -> dict[str, Any]:
    """Everything reflection says about a database's schema, in a comparable form."""
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        found: dict[str, Any] = {}
        for table in sorted(inspector.get_table_names()):
            found[table] = {
                "columns": [
                    (c["name"], type(c["type"]).__name__, c["nullable"])
                    for c in inspector.get_columns(table)
                ],
                "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted(
                    (
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        (fk.get("options") or {}).get("ondelete"),
                    )
                    for fk in inspector.get_foreign_keys(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "checks": sorted(c["name"] or "" for c in inspector.get_check_constraints(table)),
            }
        return found
    finally:
        engine.dispose()


def _old_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the old tables, typed by reflecting the old schema."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    with engine.connect() as conn:
        rows = {}
        for name in ("snapshots", "tools", "repo_facts", "repo_outcomes", "renames"):
            table = sa.Table(name, metadata, autoload_with=conn)
            rows[name] = [dict(r) for r in conn.execute(sa.select(table)).mappings()]
    engine.dispose()
    return rows


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, list | dict):
        return bool(json.loads(old) == new)  # a JSON column reflected as text
    return bool(old == new)


def _check_nothing_lost(url: str, old: dict[str, list[dict[str, Any]]]) -> None:
    """Every old row is in the upgraded database: facts in their fact sets (or in the raw answer),
    outcomes with their source, tools, renames and snapshots unchanged."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        origin = {s["id"]: s["origin"] for s in old["snapshots"]}
        new_facts: dict[tuple[int, str], dict[str, Any]] = {}
        for fact_set in fact_sets():
            table = schema.fact_table(fact_set)
            for row in conn.execute(sa.select(table)).mappings():
                merged = new_facts.setdefault((row["snapshot_id"], row["repo_key"]), {})
                merged.update({k: v for k, v in row.items() if k in fact_set.field_names})
                if row["raw"] is not None:
                    merged["raw"] = row["raw"]
        assert len(new_facts) == len(old["repo_facts"])
        for fact in old["repo_facts"]:
            new = new_facts[(fact["snapshot_id"], fact["repo_key"])]
            fields = GITHUB_FIELDS if origin[fact["snapshot_id"]] == "collected" else STUDY_FIELDS
            for name in fields:
                assert _same(fact[name], new[name]), (fact["repo_key"], name, fact[name], new[name])
            assert _same(fact["raw"], new["raw"])
            if origin[fact["snapshot_id"]] == "collected":
                prs = (fact["open_prs"], fact["closed_prs"], fact["merged_prs"])
                assert new["pull_requests"] == sum(prs)
                raw = json.loads(fact["raw"]) if isinstance(fact["raw"], str) else fact["raw"]
                assert raw["openPullRequests"]["totalCount"] == fact["open_prs"]  # kept in raw
        outcomes = {
            (r["snapshot_id"], r["repo_key"]): r
            for r in conn.execute(sa.select(schema.outcomes)).mappings()
        }
        assert len(outcomes) == len(old["repo_outcomes"])
        for outcome in old["repo_outcomes"]:
            new = outcomes[(outcome["snapshot_id"], outcome["repo_key"])]
            assert (new["outcome"], new["reason"], new["new_name"]) == (
                outcome["outcome"], outcome["reason"], outcome["new_name"])  # fmt: skip
            wanted = "github" if origin[outcome["snapshot_id"]] == "collected" else "study"
            assert new["source"] == wanted
        for name in ("tools", "renames"):
            rows = [dict(r) for r in conn.execute(sa.text(f"SELECT * FROM {name}")).mappings()]
            assert len(rows) == len(old[name])
        snapshots = {r["id"]: r for r in conn.execute(sa.select(schema.snapshots)).mappings()}
        for snapshot in old["snapshots"]:
            new = snapshots[snapshot["id"]]
            assert (new["status"], new["origin"], new["snapshot_date"]) == (
                snapshot["status"], snapshot["origin"], snapshot["snapshot_date"])  # fmt: skip
            assert new["sources"] == (
                ["github"] if snapshot["origin"] == "collected" else ["study"]
            )
    engine.dispose()


def _readable(url: str) -> None:
    """The upgraded database works: every snapshot reads, the partial one can be resumed."""
    with Store.open(url) as store:
        frame = store.snapshots()
        for snapshot_id in frame["id"]:
            table = store.fact_table(int(snapshot_id))
            assert len(table.frame) > 0
        study = store.fact_table(int(frame[frame["source_format"] == "study-csv-12"]["id"].iloc[0]))
        assert "open_issues" not in study.collected  # the 12-column layout has no issue counts
        assert study.frame["stars"].notna().all()
        collected = int(frame[frame["status"] == "complete"]["id"].iloc[-1])
        facts = store.fact_table(collected).frame
        assert facts["pull_requests"].notna().sum() >= 30
        assert facts["has_issues"].isna().all()  # not collected before: unknown, not False
        resumable = store.resumable_snapshot()
        assert resumable is not None
        assert resumable.status == "partial"
        assert len(store.history("datavault-labs/datavault")) == 2  # renamed, followed


def _fresh(url: str) -> None:
    Store.open(url).close()


# --- SQLite -----------------------------------------------------------------------------------


def test_a_v2_sqlite_file_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "radar.sqlite3"
    shutil.copy(V2_SQLITE, path)
    url = f"sqlite:///{path}"
    old = _old_rows(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert current_revision(conn) == "0.1"
        assert [r.id for r in pending(conn)] == ["0001", "0002", "0003", "0004"]
    engine.dispose()
    _readable(str(path))
    _check_nothing_lost(url, old)
    fresh = tmp_path / "fresh.sqlite3"
    _fresh(str(fresh))
    assert _reflect(url) == _reflect(f"sqlite:///{fresh}")


def test_the_declared_tables_match_the_migrated_schema(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    _fresh(str(path))
    reflected = _reflect(f"sqlite:///{path}")
    for table in (schema.snapshots, schema.tools, schema.outcomes, schema.renames,
                  *(schema.fact_table(f) for f in fact_sets())):  # fmt: skip
        assert [c.name for c in table.columns] == [c[0] for c in reflected[table.name]["columns"]]
    assert set(reflected) == {
        "alembic_version", "snapshots", "tools", "outcomes", "renames",
        *(f.table for f in fact_sets()),
    }  # fmt: skip


def test_a_v1_database_gets_its_duplicate_imports_removed(tmp_path: Path) -> None:
    path = tmp_path / "radar.sqlite3"
    shutil.copy(V2_SQLITE, path)
    with sqlite3.connect(path) as conn:  # what two racing imports left at 0.1's version 1
        conn.execute("DROP INDEX ux_snapshots_imported_sha256")
        conn.execute("DELETE FROM schema_migrations WHERE version = 2")
        columns = [r[1] for r in conn.execute("PRAGMA table_info(snapshots)") if r[1] != "id"]
        conn.execute(
            f"INSERT INTO snapshots (id, {', '.join(columns)}) SELECT 99, {', '.join(columns)} "
            "FROM snapshots WHERE id = 1"
        )
        for table in ("tools", "repo_facts", "repo_outcomes"):
            names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            chosen = ", ".join("99" if n == "snapshot_id" else n for n in names)
            conn.execute(f"INSERT INTO {table} SELECT {chosen} FROM {table} WHERE snapshot_id = 1")
    with Store.open(str(path)) as store:
        assert 99 not in set(store.snapshots()["id"])
        assert len(store.fact_table(1).frame) == 80


def test_opening_twice_changes_nothing_and_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "radar.sqlite3"
    _fresh(str(path))
    before = _reflect(f"sqlite:///{path}")
    _fresh(str(path))
    assert _reflect(f"sqlite:///{path}") == before
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    with pytest.raises(StoreError, match="revision f00d, which this mlops-radar does not know"):
        Store.open(str(path))


def test_a_foreign_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "theirs.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    with pytest.raises(StoreError, match=r"not an mlops-radar database.*invoices"):
        Store.open(str(path))
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["invoices"]


def test_head_is_the_newest_revision() -> None:
    assert head() == ("0004",)


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def postgres_pair(db_url: str) -> Iterator[tuple[str, str]]:
    """(an empty database, a second empty database) on the test server; PostgreSQL only."""
    if not db_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL leg of this test")
    base = sa.make_url(db_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    other = f"{base.database}_fresh"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{other}"'))
    try:
        yield db_url, base.set(database=other).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_a_v2_postgres_database_upgrades_in_place(postgres_pair: tuple[str, str]) -> None:
    legacy, fresh = postgres_pair
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql is not installed")
    target = sa.make_url(legacy).set(drivername="postgresql").render_as_string(hide_password=False)
    loaded = subprocess.run(
        [psql, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(V2_POSTGRES), target],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    old = _old_rows(legacy)
    assert len(old["repo_facts"]) > 300
    _readable(legacy)
    _check_nothing_lost(legacy, old)
    _fresh(fresh)
    assert _reflect(legacy) == _reflect(fresh)
