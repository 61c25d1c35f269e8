"""Typed values from one untrusted GitHub answer, checked at the edge, field by field.

A value of the wrong type, a count outside 0..2**63-1, a string that cannot be stored (a lone
surrogate) or a timestamp that does not parse makes THAT fact unknown (None) and adds a problem
naming the field; it never fails the repository or the batch. Missing values (null, absent) are
None without a problem: GitHub answers null for what a repository does not have.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mlops_radar.errors import SourceError

__all__ = ["MAX_COUNT", "MAX_TEXT", "AnswerError", "AnswerReader", "parse_timestamp"]

#: Counts are stored as 64-bit integers; anything larger is not a count GitHub could have.
MAX_COUNT = 2**63 - 1
#: Free text longer than this (a description, a name) is cut, and the cut is a problem.
MAX_TEXT = 65_536


class AnswerError(SourceError):
    """An answer that cannot be read at all (not an object, no repository name)."""


def parse_timestamp(value: object, field: str) -> datetime | None:
    """An ISO 8601 timestamp (GitHub's `DateTime`) as an aware UTC datetime; None stays None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnswerError(f"{field}: expected a timestamp, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise AnswerError(f"{field}: not a timestamp: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database or file can hold it
        return False
    return "\x00" not in text  # PostgreSQL's text type cannot hold NUL


class AnswerReader:
    """Reads typed values below `node`; every unusable value is None plus a line in `problems`."""

    def __init__(self, node: Mapping[str, Any], problems: list[str] | None = None) -> None:
        self.node = node
        self.problems: list[str] = [] if problems is None else problems

    def _problem(self, path: str, what: str) -> None:
        self.problems.append(f"{path}: {what}")

    def value(self, path: str) -> object:
        """The raw value at a dotted `path`, None if any step is null, absent or not an object."""
        value: object = self.node
        walked: list[str] = []
        for step in path.split("."):
            if value is None:
                return None
            if not isinstance(value, Mapping):
                self._problem(".".join(walked), f"expected an object, got {type(value).__name__}")
                return None
            value = value.get(step)
            walked.append(step)
        return value

    def count(self, path: str) -> int | None:
        """A non-negative integer (a JSON boolean is not one)."""
        value = self.value(path)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self._problem(path, f"expected an integer, got {type(value).__name__}")
            return None
        if not 0 <= value <= MAX_COUNT:
            self._problem(path, f"count out of range: {value if abs(value) < 10**30 else 'huge'}")
            return None
        return value

    def text(self, path: str, *, empty_is_none: bool = False) -> str | None:
        """A string that can be stored ("" is None when `empty_is_none`)."""
        value = self.value(path)
        if value is None:
            return None
        if not isinstance(value, str):
            self._problem(path, f"expected a string, got {type(value).__name__}")
            return None
        if not _storable(value):
            self._problem(path, "a string that cannot be stored (lone surrogate or NUL)")
            return None
        if len(value) > MAX_TEXT:
            self._problem(path, f"{len(value):,} characters, cut to {MAX_TEXT:,}")
            value = value[:MAX_TEXT]
        return (value or None) if empty_is_none else value

    def flag(self, path: str) -> bool | None:
        """A JSON boolean."""
        value = self.value(path)
        if value is None or isinstance(value, bool):
            return value
        self._problem(path, f"expected a boolean, got {type(value).__name__}")
        return None

    def time(self, path: str) -> datetime | None:
        """A GitHub DateTime."""
        try:
            return parse_timestamp(self.value(path), path)
        except AnswerError as exc:
            self.problems.append(str(exc))
            return None

    def items(self, path: str) -> list[Any] | None:
        """A JSON list."""
        value = self.value(path)
        if value is None or isinstance(value, list):
            return value
        self._problem(path, f"expected a list, got {type(value).__name__}")
        return None

    def objects(self, path: str) -> list[AnswerReader] | None:
        """A JSON list of objects, each as a reader sharing these problems (others skipped)."""
        found = self.items(path)
        if found is None:
            return None
        readers = []
        for index, item in enumerate(found):
            if isinstance(item, Mapping):
                readers.append(AnswerReader(item, self.problems))
            elif item is not None:
                self._problem(f"{path}[{index}]", f"expected an object, got {type(item).__name__}")
        return readers
