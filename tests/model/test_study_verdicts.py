"""Issue 9's checks on the study's own 2021-05-20 snapshot: verdicts a practitioner can trust on
data the model was not tuned to (the study's CSVs collect no commit dates, releases, pull
requests or contributors)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from mlops_radar.app import assessment
from mlops_radar.app.reviews import read_reviews
from mlops_radar.errors import ConfigError
from mlops_radar.model.explain import standings
from mlops_radar.model.results import Ring, RingBasis, Status
from mlops_radar.store import Store
from mlops_radar.store.importer import import_files


@pytest.fixture(scope="module")
def study_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    data = Path(__file__).resolve().parents[3] / "shared" / "data" / "mlopstools-2021"
    if not data.is_dir():
        pytest.skip(f"the study's data is not at {data}")
    store = Store.open(str(tmp_path_factory.mktemp("study") / "radar.sqlite3"))
    import_files(store, sorted((data / "csvdata").glob("*.csv")))
    import_files(store, [data / "FerramentasMLOps.ods"], snapshot_date=date(2021, 5, 1))
    return store


def test_rings_mean_something_on_the_2021_05_20_snapshot(study_store: Store) -> None:
    loaded = assessment.load(study_store, "2021-05-20")
    chosen, weighting = assessment.policy("radar"), assessment.weights(None)
    ranking = assessment.ranking(loaded, chosen, weighting)
    tools = [t for g in ranking.groups for t in g.tools]
    qualified = {t.ring for t in tools if t.status is Status.QUALIFIED}
    assert len(qualified) > 1  # not every qualified tool in one ring
    assert not any(t.ring is Ring.UNRATED for t in tools)  # every study tool has facts
    for tool in tools:
        if tool.ring is Ring.HOLD:  # from a failed gate or a low score on known data only
            assert tool.explanation.ring.basis in (RingBasis.GATE, RingBasis.LOW_SCORE)
    assert ranking.not_collected  # what the CSVs do not hold is named, and held against no one
    known = sorted(t.completeness for t in tools if t.status is Status.QUALIFIED)
    assert known[len(known) // 2] > 0.9  # most qualified tools are (nearly) fully known


def test_the_spreadsheets_license_analysis_carries_to_the_csv_snapshots(study_store) -> None:
    loaded = assessment.load(study_store, "2021-05-20")
    result = assessment.qualification_of(loaded, assessment.policy("radar"))
    status = {t.name: t for t in result.tools}
    for name in ("Jupyter Notebook", "Horovod", "Kedro", "Modin", "MLRun"):
        assert status[name].status is Status.QUALIFIED, name
        assert status[name].gates["license"].reason.code == "manual_osi", name
        assert status[name].gates["license"].reason.facts["by"]


def test_no_top_reason_is_one_most_of_the_category_shares(study_store: Store) -> None:
    loaded = assessment.load(study_store, "2021-05-20")
    chosen, weighting = assessment.policy("radar"), assessment.weights(None)
    scored = assessment.scored(loaded, chosen, weighting, "category")
    _, _, _, shared = standings(scored)
    names = [s.name for s in scored.specs]
    ranking = assessment.ranking(loaded, chosen, weighting)
    frame = scored.frame
    for group in ranking.groups:
        for tool in group.tools:
            row = int(
                np.flatnonzero((frame["tool"] == tool.tool) & (frame["group"] == group.name))[0]
            )
            for reason in (*tool.explanation.helps, *tool.explanation.hurts):
                if (reason.group_size or 0) < 2:
                    continue  # a category of one tool: nothing to share
                assert shared[row, names.index(reason.signal)] <= 0.5, (tool.tool, reason)


def test_a_reviews_file_applies_and_bad_entries_name_file_and_entry(
    study_store: Store, tmp_path: Path
) -> None:
    good = tmp_path / "reviews.yaml"
    good.write_text(
        "- repo: automl/auto-sklearn\n  license: BSD-3-Clause\n  reviewer: Ana\n"
        "  date: 2026-11-30\n",
        encoding="utf-8",
    )
    loaded = assessment.load(study_store, "2021-05-20", good)
    result = assessment.qualification_of(loaded, assessment.policy("radar"))
    sklearn = next(t for t in result.tools if t.repo and t.repo.lower() == "automl/auto-sklearn")
    assert sklearn.status is Status.QUALIFIED
    assert sklearn.gates["license"].reason.facts["by"] == "Ana"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- repo: automl/auto-sklearn\n  license: MIT\n- repo: nope\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: entry 1: `reviewer` is missing"):
        read_reviews(bad)
    bad.write_text("- [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml:\d+: not a readable YAML"):
        read_reviews(bad)
