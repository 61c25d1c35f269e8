"""`kill -9` during an import leaves no snapshot that reads as complete (real subprocess)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mlops_radar
from factrecords import finished
from mlops_radar.errors import StoreError
from mlops_radar.store import Store

HEADER = (
    "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    "is_archived;open_issues;closed_issues\n"
)


def _big_csv(path: Path, rows: int) -> None:
    with path.open("w") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f"{i + 2};Cat {i % 7};Tool {i};owner{i};repo{i};main;{i};False;{i};{i};"
                f"{i};MIT License;Python;False;{i};{i}\n"
            )


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from mlops_radar.cli import main; main()", *args]


def _env() -> dict[str, str]:
    src = str(Path(mlops_radar.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


@pytest.mark.slow
def test_kill_during_import_leaves_nothing_complete(db_url: str, tmp_path: Path) -> None:
    big = tmp_path / "2021-07-01.csv"
    _big_csv(big, 40_000)
    Store.open(db_url).close()  # migrate first, so the child spends its time importing
    child = subprocess.Popen(
        _cli("import", str(big), "--db", db_url),
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    line = child.stderr.readline()  # printed inside the transaction, before the first insert
    assert "writing 40000 tools" in line, line
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL  # killed, not finished
    child.stdout.close() if child.stdout else None
    child.stderr.close()
    with Store.open(db_url) as store:
        snapshots = store.snapshots()
        assert (snapshots["status"] == "complete").sum() == 0
        with pytest.raises(StoreError, match="no complete snapshot yet"):
            store.resolve_snapshot("latest")
    # and the same import, not interrupted, completes
    done = subprocess.run(
        _cli("import", str(big), "--db", db_url),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with Store.open(db_url) as store:
        assert store.resolve_snapshot("2021-07-01").tool_count == 40_000


def test_kill_during_collection_leaves_it_running(db_url: str) -> None:
    script = (
        "import os, signal\n"
        "from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry\n"
        "from mlops_radar.sources.factsets import FactRecord\n"
        "from mlops_radar.sources.github.groups.core import CORE, GitHubCore\n"
        "from mlops_radar.sources.outcomes import Outcome, RepoOutcome\n"
        "from mlops_radar.store import Store\n"
        "t = ToolEntry(name='a', categories=(), url='https://github.com/o/a', kind=LinkKind.REPO,"
        " repo='o/a')\n"
        "s = Store.open(os.environ['DB'])\n"
        "import datetime\n"
        "t0 = datetime.datetime.now(datetime.UTC)\n"
        "sid = s.begin_snapshot(Catalog(source='x', tools=(t,)), origin='collected')\n"
        "s.sink(sid).write([FactRecord(CORE, 'o/a', t0, GitHubCore(stars=1))],\n"
        "                  [RepoOutcome('o/a', Outcome.COLLECTED)])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script],
        env={**_env(), "DB": db_url},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    with Store.open(db_url) as store:
        info = store.resumable_snapshot()
        assert info is not None
        assert info.status == "running"
        assert finished(store.sink(info.id)) == {"o/a"}  # the batch that returned is durable
        assert (store.snapshots()["status"] == "complete").sum() == 0
