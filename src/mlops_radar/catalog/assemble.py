"""Turn what readers found into a `Catalog`: the same steps for every format.

1. categories normalised (whitespace collapsed: `CI/CD ` is `CI/CD`);
2. overrides from catalog files applied (category renames, then tool corrections);
3. each link classified (`catalog.links`);
0. sections skipped by `--skip-section`/`--only-section` for formats whose reader did not apply
  them (Markdown applies them by heading);
1. categories normalised (whitespace collapsed: `CI/CD ` is `CI/CD`);
2. overrides from catalog files applied (category renames, then tool corrections);
3. each link classified (`catalog.links`);
4. entries with the same identity merged: one tool, the categories of all (first name, line, URL
  kept); the same repository under two names is a problem naming both places;
5. stages mapped by the taxonomy; categories counted, in the order the sources first name them;
  unmapped categories listed;
6. warnings: a list whose tools are mostly websites (`mostly_websites`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from mlops_radar.catalog.links import classify_link, tool_entry
from mlops_radar.catalog.readers import Override, RawEntry, ReaderResult, ReadOptions
from mlops_radar.catalog.records import (
    Catalog,
    CatalogWarning,
    Category,
    LinkKind,
    Problem,
    SkippedSection,
    ToolEntry,
)
from mlops_radar.catalog.sections import section_key
from mlops_radar.catalog.stages import StageMap, category_key

__all__ = ["MOSTLY_WEBSITES", "assemble_catalog"]

#: Share of a list's tools linking to websites past which the list is flagged `mostly_websites`.
#: Not one half: lists of tools often link homepages (Awesome MLOps of 2021-05-14: 66 of 130),
#: while a reading list is nearly all websites (460 of 499).
MOSTLY_WEBSITES = 0.75
#: A section is flagged on its own when it has at least this many tools ...
_SECTION_MIN_TOOLS = 10
#: ... and at least this share of them are websites (and the whole list is not flagged). All:
#: sections of platforms and services are mostly homepages (Awesome MLOps 2021-05-14's
#: Machine Learning Platform: 21 of 23) and still tools.
_SECTION_WEBSITES = 1.0


def assemble_catalog(
    source: str,
    results: Sequence[ReaderResult],
    stage_map: StageMap,
    *,
    sha256: str | None = None,
    sources: Sequence[str] | None = None,
    options: ReadOptions | None = None,
) -> Catalog:
    """One catalog from the results of one or more readers (in reading order).

    `sources` names each result's source (for problems naming two places); `options` carries
    `--skip-section`/`--only-section` for readers that did not apply them.
    """
    names = list(sources) if sources is not None else [source] * len(results)
    skipped = [s for result in results for s in result.skipped]
    placed: list[tuple[RawEntry, str]] = []
    for result, name in zip(results, names, strict=True):
        entries = [_normalised(entry) for entry in result.entries]
        if options is not None and not result.sections_applied:
            entries, dropped = _sections_kept(entries, options)
            skipped.extend(dropped)
        placed.extend((entry, name) for entry in entries)
    where = {id(entry): name for entry, name in placed}
    overrides = [override for result in results for override in result.overrides]
    problems = [problem for result in results for problem in result.problems]
    entries, override_problems = _apply_overrides([e for e, _ in placed], overrides)
    # an entry an override corrected is a new object: named by the first source (only problems
    # naming two places use it)
    origins = [where.get(id(e), names[0] if names else source) for e in entries]
    tools, duplicate_problems = _merged(
        [(_tool(entry), origin) for entry, origin in zip(entries, origins, strict=True)]
    )
    tools = [replace(tool, stages=stage_map.stages_for(tool.categories)) for tool in tools]
    categories = _categories(entries, tools, stage_map)
    return Catalog(
        source=source,
        tools=tuple(tools),
        categories=categories,
        problems=(*problems, *override_problems, *duplicate_problems),
        taxonomy=stage_map.taxonomy,
        unmapped_categories=tuple(c.name for c in categories if not c.stages),
        sha256=sha256,
        skipped=tuple(skipped),
        warnings=_warnings(tools, categories),
    )


def _sections_kept(
    entries: list[RawEntry], options: ReadOptions
) -> tuple[list[RawEntry], list[SkippedSection]]:
    """Entries of the categories `--skip-section`/`--only-section` keep (for formats without
    headings: a category is a section)."""
    if not options.skip_sections and not options.only_sections:
        return entries, []
    dropped: dict[str, SkippedSection] = {}
    kept: list[RawEntry] = []
    for entry in entries:
        keep = []
        for category in entry.categories:
            key = section_key(category)
            if key in options.skip_sections:
                reason = "skipped by --skip-section"
            elif options.only_sections and key not in options.only_sections:
                reason = "not named by --only-section"
            else:
                keep.append(category)
                continue
            old = dropped.get(category) or SkippedSection(category, entry.line, reason)
            dropped[category] = replace(old, entries=old.entries + 1)
        if keep or not entry.categories:
            kept.append(replace(entry, categories=tuple(keep)))
    return kept, list(dropped.values())


def _normalised(entry: RawEntry) -> RawEntry:
    categories = tuple(c for c in _unique(" ".join(c.split()) for c in entry.categories) if c)
    return entry if categories == entry.categories else replace(entry, categories=categories)


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


def _merged(tools: Sequence[tuple[ToolEntry, str]]) -> tuple[list[ToolEntry], list[Problem]]:
    """One tool per identity: the first entry's fields, every category and PyPI name.

    An entry of the same identity under another name (not just another case) is a problem
    naming both places: one of the two names is likely wrong.
    """
    by_identity: dict[str, ToolEntry] = {}
    first_source: dict[str, str] = {}
    named: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for tool, origin in tools:
        first = by_identity.get(tool.identity)
        if first is None:
            by_identity[tool.identity] = tool
            first_source[tool.identity] = origin
            named[tool.identity] = {tool.name.casefold()}
            continue
        if tool.name.casefold() not in named[tool.identity]:
            named[tool.identity].add(tool.name.casefold())
            problems.append(_two_names(first, first_source[tool.identity], tool, origin))
        categories = _unique((*first.categories, *tool.categories))
        pypi = _unique((*first.pypi, *tool.pypi))
        description = first.description or tool.description
        if (categories, pypi, description) != (first.categories, first.pypi, first.description):
            by_identity[tool.identity] = replace(
                first, categories=categories, pypi=pypi, description=description
            )
    return list(by_identity.values()), problems


def _two_names(first: ToolEntry, first_source: str, other: ToolEntry, source: str) -> Problem:
    what = f"repository {first.repo}" if first.repo else f"link {first.url}"
    if first.subpath:
        what += f"/{first.subpath}"
    places = (_place(first_source, first.line), _place(source, other.line))
    return Problem(
        other.line or 0,
        other.name,
        f"the same {what} is listed as {first.name!r} ({places[0]}) and as {other.name!r} "
        f"({places[1]}): read as one tool, {first.name!r}",
        places,
    )


def _place(source: str, line: int | None) -> str:
    return f"{source}:{line}" if line is not None else source


def _categories(
    entries: Sequence[RawEntry], tools: Sequence[ToolEntry], stage_map: StageMap
) -> tuple[Category, ...]:
    """Every category with its tools, in the order the entries (in reading order) name them."""
    order = _unique(c for entry in entries for c in entry.categories)
    counts = dict.fromkeys(order, 0)
    for tool in tools:
        for category in tool.categories:
            counts[category] = counts.get(category, 0) + 1
    return tuple(Category(name, n, stage_map.stages_of(name)) for name, n in counts.items() if n)


def _warnings(
    tools: Sequence[ToolEntry], categories: Sequence[Category]
) -> tuple[CatalogWarning, ...]:
    """`mostly_websites` for the list, else for each large section made almost only of them."""
    websites = sum(1 for tool in tools if tool.kind is LinkKind.WEBSITE)
    if tools and websites > MOSTLY_WEBSITES * len(tools):
        return (CatalogWarning("mostly_websites", websites, len(tools)),)
    warnings = []
    for category in categories:
        if category.tools < _SECTION_MIN_TOOLS:
            continue
        members = [t for t in tools if category.name in t.categories]
        sites = sum(1 for t in members if t.kind is LinkKind.WEBSITE)
        if sites >= _SECTION_WEBSITES * len(members):
            warnings.append(CatalogWarning("mostly_websites", sites, len(members), category.name))
    return tuple(warnings)


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
