"""The catalog stage: read tool lists (awesome-list Markdown, our catalog YAML, the study's ODS and
CSVs) into a `Catalog` of tools classified by link and mapped to pipeline stages, and compare
catalogs.

    >>> from mlops_radar.catalog import read_catalog
    >>> catalog = read_catalog("README.md")                    # doctest: +SKIP
    >>> [t.name for t in catalog.tools if t.kind == "org"]     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from os import PathLike
from pathlib import Path

from mlops_radar.catalog.assemble import assemble_catalog
from mlops_radar.catalog.diff import CatalogDiff, ToolChange, diff_catalogs
from mlops_radar.catalog.fetch import open_source
from mlops_radar.catalog.readers import (
    DEFAULT_RESOURCE_SECTIONS,
    ReaderResult,
    ReadOptions,
    detect_reader,
)
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
from mlops_radar.catalog.stages import TAXONOMIES, StageMap, load_stage_map
from mlops_radar.errors import CatalogError

__all__ = [
    "DEFAULT_RESOURCE_SECTIONS",
    "MAX_ENTRIES",
    "TAXONOMIES",
    "Catalog",
    "CatalogDiff",
    "CatalogWarning",
    "Category",
    "LinkKind",
    "Problem",
    "SkippedSection",
    "StageMap",
    "ToolChange",
    "ToolEntry",
    "diff_catalogs",
    "load_stage_map",
    "read_catalog",
    "read_catalogs",
]

Source = str | PathLike[str]


def read_catalog(
    source: Source,
    *,
    taxonomy: str = "study",
    stage_map: Path | None = None,
    resource_sections: Iterable[str] | None = None,
    skip_sections: Iterable[str] = (),
    only_sections: Iterable[str] = (),
    keep_sections: Iterable[str] = (),
) -> Catalog:
    """Read one catalog source: a local path or an http(s) URL, its format detected from content.

    `taxonomy` names the shipped stage mapping (`study` or `amershi`); `stage_map` is a user file
    that extends or overrides it; `resource_sections` replaces the list of awesome-list sections
    that are not tools (by default: `DEFAULT_RESOURCE_SECTIONS`, and sections recognised by
    their words, see `catalog.sections`; a list given here is the whole rule); `skip_sections`
    and `only_sections` are `--skip-section` and `--only-section`, `keep_sections` the sections
    `--keep-section` reads as tools whatever their words (case-insensitive).
    Unreadable sources raise `CatalogError`; lines that look like entries but cannot be read
    come back in `Catalog.problems`, the sections not read in `Catalog.skipped`.
    """
    return read_catalogs(
        [source],
        taxonomy=taxonomy,
        stage_map=stage_map,
        resource_sections=resource_sections,
        skip_sections=skip_sections,
        only_sections=only_sections,
        keep_sections=keep_sections,
    )


def read_catalogs(
    sources: Sequence[Source],
    *,
    taxonomy: str = "study",
    stage_map: Path | None = None,
    resource_sections: Iterable[str] | None = None,
    skip_sections: Iterable[str] = (),
    only_sections: Iterable[str] = (),
    keep_sections: Iterable[str] = (),
) -> Catalog:
    """Read several sources into one catalog (same repository in two lists = one tool).

    Overrides of a catalog file apply to the tools of every source. With several sources, each
    problem's reason starts with the source it comes from.
    """
    if not sources:
        raise CatalogError("no catalog source given")
    mapping = load_stage_map(taxonomy, stage_map)
    options = _options(resource_sections, skip_sections, only_sections, keep_sections)
    results: list[ReaderResult] = []
    digests: list[str] = []
    for source in sources:
        result, digest = _read_one(str(source), options)
        if len(sources) > 1:
            result = _problems_named(result, str(source))
        results.append(result)
        digests.append(digest)
    sha256 = (
        digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()
    )
    return assemble_catalog(
        " + ".join(str(s) for s in sources),
        results,
        mapping,
        sha256=sha256,
        sources=[str(s) for s in sources],
        options=options,
    )


def _options(
    resource_sections: Iterable[str] | None,
    skip: Iterable[str],
    only: Iterable[str],
    keep: Iterable[str] = (),
) -> ReadOptions:
    options = ReadOptions(
        skip_sections=frozenset(section_key(s) for s in skip),
        only_sections=frozenset(section_key(s) for s in only),
        keep_sections=frozenset(section_key(s) for s in keep),
    )
    if resource_sections is None:
        return options
    # a list given replaces the whole rule: names only, no recognition by words
    return replace(
        options,
        resource_sections=frozenset(section_key(s) for s in resource_sections),
        resource_words=False,
    )


#: Entries of one source: the largest awesome lists have a few thousand; assembling an entry costs
#: ~25 us, so the 170,000 a 9 MB list can hold would take 4 s more than reading them.
MAX_ENTRIES = 50_000


def _read_one(source: str, options: ReadOptions) -> tuple[ReaderResult, str]:
    with open_source(source) as document:
        reader = detect_reader(document)
        try:
            result = reader.read(document, replace(options, max_entries=MAX_ENTRIES))
        except CatalogError as exc:
            if document.path is not None and str(document.path) != source:
                raise CatalogError(str(exc).replace(str(document.path), source)) from exc
            raise
        if len(result.entries) > MAX_ENTRIES:  # a reader may have stopped at MAX_ENTRIES + 1
            raise CatalogError(f"{source}: more than {MAX_ENTRIES:,} entries, more than a tool "
                               "list may have")  # fmt: skip
        return result, hashlib.sha256(document.data).hexdigest()


def _problems_named(result: ReaderResult, source: str) -> ReaderResult:
    problems = tuple(replace(p, reason=f"{source}: {p.reason}") for p in result.problems)
    return replace(result, problems=problems)
