"""`catalog map`: a stage proposed for every category the taxonomy does not map (issue 9, item 6),
and its agreement with the taxonomies it was not given (leave one out, docs/catalog.md)."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlops_radar.catalog import read_catalog
from mlops_radar.catalog.mapper import leave_one_out, stage_descriptions
from mlops_radar.catalog.stages import load_stage_map
from mlops_radar.cli import main

LISTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "awesome-mlops"


def _lists() -> list[Path]:
    if not LISTS.is_dir():
        pytest.skip(f"the shared lists are not at {LISTS}")
    return sorted(LISTS.glob("*.md"))


@pytest.mark.parametrize("taxonomy", ["study", "amershi"])
def test_every_unmapped_category_gets_a_proposal(taxonomy: str, tmp_path: Path) -> None:
    for path in _lists():
        catalog = read_catalog(str(path), taxonomy=taxonomy)
        result = CliRunner().invoke(
            main, ["catalog", "map", str(path), "--taxonomy", taxonomy, "--json"]
        )
        assert result.exit_code == 0, (path.name, result.output)
        proposals = json.loads(result.stdout)["proposals"]
        proposed = {p["category"] for p in proposals if p["stages"]}
        assert set(catalog.unmapped_categories) <= proposed, path.name
        for p in proposals:
            assert set(p) == {"category", "stages", "confidence", "why"}


def test_write_gives_a_stage_map_that_loads_back(tmp_path: Path) -> None:
    lists = [p for p in _lists() if "2026" in p.name]
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(
        main, ["catalog", "map", str(lists[0]), "--taxonomy", "amershi", "--write", str(out)]
    )
    assert result.exit_code == 0, result.output
    mapping = load_stage_map("amershi", out)
    catalog = read_catalog(str(lists[0]), taxonomy="amershi", stage_map=out)
    assert not catalog.unmapped_categories
    assert mapping is not None


@pytest.mark.parametrize("taxonomy", ["study", "amershi"])
def test_leave_one_out_agreement_beats_the_majority_stage(taxonomy: str) -> None:
    """Each mapped category proposed with itself removed from the profiles: the best proposed stage
    is one the taxonomy gives it far more often than always answering the most common stage."""
    stage_map = load_stage_map(taxonomy)
    descriptions = stage_descriptions(taxonomy)
    for path in _lists():
        catalog = read_catalog(str(path), taxonomy=taxonomy)
        checks = leave_one_out(catalog, stage_map, descriptions)
        if len(checks) < 10:  # an early list with too few mapped categories to measure
            continue
        agreement = sum(c.top_agrees for c in checks) / len(checks)
        counts = collections.Counter(s for c in checks for s in c.taxonomy_stages)
        majority = counts.most_common(1)[0][0]
        baseline = sum(majority in c.taxonomy_stages for c in checks) / len(checks)
        assert agreement >= 0.6, (path.name, agreement)
        assert agreement >= baseline + 0.1, (path.name, agreement, baseline)
