"""The notebook API: `mlops_radar.open(db)` gives DataFrames of snapshots, facts, scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import mlops_radar
from mlops_radar.cli import main

CSV_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "mlopstools-2021" / "csvdata"


@pytest.fixture
def study_db(tmp_path: Path) -> str:
    if not CSV_DIR.is_dir():
        pytest.skip(f"the study's CSVs are not at {CSV_DIR}")
    db = str(tmp_path / "radar.sqlite3")
    files = sorted(str(p) for p in CSV_DIR.glob("*.csv"))
    result = CliRunner().invoke(main, ["import", *files, "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_open_gives_dataframes_of_snapshots_facts_history(study_db: str) -> None:
    with mlops_radar.open(study_db) as radar:
        assert len(radar.snapshots()) == 10
        facts = radar.facts("2021-05-20")
        assert "Metaflow" in set(facts["tool"])
        history = radar.history("Metaflow")
        assert len(history) == 10
        assert history["stars"].is_monotonic_increasing


def test_scores_and_qualify_follow_the_policy(study_db: str) -> None:
    with mlops_radar.open(study_db) as radar:
        study = radar.qualify("2021-05-20", policy="study")
        ours = radar.qualify("2021-05-20", policy="radar")
        scores = radar.scores("2021-05-20")
    # Hyperas is archived with a recent commit: kept by the study's gates, eliminated by ours.
    assert study.loc[study["tool"] == "Hyperas", "status"].item() == "qualified"
    assert ours.loc[ours["tool"] == "Hyperas", "status"].item() == "eliminated"
    assert scores["score"].between(0, 100).all()
    assert set(scores["ring"]) <= {"Adopt", "Trial", "Assess", "Hold"}
    assert (scores.loc[scores["status"] == "eliminated", "ring"] == "Hold").all()
