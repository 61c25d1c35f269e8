"""Reader of mlops-radar's own catalog file (YAML; schema in docs/catalog.md).

A catalog file lists tools with their categories, repository, homepage and PyPI names, and may carry
overrides that correct entries of any list read together with it (an organisation entry mapped to a
repository, a category renamed). Schema errors raise `CatalogError` naming `file:line`.
"""

from __future__ import annotations

import re
from typing import Any

from mlops_radar.catalog.links import is_web_url
from mlops_radar.catalog.located_yaml import LocatedMap, line_of, load_located_yaml
from mlops_radar.catalog.readers import (
    Override,
    RawEntry,
    ReaderResult,
    ReadOptions,
    SourceDocument,
)
from mlops_radar.catalog.utf8 import utf8_text
from mlops_radar.errors import CatalogError

__all__ = ["FORMAT_KEY", "CatalogFileReader"]

FORMAT_KEY = "mlops-radar-catalog"  # top-level key whose value is the schema version
_VERSION = 1
_MARKER = re.compile(rb"^mlops-radar-catalog[ \t]*:", re.M)
_TOP_KEYS = {FORMAT_KEY, "name", "tools", "overrides"}
_TOOL_KEYS = {"name", "categories", "repo", "url", "pypi", "description"}
_OVERRIDE_KEYS = {"tool", "category", "rename", "name", "categories", "repo", "url", "pypi"}
_OVERRIDE_KEYS |= {"description", "remove"}
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+(?:/tree/[^\s]+)?")


class CatalogFileReader:
    """The YAML catalog file, recognised by its top-level `mlops-radar-catalog:` key."""

    format_name = "catalog-yaml"

    def recognises(self, document: SourceDocument) -> bool:
        """True when a line starts with `mlops-radar-catalog:`."""
        return _MARKER.search(document.data[:65536]) is not None

    def read(self, document: SourceDocument, options: ReadOptions) -> ReaderResult:
        """Tools and overrides of the file; a schema error raises `CatalogError` with file:line."""
        del options  # nothing configurable here
        text = utf8_text(document.name, document.data)
        top = load_located_yaml(text, document.name, CatalogError)
        return _FileParser(document.name).parse(top)


class _FileParser:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, line: int | None, message: str) -> CatalogError:
        where = f"{self.name}:{line}" if line else self.name
        return CatalogError(f"{where}: {message}")

    def parse(self, top: object) -> ReaderResult:
        if not isinstance(top, LocatedMap):
            raise self.fail(
                1, "a catalog file is a mapping with 'mlops-radar-catalog: 1' and 'tools:'"
            )
        self.check_keys(top, _TOP_KEYS, "top level")
        if top.get(FORMAT_KEY) != _VERSION:
            raise self.fail(top.line, f"unsupported {FORMAT_KEY} version {top.get(FORMAT_KEY)!r}")
        tools = self.sequence(top, "tools")
        overrides = self.sequence(top, "overrides")
        return ReaderResult(
            entries=tuple(self.tool(item, top.line) for item in tools),
            overrides=tuple(self.override(item, top.line) for item in overrides),
        )

    def sequence(self, parent: LocatedMap, key: str) -> list[Any]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(parent.line, f"'{key}' must be a list")
        return value

    def check_keys(self, item: LocatedMap, allowed: set[str], what: str) -> None:
        unknown = sorted(str(k) for k in item if k not in allowed)
        if unknown:
            raise self.fail(item.line, f"unknown key(s) in {what}: {', '.join(unknown)}")

    def tool(self, item: object, parent_line: int) -> RawEntry:
        if not isinstance(item, LocatedMap):
            raise self.fail(line_of(item, parent_line), "each tool must be a mapping with 'name'")
        self.check_keys(item, _TOOL_KEYS, "a tool")
        name = self.required_text(item, "name")
        categories = self.texts(item, "categories")
        if not categories:
            raise self.fail(item.line, f"tool {name!r} has no 'categories'")
        url = self.web_url(item, "url")
        link = self.repo_link(item) or url
        if link is None:
            raise self.fail(item.line, f"tool {name!r} needs 'repo' or 'url'")
        pypi = self.texts(item, "pypi")
        description = self.text(item, "description")
        return RawEntry(name, categories, link, item.line, url, description, pypi)

    def override(self, item: object, parent_line: int) -> Override:
        if not isinstance(item, LocatedMap):
            raise self.fail(line_of(item, parent_line), "each override must be a mapping")
        self.check_keys(item, _OVERRIDE_KEYS, "an override")
        tool, category = self.text(item, "tool"), self.text(item, "category")
        if (tool is None) == (category is None):
            raise self.fail(item.line, "an override names exactly one of 'tool' or 'category'")
        if category is not None:
            rename = self.required_text(item, "rename")
            if set(item) - {"category", "rename"}:
                raise self.fail(item.line, "a category override has only 'category' and 'rename'")
            return Override(self.name, item.line, category=category, rename=rename)
        remove = item.get("remove", False)
        if not isinstance(remove, bool):
            raise self.fail(item.line, "'remove' must be true or false")
        url = self.web_url(item, "url")
        return Override(
            self.name,
            item.line,
            tool=tool,
            name=self.text(item, "name"),
            link=self.repo_link(item) or url,
            url=url,
            categories=self.texts(item, "categories") or None,
            pypi=self.texts(item, "pypi") or None,
            description=self.text(item, "description"),
            remove=remove,
        )

    def required_text(self, item: LocatedMap, key: str) -> str:
        text = self.text(item, key)
        if text is None:
            raise self.fail(item.line, f"missing '{key}'")
        return text

    def text(self, item: LocatedMap, key: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(item.line, f"'{key}' must be text")
        text = " ".join(str(value).split())
        if not text:
            raise self.fail(item.line, f"'{key}' is empty")
        return text

    def texts(self, item: LocatedMap, key: str) -> tuple[str, ...]:
        value = item.get(key)
        if value is None:
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise self.fail(item.line, f"'{key}' must be a list of non-empty texts")
        return tuple(" ".join(v.split()) for v in values)

    def web_url(self, item: LocatedMap, key: str) -> str | None:
        url = self.text(item, key)
        if url is not None and not is_web_url(url):
            raise self.fail(item.line, f"'{key}' must be an http(s) URL, got {url!r}")
        return url

    def repo_link(self, item: LocatedMap) -> str | None:
        """`repo` as a link: owner/name (GitHub, optionally /tree/BRANCH/PATH) or any forge URL."""
        repo = self.text(item, "repo")
        if repo is None:
            return None
        if is_web_url(repo):
            return repo
        if not _REPO.fullmatch(repo):
            raise self.fail(item.line, f"'repo' must be owner/name or a URL, got {repo!r}")
        return f"https://github.com/{repo}"
