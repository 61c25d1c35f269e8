"""qualify / rank / compare / show on the study's real CSVs, imported into a fresh SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_radar.cli import main

CSV_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "mlopstools-2021" / "csvdata"
pytestmark = pytest.mark.skipif(not CSV_DIR.is_dir(), reason=f"study data absent: {CSV_DIR}")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("model-cli") / "radar.sqlite"
    files = sorted(str(p) for p in CSV_DIR.glob("*.csv"))
    result = CliRunner().invoke(main, ["import", *files, "--skip-bad", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def run_json(db: str, *args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("policy", ["study", "radar"])
def test_qualify_json_summary_adds_up(db: str, policy: str) -> None:
    payload = run_json(db, "qualify", "--policy", policy, "--snapshot", "2021-05-20")
    summary, tools = payload["summary"], payload["tools"]
    assert payload["snapshot"]["date"] == "2021-05-20"
    assert summary["total"] == len(tools) == 78
    assert (
        summary["qualified"] + summary["eliminated"] + summary["needs_review"] == summary["total"]
    )
    kept = [
        t["attractiveness"]
        for t in tools
        if t["status"] != "eliminated" and t["attractiveness"] is not None
    ]
    assert summary["mean_attractiveness"] == pytest.approx(sum(kept) / len(kept))
    assert sum(c["tools"] for c in summary["by_category"].values()) >= len(tools)
    first = tools[0]
    assert set(first) >= {
        "name",
        "repo",
        "categories",
        "status",
        "gates",
        "stars",
        "forks",
        "watchers",
        "open_issues",
        "closed_issues",
        "total_commits",
        "last_commit",
        "license",
        "attractiveness",
        "study_rank",
    }
    assert set(first["gates"]) == {"license", "activity", "archived"}


def test_archived_tool_with_recent_commit_study_keeps_radar_eliminates(db: str) -> None:
    """Hyperas is archived in the real 2021 data, with a last commit within six months."""

    def hyperas(policy: str) -> dict:
        tools = run_json(db, "qualify", "--policy", policy)["tools"]
        return next(t for t in tools if t["name"] == "Hyperas")

    under_study, under_radar = hyperas("study"), hyperas("radar")
    assert under_study["archived"] is True
    assert under_study["gates"]["activity"]["outcome"] == "pass"
    assert under_study["status"] == "qualified"
    assert under_study["study_rank"] == 0  # the study's rank zeroes archived tools anyway
    assert under_radar["status"] == "eliminated"
    assert under_radar["gates"]["archived"]["outcome"] == "fail"


def test_study_and_radar_differ_only_by_archived(db: str) -> None:
    study = run_json(db, "qualify", "--policy", "study")["summary"]
    radar = run_json(db, "qualify", "--policy", "radar")["summary"]
    assert radar["eliminated"] > study["eliminated"]
    assert radar["total"] == study["total"]


def test_policy_file(db: str, tmp_path: Path) -> None:
    policy = tmp_path / "only-license.toml"
    policy.write_text('name = "licence only"\ngates = ["license"]\n', encoding="utf-8")
    payload = run_json(db, "qualify", "--policy", str(policy))
    assert payload["snapshot"]["policy"] == "licence only"
    assert payload["summary"]["eliminated"] == 0


def test_bad_policy_file_is_one_line(db: str, tmp_path: Path) -> None:
    policy = tmp_path / "bad.toml"
    policy.write_text("gates = [", encoding="utf-8")
    result = CliRunner().invoke(main, ["qualify", "--policy", str(policy), "--db", db])
    assert result.exit_code == 2
    assert "bad.toml: not valid TOML" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("by", ["maturity", "attractiveness", "study-rank"])
def test_rank_json_orders_within_a_category(db: str, by: str) -> None:
    payload = run_json(db, "rank", "--category", "model serving", "--by", by, "--top", "4")
    (group,) = payload["groups"]
    assert group["category"] == "Model Serving"
    tools = group["tools"]
    assert len(tools) == 4
    values = [t["value"] for t in tools if t["value"] is not None]
    assert values == sorted(values, reverse=True)
    assert [t["rank"] for t in tools] == [1, 2, 3, 4]
    for tool in tools:
        assert tool["ring"] in {"Adopt", "Trial", "Assess", "Hold"}
        assert 0 <= tool["completeness"] <= 1
        assert tool["ring_reason"]
    assert -1 <= group["robustness"]["mean_tau"] <= 1


def test_rank_every_category_in_text(db: str) -> None:
    result = CliRunner().invoke(main, ["rank", "--db", db])
    assert result.exit_code == 0, result.output
    assert "Feature Store" in result.output
    assert "robustness" in result.output


def test_compare_and_show(db: str) -> None:
    payload = run_json(db, "compare", "Feast", "argoproj/argo-workflows")
    feast, argo = payload["tools"]
    assert feast["tool"] == "Feast"
    assert argo["tool"] == "Argo"
    assert set(feast["dimensions"]) == {
        "popularity",
        "activity",
        "community",
        "responsiveness",
        "hygiene",
    }
    assert feast["trend"]["snapshots"] == 10
    shown = run_json(db, "show", "feast")
    assert shown["facts"]["tool"] == "Feast"
    assert shown["history_snapshots"] == 10
    assert shown["scores"][0]["helps"]
    text = CliRunner().invoke(main, ["compare", "Feast", "Hopsworks", "--db", db])
    assert text.exit_code == 2
    assert "no tool or repository 'Hopsworks'" in text.output


def test_rank_options_exclude_each_other_and_unknown_category_is_one_line(db: str) -> None:
    both = CliRunner().invoke(main, ["rank", "--category", "A", "--stage", "B", "--db", db])
    assert both.exit_code == 2
    assert "exclude each other" in both.output
    unknown = CliRunner().invoke(main, ["rank", "--category", "Nowhere", "--db", db])
    assert unknown.exit_code == 2
    assert "no category 'Nowhere'" in unknown.output


def test_rank_by_stage_groups_by_stage(db: str) -> None:
    payload = run_json(db, "rank", "--by-stage", "--top", "1")
    assert payload["grouping"] == "stage"
    assert all("stage" in group for group in payload["groups"])


def test_every_model_command_has_examples() -> None:
    for name in ("qualify", "rank", "compare", "show"):
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.output
