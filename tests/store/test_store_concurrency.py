"""Concurrent runs never kill each other, and a database nobody may write can still be read
(issue 14, item 5): real processes, real SQLite files, the real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.errors import StoreError
from mlops_radar.store import Store
from mlops_radar.store.claims import claim_alive, run_id

DATA = Path(__file__).resolve().parents[1] / "data" / "store"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mlops_radar", *args]


def cli_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "MLOPS_RADAR_DB")}


TOOL = ToolEntry(name="a", categories=(), url="https://github.com/o/a", kind=LinkKind.REPO,
                 repo="o/a")  # fmt: skip


def test_a_resume_claims_its_snapshot_and_a_second_one_refuses(db_url: str) -> None:
    with Store.open(db_url) as store:
        sid = store.begin_snapshot(Catalog(source="x", tools=(TOOL,)), origin="collected")
        store.claim(sid)  # ours already: taking it again is fine
        with store.transaction() as conn:  # a live run of another host holds it
            conn.exec_driver_sql(
                f"UPDATE snapshots SET claimed_by = 'elsewhere:1:1' WHERE id = {sid}"
            )
        with pytest.raises(StoreError, match=r"being written by another run \(elsewhere:1:1\)"):
            store.claim(sid)
        store.claim(sid, force=True)
        store.finish_snapshot(sid, "partial")
        assert store.snapshot(sid).status == "partial"
        store.claim(sid)  # released by finishing


def test_a_dead_runs_claim_on_this_host_is_taken_over() -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    host = run_id().split(":")[0]
    assert not claim_alive(f"{host}:{dead.stdout.strip()}:0")
    assert claim_alive(f"{host}:1:0")  # init lives
    assert claim_alive("another-host:1:0")  # cannot be checked: counts as alive
    assert not claim_alive(run_id())  # our own


def test_a_database_in_a_folder_nobody_may_write_is_read_not_written(tmp_path: Path) -> None:
    chattr = shutil.which("chattr")
    folder = tmp_path / "readonly"
    folder.mkdir()
    db = folder / "radar.sqlite3"
    shutil.copy(DATA / "radar-v2.sqlite3", db)
    Store.open(str(db)).close()  # upgraded while it can be
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        folder.chmod(0o555)  # not root: permissions suffice
        if os.geteuid() == 0:
            pytest.skip("root without chattr: no way to make a folder read-only here")
    try:
        shown = subprocess.run(cli("snapshots", "--json", "--db", str(db)), env=cli_env(),
                               capture_output=True, text=True, timeout=60)  # fmt: skip
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.count('"status"') == 6
        study = DATA.parents[2].parent / "shared" / "data" / "mlopstools-2021" / "csvdata"
        csv = next(study.glob("2021-05-11.csv"), None)
        if csv is not None:
            written = subprocess.run(cli("import", str(csv), "--db", str(db)), env=cli_env(),
                                     capture_output=True, text=True, timeout=60)  # fmt: skip
            assert written.returncode == 2
            assert "readonly" in written.stderr
            assert "Traceback" not in written.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["radar.sqlite3"]  # no -wal, no -shm
    finally:
        if chattr is not None:
            subprocess.run([chattr, "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_an_unwritable_default_data_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    env = {**cli_env(), "XDG_DATA_HOME": str(blocker), "HOME": str(tmp_path)}
    env.pop("MLOPS_RADAR_DB", None)
    done = subprocess.run(cli("snapshots"), env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot create the data folder" in done.stderr
    assert "--db" in done.stderr
    assert "Traceback" not in done.stderr
