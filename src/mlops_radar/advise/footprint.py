"""A tool's footprint: what a fresh install of it brings, from a resolution and the index.

Direct and transitive requirements down to a depth (1 = the tool's own requirements), how many
packages and MB its whole closure brings (sizes from the index; unknown sizes are counted, never
taken as 0), the constraints in its tree that commonly cause conflicts (upper bounds, exact pins)
and its heavy dependencies.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from packaging.markers import InvalidMarker as InvalidMarkerError
from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mlops_radar.advise.index import Release

__all__ = ["Footprint", "footprint", "risky_constraint"]

HEAVY_MB = 50.0
MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Footprint:
    """What one package asked for brings with it."""

    root: str
    version: str
    depth_limit: int
    tree: dict[str, int]  # package -> depth (1 = direct), within the limit
    packages: int  # the whole closure, the root included
    beyond_depth: int  # packages of the closure deeper than the limit
    size_mb: float | None  # known sizes summed; None when no size is known
    unknown_sizes: int
    heavy: tuple[tuple[str, float], ...]  # (package, MB) at or above the heavy threshold
    constraints: tuple[dict[str, str], ...]  # {"package", "requirement", "kind"}

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "depth_limit": self.depth_limit,
            "direct": sorted(n for n, d in self.tree.items() if d == 1),
            "tree": dict(sorted(self.tree.items(), key=lambda kv: (kv[1], kv[0]))),
            "packages": self.packages,
            "beyond_depth": self.beyond_depth,
            "size_mb": None if self.size_mb is None else round(self.size_mb, 2),
            "unknown_sizes": self.unknown_sizes,
            "heavy": [{"package": p, "mb": round(m, 1)} for p, m in self.heavy],
            "constraints": list(self.constraints),
        }


def risky_constraint(requirement: Requirement) -> str | None:
    """ "exact pin" or "upper bound" when the specifier has one, else None."""
    operators = {spec.operator for spec in requirement.specifier}
    if "==" in operators or "===" in operators:
        return "exact pin"
    if operators & {"<", "<=", "~="}:
        return "upper bound"
    return None


@functools.lru_cache(maxsize=8192)
def _requirement(text: str) -> Requirement | None:
    """A Requires-Dist line parsed once per process (several tools' trees share most lines;
    parsing was most of a warm footprint's time); None when it is not PEP 508."""
    try:
        return Requirement(text)
    except InvalidRequirement:
        return None


def _depths(root: str, children: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    depth = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for child in children.get(node, ()):
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return depth


def _applies(requirement: Requirement, environment: Mapping[str, str] | None) -> bool:
    if requirement.marker is None or environment is None:
        return True
    try:
        return requirement.marker.evaluate(dict(environment))
    except (InvalidMarkerError, UndefinedComparison, UndefinedEnvironmentName):
        return True


def _constraints(
    tree: set[str],
    picked: Mapping[str, str],
    releases: Mapping[str, Release],
    environment: Mapping[str, str] | None,
) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for name in sorted(tree):
        for text in releases[name].requires_dist or () if name in releases else ():
            requirement = _requirement(text)
            if requirement is None:
                continue
            kind = risky_constraint(requirement)
            if not kind or canonicalize_name(requirement.name) not in picked:
                continue
            if not _applies(requirement, environment):
                continue
            spec = f"{requirement.name}{requirement.specifier}"
            item = {"package": f"{name} {picked[name]}", "requirement": spec, "kind": kind}
            if item not in found:
                found.append(item)
    return found


def footprint(
    root: str,
    picked: Mapping[str, str],
    children: Mapping[str, tuple[str, ...]],
    release: Callable[[str, str], Release],
    *,
    depth: int = 3,
    heavy_mb: float = HEAVY_MB,
    environment: Mapping[str, str] | None = None,
) -> Footprint:
    """`root`'s footprint within a resolution (`picked`, `children`); `release` asks the index;
    requirements whose markers do not hold in `environment` (the target's) are not counted."""
    depths = _depths(root, children)
    releases = {name: release(name, picked[name]) for name in depths if name in picked}
    sizes = [r.size_bytes for r in releases.values()]
    known = [s for s in sizes if s is not None]
    tree = {n: d for n, d in depths.items() if 0 < d <= depth}
    heavy = sorted(
        (
            (n, r.size_bytes / MB)
            for n, r in releases.items()
            if r.size_bytes is not None and r.size_bytes / MB >= heavy_mb
        ),
        key=lambda item: -item[1],
    )
    return Footprint(
        root=root,
        version=picked.get(root, "?"),
        depth_limit=depth,
        tree=tree,
        packages=len(depths),
        beyond_depth=sum(1 for d in depths.values() if d > depth),
        size_mb=sum(known) / MB if known else None,
        unknown_sizes=len(sizes) - len(known),
        heavy=tuple(heavy),
        constraints=tuple(_constraints({root, *tree}, picked, releases, environment)),
    )
