"""Records of the catalog stage: tool entries read from a list, classified by their link.

These are the contract between the catalog readers and every later stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "HEADING_SEPARATOR",
    "Catalog",
    "CatalogWarning",
    "Category",
    "LinkKind",
    "Problem",
    "SkippedSection",
    "ToolEntry",
]

# Between the headings that qualify a category name read in several places of one list and the
# name ("Python / Computer Vision"; catalog.readers.markdown); catalog.stages reads it back.
HEADING_SEPARATOR = " / "


class LinkKind(StrEnum):
    """What an entry's link points at."""

    REPO = "repo"  # github.com/owner/name
    SUBPATH = "subpath"  # github.com/owner/name/tree/BRANCH/PATH: a component of a monorepo
    ORG = "org"  # github.com/ORG: no single repository
    OTHER_FORGE = "other-forge"  # GitLab, Bitbucket, Codeberg, ...
    WEBSITE = "website"  # no public repository


@dataclass(frozen=True, slots=True)
class Problem:
    """A line of a source that looked like an entry but could not be read as one."""

    line: int
    text: str
    reason: str
    #: Every place involved as `source:line` (e.g. both entries of one repository under two
    #: names); empty when `line` says it all.
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkippedSection:
    """A section of a list that was not read as tools, and why (`catalog.sections`)."""

    section: str
    line: int | None
    reason: str
    entries: int = 0  # list items with a link directly under it (not its subsections')


@dataclass(frozen=True, slots=True)
class CatalogWarning:
    """Something about a whole list (or one section) that its reader should look at.

    `mostly_websites`: most of the tools (of `section`, or of the list when None) link to a
    website, not a repository: more likely a reading list than a list of tools.
    """

    code: str
    websites: int
    tools: int
    section: str | None = None


@dataclass(frozen=True, slots=True)
class ToolEntry:
    """One tool of a catalog: a name, its categories and stages, and what its link points at.

    `repo` is "owner/name" as the list spells it (GitHub identity is case-insensitive: compare with
    `repo_key`). For `subpath` entries `repo` is the parent repository and `subpath` the folder.
    """

    name: str
    categories: tuple[str, ...]
    url: str
    kind: LinkKind
    repo: str | None = None
    subpath: str | None = None
    forge: str | None = None  # host of an other-forge link, e.g. "gitlab.com"
    forge_path: str | None = None  # path on that forge, e.g. "group/project"
    org: str | None = None  # organisation of an `org` entry
    description: str | None = None
    stages: tuple[str, ...] = ()
    pypi: tuple[str, ...] = ()  # PyPI package names, where a catalog file names them
    line: int | None = None  # first line of the entry in its source

    @property
    def repo_key(self) -> str | None:
        """Case-insensitive identity of the repository, or None."""
        return self.repo.lower() if self.repo else None

    @property
    def identity(self) -> str:
        """What makes two entries one tool: the repository if any, else the link, else the name."""
        if self.repo_key:
            return self.repo_key + (f"/{self.subpath.lower()}" if self.subpath else "")
        return self.url.lower().rstrip("/") or self.name.lower()


@dataclass(frozen=True, slots=True)
class Category:
    """A category of the list and the pipeline stages it maps to (empty when unmapped)."""

    name: str
    tools: int
    stages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything read from one catalog source."""

    source: str
    tools: tuple[ToolEntry, ...]
    categories: tuple[Category, ...] = ()
    problems: tuple[Problem, ...] = ()
    taxonomy: str = "study"
    unmapped_categories: tuple[str, ...] = field(default=())
    sha256: str | None = None  # hash of the source bytes, recorded with each snapshot
    skipped: tuple[SkippedSection, ...] = ()
    warnings: tuple[CatalogWarning, ...] = ()
