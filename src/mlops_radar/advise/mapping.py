"""Tool -> Python package(s): the catalog's explicit names, else the repository's packaging
manifests (`github.files`), parsed and never executed; several candidates are ambiguous.

Manifests: `[project] name` (or `[tool.poetry] name`) in pyproject.toml, `[metadata] name` in
setup.cfg, a literal `name="..."` keyword of a `setup(...)` call in setup.py (read with `ast`; any
computed name is not guessed). For a monorepo component the manifests under its folder count.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from packaging.utils import canonicalize_name

__all__ = ["PackageMapping", "manifest_name", "map_tool", "on_index"]

MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py")
_VALID_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)  # PEP 508


@dataclass(frozen=True, slots=True)
class PackageMapping:
    """What a tool installs as: `status` is mapped, ambiguous or unmapped."""

    tool: str
    status: str
    packages: tuple[str, ...] = ()
    source: str | None = None  # "catalog" or the manifest path(s)
    candidates: tuple[str, ...] = ()  # for ambiguous mappings
    problems: tuple[str, ...] = ()  # manifests that could not be read, with why


def _pyproject(text: str) -> str | None:
    data = tomllib.loads(text)
    for table in (data.get("project"), data.get("tool", {}).get("poetry")):
        if isinstance(table, dict) and isinstance(table.get("name"), str):
            return str(table["name"])
    return None


def _setup_cfg(text: str) -> str | None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    name = parser.get("metadata", "name", fallback=None)
    return name.strip() if name and "%" not in name and "{" not in name else None


def _setup_py(text: str) -> str | None:
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if called != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                value = keyword.value.value
                return value if isinstance(value, str) else None
    return None


_READERS = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py}


def manifest_name(path: str, text: str) -> str | None:
    """The distribution name a manifest declares, or None; raises ValueError on unreadable text."""
    reader = _READERS[path.rsplit("/", 1)[-1]]
    try:
        name = reader(text)
    except (tomllib.TOMLDecodeError, configparser.Error, SyntaxError, ValueError,
            RecursionError, MemoryError) as exc:  # fmt: skip
        # deep nesting makes tomllib recurse and ast.parse run out of memory: unreadable too
        raise ValueError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    if name is None or not _VALID_NAME.match(name.strip()):
        return None
    return name.strip()


def _manifest_files(
    files: Iterable[Mapping[str, Any]], subpath: str | None
) -> list[tuple[str, str]]:
    folder = f"{subpath.strip('/')}/" if subpath else ""
    found = []
    for item in files:
        path, text = item.get("path"), item.get("text")
        if not isinstance(path, str) or not isinstance(text, str) or not path.startswith(folder):
            continue
        if path[len(folder) :] in MANIFESTS:
            found.append((path, text))
    return found


def map_tool(
    tool: str,
    pypi: Iterable[str] = (),
    files: Iterable[Mapping[str, Any]] | None = None,
    subpath: str | None = None,
) -> PackageMapping:
    """A tool's packages: `pypi` (the catalog's) wins; else the names its manifests declare."""
    named = tuple(dict.fromkeys(canonicalize_name(p) for p in pypi if _VALID_NAME.match(p.strip())))
    if named:
        return PackageMapping(tool, "mapped", named, "catalog")
    names: dict[str, list[str]] = {}
    problems = []
    for path, text in _manifest_files(files or (), subpath):
        try:
            name = manifest_name(path, text)
        except ValueError as exc:
            problems.append(f"{path}: {exc}")
            continue
        if name:
            names.setdefault(canonicalize_name(name), []).append(path)
    if len(names) == 1:
        ((name, paths),) = names.items()
        return PackageMapping(tool, "mapped", (name,), ", ".join(paths), problems=tuple(problems))
    if names:
        return PackageMapping(
            tool, "ambiguous", candidates=tuple(sorted(names)), problems=tuple(problems)
        )
    return PackageMapping(tool, "unmapped", problems=tuple(problems))


def on_index(mapping: PackageMapping, exists: Callable[[str], bool | None]) -> PackageMapping:
    """A manifest's mapping checked against the package index: a name the index does not list
    leaves the tool unmapped (with why); the catalog's own names and unanswered checks stand."""
    if mapping.status != "mapped" or mapping.source == "catalog":
        return mapping
    missing = [p for p in mapping.packages if exists(p) is False]
    if not missing:
        return mapping
    why = tuple(f"{p} (from {mapping.source}) is not on the package index" for p in missing)
    return replace(mapping, status="unmapped", packages=(), problems=(*mapping.problems, *why))
