"""The store stage: dated snapshots of catalogs and repository facts in SQLite or PostgreSQL.

`Store.open(url)` opens (and migrates) a database; see docs/store.md for the schema, the import
of the study's files, the exports and the Python API.
"""

from mlops_radar.store.records import Origin, SnapshotId, SnapshotInfo, SnapshotStatus
from mlops_radar.store.sink import SnapshotSink
from mlops_radar.store.store import Store

__all__ = ["Origin", "SnapshotId", "SnapshotInfo", "SnapshotSink", "SnapshotStatus", "Store"]
