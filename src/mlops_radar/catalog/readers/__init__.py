"""Catalog readers: one small interface, one module per format, the format detected from content.

A reader turns a source's bytes into `RawEntry` rows (a name, categories, the link as written) plus
`Problem`s for lines it could not read; classifying links, merging duplicates and mapping stages
happen once for every format in `catalog.assemble`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mlops_radar.catalog.records import Problem, SkippedSection
from mlops_radar.catalog.sections import SectionRules
from mlops_radar.catalog.utf8 import not_utf8
from mlops_radar.errors import CatalogError

__all__ = [
    "DEFAULT_RESOURCE_SECTIONS",
    "CatalogReader",
    "Override",
    "RawEntry",
    "ReadOptions",
    "ReaderResult",
    "SourceDocument",
    "detect_reader",
]

# Sections of awesome lists that list resources about the field, not tools (compared
# case-insensitively).
DEFAULT_RESOURCE_SECTIONS = (
    "About", "Acknowledgements", "Acknowledgments", "Articles", "Blogs", "Books", "Communities",
    "Community", "Conferences", "Contents", "Contribute", "Contributing", "Contributors",
    "Courses", "Events", "Footnotes", "License", "Meetups", "Newsletters", "Other Lists",
    "Papers", "Podcasts", "Related Lists", "Resources", "See Also", "Slack", "Sponsors",
    "Table of Contents", "Talks", "Tutorials", "Videos", "Websites",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The bytes of one catalog source; `path` is a local file holding them (a temporary copy
    for URLs)."""

    name: str
    data: bytes
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options a reader may use; section names are compared case-insensitively.

    `resource_sections` names sections that are not tools; `resource_words` also recognises
    them by their words (`catalog.sections`); `skip_sections`, `only_sections` and
    `keep_sections` come from `--skip-section`, `--only-section` and `--keep-section` (keys of
    `catalog.sections.section_key`).
    """

    resource_sections: frozenset[str] = frozenset(s.casefold() for s in DEFAULT_RESOURCE_SECTIONS)
    skip_sections: frozenset[str] = frozenset()
    only_sections: frozenset[str] = frozenset()
    resource_words: bool = True
    keep_sections: frozenset[str] = frozenset()  # --keep-section
    # a reader may stop once it has read more entries than this (the source is then refused:
    # a 9 MB list of 170,000 entries took 9 s to read in full only to be refused)
    max_entries: int | None = None

    def section_rules(self) -> SectionRules:
        """The rules deciding which sections hold tools."""
        return SectionRules(
            self.resource_sections,
            self.skip_sections,
            self.only_sections,
            self.resource_words,
            self.keep_sections,
        )


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One entry as a source wrote it, before its link is classified.

    `link` decides the kind (a repository URL when the source names one); `url` is what is shown,
    e.g. a homepage (None: the link itself).
    """

    name: str
    categories: tuple[str, ...]
    link: str
    line: int | None
    url: str | None = None
    description: str | None = None
    pypi: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Override:
    """A correction from a catalog file, applied after every source is read (see docs/catalog.md).

    Either `tool` (a tool name, link or owner/name) with fields to replace, or `category` with
    `rename`. `link` (from `repo` or `url`) re-classifies the tool; `url` is the link shown.
    """

    source: str
    line: int | None
    tool: str | None = None
    category: str | None = None
    rename: str | None = None
    name: str | None = None
    link: str | None = None
    url: str | None = None
    categories: tuple[str, ...] | None = None
    pypi: tuple[str, ...] | None = None
    description: str | None = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class ReaderResult:
    """What a reader found in one source."""

    entries: tuple[RawEntry, ...]
    problems: tuple[Problem, ...] = ()
    overrides: tuple[Override, ...] = field(default=())
    skipped: tuple[SkippedSection, ...] = ()
    #: True when the reader applied `skip_sections`/`only_sections` itself (Markdown, by
    #: heading); else `assemble` applies them to the entries' categories.
    sections_applied: bool = False


class CatalogReader(Protocol):
    """A reader of one catalog format."""

    format_name: str

    def recognises(self, document: SourceDocument) -> bool:
        """True when the document's content is in this reader's format."""
        ...

    def read(self, document: SourceDocument, options: ReadOptions) -> ReaderResult:
        """Read the document; `CatalogError` (naming file:line) when it cannot be read at all."""
        ...


def _readers() -> tuple[CatalogReader, ...]:
    from mlops_radar.catalog.readers.catalog_file import CatalogFileReader
    from mlops_radar.catalog.readers.markdown import MarkdownReader
    from mlops_radar.catalog.readers.study_csv import StudyCsvReader
    from mlops_radar.catalog.readers.study_ods import StudyOdsReader

    # Markdown last: any other text is Markdown.
    return (StudyOdsReader(), StudyCsvReader(), CatalogFileReader(), MarkdownReader())


def detect_reader(document: SourceDocument) -> CatalogReader:
    """The reader whose format the document's content is in."""
    for reader in _readers():
        if reader.recognises(document):
            return reader
    if b"\x00" not in document.data[:4096]:  # text, but not UTF-8: say where
        try:
            document.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(document.name, document.data, exc) from None
    raise CatalogError(
        f"{document.name}: unknown catalog format (expected an awesome-list Markdown file, "
        "a catalog YAML file, or the study's ODS or CSV)"
    )
