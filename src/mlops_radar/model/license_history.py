"""A tool's resolved license over time: the periods of one license and the changes between them,
each with its family change (issue 11, item 3), e.g. Apache-2.0 -> BUSL-1.1, permissive to
source-available, no longer OSI-approved.

The license of each snapshot is resolved by the license gate's one rule
(`model.licenses.resolved_licenses`: GitHub, then a person's review, then detection); the family
and approval by `model.license_classes.family_change`. A snapshot where the license is unknown is
a period of its own (license None), never a change: a change is between two known licenses that
are not equivalent. Pure: tables and the SPDX list data passed in (report/ words the results).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from mlops_radar.model.license_classes import FamilyChange, LicenseData, family_change
from mlops_radar.model.licenses import ResolvedLicense, resolved_licenses
from mlops_radar.model.policy import Policy

__all__ = [
    "LicenseHistory",
    "LicensePeriod",
    "ResolvedLicenseChange",
    "license_histories",
    "license_history",
    "resolved_change",
]


@dataclass(frozen=True, slots=True)
class ResolvedLicenseChange:
    """A tool's resolved license changed between two snapshots."""

    tool: str
    repo: str | None
    old: ResolvedLicense
    new: ResolvedLicense
    change: FamilyChange  # families, approvals, direction
    last_old: date | None = None  # the last snapshot with the old license
    first_new: date | None = None  # the first snapshot with the new one


@dataclass(frozen=True, slots=True)
class LicensePeriod:
    """Consecutive snapshots with one resolved license (None: unknown in all of them)."""

    license: str | None
    resolved_by: tuple[str, ...]  # how, in the order first seen ("github", "review", ...)
    first: date
    last: date
    snapshots: int


@dataclass(frozen=True, slots=True)
class LicenseHistory:
    """A tool's license periods, oldest first, and the changes between known licenses."""

    periods: tuple[LicensePeriod, ...]
    changes: tuple[ResolvedLicenseChange, ...]
    judged: bool  # False: two known licenses, but no SPDX list data to compare them with


def resolved_change(
    tool: str,
    repo: str | None,
    old: ResolvedLicense,
    new: ResolvedLicense,
    data: LicenseData,
    *,
    last_old: date | None = None,
    first_new: date | None = None,
) -> ResolvedLicenseChange | None:
    """The change from `old` to `new`, or None when either is unknown or both are the same
    license (an equivalent rewrite of an expression is no change)."""
    if old.spdx is None or new.spdx is None:
        return None
    found = family_change(old.spdx, new.spdx, data)
    if not found.changed:
        return None
    return ResolvedLicenseChange(tool, repo, old, new, found, last_old, first_new)


def _same(a: str | None, b: str | None, data: LicenseData | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.strip().lower() == b.strip().lower():  # the common case: no expression to parse
        return True
    if data is None:
        return False
    return not family_change(a, b, data).changed


def _day(value: Any) -> date:
    stamp = pd.Timestamp(value)
    return stamp.date()


def license_history(history: pd.DataFrame, policy: Policy) -> LicenseHistory:
    """`history`: one row per snapshot of one tool, oldest first (the store's `history`, with
    reviews applied), with `snapshot_date`, `tool`, `repo` and the license facts. Classified
    with `policy.license_data`; without it the periods are given and the changes are not."""
    if history.empty:
        return LicenseHistory((), (), policy.license_data is not None)
    resolved = resolved_licenses(history, policy)
    return _history(_Columns.of(history), resolved, range(len(history)), policy)


def license_histories(
    history: pd.DataFrame, keys: Sequence[str], policy: Policy
) -> dict[str, LicenseHistory]:
    """`license_history` of many tools at once: `history` holds the rows of every tool (each
    tool's oldest first), `keys[i]` names the tool of row i. The license rule runs once over all
    rows (its verdicts are shared by equal facts), not once per tool."""
    if history.empty:
        return {}
    resolved = resolved_licenses(history, policy)
    columns = _Columns.of(history)
    rows: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        rows.setdefault(key, []).append(i)
    return {key: _history(columns, resolved, index, policy) for key, index in rows.items()}


@dataclass(frozen=True)
class _Columns:
    """The columns a history reads, as lists (a pandas lookup per cell costs ~20 us)."""

    days: list[date]
    tools: list[str | None]
    repos: list[str | None]

    @classmethod
    def of(cls, history: pd.DataFrame) -> _Columns:
        return cls(
            [_day(v) for v in history["snapshot_date"]],
            [t if isinstance(t, str) else None for t in history["tool"]],
            [r if isinstance(r, str) else None for r in history["repo"]],
        )


def _history(
    columns: _Columns,
    every: Sequence[ResolvedLicense],
    index: Sequence[int],
    policy: Policy,
) -> LicenseHistory:
    """One tool's periods and changes from the rows `index` (resolved: `every`)."""
    data: LicenseData | None = policy.license_data
    resolved = [every[i] for i in index]
    days = [columns.days[i] for i in index]
    tools = [columns.tools[i] for i in index]
    repos = [columns.repos[i] for i in index]
    groups: list[list[int]] = []
    for i, found in enumerate(resolved):
        if groups and _same(resolved[groups[-1][0]].spdx, found.spdx, data):
            groups[-1].append(i)
        else:
            groups.append([i])
    periods = tuple(_period(rows, resolved, days) for rows in groups)
    changes: list[ResolvedLicenseChange] = []
    known = [rows for rows in groups if resolved[rows[0]].spdx is not None]
    if len(known) < 2:  # nothing to compare: no change, whether or not there is list data
        return LicenseHistory(periods, (), True)
    if data is not None:
        for before, after in itertools.pairwise(known):
            last, first = before[-1], after[0]
            name = tools[first] or tools[last] or repos[first] or "?"
            change = resolved_change(
                name, repos[first] or repos[last], resolved[last], resolved[first], data,
                last_old=days[last], first_new=days[first],
            )  # fmt: skip
            if change is not None:
                changes.append(change)
    return LicenseHistory(periods, tuple(changes), data is not None)


def _period(
    rows: Sequence[int], resolved: Sequence[ResolvedLicense], days: list[date]
) -> LicensePeriod:
    ways: list[str] = []
    for i in rows:
        by = resolved[i].by
        if by is not None and by not in ways:
            ways.append(by)
    return LicensePeriod(
        license=resolved[rows[-1]].spdx,
        resolved_by=tuple(ways),
        first=days[rows[0]],
        last=days[rows[-1]],
        snapshots=len(rows),
    )
