"""Cloud lock-in: hard dependencies on one cloud's SDK, and extras that bring one.

The SDKs are a data file (`data/cloud_sdks.toml`, extendable with the user's own): a package of
the resolved closure that matches is a hard dependency (with the chain that brings it); a
`Requires-Dist` of the tool's own package guarded by `extra == "x"` that matches is an extra.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError
from mlops_radar.textfiles import read_capped

__all__ = [
    "DEVELOPER_EXTRAS",
    "CloudSdks",
    "LockIn",
    "developer_extra",
    "extra_lock_in",
    "hard_lock_in",
    "load_cloud_sdks",
]

_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")
# Extras a project keeps for its own developers (its tests, docs, linters), not options for its
# users: kedro's [test] brings s3fs to test its S3 datasets, which ties no user to AWS.
DEVELOPER_EXTRAS = frozenset(
    ("test", "tests", "testing", "dev", "devel", "develop", "development", "docs", "doc",
     "documentation", "lint", "linting", "linter", "typing", "mypy", "ci", "qa", "bench",
     "benchmark", "benchmarks", "coverage", "style", "format", "formatting")
)  # fmt: skip


def developer_extra(name: str) -> bool:
    """Whether an extra is for the project's own developers: a name of `DEVELOPER_EXTRAS`,
    alone or first ("test", "Tests", "dev-all", "docs_build"), compared as PEP 685 does."""
    normal = re.sub(r"[-_.]+", "-", name).lower()
    return normal.split("-", 1)[0] in DEVELOPER_EXTRAS


@dataclass(frozen=True, slots=True)
class CloudSdks:
    """Cloud key -> (display name, name patterns)."""

    clouds: dict[str, tuple[str, tuple[str, ...]]]
    # each cloud's patterns as one expression (fnmatch's own translation), made on first use: a
    # check asks for every package of every tool's closure
    _matchers: dict[str, re.Pattern[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def cloud_of(self, package: str) -> str | None:
        name = canonicalize_name(package)
        for key, (_, patterns) in self.clouds.items():
            matcher = self._matchers.get(key)
            if matcher is None:
                matcher = re.compile("|".join(fnmatch.translate(p) for p in patterns) or "(?!)")
                self._matchers[key] = matcher
            if matcher.match(name):
                return key
        return None

    def display(self, key: str) -> str:
        return self.clouds[key][0]


@dataclass(frozen=True, slots=True)
class LockIn:
    """One tie to a cloud: `kind` is "hard" (installed always) or "extra" (with `extra`)."""

    tool: str  # the package asked for
    cloud: str
    package: str
    kind: str
    chain: tuple[str, ...] = ()
    extra: str | None = None

    @property
    def developer(self) -> bool:
        """An extra for the project's own developers (its tests, docs), not its users."""
        return self.extra is not None and developer_extra(self.extra)

    def as_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "cloud": self.cloud,
            "package": self.package,
            "kind": self.kind,
            "extra": self.extra,
            "developer": self.developer,
            "chain": list(self.chain),
        }


def _tables(text: str, source: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AdviseError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise AdviseError(f"{source}: not valid TOML: nested too deeply") from exc
    found = {}
    for key, table in data.items():
        patterns = table.get("packages") if isinstance(table, dict) else None
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise AdviseError(f'{source}: [{key}] needs packages = ["pattern", ...]')
        name = table.get("name", key)
        found[key] = (str(name), tuple(p.lower().replace("_", "-") for p in patterns))
    return found


def load_cloud_sdks(extra_files: Iterable[Path] = ()) -> CloudSdks:
    """The shipped SDK list, with each of `extra_files` laid over it (patterns added)."""
    shipped = resources.files("mlops_radar.advise").joinpath("data/cloud_sdks.toml")
    clouds = _tables(shipped.read_text(encoding="utf-8"), "cloud_sdks.toml")
    for path in extra_files:
        try:
            text = read_capped(path)
        except (OSError, ValueError) as exc:
            raise AdviseError(f"{path}: cannot read the cloud SDK file: {exc}") from exc
        for key, (name, patterns) in _tables(text, str(path)).items():
            old_name, old = clouds.get(key, (name, ()))
            clouds[key] = (old_name, (*old, *patterns))
    return CloudSdks(clouds)


def _path(children: Mapping[str, tuple[str, ...]], start: str, goal: str) -> tuple[str, ...]:
    seen: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return seen[node]
        for child in children.get(node, ()):
            if child not in seen:
                seen[child] = (*seen[node], child)
                queue.append(child)
    return ()


def hard_lock_in(
    root: str, children: Mapping[str, tuple[str, ...]], sdks: CloudSdks
) -> list[LockIn]:
    """Cloud SDKs installed with `root` (its resolved closure), with the chain to each."""
    found = []
    for package in sorted(_closure(root, children)):
        cloud = sdks.cloud_of(package)
        if cloud is not None and package != root:
            chain = _path(children, root, package)
            found.append(LockIn(root, sdks.display(cloud), package, "hard", chain))
    return found


def _closure(root: str, children: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def extra_lock_in(root: str, requires_dist: Iterable[str], sdks: CloudSdks) -> list[LockIn]:
    """Extras of `root` whose requirements include a cloud SDK."""
    found = []
    for text in requires_dist:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        extra = _EXTRA.search(str(requirement.marker)) if requirement.marker else None
        cloud = sdks.cloud_of(requirement.name)
        if extra and cloud:
            package = canonicalize_name(requirement.name)
            found.append(
                LockIn(root, sdks.display(cloud), package, "extra", (root, package), extra.group(1))
            )
    return found
