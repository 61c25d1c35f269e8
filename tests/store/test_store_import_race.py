"""Racing imports of one file end with one snapshot: the database's unique index decides.

Two real `mlops-radar import` processes are started together (a file barrier), and on PostgreSQL a
second import is committed between the importer's check and its insert, so the index, not the check,
must refuse the duplicate.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import mlops_radar
from mlops_radar.catalog.records import Catalog
from mlops_radar.store import Origin, Store, schema
from mlops_radar.store.importer import import_files
from mlops_radar.store.migrate import head
from mlops_radar.store.records import SnapshotStatus
from mlops_radar.store.store import create_snapshot

HEADER = (
    "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    "is_archived;open_issues;closed_issues\n"
)
ROWS = 20_000  # writing takes about a second: both processes are inside their import together

# Waits at a barrier (a file) once imported, then runs the CLI with the remaining arguments.
BARRIER_CHILD = """
import sys, time
from pathlib import Path
from mlops_radar.cli import main
ready, go = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
sys.argv = ["mlops-radar", *sys.argv[3:]]
main()
"""


def _big_csv(path: Path, rows: int) -> Path:
    with path.open("w") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f"{i + 2};Cat {i % 7};Tool {i};owner{i};repo{i};main;{i};False;{i};{i};"
                f"{i};MIT License;Python;False;{i};{i}\n"
            )
    return path


def _env() -> dict[str, str]:
    src = str(Path(mlops_radar.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def _imported(db_url: str) -> list[tuple[int, str, int | None]]:
    with Store.open(db_url) as store, store.transaction() as conn:
        s = schema.snapshots
        rows = conn.execute(
            sa.select(s.c.id, s.c.status, s.c.tool_count).where(s.c.origin == "imported")
        ).all()
        tools = conn.execute(sa.select(sa.func.count()).select_from(schema.tools)).scalar()
    assert tools == sum(r[2] or 0 for r in rows)  # no orphan rows of a refused import
    return [(int(r[0]), str(r[1]), r[2]) for r in rows]


@pytest.mark.slow
@pytest.mark.parametrize("migrated", [True, False], ids=["migrated", "empty-database"])
def test_two_processes_importing_one_file_make_one_snapshot(
    db_url: str, tmp_path: Path, migrated: bool
) -> None:
    csv = _big_csv(tmp_path / "2021-07-01.csv", ROWS)
    if migrated:  # both children go straight to the import; else they also race to migrate
        Store.open(db_url).close()
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{n}" for n in range(2)]
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                BARRIER_CHILD,
                str(r),
                str(go),
                "import",
                str(csv),
                "--db",
                db_url,
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in ready
    ]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready):
        assert time.monotonic() < deadline, "the children never reached the barrier"
        assert all(c.poll() is None for c in children), [c.communicate() for c in children]
        time.sleep(0.01)
    go.touch()
    outputs = [c.communicate(timeout=300) for c in children]
    assert [c.returncode for c in children] == [0, 0], outputs
    [(snapshot_id, status, tool_count)] = _imported(db_url)
    assert (status, tool_count) == ("complete", ROWS)
    lines = sorted(out.strip() for out, _err in outputs)
    assert lines == sorted(
        [
            f"{csv}: already imported as snapshot {snapshot_id}",
            f"{csv}: snapshot {snapshot_id} (2021-07-01), {ROWS} tools, {ROWS} repositories",
        ]
    ), outputs
    assert all("Traceback" not in err and "rror" not in err for _out, err in outputs), outputs
    writers = sum("writing" in err for _out, err in outputs)
    # SQLite: BEGIN IMMEDIATE lets one in, the other then finds the file. PostgreSQL: both pass the
    # check inside their transactions (the race is real) and the unique index refuses one insert.
    if migrated:
        assert writers == (2 if db_url.startswith("postgresql") else 1), outputs
    with Store.open(db_url) as store, store.transaction() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == list(head())  # the upgrade recorded once, whoever migrated


def test_import_committed_between_check_and_insert_is_refused_whole(
    db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite: the import holds the write lock from BEGIN IMMEDIATE, no one gets in")
    csv = _big_csv(tmp_path / "2021-07-02.csv", 50)
    winner: list[int] = []

    def meanwhile(_message: str) -> None:
        # called inside the write transaction, after its check and before its first insert
        with Store.open(db_url) as other:
            [result] = import_files(other, [csv])
        winner.append(result.snapshot_id)

    with Store.open(db_url) as store:
        [result] = import_files(store, [csv], progress=meanwhile)
    assert len(winner) == 1
    assert result.already_imported
    assert result.snapshot_id == winner[0]
    assert _imported(db_url) == [(winner[0], "complete", 50)]


def test_the_index_refuses_a_second_import_of_one_file_but_not_a_collection(
    db_url: str, tmp_path: Path
) -> None:
    csv = _big_csv(tmp_path / "2021-07-03.csv", 3)
    with Store.open(db_url) as store:
        [first] = import_files(store, [csv])
        info = store.snapshot(first.snapshot_id)
        catalog = Catalog(source=str(csv), tools=(), sha256=info.catalog_sha256)

        def insert(origin: Origin) -> None:
            with store.transaction(passing=(sa.exc.IntegrityError,)) as conn:
                create_snapshot(
                    conn,
                    catalog,
                    origin=origin,
                    taken_at=info.taken_at,
                    status=SnapshotStatus.COMPLETE,
                    sources=("study",),
                    collected=(),
                )

        with pytest.raises(sa.exc.IntegrityError, match=r"ux_snapshots_imported_sha256|UNIQUE"):
            insert(Origin.IMPORTED)
        insert(Origin.COLLECTED)  # a collection of the same catalog bytes is another day's data
        assert len(store.snapshots()) == 2
