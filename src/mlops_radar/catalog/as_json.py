"""The JSON form of catalogs and tools, as `mlops-radar catalog show --json` prints it (issue 2)."""

from __future__ import annotations

from typing import Any

from mlops_radar.catalog.records import Catalog, CatalogWarning, LinkKind, ToolEntry

__all__ = ["catalog_as_dict", "kind_counts", "tool_as_dict", "warning_message"]


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


def warning_message(warning: CatalogWarning) -> str:
    """One line saying what a catalog warning means."""
    if warning.code == "mostly_websites":
        where = f" of section {warning.section!r}" if warning.section else ""
        return (
            f"{warning.websites} of {warning.tools} entries{where} are websites, not "
            "repositories: is this a reading list? (--skip-section NAME leaves a section out)"
        )
    return warning.code


def catalog_as_dict(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog: source, tools, categories, unmapped categories, counts, problems,
    skipped sections and warnings."""
    return {
        "source": catalog.source,
        "tools": [tool_as_dict(tool) for tool in catalog.tools],
        "categories": [
            {"name": c.name, "tools": c.tools, "stages": list(c.stages)} for c in catalog.categories
        ],
        "unmapped_categories": list(catalog.unmapped_categories),
        "counts": kind_counts(catalog),
        "problems": [
            {"line": p.line, "text": p.text, "reason": p.reason, "locations": list(p.locations)}
            for p in catalog.problems
        ],
        "skipped": [
            {"section": s.section, "line": s.line, "reason": s.reason, "entries": s.entries}
            for s in catalog.skipped
        ],
        "warnings": [
            {
                "code": w.code,
                "section": w.section,
                "websites": w.websites,
                "tools": w.tools,
                "message": warning_message(w),
            }
            for w in catalog.warnings
        ],
    }
