"""The study's rows as facts (sources/study.py): bad cells become problems, not exceptions."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.sources.study import read_study_csv_snapshot

HEADER = (
    "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    "is_archived;open_issues;closed_issues\n"
)
ROW = ["2", "AutoML", "AutoGluon", "awslabs", "autogluon", "master", "600", "False", "413",
       "3212", "82", "Apache License 2.0", "Python", "False", "89", "346"]  # fmt: skip
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=';\n\r"\x00'),
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(column=st.integers(min_value=0, max_value=15), value=cell_text)
def test_any_cell_gives_a_row_or_a_problem(column: int, value: str) -> None:
    cells = list(ROW)
    cells[column] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "2021-05-10.csv"
        path.write_text(HEADER + ";".join(cells) + "\n", encoding="utf-8")
        study = read_study_csv_snapshot(path)
    assert len(study.tools) + len(study.problems) == 1
    if study.problems:
        line, reason = study.problems[0]
        assert line == 2
        assert reason
    else:
        assert study.facts[0].repo.lower() == f"{cells[3]}/{cells[4]}".strip().lower()


def test_values_become_typed_facts(tmp_path: Path) -> None:
    path = tmp_path / "2021-05-10.csv"
    path.write_text(HEADER + ";".join(ROW) + "\n" + ";".join([*ROW[:7], "None", *ROW[8:]]) + "\n")
    study = read_study_csv_snapshot(path)
    (record,) = study.facts  # the same repository twice: one facts row, first wins
    assert record.fact_set.name == "study"
    assert str(record.collected_at.date()) == "2021-05-10"
    first = record.values
    assert (first.stars, first.forks, first.watchers, first.total_commits) == (3212, 413, 82, 600)
    assert first.last_commit_stale is False
    assert first.archived is False
    assert first.license_name == "Apache License 2.0"
    assert len(study.tools) == 2
    assert study.layout == "study-csv-16"
    assert str(study.snapshot_date) == "2021-05-10"
    # AutoML is not in Quadro 2: the study taxonomy maps it by our proposal (marked as ours)
    assert study.tools[0].entry.stages == ("Model Training",)
