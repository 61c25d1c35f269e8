"""Concurrent runs never kill each other (issue 14, item 5): real processes, real SQLite files and,
when `MLOPS_RADAR_TEST_PG` is set, the real PostgreSQL server.

Two collections into one SQLite file both finish; two resumes of one snapshot at once: one
works, the other refuses in one line (SQLite and PostgreSQL); a database in a folder nobody may
write is still read; a database holding someone else's tables is refused and left as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from hardening_support import cli, cli_env, names_of, write_catalog


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=cli_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(cli(*args), env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def statuses(db_url: str) -> list[str]:
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.text("SELECT status FROM snapshots ORDER BY id"))]
    finally:
        engine.dispose()


def test_two_collections_into_one_sqlite_file_both_finish(simulator, tmp_path) -> None:
    sim = simulator(n=60, latency=0.05)
    names = names_of(sim)
    db = tmp_path / "radar.sqlite3"
    runs = [
        start("collect", "--catalog", str(write_catalog(tmp_path / f"list-{i}.md", half)),
              "--api-url", sim.url, "--db", str(db), "--groups", "core", "--batch-size", "3",
              "--concurrency", "1")
        for i, half in enumerate((names[:30], names[30:]))
    ]  # fmt: skip
    ended = [p.communicate(timeout=120) for p in runs]
    for process, (_, err) in zip(runs, ended, strict=True):
        assert process.returncode == 0, err  # one died of "database is locked" (4 of 4 trials)
        assert "locked" not in err
    assert statuses(str(db)) == ["complete", "complete"]


def test_two_resumes_of_one_snapshot_at_once_one_refuses(simulator, tmp_path, db_url) -> None:
    sim = simulator(n=60, primary_limit=2, reset_seconds=2, latency=0.1)
    catalog = write_catalog(tmp_path / "list.md", names_of(sim))
    common = ["--api-url", sim.url, "--db", db_url, "--groups", "core", "--batch-size", "10",
              "--concurrency", "1"]  # fmt: skip
    first = run("collect", "--catalog", str(catalog), *common, "--max-wait", "0")
    assert first.returncode == 3, first.stderr  # partial: the budget ran out
    resumes = [start("collect", "--resume", *common) for _ in range(2)]
    ended = [p.communicate(timeout=120) for p in resumes]
    codes = sorted(p.returncode for p in resumes)
    assert codes == [0, 2], ended
    refused = next(err for p, (_, err) in zip(resumes, ended, strict=True) if p.returncode == 2)
    assert "being written by another run" in refused
    assert "Traceback" not in refused
    assert len([line for line in refused.splitlines() if line.startswith("error:")]) == 1
    assert statuses(db_url) == ["complete"]
    # the refused run asked GitHub nothing: each repository was looked up once in all
    assert set(sim.stats.repo_queries.values()) == {1}


def _freeze(folder: Path) -> bool:
    """Make `folder` read-only even for root (chattr +i); False when that is not possible."""
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(folder)], check=False,
                                 capture_output=True).returncode == 0:  # fmt: skip
        return True
    folder.chmod(0o555)
    return os.geteuid() != 0


def _thaw(folder: Path) -> None:
    chattr = shutil.which("chattr")
    if chattr:
        subprocess.run([chattr, "-i", str(folder)], check=False, capture_output=True)
    folder.chmod(0o755)


def test_a_database_in_a_read_only_folder_is_read_and_not_written(simulator, tmp_path) -> None:
    sim = simulator(n=10)
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "radar.sqlite3"
    catalog = write_catalog(tmp_path / "list.md", names_of(sim))
    made = run("collect", "--catalog", str(catalog), "--api-url", sim.url, "--db", str(db),
               "--groups", "core")  # fmt: skip
    assert made.returncode == 0, made.stderr
    if not _freeze(folder):
        _thaw(folder)
        pytest.skip("root without chattr: no way to make a folder read-only here")
    try:
        shown = run("snapshots", "--json", "--db", str(db))
        assert shown.returncode == 0, shown.stderr  # it failed on the WAL side files before
        assert shown.stdout.count('"status"') == 1
        ranked = run("rank", "--db", str(db))
        assert ranked.returncode == 0, ranked.stderr
        again = run("collect", "--catalog", str(catalog), "--api-url", sim.url, "--db", str(db),
                    "--groups", "core")  # fmt: skip
        assert again.returncode == 2
        assert "Traceback" not in again.stderr
        assert "readonly" in again.stderr or "read-only" in again.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["radar.sqlite3"]  # no -wal, -shm
    finally:
        _thaw(folder)


def test_a_database_holding_other_tables_is_refused_and_left_alone(db_url) -> None:
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
    before = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    done = run("snapshots", "--db", db_url)
    assert done.returncode == 2
    assert "not an mlops-radar database" in done.stderr
    assert "customers" in done.stderr
    assert "Traceback" not in done.stderr
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    try:
        assert set(sa.inspect(engine).get_table_names()) == before  # none of ours added
    finally:
        engine.dispose()


def test_a_sqlite_file_that_is_not_a_database_is_one_line(tmp_path) -> None:
    bogus = tmp_path / "radar.sqlite3"
    bogus.write_bytes(b"this is not a database\n" * 100)
    done = run("snapshots", "--db", str(bogus))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(bogus).execute("SELECT 1 FROM sqlite_master").fetchall()
