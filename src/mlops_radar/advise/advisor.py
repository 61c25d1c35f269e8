"""`advise`: the qualified tools of one stage or category, best first, each in or out and why.

The ranking is the maturity model's (`mlops_radar.model.score`, passed in as its frame); each
candidate is mapped to its package, checked against the license wish, resolved with the user's
stack (one resolution per tool, in parallel) and, under `no_lock_in`, against the cloud SDK list.
Results are typed: the words are in `report.advice`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.index import IndexClient
from mlops_radar.advise.lockin import CloudSdks
from mlops_radar.advise.mapping import PackageMapping, on_index
from mlops_radar.advise.requirements import Wanted, parse_line
from mlops_radar.advise.resolver import Target
from mlops_radar.advise.stack import CheckOptions, StackCheck, check_stack
from mlops_radar.model.license_classes import Family

__all__ = ["OPEN_FAMILIES", "Candidate", "Wishes", "adoption_costs", "shortlist"]

#: License families `--license copyleft-ok` accepts (`mlops_radar.model.license_classes.Family`
#: values; source-available, proprietary and unknown ones are out)
OPEN_FAMILIES = frozenset(
    family.value
    for family in (
        Family.PERMISSIVE,
        Family.WEAK_COPYLEFT,
        Family.STRONG_COPYLEFT,
        Family.NETWORK_COPYLEFT,
    )
)


@dataclass(frozen=True, slots=True)
class Wishes:
    """What the user asks of a tool."""

    license: str = "any"  # permissive | copyleft-ok (any known license family) | any
    no_lock_in: bool = False
    top: int = 10  # candidates resolved (best first)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One tool of the shortlist: `verdict` is in or out; `reasons` are typed (code, detail)."""

    tool: str
    repo: str | None
    rank: int | None
    ring: str | None
    score: float | None
    status: str
    license: str | None
    family: str | None  # a `model.license_classes.Family` value; None: not classified
    mapping: PackageMapping
    verdict: str  # "in" | "out"
    reasons: tuple[tuple[str, str], ...]
    check: StackCheck | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def _value(row: Mapping[str, Any], name: str) -> Any:
    value = row.get(name)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _pre_check(
    row: Mapping[str, Any], mapping: PackageMapping, wishes: Wishes
) -> list[tuple[str, str]]:
    reasons = []
    if row.get("status") != "qualified":
        reasons.append(("not_qualified", str(row.get("status"))))
    # the family is the model's classification of the resolved expression (`license_family`,
    # added by `advise.ranking`): an AND is as restrictive as its most restrictive part
    family = _value(row, "license_family")
    spdx = str(_value(row, "license") or "unknown")
    if family in (None, "unknown") and wishes.license != "any":
        reasons.append(("license_unknown", spdx))
    elif wishes.license == "permissive" and family != "permissive":
        reasons.append(("license", f"{spdx} ({family})"))
    elif wishes.license == "copyleft-ok" and family not in OPEN_FAMILIES:
        reasons.append(("license_closed", f"{spdx} ({family})"))
    if mapping.status == "ambiguous":
        reasons.append(("ambiguous_package", ", ".join(mapping.candidates)))
    elif mapping.status == "unmapped":
        reasons.append(("no_package", "; ".join(mapping.problems)))
    return reasons


def _check(
    mapping: PackageMapping,
    stack: Sequence[Wanted],
    target: Target,
    sdks: CloudSdks,
    cache: Cache,
    options: CheckOptions,
) -> tuple[PackageMapping, StackCheck | None]:
    if mapping.source != "catalog":
        client = IndexClient(target, cache)
        try:
            checked = on_index(mapping, client.exists)
        finally:
            client.close()
        if checked.status != "mapped":
            return checked, None
    tools = [
        Wanted(parse_line(p, f"package of {mapping.tool}"), "catalog", mapping.tool)
        for p in mapping.packages
    ]
    return mapping, check_stack(tools, stack, target, sdks, cache, options)


