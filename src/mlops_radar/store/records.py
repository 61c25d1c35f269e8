"""Records of the store stage: what a snapshot is, its status and origin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NewType

__all__ = ["Origin", "SnapshotId", "SnapshotInfo", "SnapshotStatus"]

SnapshotId = NewType("SnapshotId", int)


class Origin(StrEnum):
    """Where a snapshot's facts came from."""

    COLLECTED = "collected"  # queried from GitHub by the collector
    IMPORTED = "imported"  # read from the study's files (CSV, ODS)


class SnapshotStatus(StrEnum):
    """How far a snapshot got. Only `complete` snapshots are used by default."""

    RUNNING = "running"  # being written, or its writer died (a collection can resume it)
    PARTIAL = "partial"  # finished with repositories missing (a collection can resume it)
    COMPLETE = "complete"  # every tool of its catalog has an outcome


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One snapshot's metadata (no facts)."""

    id: SnapshotId
    taken_at: datetime  # UTC, naive
    snapshot_date: date
    origin: Origin
    status: SnapshotStatus
    catalog_source: str | None
    catalog_sha256: str | None
    source_format: str | None
    tool_count: int | None
    repo_count: int | None
    error_count: int | None
    sources: tuple[str, ...] = ()  # the sources whose facts it holds ("github", "study", ...)
    collected: tuple[str, ...] = ()  # the fact fields those sources collect for it
    warnings: tuple[Mapping[str, Any], ...] = ()  # what its collection found wrong
