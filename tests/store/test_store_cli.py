"""The store's commands through click (in process) and the Python API."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mlops_radar.api import open as open_radar
from mlops_radar.cli import main


def _run(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_commands_end_to_end(db_url: str, study_data: Path, tmp_path: Path) -> None:
    files = [str(p) for p in sorted((study_data / "csvdata").glob("*.csv"))]
    out = _run("import", *files, "--db", db_url)
    assert out.count("snapshot ") == 10
    assert "already imported" in _run("import", files[0], "--db", db_url)
    snapshots = json.loads(_run("snapshots", "--json", "--db", db_url))
    assert len(snapshots) == 10
    assert snapshots[0]["snapshot_date"] == "2021-05-09"
    history = json.loads(_run("history", "Metaflow", "--json", "--db", db_url))
    assert [h["stars"] for h in history][-1] == 4349
    assert len(history) == 10
    changes = json.loads(_run("changes", "2021-05-09", "2021-05-20", "--json", "--db", db_url))
    assert changes["license_changed"][0]["repo"] == "pycaret/pycaret"
    table = _run("changes", "--db", db_url)  # the two latest
    assert "2021-05-19" in table
    assert "2021-05-20" in table
    target = _run(
        "export",
        "--format",
        "csv",
        "--snapshot",
        "2021-05-10",
        "--out",
        str(tmp_path),
        "--db",
        db_url,
    ).strip()
    assert Path(target) == tmp_path / "2021-05-10.csv"
    assert "History of Metaflow" in _run("history", "Metaflow", "--db", db_url)


def test_bad_input_is_one_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "2021-01-01.csv"
    path.write_text("not;a;study;file\n")
    result = CliRunner().invoke(main, ["import", str(path), "--db", db_url])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:1: not a study CSV: header has 4 columns ('not;a;study;file'), expected "
        "the 12- or 16-column "
        "layout (see docs/catalog.md)"
    ]


def test_rich_tables_escape_outside_text(db_url: str, tmp_path: Path) -> None:
    header = (
        "gspread_row;use_area;tool_name;repo_owner;repo_name;main_branch;total_commits;"
        "last_commit_check;fork_count;stars_count;watchers_count;license_name;"
        "primary_language;is_archived;open_issues;closed_issues\n"
    )
    path = tmp_path / "2021-01-02.csv"
    path.write_text(header + "2;A;[bold red]x[/];o;r;main;1;False;1;1;1;[link]L;Py;False;1;1\n")
    _run("import", str(path), "--db", db_url)
    assert "[bold red]x[/]" in _run("history", "o/r", "--db", db_url)


def test_python_api(db_url: str, study_data: Path) -> None:
    _run("import", str(study_data / "csvdata" / "2021-05-20.csv"), "--db", db_url)
    with open_radar(db_url) as radar:
        assert len(radar.snapshots()) == 1
        assert radar.facts().set_index("tool").loc["Metaflow", "stars"] == 4349
        assert radar.facts("2021-05-20").shape[0] == 78
        assert len(radar.history("metaflow")) == 1


def test_db_names_the_database_and_its_revision_and_upgrades_only_when_asked(
    tmp_path: Path,
) -> None:
    import shutil

    legacy = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parents[1] / "data" / "store" / "radar-v2.sqlite3", legacy)
    before = json.loads(_run("db", "--json", "--db", str(legacy)))
    assert before["database"].endswith("old.sqlite3")
    assert before["revision"] == "0.1"
    assert [p["revision"] for p in before["pending"]] == ["0001", "0002", "0003", "0004"]
    assert json.loads(_run("db", "--json", "--db", str(legacy)))["revision"] == "0.1"  # looked only
    after = json.loads(_run("db", "--upgrade", "--json", "--db", str(legacy)))
    assert (after["revision"], after["pending"], after["snapshots"]) == ("0004", [], 6)
    text = _run("db", "--db", str(legacy))
    assert "revision  0004" in text
    assert "up to date" in text


def test_db_hides_the_password(db_url: str) -> None:
    import pytest
    import sqlalchemy as sa

    if not db_url.startswith("postgresql"):
        pytest.skip("a password is a PostgreSQL matter")

    with_password = sa.make_url(db_url).set(password="s3cr3t-pw").render_as_string(False)
    result = CliRunner().invoke(main, ["db", "--db", with_password])
    assert "s3cr3t-pw" not in result.output
