"""The `files` group: the root tree and, where needed, license texts and packaging manifests
(fact set `github.files`), read in two phases.

Phase 1 rides in the repository's batch: the entry names of the root tree and of a `LICENSES/`
folder (`object(expression: "HEAD:")`: no connection, so no cost by GitHub's formula). Phase 2
fetches the texts that are needed, as blob aliases that ride along later batches for free:
- candidate license files (LICENSE*, LICENCE*, COPYING*, UNLICENSE, LICENSES/*) when GitHub could
  not identify the license (`NOASSERTION`, "other", or none);
- Python packaging manifests (pyproject.toml, setup.cfg, setup.py) when the catalog names no PyPI
  package for the tool.
Files larger than `MAX_FETCH_BYTES` are listed, not fetched; texts are stored up to
`MAX_TEXT_BYTES` (cut texts say so), with GitHub's own `isTruncated`. Each entry carries its git
object id: a text an earlier snapshot fetched for the same path and object id is the same text,
so it is reused instead of fetched again (`reusable`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader
from mlops_radar.sources.github.groups import FieldGroup

__all__ = [
    "BLOB_SELECTION",
    "FILES",
    "GROUP",
    "MAX_FETCH_BYTES",
    "MAX_TEXT_BYTES",
    "Entry",
    "GitHubFiles",
    "Listing",
    "Needs",
    "license_unidentified",
    "listing",
    "read_blob",
    "record",
    "reusable",
    "wanted",
]

MAX_FETCH_BYTES = 1_048_576  # a license or manifest larger than 1 MiB is not fetched
MAX_TEXT_BYTES = 262_144  # stored text per file
MAX_LICENSE_FILES = 6
LICENSES_FOLDER = "LICENSES"
_LICENSE_NAME = re.compile(r"^(licen[cs]e|copying|unlicense)([-._ ].*)?$", re.IGNORECASE)
MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py")
_UNIDENTIFIED = frozenset({"noassertion", "other"})


@dataclass(frozen=True, slots=True)
class GitHubFiles:
    """A repository's root entries and the texts of the files that were needed."""

    root_entries: list[Any] | None = None  # [{"name", "type", "size"}], None: no tree answered
    license_entries: list[Any] | None = None  # entries of LICENSES/, None: no such folder
    # [{"path", "byte_size", "is_binary", "is_truncated", "capped", "text", "skipped"}]
    files: list[Any] | None = None


FILES = FactSet("github.files", GitHubFiles, source="github", in_model=False)

FRAGMENT = f"""
fragment FilesTree on Repository {{
  rootTree: object(expression: "HEAD:") {{ ... on Tree {{ entries {{ name type size oid }} }} }}
  licensesTree: object(expression: "HEAD:{LICENSES_FOLDER}") {{
    ... on Tree {{ entries {{ name type size oid }} }}
  }}
}}
"""

