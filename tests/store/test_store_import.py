"""Importing the study's files: ten CSVs, history, changes, idempotence, bad rows, the ODS."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_radar.app import assessment
from mlops_radar.errors import StoreError
from mlops_radar.store import Store
from mlops_radar.store.importer import import_files

HEADER_16 = (
    "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
    "last_commit_check;fork_count;stars_count;watchers_count;license_name;primary_language;"
    "is_archived;open_issues;closed_issues\n"
)
GOOD = (
    "2;Workflow Tools;Metaflow;Netflix;metaflow;master;233;False;371;4349;217;MIT;Python;False;1;2"
    "\n"
)


def _csvs(study_data: Path) -> list[Path]:
    return sorted((study_data / "csvdata").glob("*.csv"))


def test_ten_csvs_give_ten_snapshots_and_history(db_url: str, study_data: Path) -> None:
    with Store.open(db_url) as store:
        results = import_files(store, _csvs(study_data))
        snapshots = store.snapshots()
        history = store.history("Metaflow")
    assert [r.tools for r in results] == [80] + [78] * 9
    assert len(snapshots) == 10
    assert set(snapshots["status"]) == {"complete"}
    assert set(snapshots["origin"]) == {"imported"}
    assert [str(d) for d in snapshots["snapshot_date"]][:2] == ["2021-05-09", "2021-05-10"]
    assert len(history) == 10
    assert next(iter(history["stars"])) == 4330
    assert list(history["stars"])[-1] == 4349
    assert set(history["repo"]) == {"Netflix/metaflow"}
    # the 12-column file names no tool: it takes the name the other files give its spreadsheet row
    assert list(history["tool"])[:2] == ["Metaflow", "Metaflow"]


def test_history_by_owner_name_is_case_insensitive(db_url: str, study_data: Path) -> None:
    with Store.open(db_url) as store:
        import_files(store, _csvs(study_data)[:3])
        assert len(store.history("NETFLIX/Metaflow")) == 3
        with pytest.raises(StoreError, match="no tool or repository 'nothing-here'"):
            store.history("nothing-here")


def test_changes_between_first_and_last_day(db_url: str, study_data: Path) -> None:
    with Store.open(db_url) as store:
        import_files(store, _csvs(study_data))
        changes = assessment.changes(store, "2021-05-09", "2021-05-20", assessment.policy("radar"))
    assert [(c.repo, c.old, c.new) for c in changes.license_changed] == [
        ("pycaret/pycaret", "Other", "MIT License")
    ]
    assert [(c.repo, c.new) for c in changes.archived_changed] == [("jamesrwhite/minicron", True)]
    assert changes.added == ()
    assert changes.removed == ()
    assert changes.star_gains[0].repo == "apache/Spark"
    assert changes.star_gains[0].gain == 181
    assert changes.fork_gains[0].gain >= changes.fork_gains[-1].gain > 0


def test_importing_twice_changes_nothing(db_url: str, study_data: Path) -> None:
    files = _csvs(study_data)[:2]
    with Store.open(db_url) as store:
        import_files(store, files)
        before = store.snapshots().drop(columns=["recorded_at", "finished_at"])
        facts = store.tool_facts(int(before["id"].iloc[-1]))
        again = import_files(store, files)
        after = store.snapshots().drop(columns=["recorded_at", "finished_at"])
        assert all(r.already_imported for r in again)
        assert before.equals(after)
        assert facts.equals(store.tool_facts(int(after["id"].iloc[-1])))


def test_bad_row_names_file_and_line_and_writes_nothing(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "2021-06-01.csv"
    bad = GOOD.replace("4349", "many").replace("2;", "3;", 1)
    path.write_text(HEADER_16 + GOOD + bad + GOOD.replace("Metaflow;Netflix;metaflow", "X;a;b"))
    with Store.open(db_url) as store:
        with pytest.raises(
            StoreError, match=rf"{path}:3: stars_count 'many' is not a whole number"
        ):
            import_files(store, [path])
        assert store.snapshots().empty
        [result] = import_files(store, [path], skip_bad=True)
        assert result.skipped_rows == (f"{path}:3: stars_count 'many' is not a whole number",)
        assert result.tools == 2
        assert list(store.tool_facts(result.snapshot_id)["tool"]) == ["Metaflow", "X"]


def test_wrong_field_count_and_missing_date(db_url: str, tmp_path: Path) -> None:
    short = tmp_path / "2021-06-02.csv"
    short.write_text(HEADER_16 + "2;a;b\n")
    undated = tmp_path / "study.csv"
    undated.write_text(HEADER_16 + GOOD)
    with Store.open(db_url) as store:
        with pytest.raises(StoreError, match=rf"{short}:2: 3 fields, expected 16"):
            import_files(store, [short])
        with pytest.raises(StoreError, match=r"no date in the file name.*--date"):
            import_files(store, [undated])
        [result] = import_files(
            store, [undated], snapshot_date=__import__("datetime").date(2021, 6, 3)
        )
        assert str(store.snapshot(result.snapshot_id).snapshot_date) == "2021-06-03"


def test_ods_needs_a_date_then_gives_manual_licenses(db_url: str, study_data: Path) -> None:
    from datetime import date

    ods = study_data / "FerramentasMLOps.ods"
    with Store.open(db_url) as store:
        with pytest.raises(StoreError, match="metadata has no date: pass --date"):
            import_files(store, [ods])
        [result] = import_files(store, [ods], snapshot_date=date(2021, 5, 1))
        table = store.tool_facts(result.snapshot_id).set_index("tool")
    assert table.loc["AutoSKLearn", "license_manual"] == "BSD-3"
    assert table.loc["AutoSKLearn", "stars"] == 5400
    assert table.loc["MLBox", "last_commit_stale"]
    assert table.loc["Tune", "kind"] == "subpath"
    assert table.loc["Tune", "stars"] == table.loc["Ray", "stars"] == 15200  # parent's facts
    assert table.loc["Arrikto", "outcome"] == "unresolved"
    assert table.loc["Arrikto", "repo"] is None or str(table.loc["Arrikto", "repo"]) == "nan"
    assert table.loc["CML", "categories"] == ["CI/CD"]  # trailing space of "CI/CD " normalised
