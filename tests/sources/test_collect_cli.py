"""`mlops-radar collect` as a real subprocess against the simulator: kill -9, resume, the token."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
SECRET = "ghp_SentinelTokenValue0123456789abcdef"


def cli_env(token: str | None = SECRET) -> dict[str, str]:
    """The environment of a CLI subprocess: no real gh, no network target but the simulator."""
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_TOKEN", "MLOPS_RADAR_DB"}}
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "120"
    if token is not None:
        env["GITHUB_TOKEN"] = token
    return env


def cli(*args: str) -> list[str]:
    """The installed `mlops-radar` script when there is one, else the same entry point via -c."""
    script = Path(sys.executable).parent / "mlops-radar"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from mlops_radar.cli import main; main()", *args]


def write_catalog(path: Path, names: list[str]) -> Path:
    lines = ["# Test list", "", "## Workflow Tools", ""]
    lines += [f"* [{n}](https://github.com/{n}) - Tool {i}." for i, n in enumerate(names)]
    path.write_text("\n".join(lines) + "\n")
    return path


def stored(db: Path) -> tuple[list[str], list[str], list[str]]:
    """Fact keys, outcome keys and snapshot statuses in the SQLite file (read only)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        facts = [r[0] for r in conn.execute("SELECT repo_key FROM facts_github_core")]
        outcomes = [r[0] for r in conn.execute("SELECT repo_key FROM outcomes")]
        statuses = [r[0] for r in conn.execute("SELECT status FROM snapshots ORDER BY id")]
    return facts, outcomes, statuses


def wait_for_facts(db: Path, at_least: int, process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the collection ended before it could be killed"
        if db.exists():
            try:
                count = len(stored(db)[0])
            except sqlite3.OperationalError:
                count = 0  # tables not created yet
            if count >= at_least:
                return count
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} facts stored after {timeout} s")


@pytest.mark.slow
def test_kill_9_then_resume_collects_each_repository_exactly_once(simulator, tmp_path) -> None:
    sim = simulator(n=300, latency=0.25)
    names = sim.names
    catalog = write_catalog(tmp_path / "README.md", names)
    db = tmp_path / "radar.sqlite3"
    common = ["--api-url", sim.url, "--db", str(db), "--batch-size", "20", "--concurrency", "1"]
    process = subprocess.Popen(
        cli("collect", "--catalog", str(catalog), *common),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_facts(db, 60, process, timeout=60)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    facts_before, outcomes_before, statuses = stored(db)
    assert statuses == ["running"]
    assert 60 <= len(facts_before) < 300
    # finished before the kill: an outcome stored (a repository whose core is stored but whose
    # license texts were still being fetched is asked again, for those only)
    done_before = set(outcomes_before)
    asked_before = sim.queries()

    resumed = subprocess.run(
        cli("collect", "--resume", *common),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "complete" in resumed.stdout
    facts, outcomes, statuses = stored(db)
    assert statuses == ["complete"]
    assert Counter(facts) == Counter({n.lower(): 1 for n in names})
    assert Counter(outcomes) == Counter({n.lower(): 1 for n in names})
    queried = sim.queries()
    asked_again = sorted(k for k in done_before if queried.get(k, 0) != asked_before.get(k, 0))
    assert asked_again == []


def test_the_token_value_appears_nowhere(simulator, tmp_path) -> None:
    sim = simulator(n=40, missing=2)
    names = sim.names
    catalog = write_catalog(tmp_path / "README.md", names)
    db = tmp_path / "radar.sqlite3"
    outputs = []
    run = subprocess.run(
        cli("collect", "--catalog", str(catalog), "--api-url", sim.url, "--db", str(db)),
        env=cli_env(),
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert b"not found" in run.stdout
    outputs += [run.stdout, run.stderr]
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt in ("csv", "xlsx", "ods", "parquet", "json"):
        done = subprocess.run(
            cli("export", "--format", fmt, "--db", str(db), "--out", str(exports / f"snap.{fmt}")),
            env=cli_env(),
            capture_output=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()
        outputs += [done.stdout, done.stderr]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)
    assert len([p for p in files if p.parent == exports]) == 5
    secret = SECRET.encode()
    assert all(secret not in text for text in outputs)
    leaked = [p.name for p in files if secret in p.read_bytes()]
    assert leaked == []


def test_no_token_is_one_clear_line(tmp_path) -> None:
    done = subprocess.run(
        cli("collect", "--catalog", "x.md", "--db", str(tmp_path / "db.sqlite3")),
        env=cli_env(token=None),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "GITHUB_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_ctrl_c_leaves_a_partial_snapshot_that_resume_completes(simulator, tmp_path) -> None:
    sim = simulator(n=200, latency=0.2)
    catalog = write_catalog(tmp_path / "README.md", sim.names)
    db = tmp_path / "radar.sqlite3"
    common = ["--api-url", sim.url, "--db", str(db), "--batch-size", "10", "--concurrency", "1"]
    process = subprocess.Popen(
        cli("collect", "--catalog", str(catalog), *common),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_facts(db, 30, process, timeout=60)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "partial" in stderr
    assert "collect --resume" in stderr
    assert "Traceback" not in stderr
    assert stored(db)[2] == ["partial"]
    resumed = subprocess.run(
        cli("collect", "--resume", *common),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    facts, _outcomes, statuses = stored(db)
    assert statuses == ["complete"]
    assert sorted(facts) == sorted(n.lower() for n in sim.names)


def test_max_wait_stops_with_a_partial_snapshot(simulator, tmp_path) -> None:
    sim = simulator(n=150, primary_limit=8, reset_seconds=3600)
    catalog = write_catalog(tmp_path / "README.md", sim.names)
    db = tmp_path / "radar.sqlite3"
    done = subprocess.run(
        cli("collect", "--catalog", str(catalog), "--api-url", sim.url, "--db", str(db),
            "--max-wait", "30"),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "snapshot 1: partial" in done.stdout
    assert "max-wait" in done.stdout
    assert "collect --resume" in done.stderr
    facts, _, statuses = stored(db)
    assert statuses == ["partial"]
    assert 0 < len(facts) < 150


def test_resume_without_an_unfinished_snapshot_is_one_line(tmp_path) -> None:
    done = subprocess.run(
        cli("collect", "--resume", "--api-url", "http://127.0.0.1:9/graphql", "--db",
            str(tmp_path / "db.sqlite3")),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: --resume: no running or partial collected snapshot to resume"
    ]


def test_help_has_examples() -> None:
    from click.testing import CliRunner

    from mlops_radar.cli import main

    result = CliRunner().invoke(main, ["collect", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "--resume" in result.output


def test_depth_full_adds_the_health_group_and_refuses_groups_beside_it(simulator, tmp_path) -> None:
    sim = simulator(n=8, files=False)
    catalog = write_catalog(tmp_path / "README.md", sim.names)
    db = tmp_path / "radar.sqlite3"
    common = ["--catalog", str(catalog), "--api-url", sim.url, "--db", str(db)]
    done = subprocess.run(cli("collect", *common, "--depth", "full"), env=cli_env(),
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        health = [r[0] for r in conn.execute("SELECT repo_key FROM facts_github_health")]
    assert sorted(health) == sorted(n.lower() for n in sim.names)
    both = subprocess.run(cli("collect", *common, "--depth", "basic", "--groups", "core"),
                          env=cli_env(), capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip
    assert both.returncode == 2
    assert "--depth and --groups" in both.stderr
    assert "Traceback" not in both.stderr
