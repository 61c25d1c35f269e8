"""Resume per group (issue 8): a run killed after a batch's `core` write and before its `files`
group finished resumes only what is missing: stored groups are not asked again, finished
repositories not at all. Real SQLite file, simulator over HTTP, the library's lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store
from mlops_radar.store.sink import SnapshotSink

FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=10, concurrency=1)


class Killed(BaseException):
    """Stands for kill -9 at the moment a write would have been made (it never commits)."""


def _catalog(names: list[str]) -> Catalog:
    tools = tuple(
        ToolEntry(name=n, categories=("C",), url=f"https://github.com/{n}",
                  kind=LinkKind.REPO, repo=n)
        for n in names
    )  # fmt: skip
    return Catalog(source="test", tools=tools)


def _rows(store: Store, table: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT repo_key, collected_at FROM {table}")).all()
    return dict(rows)


def _outcomes(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return {r[0] for r in conn.execute(sa.text("SELECT repo_key FROM outcomes")).all()}


def test_killed_between_core_and_files_resumes_only_the_missing_groups(
    simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = simulator(n=40)
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    token = Token("t", "TEST")
    real_write = SnapshotSink.write

    def write_until_files(self: SnapshotSink, facts, outcomes) -> None:  # type: ignore[no-untyped-def]
        facts = list(facts)
        with_core = {f.repo for f in facts if f.fact_set.name == "github.core"}
        if any(f.fact_set.name == "github.files" and f.repo not in with_core for f in facts):
            raise Killed  # the first write of texts fetched after the batch never lands
        real_write(self, facts, outcomes)

    monkeypatch.setattr(SnapshotSink, "write", write_until_files)
    opened = open_collection(store, catalog=_catalog(sim.names))
    with pytest.raises(Killed):
        run_collection(store, opened, api_url=sim.url, token=token, config=FAST)
    monkeypatch.setattr(SnapshotSink, "write", real_write)

    core_before = _rows(store, "facts_github_core")
    files_before = _rows(store, "facts_github_files")
    finished_before = _outcomes(store)
    waiting = set(core_before) - set(files_before) - finished_before
    assert waiting, "no repository was caught between its core write and its files write"
    assert finished_before
    assert len(core_before) < 40
    asked_before = sim.queries()

    resumed = open_collection(store, resume=True, force=True)
    result = run_collection(store, resumed, api_url=sim.url, token=token, config=FAST)
    assert result.status.value == "complete"

    core = _rows(store, "facts_github_core")
    files = _rows(store, "facts_github_files")
    keys = {n.lower() for n in sim.names}
    assert set(core) == set(files) == _outcomes(store) == keys
    # what was stored before the kill is kept as it was: not asked, not rewritten
    assert {k: core[k] for k in core_before} == core_before
    for key in finished_before:
        assert sim.queries().get(key) == asked_before.get(key), key
    # the repositories caught half-way were asked only for their files: their other groups'
    # rows are the ones written before the kill
    for table in ("facts_github_activity", "facts_github_community", "facts_github_topics"):
        rows = _rows(store, table)
        assert all(rows[k] == core_before[k] for k in waiting if k in rows), table
    assert all(files[k] > core_before[k] for k in waiting)
    store.close()


def _files_rows(store: Store, snapshot_id: int) -> dict[str, Any]:
    from mlops_radar.sources.github.groups.files import FILES
    from mlops_radar.store.queries import read_records

    with store.engine.connect() as conn:
        keys = [r[0] for r in conn.execute(sa.text("SELECT repo_key FROM facts_github_files"))]
        return read_records(conn, FILES, snapshot_id, sorted(set(keys)))


def test_a_second_snapshot_fetches_only_the_texts_whose_git_object_changed(
    simulator, tmp_path: Path
) -> None:
    import dataclasses
    from datetime import UTC, datetime, timedelta

    first_sim = simulator(n=40)
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    token = Token("t", "TEST")
    day = datetime(2026, 1, 2, tzinfo=UTC)
    opened = open_collection(store, catalog=_catalog(first_sim.names), taken_at=day)
    run_collection(store, opened, api_url=first_sim.url, token=token, config=FAST, now=lambda: day)
    before = _files_rows(store, opened.snapshot_id)
    with_texts = sorted(k for k, v in before.items() if any(f["text"] for f in v.files or ()))
    assert len(with_texts) >= 3
    changed = with_texts[0]
    path = next(f["path"] for f in before[changed].files if f["text"])

    # the same world a day later, but one license file of one repository rewritten
    repos = [
        dataclasses.replace(r, files={**r.files, path: r.files[path] + "\nAmended.\n"})
        if r.full_name.lower() == changed
        else r
        for r in first_sim.population.repos
    ]
    from github_simulator import Simulator, SimulatorConfig

    population = dataclasses.replace(first_sim.population, repos=repos)
    with Simulator(SimulatorConfig(population=population)) as server:
        later = day + timedelta(days=1)
        again = open_collection(store, catalog=_catalog(first_sim.names), taken_at=later)
        run_collection(store, again, api_url=server.url, token=token, config=FAST,
                       now=lambda: later)  # fmt: skip
        asked = server.stats.repo_queries
    after = _files_rows(store, again.snapshot_id)
    # every repository asked once for its batch; only the changed one again, for its one file
    assert {k: n for k, n in asked.items() if n > 1} == {changed: 2}
    assert after[changed].files != before[changed].files
    new_text = next(f["text"] for f in after[changed].files if f["path"] == path)
    assert new_text.endswith("Amended.\n")
    for key in with_texts[1:]:
        assert after[key].files == before[key].files  # reused, byte for byte
    store.close()
