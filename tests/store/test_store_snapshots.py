"""Collected snapshots: the sink, statuses, references, the model's table, renames, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from factrecords import finished
from factrecords import github_facts as RF
from mlops_radar.app import assessment
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.errors import StoreError
from mlops_radar.sources.outcomes import FactSink, Outcome, RepoOutcome
from mlops_radar.sources.registry import model_columns
from mlops_radar.store import Store

WHEN = datetime(2024, 3, 1, 12, tzinfo=UTC)
TOOLS = (
    ToolEntry(
        name="Ray",
        categories=("Optimization Tools",),
        url="https://github.com/ray-project/ray",
        kind=LinkKind.REPO,
        repo="ray-project/ray",
        stages=("Model Serving",),
    ),
    ToolEntry(
        name="Tune",
        categories=("Hyperparameter Tuning",),
        url="https://github.com/ray-project/ray/tree/master/python/ray/tune",
        kind=LinkKind.SUBPATH,
        repo="ray-project/ray",
        subpath="python/ray/tune",
    ),
    ToolEntry(
        name="Old",
        categories=("X",),
        url="https://github.com/a/old",
        kind=LinkKind.REPO,
        repo="a/old",
    ),
    ToolEntry(name="Site", categories=("X",), url="https://example.com", kind=LinkKind.WEBSITE),
)
CATALOG = Catalog(source="list.md", tools=TOOLS, sha256="ab" * 32)


def _collect(store: Store, when: datetime = WHEN, stars: int = 10) -> int:
    sid = store.begin_snapshot(CATALOG, origin="collected", taken_at=when)
    sink: FactSink = store.sink(sid)
    sink.write(
        [
            *RF(
                "ray-project/ray",
                name_with_owner="ray-project/ray",
                stars=stars,
                topics=("ml", "dist"),
                last_commit_at=when,
            )
        ],
        [RepoOutcome("ray-project/ray", Outcome.COLLECTED)],
    )
    sink.write(
        [*RF("a/new", name_with_owner="a/new", stars=3)],
        [
            RepoOutcome("a/old", Outcome.RENAMED, new_name="a/new"),
            RepoOutcome("https://example.com", Outcome.SKIPPED),
        ],
    )
    return sid


def test_running_until_finished_then_complete(db_url: str) -> None:
    with Store.open(db_url) as store:
        sid = _collect(store)
        assert store.snapshot(sid).status == "running"
        assert store.resumable_snapshot() is not None
        with pytest.raises(StoreError, match="no complete snapshot yet"):
            store.resolve_snapshot("latest")
        with pytest.raises(StoreError, match=f"snapshot {sid} is running, not complete"):
            store.resolve_snapshot(str(sid))
        info = store.finish_snapshot(sid, "complete")
        assert (info.status, info.tool_count, info.repo_count, info.error_count) == (
            "complete",
            4,
            2,
            0,
        )
        assert store.resumable_snapshot() is None
        assert store.resolve_snapshot("latest").id == sid
        assert store.resolve_snapshot("2024-03-01").id == sid
        with pytest.raises(StoreError, match="is complete: it cannot change"):
            store.sink(sid).write([], [RepoOutcome("x/y", Outcome.FAILED)])
        with pytest.raises(StoreError, match="no complete snapshot on 2024-03-02"):
            store.resolve_snapshot("2024-03-02")
        with pytest.raises(StoreError, match="expected an id, a date"):
            store.resolve_snapshot("yesterday")


def test_done_repos_and_resume(db_url: str) -> None:
    with Store.open(db_url) as store:
        sid = store.begin_snapshot(CATALOG, origin="collected", taken_at=WHEN)
        sink = store.sink(sid)
        sink.write(
            [*RF("Ray-Project/Ray", stars=1)],
            [
                RepoOutcome("ray-project/ray", Outcome.COLLECTED),
                RepoOutcome("a/old", Outcome.FAILED, reason="timeout"),
            ],
        )
        assert finished(sink) == {"ray-project/ray"}
        store.finish_snapshot(sid, "partial")
        resumed = store.resumable_snapshot()
        assert resumed is not None
        assert resumed.id == sid
        assert resumed.status == "partial"
        store.sink(sid).write(
            [*RF("ray-project/ray", stars=2)], [RepoOutcome("a/old", Outcome.NOT_FOUND)]
        )
        assert finished(store.sink(sid)) == {"ray-project/ray", "a/old"}
        info = store.finish_snapshot(sid, "complete")
        assert (info.repo_count, info.error_count) == (1, 1)
        assert store.tool_facts(sid).set_index("tool").loc["Ray", "stars"] == 2  # replaced


def test_snapshot_tools_give_back_the_catalog(db_url: str) -> None:
    with Store.open(db_url) as store:
        sid = store.begin_snapshot(CATALOG, origin="collected", taken_at=WHEN)
        assert store.snapshot_tools(sid) == list(TOOLS)
        with pytest.raises(StoreError, match="no snapshot 999"):
            store.snapshot_tools(999)


def test_tool_facts_is_the_model_table(db_url: str) -> None:
    with Store.open(db_url) as store:
        sid = _collect(store)
        store.finish_snapshot(sid, "complete")
        table = store.tool_facts(sid)
    head = ["tool", "categories", "stages", "kind", "repo", "subpath", "outcome", "origin"]
    assert list(table.columns) == head + list(model_columns())
    rows = table.set_index("tool")
    assert list(rows.index) == ["Ray", "Tune", "Old", "Site"]
    assert rows.loc["Tune", "stars"] == rows.loc["Ray", "stars"] == 10  # parent's facts
    assert rows.loc["Old", "stars"] == 3
    assert rows.loc["Old", "outcome"] == "renamed"
    assert rows.loc["Old", "repo"] == "a/old"  # the name asked for
    assert rows.loc["Site", "outcome"] == "skipped"
    assert rows.loc["Site", "stars"] is not None
    assert str(rows.loc["Site", "stars"]) == "<NA>"
    assert rows.loc["Ray", "categories"] == ["Optimization Tools"]
    assert rows.loc["Ray", "stages"] == ["Model Serving"]
    assert rows.loc["Ray", "topics"] == ["ml", "dist"]
    assert rows.loc["Ray", "last_commit_at"].isoformat() == "2024-03-01T12:00:00+00:00"
    assert set(rows["origin"]) == {"collected"}


def test_history_follows_renames(db_url: str) -> None:
    with Store.open(db_url) as store:
        first = _collect(store, WHEN, stars=10)
        store.finish_snapshot(first, "complete")
        later = WHEN.replace(month=4)
        second = store.begin_snapshot(
            Catalog(
                source="list.md",
                tools=(
                    TOOLS[0],
                    ToolEntry(
                        name="New",
                        categories=("X",),
                        url="https://github.com/a/new",
                        kind=LinkKind.REPO,
                        repo="a/new",
                    ),
                ),
            ),
            taken_at=later,
        )
        store.sink(second).write([*RF("a/new", stars=7)], [RepoOutcome("a/new", Outcome.COLLECTED)])
        store.finish_snapshot(second, "complete")
        by_new = store.history("A/NEW")
        by_old = store.history("Old")
        changes = assessment.changes(store, str(first), "latest", assessment.policy("radar"))
    assert list(by_new["stars"]) == [3, 7]
    assert list(by_old["stars"]) == [3, 7]
    assert list(by_old["tool"]) == ["Old", "New"]
    assert [t.tool for t in changes.removed] == ["Tune", "Old", "Site"]
    assert [t.tool for t in changes.added] == ["New"]


def test_open_errors_are_one_line_without_password(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(str(tmp_path / "missing" / "radar.sqlite3"))
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://me:s3cret-pw@127.0.0.1:1/radar")
    message = str(caught.value)
    assert "s3cret-pw" not in message
    assert "\n" not in message
    assert message.startswith("cannot open database postgresql+psycopg://me:***@127.0.0.1:1/radar")
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        Store.open("mysql://x@y/z")
    not_a_db = tmp_path / "text.sqlite3"
    not_a_db.write_text("hello, not a database" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(str(not_a_db))


def test_default_location_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLOPS_RADAR_DB", str(tmp_path / "env.sqlite3"))
    with Store.open(None):
        pass
    assert (tmp_path / "env.sqlite3").exists()
    monkeypatch.delenv("MLOPS_RADAR_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    with Store.open(None) as store:
        assert store.label.endswith("radar.sqlite3")
    assert list((tmp_path).rglob("radar.sqlite3"))


def test_migrations_are_recorded_once(db_url: str) -> None:
    import sqlalchemy as sa

    from mlops_radar.store.migrate import head

    Store.open(db_url).close()
    with Store.open(db_url) as store, store.transaction() as conn:
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [r[0] for r in rows] == list(head())
