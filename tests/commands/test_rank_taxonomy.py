"""`rank --taxonomy`: stored snapshots regrouped under another stage taxonomy at query time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_radar.catalog import load_stage_map
from mlops_radar.cli import main

CSV = Path(__file__).resolve().parents[3] / "shared/data/mlopstools-2021/csvdata/2021-05-20.csv"


@pytest.fixture
def db(tmp_path: Path) -> str:
    if not CSV.is_file():
        pytest.skip(f"the study's CSVs are not at {CSV}")
    url = str(tmp_path / "radar.sqlite3")
    result = CliRunner().invoke(main, ["import", str(CSV), "--db", url])
    assert result.exit_code == 0, result.output
    return url


def _stage_groups(db: str, *extra: str) -> set[str]:
    result = CliRunner().invoke(main, ["rank", "--by-stage", "--json", "--db", db, *extra])
    assert result.exit_code == 0, result.output
    return {group["stage"] for group in json.loads(result.output)["groups"]}


def test_stages_follow_the_chosen_taxonomy(db: str) -> None:
    stored = _stage_groups(db)
    amershi = _stage_groups(db, "--taxonomy", "amershi")
    assert stored <= {*load_stage_map("study").stages, "(no stage)"}
    assert amershi <= {*load_stage_map("amershi").stages, "(no stage)"}
    assert "Model Monitoring" in amershi  # an Amershi stage name, absent from the study's
    assert "Model Monitoring" not in stored
    assert "Pipeline Orchestration" in stored


def test_a_user_stage_map_extends_the_taxonomy(db: str, tmp_path: Path) -> None:
    extra = tmp_path / "stages.yaml"
    extra.write_text(
        "stages: [Orchestration]\ncategories:\n  Workflow Tools: [Orchestration]\n",
        encoding="utf-8",
    )
    groups = _stage_groups(db, "--taxonomy", "amershi", "--stage-map", str(extra))
    assert "Orchestration" in groups
