"""The default branch's files as git objects: what `Repository.object(expression:)` answers.

A repository's `SimRepo.files` (path -> text or bytes) becomes a tree of `Blob`s and `Tree`s with
real git object ids (the SHA-1 of git's object encoding, so `git hash-object` agrees), built once
per repository. Entries are listed in git's tree order (names compared as bytes, a folder's name
with a trailing `/`); that GitHub lists them in the same order is an assumption.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping
from typing import Any

from github_simulator.shapes import node_id

__all__ = [
    "BLOB_MODE",
    "BLOB_TEXT_LIMIT",
    "TREE_MODE",
    "BlobView",
    "FileTree",
    "TreeEntryView",
    "TreeView",
]

#: GitHub cuts `Blob.text` after 512,000 bytes and answers `isTruncated: true` (observed, not
#: documented: sveltia/sveltia-cms#950 measured the cut byte for byte; orbiting/backends#116
#: saw it "after 500kb"). The simulator cuts at this many bytes of UTF-8 and drops a character
#: the cut splits.
BLOB_TEXT_LIMIT = 512_000

#: Git's modes as GitHub's `TreeEntry.mode` answers them (decimal): 0o100644 and 0o40000.
BLOB_MODE = 0o100644
TREE_MODE = 0o40000


def _git_oid(kind: str, data: bytes) -> str:
    header = f"{kind} {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


class BlobView:
    """A file: `str` contents are text (UTF-8), `bytes` contents are binary. Ids are hashed
    only when asked for."""

    typename = "Blob"

    def __init__(self, content: str | bytes, repository: Any) -> None:
        self._content = content
        self.repository = repository
        if isinstance(content, bytes):
            self.byteSize = len(content)
        else:
            self.byteSize = len(content) if content.isascii() else len(content.encode("utf-8"))
        self.isBinary = isinstance(content, bytes)
        self.isTruncated = self.byteSize > BLOB_TEXT_LIMIT

    @functools.cached_property
    def oid(self) -> str:
        content = self._content
        return _git_oid("blob", content.encode("utf-8") if isinstance(content, str) else content)

    @property
    def abbreviatedOid(self) -> str:
        return self.oid[:7]

    @property
    def id(self) -> str:
        return node_id("B_", f"{self.repository.repo.key}:{self.oid}")

    @functools.cached_property
    def text(self) -> str | None:
        """The text, cut after `BLOB_TEXT_LIMIT` bytes; null for a binary blob, as GitHub."""
        if isinstance(self._content, bytes):
            return None
        if not self.isTruncated:
            return self._content
        cut = self._content.encode("utf-8")[:BLOB_TEXT_LIMIT]
        return cut.decode("utf-8", errors="ignore")


class TreeView:
    """A folder of the default branch (the root folder for `HEAD:`)."""

    typename = "Tree"

    def __init__(self, path: str, children: dict[str, BlobView | TreeView], repository: Any):
        self.path = path
        self.children = children
        self.repository = repository
        self._ordered = sorted(children.items(), key=lambda item: _order_key(*item))

    @functools.cached_property
    def oid(self) -> str:
        data = b"".join(
            f"{_mode(child):o} {name}".encode() + b"\0" + bytes.fromhex(child.oid)
            for name, child in self._ordered
        )
        return _git_oid("tree", data)

    @property
    def abbreviatedOid(self) -> str:
        return self.oid[:7]

    @property
    def id(self) -> str:
        return node_id("T_", f"{self.repository.repo.key}:{self.oid}")

    @functools.cached_property
    def _entries(self) -> list[TreeEntryView]:
        return [TreeEntryView(self, name, child) for name, child in self._ordered]

    def entries(self, info: Any) -> list[TreeEntryView]:
        """The folder's entries in git's order."""
        return self._entries


class TreeEntryView:
    """One entry of a folder."""

    typename = "TreeEntry"
    submodule = None  # the simulator's files hold no submodules

    def __init__(self, tree: TreeView, name: str, child: BlobView | TreeView) -> None:
        self.name = name
        self.path = f"{tree.path}/{name}" if tree.path else name
        self.object = child
        self.repository = tree.repository
        self.type = "blob" if isinstance(child, BlobView) else "tree"
        self.mode = _mode(child)
        # GitHub answers size 0 for a folder entry.
        self.size = child.byteSize if isinstance(child, BlobView) else 0

    @property
    def oid(self) -> str:
        return self.object.oid

    @property
    def nameRaw(self) -> str:
        return base64.b64encode(self.name.encode()).decode()

    @property
    def pathRaw(self) -> str:
        return base64.b64encode(self.path.encode()).decode()


def _mode(child: BlobView | TreeView) -> int:
    return BLOB_MODE if isinstance(child, BlobView) else TREE_MODE


def _order_key(name: str, child: BlobView | TreeView) -> bytes:
    """Git sorts tree entries by name as bytes, a folder's name followed by `/`."""
    return (name + ("/" if isinstance(child, TreeView) else "")).encode()


class FileTree:
    """All files of a repository as git objects, looked up by path."""

    def __init__(self, files: Mapping[str, str | bytes], repository: Any) -> None:
        nested: dict[str, Any] = {}
        for path, content in files.items():
            *folders, name = path.split("/")
            level = nested
            for folder in folders:
                level = level.setdefault(folder, {})
            level[name] = content
        self._objects: dict[str, BlobView | TreeView] = {}
        self.root = self._build("", nested, repository)

    def _build(self, path: str, nested: dict[str, Any], repository: Any) -> TreeView:
        children: dict[str, BlobView | TreeView] = {}
        for name, value in nested.items():
            child_path = f"{path}/{name}" if path else name
            child: BlobView | TreeView
            if isinstance(value, dict):
                child = self._build(child_path, value, repository)
            else:
                child = BlobView(value, repository)
            self._objects[child_path] = child
            children[name] = child
        tree = TreeView(path, children, repository)
        self._objects[path] = tree
        return tree

    def at(self, path: str) -> BlobView | TreeView | None:
        """The blob or tree at `path` ("" is the root; a folder may end with `/`), or None."""
        found = self._objects.get(path)
        if found is None and path.endswith("/"):
            tree = self._objects.get(path[:-1])
            return tree if isinstance(tree, TreeView) else None
        return found
