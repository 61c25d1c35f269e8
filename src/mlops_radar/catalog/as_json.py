"""The JSON form of catalogs and tools, as `mlops-radar catalog show --json` prints it (issue 2)."""

from __future__ import annotations

from typing import Any

from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry

__all__ = ["catalog_as_dict", "kind_counts", "tool_as_dict"]


def tool_as_dict(tool: ToolEntry) -> dict[str, Any]:
    """One tool: name, categories, stages, url, kind, repo, subpath, forge, description."""
    return {
        "name": tool.name,
        "categories": list(tool.categories),
        "stages": list(tool.stages),
        "url": tool.url,
        "kind": str(tool.kind),
        "repo": tool.repo,
        "subpath": tool.subpath,
        "forge": tool.forge,
        "description": tool.description,
    }


def kind_counts(catalog: Catalog) -> dict[str, int]:
    """How many tools of each link kind, every kind present (0 included)."""
    counts = {str(kind): 0 for kind in LinkKind}
    for tool in catalog.tools:
        counts[str(tool.kind)] += 1
    return counts


def catalog_as_dict(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog: source, tools, categories, unmapped categories, counts, problems."""
    return {
        "source": catalog.source,
        "tools": [tool_as_dict(tool) for tool in catalog.tools],
        "categories": [
            {"name": c.name, "tools": c.tools, "stages": list(c.stages)} for c in catalog.categories
        ],
        "unmapped_categories": list(catalog.unmapped_categories),
        "counts": kind_counts(catalog),
        "problems": [
            {"line": p.line, "text": p.text, "reason": p.reason} for p in catalog.problems
        ],
    }
