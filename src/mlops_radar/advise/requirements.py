"""The user's stack and the packages asked for, validated as PEP 508 before anything runs.

A requirements file is read line by line; only requirement lines and comments are accepted (no
`-r`, `-e`, `--index-url` or URLs: those would let a file steer the resolver). A malformed line is
an `AdviseError` naming file:line. Nothing here reaches a shell: requirements are handed to the
resolver on its standard input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError

__all__ = ["Wanted", "from_arguments", "parse_line", "read_requirements"]

COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class Wanted:
    """One requirement and where it came from ("requirements.txt:4", "command line")."""

    requirement: Requirement
    origin: str
    tool: str | None = None  # the catalog tool it stands for, when it came from a tool name

    @property
    def name(self) -> str:
        """The canonical project name (PEP 503)."""
        return canonicalize_name(self.requirement.name)

    @property
    def text(self) -> str:
        return str(self.requirement)


def parse_line(text: str, origin: str) -> Requirement:
    """One PEP 508 requirement, or an `AdviseError` naming `origin`."""
    stripped = text.strip()
    if stripped.startswith("-"):
        raise AdviseError(f"{origin}: options are not accepted, only requirements: {stripped!r}")
    try:
        requirement = Requirement(stripped)
    except InvalidRequirement as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid"
        raise AdviseError(f"{origin}: not a PEP 508 requirement: {stripped!r} ({first})") from exc
    if requirement.url:
        raise AdviseError(f"{origin}: direct URLs are not accepted: {stripped!r}")
    return requirement


def read_requirements(path: Path) -> list[Wanted]:
    """The requirements of a file, each with its file:line; comments and blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AdviseError(f"{path}: cannot read requirements: {detail}") from exc
    wanted = []
    for number, line in enumerate(lines, start=1):
        content = line.split("#", 1)[0].strip()
        if not content or content.startswith("#"):
            continue
        wanted.append(Wanted(parse_line(content, f"{path.name}:{number}"), f"{path.name}:{number}"))
    return wanted


def from_arguments(texts: Iterable[str]) -> list[Wanted]:
    """Requirements given on the command line."""
    return [Wanted(parse_line(t, f"{COMMAND_LINE} ({t!r})"), COMMAND_LINE) for t in texts]
