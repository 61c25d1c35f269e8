"""`mlops-radar demo`: the whole pipeline offline, as the README's first command runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_radar.store import Store


def _run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "MLOPS_RADAR_DB")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "mlops_radar", "demo", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_demo_prints_a_ranking_per_category_and_says_the_data_is_simulated(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    result = _run_demo("--size", "60", "--seed", "3", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("SIMULATED DATA") == 2  # before and after the ranking
    assert "robustness (weights ±20%" in result.stdout
    assert "collected    60" in result.stdout
    # The database holds one complete collected snapshot of the simulated list, scored per category.
    with Store.open(str(db)) as store:
        snapshots = store.snapshots()
        assert list(snapshots["status"]) == ["complete"]
        assert list(snapshots["origin"]) == ["collected"]
        table = store.tool_facts(int(snapshots["id"].iloc[0]))
    assert len(table) == 60
    assert table["stars"].notna().all()
    categories = {c for cats in table["categories"] for c in cats}
    assert len(categories) > 3
    for category in categories:
        assert category in result.stdout
    # A ring word from the radar shows for the tools ranked.
    assert any(ring in result.stdout for ring in ("Adopt", "Trial", "Assess", "Hold"))


@pytest.mark.slow
def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = _run_demo("--size", "30", "--seed", "5")
    second = _run_demo("--size", "30", "--seed", "5")
    other = _run_demo("--size", "30", "--seed", "6")
    assert first.returncode == second.returncode == other.returncode == 0
    assert _without_timing(first.stdout) == _without_timing(second.stdout)
    assert _without_timing(first.stdout) != _without_timing(other.stdout)


def _without_timing(text: str) -> list[str]:
    """The output but its one line that reports elapsed seconds."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("requests")]
