"""A snapshot's tools mapped to packages: the catalog's names, else the stored `github.files`
manifests (read from the store; nothing is fetched)."""

from __future__ import annotations

from mlops_radar.advise.mapping import PackageMapping, map_tool
from mlops_radar.catalog.records import ToolEntry
from mlops_radar.sources.github.groups.files import FILES
from mlops_radar.store import Store
from mlops_radar.store.queries import read_records

__all__ = ["snapshot_mappings"]


def snapshot_mappings(
    store: Store, snapshot_id: int
) -> dict[str, tuple[ToolEntry, PackageMapping]]:
    """Lower-case tool name -> (entry, mapping), for every tool of the snapshot."""
    entries = store.snapshot_tools(snapshot_id)
    keys = sorted({e.repo_key for e in entries if e.repo_key})
    with store.transaction() as conn:
        records = read_records(conn, FILES, snapshot_id, keys)
    found = {}
    for entry in entries:
        record = records.get(entry.repo_key) if entry.repo_key else None  # type: ignore[call-overload]
        files = getattr(record, "files", None) or ()
        found[entry.name.lower()] = (entry, map_tool(entry.name, entry.pypi, files, entry.subpath))
    return found
