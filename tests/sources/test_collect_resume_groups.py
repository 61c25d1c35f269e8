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
