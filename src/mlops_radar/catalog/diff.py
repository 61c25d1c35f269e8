"""How a catalog changed: tools added, removed, moved between categories, relinked.

Tools are matched by identity (their repository, else their link); a tool whose identity is gone but
whose name (case-insensitive) reappears with another link is `relinked` (a repository renamed or
moved, a website replaced by a repository), not removed and added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_radar.catalog.as_json import tool_as_dict
from mlops_radar.catalog.records import Catalog, ToolEntry

__all__ = ["CatalogDiff", "ToolChange", "diff_catalogs"]


@dataclass(frozen=True, slots=True)
class ToolChange:
    """One tool in the old and the new catalog."""

    old: ToolEntry
    new: ToolEntry


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """Differences from an old catalog to a new one, in the order of the new (or old) list."""

    added: tuple[ToolEntry, ...]
    removed: tuple[ToolEntry, ...]
    moved: tuple[ToolChange, ...]  # same tool, other categories
    relinked: tuple[ToolChange, ...]  # same name, another link

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """JSON form: each key a list of tools; moved/relinked tools carry their old values."""
        return {
            "added": [tool_as_dict(t) for t in self.added],
            "removed": [tool_as_dict(t) for t in self.removed],
            "moved": [
                {**tool_as_dict(c.new), "old_categories": list(c.old.categories)}
                for c in self.moved
            ],
            "relinked": [
                {
                    **tool_as_dict(c.new),
                    "old_url": c.old.url,
                    "old_kind": str(c.old.kind),
                    "old_repo": c.old.repo,
                }
                for c in self.relinked
            ],
        }


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Compare two catalogs (e.g. two snapshots of the same awesome list)."""
    old_by_id = {tool.identity: tool for tool in old.tools}
    new_by_id = {tool.identity: tool for tool in new.tools}
    moved = tuple(
        ToolChange(old_by_id[key], tool)
        for key, tool in new_by_id.items()
        if key in old_by_id and set(old_by_id[key].categories) != set(tool.categories)
    )
    gone = {key: tool for key, tool in old_by_id.items() if key not in new_by_id}
    fresh = {key: tool for key, tool in new_by_id.items() if key not in old_by_id}
    gone_by_name: dict[str, ToolEntry] = {}
    for tool in gone.values():
        gone_by_name.setdefault(tool.name.casefold(), tool)
    relinked: list[ToolChange] = []
    added: list[ToolEntry] = []
    for tool in fresh.values():
        previous = gone_by_name.pop(tool.name.casefold(), None)
        if previous is None:
            added.append(tool)
        else:
            relinked.append(ToolChange(previous, tool))
    relinked_old = {change.old.identity for change in relinked}
    removed = tuple(tool for key, tool in gone.items() if key not in relinked_old)
    return CatalogDiff(tuple(added), removed, moved, tuple(relinked))
