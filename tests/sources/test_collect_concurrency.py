"""Concurrent collections never kill each other (issue 14, item 5): two collections into one
SQLite file both finish; two resumes of one snapshot at once: one works, one refuses in one line."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from test_collect_cli import cli, cli_env, write_catalog

from mlops_radar.store import Store


@pytest.mark.slow
def test_two_collections_into_one_sqlite_file_both_finish(simulator, tmp_path: Path) -> None:
    sim = simulator(n=120, latency=0.05)
    db = tmp_path / "radar.sqlite3"
    runs = []
    for half in (sim.names[:60], sim.names[60:]):
        catalog = write_catalog(tmp_path / f"list-{len(runs)}.md", half)
        runs.append(subprocess.Popen(
            cli("collect", "--catalog", str(catalog), "--api-url", sim.url, "--db", str(db),
                "--batch-size", "5", "--concurrency", "1"),
            env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))  # fmt: skip
    results = [p.communicate(timeout=180) for p in runs]
    for process, (_out, err) in zip(runs, results, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err
    with Store.open(str(db)) as store:
        assert list(store.snapshots()["status"]) == ["complete", "complete"]


@pytest.mark.slow
def test_two_resumes_of_one_snapshot_at_once_one_refuses(simulator, tmp_path: Path) -> None:
    sim = simulator(n=150, primary_limit=3, reset_seconds=2, latency=0.2)
    catalog = write_catalog(tmp_path / "README.md", sim.names)
    db = tmp_path / "radar.sqlite3"
    common = ["--api-url", sim.url, "--db", str(db), "--concurrency", "1"]
    first = subprocess.run(cli("collect", "--catalog", str(catalog), *common, "--max-wait", "0"),
                           env=cli_env(), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 3, first.stderr
    resumes = [
        subprocess.Popen(cli("collect", "--resume", *common), env=cli_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    time.sleep(0.1)
    errors = [p.communicate(timeout=240)[1] for p in resumes]
    outcomes = [(p.returncode, err) for p, err in zip(resumes, errors, strict=True)]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 2], outcomes
    refused = next(err for code, err in outcomes if code == 2)
    assert "being written by another run" in refused
    assert refused.count("\n") <= 2
    assert "Traceback" not in refused
    with Store.open(str(db)) as store:
        assert list(store.snapshots()["status"]) == ["complete"]
