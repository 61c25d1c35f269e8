"""`stack-check`: can these packages be installed together with the user's stack?

One resolution of everything (the tools and the stack) gives the versions picked or the conflict
explained; with more than two tools that do not install together, each pair is resolved too (in
parallel) so the matrix says which pairs conflict (when all install together, so does every
pair). When the stack installs, each tool's footprint, cloud lock-in and the known
vulnerabilities of the versions picked are added.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.conflicts import Conflict, explain
from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.footprint import HEAVY_MB, Footprint, footprint
from mlops_radar.advise.index import IndexClient
from mlops_radar.advise.lockin import CloudSdks, LockIn, extra_lock_in, hard_lock_in
from mlops_radar.advise.osv import vulnerabilities
from mlops_radar.advise.requirements import Wanted
from mlops_radar.advise.resolver import Resolution, Target, marker_environment, resolve
from mlops_radar.advise.uvlog import OnSelected, Selected

__all__ = ["CheckOptions", "HeldBack", "PairResult", "StackCheck", "check_stack"]

PARALLEL = 4
# the resolutions that explain the main one (each pair of the matrix; why a tool is held back,
# its newest release pinned) are kept this long: the index's new releases can change them, as
# they change OSV's answers. The main resolution is never cached.
EXPLAINING_MAX_AGE = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What to add to a resolution, and where to ask."""

    depth: int = 3
    heavy_mb: float = HEAVY_MB
    resolver: str = "auto"
    osv_url: str | None = None  # None: no vulnerability query
    osv_timeout: float = 20.0
    footprint: bool = True


