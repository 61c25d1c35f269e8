"""Cloud lock-in as a tool's own manifests declare it, offline: the direct requirements and extras
in the stored `github.files` manifests (pyproject.toml, setup.cfg, a literal `install_requires` /
`extras_require` in setup.py), parsed, never executed, matched against the cloud SDK list.

This is what `show TOOL` says without a resolver; `stack-check` resolves the whole closure (an SDK
brought in by a dependency of a dependency shows only there).
"""

from __future__ import annotations

import ast
import configparser
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from mlops_radar.advise.lockin import CloudSdks, LockIn

__all__ = ["declared_lock_in", "declared_requirements"]


def _pyproject(text: str) -> dict[str | None, list[str]]:
    project = tomllib.loads(text).get("project")
    if not isinstance(project, dict):
        return {}
    found: dict[str | None, list[str]] = {None: [str(r) for r in project.get("dependencies", [])]}
    extras = project.get("optional-dependencies", {})
    if isinstance(extras, dict):
        for extra, reqs in extras.items():
            if isinstance(reqs, list):
                found[str(extra)] = [str(r) for r in reqs]
    return found


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip() and "#" not in line[:1]]


def _setup_cfg(text: str) -> dict[str | None, list[str]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    found: dict[str | None, list[str]] = {
        None: _lines(parser.get("options", "install_requires", fallback=""))
    }
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            found[extra] = _lines(value)
    return found


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _setup_py(text: str) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        called = (
            node.func.attr
            if isinstance(node.func, ast.Attribute)
            else getattr(node.func, "id", None)
        )
        if called != "setup":
            continue
        for keyword in node.keywords:
            value = _literal(keyword.value)
            if keyword.arg == "install_requires" and isinstance(value, list | tuple):
                found[None] = [str(v) for v in value]
            elif keyword.arg == "extras_require" and isinstance(value, dict):
                for extra, reqs in value.items():
                    if isinstance(reqs, list | tuple):
                        found[str(extra)] = [str(r) for r in reqs]
    return found


_READERS = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py}


def declared_requirements(
    files: Iterable[Mapping[str, Any]],
) -> tuple[dict[str | None, list[str]], list[str]]:
    """({extra or None: requirement texts}, problems) from the root manifests of a files record;
    the first readable manifest in pyproject.toml, setup.cfg, setup.py order is used."""
    texts = {
        str(item.get("path")): item.get("text")
        for item in files
        if isinstance(item, Mapping) and isinstance(item.get("text"), str)
    }
    problems = []
    for name, reader in _READERS.items():
        text = texts.get(name)
        if not isinstance(text, str):
            continue
        try:
            found = reader(text)
        except (tomllib.TOMLDecodeError, configparser.Error, SyntaxError, ValueError,
                RecursionError, MemoryError) as exc:  # fmt: skip
            problems.append(f"{name}: not readable ({type(exc).__name__})")
            continue
        if any(found.values()):
            return found, problems
    return {}, problems


def declared_lock_in(
    tool: str, files: Iterable[Mapping[str, Any]], sdks: CloudSdks
) -> list[LockIn] | None:
    """Cloud SDKs a tool's manifests require directly ("hard") or in an extra ("extra"); None
    when no manifest declares requirements (unknown, not "no lock-in")."""
    found, _ = declared_requirements(files)
    if not found:
        return None
    ties = []
    for extra, texts in found.items():
        for text in texts:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            cloud = sdks.cloud_of(requirement.name)
            if cloud is None:
                continue
            kind = "hard" if extra is None else "extra"
            ties.append(LockIn(tool, sdks.display(cloud), requirement.name, kind, (), extra))
    return ties
