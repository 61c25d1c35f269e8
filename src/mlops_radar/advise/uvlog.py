"""What uv's `--verbose` log says while it resolves: each release it selects, and the address of
the file it read that release's requirements from.

uv logs `DEBUG Selecting: numpy==2.4.6 [compatible] (numpy-2.4.6-cp311-...whl)` for each
candidate, and a line ending in ` for: <address>` for each HTTP request it makes or finds in its
cache (`Sending fresh GET request for: https://.../numpy-2.4.6-...whl.metadata`, or a HEAD of the
wheel where the index declares no PEP 658 metadata file and uv reads ranges of it). Put together,
the footprint can read a selected wheel's size and METADATA without reading the project's index
page again (numpy's is 2 MB of JSON; reading and parsing the pages was measured as half of
stack-check's own CPU time on mlflow + feast).

The log is not a stable interface, so everything here is a hint: a line this reader does not
understand is skipped, a selection whose file address never shows is handed on without one (the
index page then says), and the address is checked against the release before it is used
(`IndexClient`). The log's text comes from the index (names, addresses): it is only matched and
split here, never run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

__all__ = ["LOG_LEVELS", "OnSelected", "Selected", "UvLog"]

LOG_LEVELS = ("DEBUG ", "TRACE ", "INFO ")
_SELECTING = "DEBUG Selecting: "
_FILE = re.compile(r"\(([^()\s]+)\)\s*$")
_ADDRESS = re.compile(r" for: (https?://\S+)\s*$")
MAX_ADDRESSES = 20_000  # uv reads ahead of its choices; a log past this keeps the first ones


@dataclass(frozen=True, slots=True)
class Selected:
    """A release uv selected while resolving (a hint: uv may backtrack), with the address of the
    wheel it read where its log gave one."""

    name: str  # canonical
    version: str
    file_url: str | None = None
    metadata_file: bool = False  # uv read the wheel's PEP 658 `.metadata` file


OnSelected = Callable[[Selected], None]


class UvLog:
    """Feed it uv's stderr line by line; it calls `on_selected` for each selection, at once for
    an sdist or a line naming no file, else as soon as the wheel's address has shown (before or
    after the selection: uv fetches candidates' metadata ahead). `finish()` hands on the
    selections whose address never showed, without one."""

    def __init__(self, on_selected: OnSelected) -> None:
        self._on_selected = on_selected
        self._addresses: dict[str, tuple[str, bool]] = {}  # wheel file name -> (url, .metadata)
        self._waiting: dict[str, list[tuple[str, str]]] = {}  # wheel file name -> selections

    def feed(self, line: str) -> bool:
        """Read one line; True when it is a line of uv's log (not of its answer)."""
        if line.startswith(_SELECTING):
            self._selecting(line[len(_SELECTING) :])
            return True
        if line.startswith(LOG_LEVELS):
            found = _ADDRESS.search(line)
            if found is not None:
                self._address(found.group(1))
            return True
        return False

    def finish(self) -> None:
        """Hand on the selections still waiting for an address, without one."""
        waiting, self._waiting = self._waiting, {}
        for pins in waiting.values():
            for name, version in pins:
                self._on_selected(Selected(name, version))

    def _selecting(self, rest: str) -> None:
        name, _, version = (rest.split() or [""])[0].partition("==")
        if not name or not version:
            return
        name = canonicalize_name(name.split("[")[0])
        found = _FILE.search(rest)
        filename = found.group(1) if found else ""
        if not filename.endswith(".whl"):
            self._on_selected(Selected(name, version))
            return
        known = self._addresses.get(filename)
        if known is not None:
            self._on_selected(Selected(name, version, known[0], known[1]))
        elif len(self._waiting) < MAX_ADDRESSES:
            self._waiting.setdefault(filename, []).append((name, version))
        else:
            self._on_selected(Selected(name, version))

    def _address(self, url: str) -> None:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            return  # credentials (or uv's mask of them): the index page says where instead
        path = parts.path
        metadata = path.endswith(".whl.metadata")
        if metadata:
            path = path.removesuffix(".metadata")
        elif not path.endswith(".whl"):
            return
        filename = unquote(path.rsplit("/", 1)[-1])
        url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        before = self._addresses.get(filename)
        if before is None and len(self._addresses) >= MAX_ADDRESSES:
            return
        self._addresses[filename] = (url, metadata or (before is not None and before[1]))
        for name, version in self._waiting.pop(filename, ()):
            self._on_selected(Selected(name, version, url, self._addresses[filename][1]))
