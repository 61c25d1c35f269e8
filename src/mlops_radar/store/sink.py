"""The store's `FactSink`: how a collector writes one snapshot, batch by batch, durably."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.sources.facts import RepoFacts
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import schema
from mlops_radar.store.records import SnapshotId, SnapshotStatus
from mlops_radar.store.rows import write_batch

if TYPE_CHECKING:
    from mlops_radar.store.store import Store

__all__ = ["SnapshotSink"]


class SnapshotSink:
    """Writes facts and outcomes into one snapshot; each `write` is one committed transaction."""

    def __init__(self, store: Store, snapshot_id: SnapshotId) -> None:
        self.store = store
        self.snapshot_id = snapshot_id

    def done_repos(self) -> set[str]:
        """Keys with facts or with an outcome other than `failed` (failed ones are tried again)."""
        facts, outcomes = schema.repo_facts, schema.repo_outcomes
        with self.store.transaction() as conn:
            with_facts = conn.execute(
                sa.select(facts.c.repo_key).where(facts.c.snapshot_id == self.snapshot_id)
            ).scalars()
            finished = conn.execute(
                sa.select(outcomes.c.repo_key).where(
                    outcomes.c.snapshot_id == self.snapshot_id,
                    outcomes.c.outcome != str(Outcome.FAILED),
                )
            ).scalars()
            return set(with_facts) | set(finished)

    def write(self, facts: Iterable[RepoFacts], outcomes: Iterable[RepoOutcome]) -> None:
        """Record a batch atomically; a repository written again replaces its earlier rows."""
        with self.store.transaction() as conn:
            status = conn.execute(
                sa.select(schema.snapshots.c.status).where(
                    schema.snapshots.c.id == self.snapshot_id
                )
            ).scalar()
            if status is None:
                raise StoreError(f"no snapshot {self.snapshot_id}")
            if status == str(SnapshotStatus.COMPLETE):
                raise StoreError(f"snapshot {self.snapshot_id} is complete: it cannot change")
            write_batch(conn, self.snapshot_id, facts, outcomes)
