"""Stage mapping: the study's Quadro 2, our marked proposals, Amershi's stages, user files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from mlops_radar.catalog import load_stage_map, read_catalog
from mlops_radar.errors import ConfigError

# Quadro 2 of the study (../shared/docs/study.md), typed in from the table.
QUADRO_2 = {
    "Data Exploration": ("Data/Model Analysis",), "Data Management": ("Data/Model Analysis",),
    "Data Processing": ("Data/Model Analysis",), "Data Validation": ("Data/Model Analysis",),
    "Data Visualization": ("Data/Model Analysis",),
    "Simplification Tools": ("Data/Model Analysis",),
    "Feature Store": ("Feature Store",), "Model Lifecycle": ("ML Metadata Store", "Monitoring"),
    "Cron Job Monitoring": ("Monitoring",), "Visual Analysis and Debugging": ("Monitoring",),
    "Model Serving": ("Model Serving",), "Optimization Tools": ("Model Serving",),
    "Workflow Tools": ("Pipeline Orchestration",),
}  # fmt: skip


@pytest.mark.parametrize(("category", "stages"), QUADRO_2.items())
def test_study_taxonomy_is_quadro_2(category: str, stages: tuple[str, ...]) -> None:
    study = load_stage_map("study")
    assert study.stages_of(category) == stages
    assert study.stages_of(category.upper() + "  ") == stages
    assert not study.is_proposed(category)


def test_our_proposals_are_marked_in_the_data_file() -> None:
    text = (resources.files("mlops_radar.catalog") / "data" / "stages-study.yaml").read_text()
    data = yaml.safe_load(text)
    proposed = {name for name, value in data["categories"].items() if value.get("proposed_by")}
    assert proposed.isdisjoint(QUADRO_2)
    assert {
        "Drift Detection",
        "AutoML",
        "Hyperparameter Tuning",
        "Machine Learning Platform",
    } <= proposed
    training = next(stage for stage in data["stages"] if stage["name"] == "Model Training")
    assert training["proposed_by"] == "mlops-radar"
    study = load_stage_map("study")
    assert study.stages_of("Drift Detection") == ("Monitoring",)
    assert study.is_proposed("Drift Detection")


def test_every_category_of_the_2026_list_is_mapped_by_study(awesome: Path) -> None:
    catalog = read_catalog(awesome / "README-2026-08-16.md")
    assert catalog.unmapped_categories == ()
    assert all(tool.stages for tool in catalog.tools)


def test_amershi_has_nine_stages_and_lists_unmapped(awesome: Path) -> None:
    amershi = load_stage_map("amershi")
    assert len(amershi.stages) == 9
    assert amershi.stages[0] == "Model Requirements"
    assert amershi.stages[-1] == "Model Monitoring"
    catalog = read_catalog(awesome / "README-2026-08-16.md", taxonomy="amershi")
    assert catalog.taxonomy == "amershi"
    assert catalog.unmapped_categories == ("Knowledge Sharing", "Workflow Tools")
    luigi = next(tool for tool in catalog.tools if tool.name == "Luigi")
    assert (luigi.categories, luigi.stages) == (("Workflow Tools",), ())  # unmapped, still listed
    assert next(c for c in catalog.categories if c.name == "Workflow Tools").tools == 20


def test_user_file_extends_and_overrides(samples: Path) -> None:
    stage_map = load_stage_map("study", samples / "stage-map.yaml")
    assert stage_map.stages[-1] == "Experiment Tracking"
    assert stage_map.stages_of("Model Lifecycle") == ("Experiment Tracking",)
    assert stage_map.stages_of("Monitoring Extras") == ("Monitoring",)
    assert stage_map.stages_of("Feature Store") == ("Feature Store",)  # untouched
    catalog = read_catalog(samples / "catalog.yaml", stage_map=samples / "stage-map.yaml")
    assert catalog.unmapped_categories == ()
    # the shipped map is not changed by a user file
    assert load_stage_map("study").stages_of("Model Lifecycle") == (
        "ML Metadata Store",
        "Monitoring",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "categories:\n  X: [Nowhere]\n",
            r"s\.yaml:1: category 'X' maps to undeclared stage\(s\) Nowhere",
        ),
        (
            "categories:\n  X:\n    stages: Monitoring\n",
            r"s\.yaml:3: 'stages' of 'X' must be a list",
        ),
        ("stagez: []\n", r"s\.yaml:1: unknown key\(s\): stagez"),
        ("stages: [\n", r"s\.yaml:2: invalid YAML"),
    ],
)
def test_user_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_stage_map("study", path)


def test_unknown_taxonomy() -> None:
    with pytest.raises(ConfigError, match="unknown taxonomy 'nope'"):
        load_stage_map("nope")


def test_a_name_qualified_by_its_headings_takes_its_own_names_stages() -> None:
    study = load_stage_map("study")
    assert study.stages_of("Python / Feature Store") == ("Feature Store",)
    assert study.stages_of("Python / Tools / Model Serving") == ("Model Serving",)
    assert study.stages_of("Python / Unheard Of") == ()
    assert not study.is_proposed("Python / Feature Store")
