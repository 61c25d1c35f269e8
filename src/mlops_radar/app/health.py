"""Community health for the model: the `github.health` records of a snapshot, computed into
metrics (`model.health.health_metrics`) and aligned with the model's table. The library layer
reads the store; the model stays pure (issue 13, docs/health.md)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd
import sqlalchemy as sa

from mlops_radar.model.health import health_metrics
from mlops_radar.model.health.columns import ToolHealth
from mlops_radar.sources.github.groups.health import HEALTH
from mlops_radar.store import SnapshotInfo, Store, schema
from mlops_radar.store.queries import read_records

__all__ = ["collected_health", "load_health"]


def collected_health(collected: Collection[str]) -> bool:
    """Whether a snapshot's sources collected the `github.health` group (`--depth full`)."""
    return set(HEALTH.field_names) <= set(collected)


def load_health(store: Store, info: SnapshotInfo, table: pd.DataFrame) -> list[ToolHealth | None]:
    """Per row of `table` (the snapshot's model table): its repository's metrics at the
    snapshot's date, None where no record was stored (not collected, failed, not on GitHub)."""
    from mlops_radar.model.config import free_mail_domains

    repos = [r.lower() if isinstance(r, str) else None for r in table.get("repo", [])]
    if len(repos) != len(table):
        repos = [None] * len(table)
    with store.transaction() as conn:
        renamed = dict(
            conn.execute(
                sa.select(schema.renames.c.old_key, schema.renames.c.new_key).where(
                    schema.renames.c.snapshot_id == info.id
                )
            ).all()
        )
        keys = sorted({k for r in repos if r for k in (r, renamed.get(r)) if k})
        found_records = read_records(conn, HEALTH, info.id, keys) if keys else {}
    records: dict[str, Any] = {str(k): v for k, v in found_records.items()}
    free_mail = free_mail_domains()
    found: list[ToolHealth | None] = []
    for repo in repos:
        record = None if repo is None else records.get(repo) or records.get(renamed.get(repo, ""))
        if record is None:
            found.append(None)
            continue
        metrics = health_metrics(record, info.snapshot_date, free_mail=free_mail)
        found.append(ToolHealth(metrics, getattr(record, "windows_end", None)))
    return found
