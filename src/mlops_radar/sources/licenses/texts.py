"""Which of a repository's fetched files are license candidates, and their texts made safe to read.

The input is the `github.files` record's `files` list (see sources/github/groups/files.py):
dicts with `path`, `text`, `is_binary`, `is_truncated`, `capped`, `skipped`. Texts may also come
as bytes (a file read from disk or a test). Whatever the input, a text is at most `MAX_TEXT_BYTES`
of UTF-8 when a detector sees it: longer texts are cut, undecodable bytes replaced, and each such
change is reported as a `FileProblem`, never raised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlops_radar.sources.licenses.records import FileProblem

__all__ = ["MAX_TEXT_BYTES", "LicenseText", "is_candidate", "license_texts"]

MAX_TEXT_BYTES = 262_144  # as much as the `files` group stores per file
_NAME = re.compile(r"^(licen[cs]e|copying|unlicense)([-._ ].*)?$", re.IGNORECASE)
_FOLDER = "LICENSES/"


@dataclass(frozen=True, slots=True)
class LicenseText:
    """A candidate file's text, ready for a detector."""

    path: str
    text: str


def is_candidate(path: str) -> bool:
    """A license file by its path: LICENSE*, LICENCE*, COPYING*, UNLICENSE at the root, or any
    file under LICENSES/ (the REUSE layout)."""
    return path.startswith(_FOLDER) or ("/" not in path and bool(_NAME.match(path)))


def _decoded(path: str, raw: str | bytes, problems: list[FileProblem]) -> str:
    data = raw.encode("utf-8", errors="replace") if isinstance(raw, str) else raw
    capped = len(data) > MAX_TEXT_BYTES
    if capped:
        problems.append(
            FileProblem(path, "capped", f"{len(data):,} bytes, read {MAX_TEXT_BYTES:,}")
        )
        data = data[:MAX_TEXT_BYTES]
    for cut in range(4 if capped else 1):  # a cap may split a character: not the file's fault
        try:
            text = data[: len(data) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        problems.append(FileProblem(path, "not utf-8", "undecodable bytes replaced"))
        text = data.decode("utf-8", errors="replace")
    return text.replace("\x00", "")


def license_texts(
    files: Iterable[Mapping[str, Any]],
) -> tuple[list[LicenseText], list[FileProblem]]:
    """The candidate license files' texts, and what kept any of them from being read whole."""
    texts: list[LicenseText] = []
    problems: list[FileProblem] = []
    for item in files:
        path = item.get("path")
        if not isinstance(path, str) or not is_candidate(path):
            continue
        raw = item.get("text")
        if item.get("skipped"):
            problems.append(FileProblem(path, "skipped", str(item["skipped"])))
            continue
        if item.get("is_binary") or (isinstance(raw, bytes) and b"\x00" in raw[:8192]):
            problems.append(FileProblem(path, "binary"))
            continue
        if not isinstance(raw, str | bytes):
            problems.append(FileProblem(path, "no text"))
            continue
        if item.get("capped"):
            problems.append(FileProblem(path, "capped", "cut by the collector"))
        if item.get("is_truncated"):
            problems.append(FileProblem(path, "truncated", "GitHub sent part of the text"))
        texts.append(LicenseText(path, _decoded(path, raw, problems)))
    return texts, problems
