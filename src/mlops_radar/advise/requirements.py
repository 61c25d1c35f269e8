"""The user's stack and the packages asked for, validated as PEP 508 before anything runs.

A requirements file is parsed with `pip-requirements-parser` (pip's own requirements-file
grammar: `\\` continuations, comments, per-requirement `--hash` options as lock files made by
pip-compile, `uv pip compile --generate-hashes` or `poetry export` have them; no environment
variable is expanded, nothing is fetched). Each requirement is then checked as PEP 508 with its
file:line. `-r other.txt` is followed (relative to the file, at most MAX_NESTING deep, each file
once). Refused, each with its file:line: options that would steer the resolver (`--index-url`,
`--extra-index-url`, `-f`, `--trusted-host`, ...), constraints files (`-c`), editables (`-e`),
URLs and local paths. Hashes are ignored (nothing is installed). Nothing here reaches a shell:
requirements are handed to the resolver on its standard input.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError
from mlops_radar.textfiles import TooLarge, read_capped

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


MAX_BYTES = 2 * 1024 * 1024  # a requirements file larger than this is refused, not read
MAX_NESTING = 8
MAX_FILES = 64  # files read for one --with, includes counted (a file included twice counts twice)


def _text(path: Path) -> str:
    try:
        if path.is_dir():
            raise AdviseError(f"{path}: cannot read requirements: a folder, not a file")
        return read_capped(path, MAX_BYTES)
    except TooLarge as exc:
        raise AdviseError(f"{path}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AdviseError(f"{path}: cannot read requirements: {detail}") from exc


def _first(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "invalid")


def _option_error(origin: str, options: dict[str, Any], shown: str) -> AdviseError:
    if options.keys() & {"index_url", "extra_index_urls", "find_links", "no_index"}:
        why = "package index options are not accepted (stack-check's --index-url sets the index)"
    elif "constraints" in options:
        why = "constraints files (-c) are not supported: put the pins in a requirements file"
    elif "editable_requirements" in options:
        why = "editable installs (-e) are not accepted, only requirements"
    else:
        why = "options are not accepted, only requirements and their --hash"
    return AdviseError(f"{origin}: {why}: {shown}")


def read_requirements(path: Path) -> list[Wanted]:
    """The requirements of a file (and of the files it includes with `-r`), each with its
    file:line; comments, blank lines and hashes skipped."""
    return _read(path, frozenset(), _Count())


@dataclass(slots=True)
class _Count:
    """How many files one --with has read so far, includes counted."""

    files: int = 0


def _read(path: Path, _seen: frozenset[Path], files: _Count) -> list[Wanted]:
    """`read_requirements` of one file; `_seen`: the files including it."""
    from pip_requirements_parser import RequirementsFile

    files.files += 1
    if files.files > MAX_FILES:
        raise AdviseError(f"{path}: more than {MAX_FILES} requirements files through -r")
    text = _text(path)  # readable, UTF-8, not huge: our errors, before the parser's
    resolved = path.resolve()
    # the parser reads a file: it gets a copy of what was read once (a pipe such as
    # `--with <(...)` cannot be read twice), in a folder of its own
    with tempfile.TemporaryDirectory(prefix="mlops-radar-requirements-") as folder:
        copy = Path(folder) / "requirements.txt"
        copy.write_text(text, encoding="utf-8")
        try:
            parsed = RequirementsFile.from_file(str(copy), include_nested=False)
        except Exception as exc:  # the parser's own errors (pip's) on a file it cannot take
            detail = _first(str(exc)).replace(str(copy), path.name)
            raise AdviseError(f"{path.name}: cannot parse requirements: {detail}") from exc
    lines = sorted(
        [*parsed.invalid_lines, *parsed.options, *parsed.requirements],
        key=lambda line: line.line_number,
    )
    wanted: list[Wanted] = []
    for line in lines:  # in file order: the first bad line is the one named
        wanted += _line(path, line, _seen | {resolved}, files)
    return wanted


def _line(path: Path, line: Any, seen: frozenset[Path], files: _Count) -> list[Wanted]:
    from pip_requirements_parser import InstallRequirement, OptionLine

    origin = f"{path.name}:{line.line_number}"
    shown = repr(" ".join(str(line.line).split()))
    if isinstance(line, OptionLine):
        options = dict(line.options)
        included = options.pop("requirements", None)
        if options or not included:
            raise _option_error(origin, options, shown)
        names = included if isinstance(included, list) else [included]
        return [w for name in names for w in _included(path, str(name), origin, seen, files)]
    if not isinstance(line, InstallRequirement):
        message = _first(str(getattr(line, "error_message", "") or "invalid"))
        message = message.removeprefix("Invalid requirement:").strip(" :") or "invalid"
        raise AdviseError(f"{origin}: not a PEP 508 requirement: {shown} ({message})")
    if line.is_editable:
        raise AdviseError(f"{origin}: editable installs (-e) are not accepted: {shown}")
    if line.link is not None or line.req is None:
        raise AdviseError(f"{origin}: direct URLs and paths are not accepted: {shown}")
    text = str(line.req)
    if line.marker is not None and line.req.marker is None:
        text += f" ; {line.marker}"
    return [Wanted(parse_line(text, origin), origin)]


def _included(
    path: Path, name: str, origin: str, seen: frozenset[Path], files: _Count
) -> list[Wanted]:
    """The requirements of `-r name` in `path`, relative to `path`'s folder."""
    if "://" in name:
        raise AdviseError(f"{origin}: requirements files from URLs are not read: {name!r}")
    nested = path.parent / name
    if nested.resolve() in seen:
        raise AdviseError(f"{origin}: {name} includes itself (a -r loop)")
    if len(seen) >= MAX_NESTING:
        raise AdviseError(f"{origin}: -r nested more than {MAX_NESTING} deep")
    if not nested.is_file():
        raise AdviseError(f"{origin}: -r {name}: no such file next to {path.name}")
    return _read(nested, seen, files)


def from_arguments(texts: Iterable[str]) -> list[Wanted]:
    """Requirements given on the command line."""
    return [Wanted(parse_line(t, f"{COMMAND_LINE} ({t!r})"), COMMAND_LINE) for t in texts]
