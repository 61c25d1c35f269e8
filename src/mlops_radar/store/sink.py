"""The store's `FactSink`: how one source writes one snapshot, batch by batch, durably."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from mlops_radar.errors import StoreError
from mlops_radar.sources.factsets import FactRecord, FactSet, RepoKey
from mlops_radar.sources.outcomes import Outcome, RepoOutcome, StoredOutcome, StoredState
from mlops_radar.store import schema
from mlops_radar.store.queries import read_records
from mlops_radar.store.records import SnapshotId, SnapshotStatus
from mlops_radar.store.rows import chunks, write_batch

if TYPE_CHECKING:
    from mlops_radar.store.store import Store

__all__ = ["SnapshotSink"]


class SnapshotSink:
    """Writes one source's facts and outcomes into one snapshot; each `write` is one committed
    transaction."""

    def __init__(self, store: Store, snapshot_id: SnapshotId, source: str) -> None:
        self.store = store
        self.snapshot_id = snapshot_id
        self.source = source

    def stored(self, fact_sets: Iterable[FactSet] = ()) -> StoredState:
        """This source's outcomes in the snapshot, which of `fact_sets` each key has, and for
        those with a refresh age, when each repository's newest value (any snapshot) was
        collected."""
        o = schema.outcomes
        with self.store.transaction() as conn:
            outcomes = {
                RepoKey(key): StoredOutcome(Outcome(outcome), int(attempts))
                for key, outcome, attempts in conn.execute(
                    sa.select(o.c.repo_key, o.c.outcome, o.c.attempts).where(
                        o.c.snapshot_id == self.snapshot_id, o.c.source == self.source
                    )
                )
            }
            present: dict[RepoKey, set[str]] = {}
            newest = {}
            for fact_set in fact_sets:
                table = schema.fact_table(fact_set)
                keys = conn.execute(
                    sa.select(table.c.repo_key).where(table.c.snapshot_id == self.snapshot_id)
                ).scalars()
                for key in keys:
                    present.setdefault(RepoKey(key), set()).add(fact_set.name)
                if fact_set.refresh is None:
                    continue
                rows = conn.execute(
                    sa.select(table.c.repo_key, sa.func.max(table.c.collected_at)).group_by(
                        table.c.repo_key
                    )
                )
                for key, moment in rows:
                    newest[(fact_set.name, RepoKey(key))] = _aware(moment)
        return StoredState(
            outcomes=outcomes,
            present={k: frozenset(v) for k, v in present.items()},
            newest=newest,
            lookup=self.values,
            earlier=self.earlier_values,
        )

    def values(self, fact_set: FactSet, keys: Iterable[str]) -> dict[RepoKey, Any]:
        """Stored records of `fact_set` in this snapshot for `keys`."""
        wanted = sorted({k.lower() for k in keys})
        found: dict[RepoKey, Any] = {}
        with self.store.transaction() as conn:
            for part in chunks(wanted):
                found.update(read_records(conn, fact_set, self.snapshot_id, part))
        return found

    def earlier_values(self, fact_set: FactSet, keys: Iterable[str]) -> dict[RepoKey, Any]:
        """Each key's newest record of `fact_set` from the other snapshots."""
        wanted = sorted({k.lower() for k in keys})
        found: dict[RepoKey, Any] = {}
        with self.store.transaction() as conn:
            for part in chunks(wanted):
                found.update(read_records(conn, fact_set, self.snapshot_id, part, earlier=True))
        return found

    def write(self, facts: Iterable[FactRecord], outcomes: Iterable[RepoOutcome]) -> None:
        """Record a batch atomically; a repository written again replaces its earlier rows."""
        with self.store.transaction(immediate=True) as conn:
            status = conn.execute(
                sa.select(schema.snapshots.c.status).where(
                    schema.snapshots.c.id == self.snapshot_id
                )
            ).scalar()
            if status is None:
                raise StoreError(f"no snapshot {self.snapshot_id}")
            if status == str(SnapshotStatus.COMPLETE):
                raise StoreError(f"snapshot {self.snapshot_id} is complete: it cannot change")
            write_batch(conn, self.snapshot_id, self.source, facts, outcomes)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)