#: What a blob alias selects below `repository(owner:, name:)`.
BLOB_SELECTION = "object(expression: $x) { ... on Blob { byteSize isBinary isTruncated text } }"


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a tree: its path from the root, git type ("blob", "tree", ...) and size."""

    path: str
    type: str
    size: int | None
    oid: str | None = None  # git's object id: same id, same content

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.path.rpartition("/")[2], "type": self.type, "size": self.size,
            "oid": self.oid,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Listing:
    """Phase 1's answer: the root's entries and those of LICENSES/ (None when absent)."""

    root: tuple[Entry, ...] | None
    licenses: tuple[Entry, ...] | None


@dataclass(frozen=True, slots=True)
class Needs:
    """Which texts a repository needs: license files, manifests."""

    license_texts: bool
    manifests: bool


def license_unidentified(spdx: str | None, key: str | None = None) -> bool:
    """Whether GitHub could not say which license this is (or says there is none)."""
    if spdx is None or spdx.lower() in _UNIDENTIFIED:
        return True
    return key is not None and key.lower() in _UNIDENTIFIED


def _entries(answer: AnswerReader, path: str, folder: str) -> tuple[Entry, ...] | None:
    readers = answer.objects(path)
    if readers is None:
        return None
    entries = []
    for item in readers:
        name, kind = item.text("name"), item.text("type")
        if name and kind and "/" not in name and name not in (".", ".."):
            oid = item.text("oid")
            entries.append(Entry(f"{folder}{name}", kind, item.count("size"), oid or None))
    return tuple(entries)


def listing(answer: AnswerReader) -> Listing:
    """Phase 1: the trees' entries from a repository's answer."""
    return Listing(
        root=_entries(answer, "rootTree.entries", ""),
        licenses=_entries(answer, "licensesTree.entries", f"{LICENSES_FOLDER}/"),
    )


def wanted(found: Listing, needs: Needs) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """(the files whose texts phase 2 fetches, the needed ones too big to fetch)."""
    blobs = [e for e in found.root or () if e.type == "blob"]
    chosen: list[Entry] = []
    if needs.license_texts:
        licenses = [e for e in blobs if _LICENSE_NAME.match(e.path)]
        licenses += [e for e in found.licenses or () if e.type == "blob"]
        chosen += licenses[:MAX_LICENSE_FILES]
    if needs.manifests:
        chosen += [e for e in blobs if e.path in MANIFESTS]
    small = tuple(e for e in chosen if e.size is None or e.size <= MAX_FETCH_BYTES)
    return small, tuple(e for e in chosen if e not in small)


def read_blob(entry: Entry, answer: AnswerReader) -> dict[str, Any]:
    """Phase 2: one fetched file, its text stored up to MAX_TEXT_BYTES."""
    size = answer.count("object.byteSize")
    text = answer.text("object.text") if answer.value("object.text") is not None else None
    found: dict[str, Any] = {
        "path": entry.path,
        "oid": entry.oid,
        "byte_size": size if size is not None else entry.size,
        "is_binary": answer.flag("object.isBinary"),
        "is_truncated": answer.flag("object.isTruncated"),
        "capped": False,
        "text": None,
        "skipped": None if answer.value("object") is not None else "no such file any more",
    }
    if text is not None:
        data = text.encode("utf-8")
        if len(data) > MAX_TEXT_BYTES:
            text = data[:MAX_TEXT_BYTES].decode("utf-8", errors="ignore")
            found["capped"] = True
        found["text"] = text
    return found


def reusable(earlier: GitHubFiles | None) -> dict[tuple[str, str], dict[str, Any]]:
    """The texts an earlier record fetched, by (path, git object id): only whole, fetched ones."""
    if earlier is None:
        return {}
    found = {}
    for item in earlier.files or ():
        whole = isinstance(item, dict) and item.get("text") is not None and not item.get("skipped")
        if whole and item.get("oid"):
            found[(str(item["path"]), str(item["oid"]))] = dict(item)
    return found


def record(
    found: Listing, fetched: list[dict[str, Any]], too_big: tuple[Entry, ...] = ()
) -> GitHubFiles:
    """The fact set's record from both phases; needed files over the fetch cap listed as such."""
    big = [
        {"path": e.path, "byte_size": e.size, "is_binary": None, "is_truncated": None,
         "capped": False, "text": None, "skipped": f"over the {MAX_FETCH_BYTES:,}-byte fetch cap"}
        for e in too_big
    ]  # fmt: skip
    return GitHubFiles(
        root_entries=None if found.root is None else [e.as_json() for e in found.root],
        license_entries=None if found.licenses is None else [e.as_json() for e in found.licenses],
        files=[*fetched, *big],
    )


GROUP = FieldGroup(
    name="files",
    order=4,
    fact_set=FILES,
    fragment_name="FilesTree",
    fragment=FRAGMENT,
    connections=0,  # object(expression:) and Tree.entries are not connections
)