def _post_check(check: StackCheck, wishes: Wishes) -> list[tuple[str, str]]:
    if not check.compatible:
        conflict = check.conflicts[0] if check.conflicts else None
        if conflict and conflict.needs_build:
            # resolved from wheels only: not a conflict we know of, a build we did not run
            return [("needs_build", ", ".join(conflict.needs_build))]
        if conflict and conflict.missing:
            return [("not_on_index", ", ".join(conflict.missing))]
        return [("conflict", (conflict.requirement or "") if conflict else "")]
    hard = [item for item in check.lock_in if item.kind == "hard"]
    if wishes.no_lock_in and hard:
        return [("lock_in", ", ".join(sorted({f"{i.package} ({i.cloud})" for i in hard})))]
    return []


def shortlist(
    ranked: pd.DataFrame,
    mappings: Mapping[str, PackageMapping],
    stack: Sequence[Wanted],
    target: Target,
    sdks: CloudSdks,
    cache: Cache,
    wishes: Wishes,
    options: CheckOptions,
    tool_facts: Mapping[str, Mapping[str, Any]] | None = None,
    known: Mapping[str, Candidate] | None = None,
) -> list[Candidate]:
    """Every tool of `ranked` (one group of the model's frame), best first, in or out and why;
    the checks of `known` candidates (lower-case name -> candidate) are reused, not redone."""
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()}
        for r in ranked.sort_values(["rank", "tool"], na_position="last").to_dict("records")
    ]
    todo: dict[int, PackageMapping] = {}
    reused: dict[int, tuple[PackageMapping, StackCheck | None]] = {}
    early: dict[int, list[tuple[str, str]]] = {}
    for i, row in enumerate(rows):
        mapping = mappings.get(str(row["tool"]).lower()) or PackageMapping(
            str(row["tool"]), "unmapped"
        )
        early[i] = _pre_check(row, mapping, wishes)
        if not early[i] and len(todo) + len(reused) < wishes.top:
            before = (known or {}).get(str(row["tool"]).lower())
            if before is not None and (before.check is not None or before.verdict == "out"):
                reused[i] = (before.mapping, before.check)
            else:
                todo[i] = mapping
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            i: pool.submit(_check, m, stack, target, sdks, cache, options) for i, m in todo.items()
        }
        checks = {**reused, **{i: f.result() for i, f in futures.items()}}
    found = []
    for i, row in enumerate(rows):
        mapping = mappings.get(str(row["tool"]).lower()) or PackageMapping(
            str(row["tool"]), "unmapped"
        )
        mapping, check = checks.get(i, (mapping, None))
        if early[i]:
            reasons = early[i]
        elif check is not None:
            reasons = _post_check(check, wishes)
        elif i in checks:
            reasons = [("no_package", "; ".join(mapping.problems))]
        else:
            reasons = [("not_checked", str(wishes.top))]
        rank = _value(row, "rank")
        found.append(
            Candidate(
                tool=str(row["tool"]),
                repo=_value(row, "repo"),
                rank=None if rank is None else int(rank),
                ring=_value(row, "ring"),
                score=_value(row, "score"),
                status=str(row.get("status")),
                license=_value(row, "license"),
                family=_value(row, "license_family"),
                mapping=mapping,
                verdict="out" if reasons else "in",
                reasons=tuple(reasons),
                check=check,
                facts={
                    **{k: _value(row, k) for k in ("completeness", "group")},
                    **(tool_facts or {}).get(str(row["tool"]).lower(), {}),
                },
            )
        )
    return found


def adoption_costs(candidates: Sequence[Candidate]) -> dict[str, tuple[float | None, float | None]]:
    """Lower-case tool name -> (no lock-in 1/0, packages a fresh install brings) for the tools
    whose stack check succeeded: the adoption-cost columns the model can weigh."""
    costs: dict[str, tuple[float | None, float | None]] = {}
    for candidate in candidates:
        check = candidate.check
        if check is None or not check.compatible:
            continue
        hard = any(item.kind == "hard" for item in check.lock_in)
        packages = sum(f.packages for f in check.footprints.values()) or None
        costs[candidate.tool.lower()] = (
            0.0 if hard else 1.0,
            None if packages is None else float(packages),
        )
    return costs
