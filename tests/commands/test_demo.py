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
    result = _run_demo("--size", "60", "--seed", "3", "--db", str(db), "--full")
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


@pytest.mark.slow
def test_demo_by_default_fits_one_screen_per_stage_and_says_what_next() -> None:
    result = _run_demo("--size", "60", "--seed", "3", "--date", "2026-01-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) < 80  # one screen, not every table
    assert "The leading tools of each stage" in result.stdout
    assert "rings of the tools shown:" in result.stdout
    assert "mlops-radar rank --by-stage" in result.stdout
    assert result.stdout.count("SIMULATED DATA") == 2


@pytest.mark.slow
def test_demo_study_runs_offline_on_the_real_2021_tools() -> None:
    study = Path(__file__).resolve().parents[3] / "shared" / "data" / "mlopstools-2021"
    if not study.is_dir():
        pytest.skip(f"the study's data is not at {study}")
    result = _run_demo("--study", str(study))
    assert result.returncode == 0, result.stderr
    assert "REAL DATA from the 2021 study" in result.stdout
    assert "SIMULATED" not in result.stdout
    assert "Feast" in result.stdout
    assert "Mlflow" in result.stdout
    assert "snapshot 2021-05-20" in result.stdout


def test_demo_study_on_a_folder_without_study_files_is_one_line(tmp_path: Path) -> None:
    result = _run_demo("--study", str(tmp_path))
    assert result.returncode == 2
    assert "no study files" in result.stderr
    assert "Traceback" not in result.stderr
