"""Turn what readers found into a `Catalog`: the same steps for every format.

1. categories normalised (whitespace collapsed: `CI/CD ` is `CI/CD`);
2. overrides from catalog files applied (category renames, then tool corrections);
3. each link classified (`catalog.links`);
4. entries with the same identity merged: one tool, the categories of all (first name, line, URL
  kept);
5. stages mapped by the taxonomy; categories counted; unmapped categories listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from mlops_radar.catalog.links import classify_link, tool_entry
from mlops_radar.catalog.readers import Override, RawEntry, ReaderResult
from mlops_radar.catalog.records import Catalog, Category, Problem, ToolEntry
from mlops_radar.catalog.stages import StageMap, category_key

__all__ = ["assemble_catalog"]


def assemble_catalog(
    source: str,
    results: Sequence[ReaderResult],
    stage_map: StageMap,
    *,
    sha256: str | None = None,
) -> Catalog:
    """One catalog from the results of one or more readers (in reading order)."""
    entries = [_normalised(entry) for result in results for entry in result.entries]
    overrides = [override for result in results for override in result.overrides]
    problems = [problem for result in results for problem in result.problems]
    entries, override_problems = _apply_overrides(entries, overrides)
    tools = _merged(_tool(entry) for entry in entries)
    tools = [replace(tool, stages=stage_map.stages_for(tool.categories)) for tool in tools]
    categories = _categories(tools, stage_map)
    return Catalog(
        source=source,
        tools=tuple(tools),
        categories=categories,
        problems=(*problems, *override_problems),
        taxonomy=stage_map.taxonomy,
        unmapped_categories=tuple(c.name for c in categories if not c.stages),
        sha256=sha256,
    )


def _normalised(entry: RawEntry) -> RawEntry:
    categories = _unique(" ".join(c.split()) for c in entry.categories)
    return replace(entry, categories=tuple(c for c in categories if c))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _tool(entry: RawEntry) -> ToolEntry:
    return tool_entry(
        entry.name,
        entry.categories,
        classify_link(entry.link),
        url=entry.url,
        description=entry.description,
        pypi=entry.pypi,
        line=entry.line,
    )


def _merged(tools: Iterable[ToolEntry]) -> list[ToolEntry]:
    """One tool per identity: the first entry's fields, every category and PyPI name."""
    by_identity: dict[str, ToolEntry] = {}
    for tool in tools:
        first = by_identity.get(tool.identity)
        if first is None:
            by_identity[tool.identity] = tool
            continue
        by_identity[tool.identity] = replace(
            first,
            categories=_unique((*first.categories, *tool.categories)),
            pypi=_unique((*first.pypi, *tool.pypi)),
            description=first.description or tool.description,
        )
    return list(by_identity.values())


def _categories(tools: Sequence[ToolEntry], stage_map: StageMap) -> tuple[Category, ...]:
    counts: dict[str, int] = {}
    for tool in tools:
        for category in tool.categories:
            counts[category] = counts.get(category, 0) + 1
    return tuple(Category(name, n, stage_map.stages_of(name)) for name, n in counts.items())


# --- overrides
# --------------------------------------------------------------------------------------


def _apply_overrides(
    entries: list[RawEntry], overrides: Sequence[Override]
) -> tuple[list[RawEntry], list[Problem]]:
    problems: list[Problem] = []
    for override in overrides:
        if override.category is not None:
            entries, matched = _rename_category(entries, override)
        else:
            entries, matched = _correct_tool(entries, override)
        if not matched:
            what = override.category if override.category is not None else override.tool
            problems.append(
                Problem(
                    override.line or 0, str(what), f"override in {override.source} matches nothing"
                )
            )
    return entries, problems


def _rename_category(entries: list[RawEntry], override: Override) -> tuple[list[RawEntry], bool]:
    key = category_key(override.category or "")
    new = override.rename or ""
    matched = False
    result = []
    for entry in entries:
        if any(category_key(c) == key for c in entry.categories):
            matched = True
            renamed = (new if category_key(c) == key else c for c in entry.categories)
            entry = replace(entry, categories=_unique(renamed))
        result.append(entry)
    return result, matched


def _correct_tool(entries: list[RawEntry], override: Override) -> tuple[list[RawEntry], bool]:
    wanted = (override.tool or "").casefold().rstrip("/")
    matched = False
    result = []
    for entry in entries:
        if not _matches(entry, wanted):
            result.append(entry)
            continue
        matched = True
        if override.remove:
            continue
        result.append(
            replace(
                entry,
                name=override.name or entry.name,
                link=override.link or entry.link,
                url=override.url if override.link else entry.url,
                categories=override.categories or entry.categories,
                pypi=override.pypi or entry.pypi,
                description=override.description or entry.description,
            )
        )
    return result, matched


def _matches(entry: RawEntry, wanted: str) -> bool:
    """An override's `tool` names an entry by its name, its link, or its owner/name."""
    if wanted in (entry.name.casefold(), entry.link.casefold().rstrip("/")):
        return True
    repo = classify_link(entry.link).repo
    return repo is not None and repo.casefold() == wanted