@dataclass(frozen=True, slots=True)
class PairResult:
    """One pair of tools resolved with the stack."""

    first: str
    second: str
    compatible: bool
    conflict: Conflict | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "packages": [self.first, self.second],
            "compatible": self.compatible,
            "conflict": self.conflict.as_json() if self.conflict else None,
        }


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A package asked for whose picked version is older than the newest one the resolver
    tried: what keeps the newest out, from a resolution with that version pinned."""

    package: str  # canonical name
    picked: str
    newest: str  # the newest version uv selected for it while resolving
    conflict: Conflict | None  # why `newest` does not install; None: it does, or `error`
    error: str | None = None  # the pinned resolution gave no answer (a timeout, the index)

    def as_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "picked": self.picked,
            "newest": self.newest,
            "conflict": self.conflict.as_json() if self.conflict else None,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class StackCheck:
    """The answer of `stack-check`."""

    compatible: bool
    target: Target
    resolver: str
    resolver_seconds: float  # the resolver subprocesses' own time, summed
    seconds: float  # the whole check
    tools: tuple[Wanted, ...]
    picked: dict[str, str] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    matrix: tuple[PairResult, ...] = ()
    lock_in: tuple[LockIn, ...] = ()
    footprints: dict[str, Footprint] = field(default_factory=dict)
    vulnerabilities: dict[str, list[str]] | None = None  # None: not asked or not answered
    warnings: tuple[str, ...] = ()
    held_back: tuple[HeldBack, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "compatible": self.compatible,
            "python": self.target.python,
            "platform": self.target.platform,
            "resolver": self.resolver,
            "tools": [w.text for w in self.tools],
            "picked": dict(sorted(self.picked.items())),
            "conflicts": [c.as_json() for c in self.conflicts],
            "matrix": [p.as_json() for p in self.matrix],
            "lock_in": [item.as_json() for item in self.lock_in],
            "footprint": {name: f.as_json() for name, f in self.footprints.items()},
            "vulnerabilities": self.vulnerabilities,
            "warnings": list(self.warnings),
            "held_back": [h.as_json() for h in self.held_back],
            "seconds": {
                "total": round(self.seconds, 3),
                "resolver": round(self.resolver_seconds, 3),
            },
        }


def _lines(wanted: Sequence[Wanted]) -> list[str]:
    return [w.text for w in wanted]


def _cached_resolve(
    lines: Sequence[str], target: Target, options: CheckOptions, cache: Cache, kind: str
) -> tuple[bool, str, float]:
    """(installs, the resolver's message, seconds it ran) for a resolution that only explains
    the main one (a pair of the matrix, a held-back tool's newest release), cached
    `EXPLAINING_MAX_AGE`. The resolver's own answer is kept, not our reading of it: a later
    version of `explain` reads a cached answer as it reads a fresh one."""
    key = (
        target.public_index_url,
        target.python,
        target.platform,
        str(target.allow_builds),
        options.resolver,
        *lines,
    )
    cached = cache.get(kind, key, max_age=EXPLAINING_MAX_AGE)
    if isinstance(cached, dict) and isinstance(cached.get("ok"), bool):
        return cached["ok"], str(cached.get("message", "")), 0.0
    again = resolve(list(lines), target, resolver=options.resolver)
    cache.put(kind, key, {"ok": again.ok, "message": again.message})
    return again.ok, again.message, again.seconds


def _pairs(
    tools: Sequence[Wanted],
    stack: Sequence[Wanted],
    target: Target,
    options: CheckOptions,
    cache: Cache,
) -> tuple[list[PairResult], float]:
    pairs = list(itertools.combinations(tools, 2))

    def one(pair: tuple[Wanted, Wanted]) -> tuple[PairResult, float]:
        wanted = [*pair, *stack]
        ok, message, seconds = _cached_resolve(_lines(wanted), target, options, cache, "pair")
        conflict = None if ok else explain(message, wanted, _lines(pair))
        return PairResult(pair[0].text, pair[1].text, ok, conflict), seconds

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        done = list(pool.map(one, pairs))
    return [p for p, _ in done], sum(s for _, s in done)


class _Tried:
    """The newest version uv selected of each package while resolving (uv tries the newest
    fitting release first, so a picked version below it means uv backed off)."""

    def __init__(self, then: OnSelected | None) -> None:
        self._then = then
        self._lock = threading.Lock()
        self.newest: dict[str, Version] = {}

    def __call__(self, selected: Selected) -> None:
        try:
            version = Version(selected.version)
        except InvalidVersion:
            version = None
        if version is not None:
            with self._lock:
                if selected.name not in self.newest or version > self.newest[selected.name]:
                    self.newest[selected.name] = version
        if self._then is not None:
            self._then(selected)


def _held_back(
    tools: Sequence[Wanted],
    stack: Sequence[Wanted],
    result: Resolution,
    tried: _Tried,
    target: Target,
    options: CheckOptions,
    cache: Cache,
) -> tuple[list[HeldBack], float]:
    """For each tool picked older than the newest version uv tried: that version pinned, with
    everything else, resolved again (in parallel) to say what holds it back."""
    todo = []
    for tool in tools:
        picked, newest = result.picked.get(tool.name), tried.newest.get(tool.name)
        try:
            if picked is None or newest is None or Version(picked) >= newest:
                continue
        except InvalidVersion:
            continue
        todo.append((tool, picked, str(newest)))

    def one(item: tuple[Wanted, str, str]) -> tuple[HeldBack, float]:
        tool, picked, newest = item
        extras = f"[{','.join(sorted(tool.requirement.extras))}]" if tool.requirement.extras else ""
        pinned = Wanted(
            Requirement(f"{tool.requirement.name}{extras}=={newest}"), tool.origin, tool.tool
        )
        wanted = [pinned if w is tool else w for w in tools] + list(stack)
        try:
            ok, message, seconds = _cached_resolve(
                _lines(wanted), target, options, cache, "held-back"
            )
        except AdviseError as exc:  # the check's answer stands; only the why is unknown
            return HeldBack(tool.name, picked, newest, None, str(exc)), 0.0
        conflict = None if ok else explain(message, wanted, [pinned.text])
        return HeldBack(tool.name, picked, newest, conflict), seconds

    if not todo:
        return [], 0.0
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        done = list(pool.map(one, todo))
    return [h for h, _ in done], sum(s for _, s in done)


def _additions(
    tools: Sequence[Wanted],
    result: Resolution,
    client: IndexClient,
    sdks: CloudSdks,
    options: CheckOptions,
) -> tuple[dict[str, Footprint], list[LockIn]]:
    children = result.children()
    if options.footprint:
        client.prefetch(result.picked)
    footprints: dict[str, Footprint] = {}
    lock_in: list[LockIn] = []
    for tool in tools:
        root = tool.name
        if root not in result.picked:
            continue
        lock_in += hard_lock_in(root, children, sdks)
        if options.footprint:
            footprints[root] = footprint(
                root,
                result.picked,
                children,
                client.release,
                depth=options.depth,
                heavy_mb=options.heavy_mb,
                environment=marker_environment(client.target),
            )
        requires = client.release(root, result.picked[root]).requires_dist
        lock_in += extra_lock_in(root, requires or (), sdks)
    return footprints, lock_in


def check_stack(
    tools: Sequence[Wanted],
    stack: Sequence[Wanted],
    target: Target,
    sdks: CloudSdks,
    cache: Cache,
    options: CheckOptions | None = None,
) -> StackCheck:
    """Resolve `tools` with `stack` for `target` and say what it means."""
    options = options or CheckOptions()
    started = time.perf_counter()
    client = IndexClient(target, cache)
    try:
        return _check(tools, stack, target, sdks, cache, options, client, started)
    finally:
        client.close()


def _check(
    tools: Sequence[Wanted],
    stack: Sequence[Wanted],
    target: Target,
    sdks: CloudSdks,
    cache: Cache,
    options: CheckOptions,
    client: IndexClient,
    started: float,
) -> StackCheck:
    # the footprint's index facts are fetched while uv resolves, for each candidate it selects
    on_selected = None
    if options.footprint:
        client.warm_up()
        on_selected = client.hint
    tried = _Tried(on_selected)
    result = resolve(_lines([*tools, *stack]), target, resolver=options.resolver, on_selected=tried)
    spent = result.seconds
    matrix: list[PairResult] = []
    if len(tools) > 2 and result.ok:
        # a subset of satisfiable requirements is satisfiable: every pair installs, no need to ask
        matrix = [PairResult(a.text, b.text, True) for a, b in itertools.combinations(tools, 2)]
    elif len(tools) > 2:
        matrix, pair_seconds = _pairs(tools, stack, target, options, cache)
        spent += pair_seconds
    if not result.ok:
        conflict = explain(result.message, [*tools, *stack], _lines(tools))
        return StackCheck(
            False,
            target,
            result.resolver,
            spent,
            time.perf_counter() - started,
            tuple(tools),
            conflicts=(conflict,),
            matrix=tuple(matrix),
        )
    # what holds a tool back is resolved while the footprint is read
    with ThreadPoolExecutor(max_workers=1) as pool:
        holding = pool.submit(_held_back, tools, stack, result, tried, target, options, cache)
        footprints, lock_in = _additions(tools, result, client, sdks, options)
        held_back, held_seconds = holding.result()
    spent += held_seconds
    warnings = []
    vulns = None
    if options.osv_url:
        vulns = vulnerabilities(
            result.picked, cache, url=options.osv_url, timeout=options.osv_timeout
        )
        if vulns is None:
            warnings.append(f"known vulnerabilities unknown: {options.osv_url} did not answer")
    return StackCheck(
        True,
        target,
        result.resolver,
        spent,
        time.perf_counter() - started,
        tuple(tools),
        picked=result.picked,
        matrix=tuple(matrix),
        lock_in=tuple(lock_in),
        footprints=footprints,
        vulnerabilities=vulns,
        warnings=tuple(warnings),
        held_back=tuple(held_back),
    )
