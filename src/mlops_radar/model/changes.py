"""What changed between two snapshots: tools new and gone, licenses, archiving, renames, activity,
and the largest gains in stars and forks.

Two kinds of license change: `license_changed` compares what GitHub said (its SPDX id, else its
name), `resolved_license_changed` the license as the license gate resolved it (GitHub, then a
person's review, then detection: `model.licenses.resolved_licenses`) with the family change
(`model.license_history.resolved_change`); the latter needs the SPDX list data in
`policy.license_data` (None without it: not known, not "no change").

Pure functions over two `tool_facts` tables (no database access), so they are easy to test.
Whether a tool is inactive is the activity gate's own rule (`model.gates.activity_outcomes`) with
the months of the policy passed in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd

from mlops_radar.model.columns import as_timestamp, flag, timestamps
from mlops_radar.model.gates import activity_outcomes
from mlops_radar.model.license_history import ResolvedLicenseChange, resolved_change
from mlops_radar.model.licenses import resolved_licenses
from mlops_radar.model.policy import Policy
from mlops_radar.model.results import GateOutcome
from mlops_radar.store.records import SnapshotInfo

__all__ = [
    "FactChange",
    "Gain",
    "ResolvedLicenseChange",
    "SnapshotChanges",
    "ToolRef",
    "compare",
    "inactive",
]

TOP_GAINS = 10


@dataclass(frozen=True, slots=True)
class ToolRef:
    """A tool named in a change."""

    tool: str
    repo: str | None


@dataclass(frozen=True, slots=True)
class FactChange:
    """A fact of one repository that changed value."""

    tool: str
    repo: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Gain:
    """Growth of a count between the two snapshots."""

    tool: str
    repo: str
    old: int
    new: int
    gain: int


@dataclass(frozen=True, slots=True)
class SnapshotChanges:
    """Everything `compare` found, oldest snapshot first."""

    old: SnapshotInfo
    new: SnapshotInfo
    added: tuple[ToolRef, ...]
    removed: tuple[ToolRef, ...]
    license_changed: tuple[FactChange, ...]
    archived_changed: tuple[FactChange, ...]
    renamed: tuple[FactChange, ...]
    became_inactive: tuple[ToolRef, ...]
    active_again: tuple[ToolRef, ...]
    star_gains: tuple[Gain, ...]
    fork_gains: tuple[Gain, ...]
    # the resolved license changed (with its family change); None: not judged (no SPDX list data)
    resolved_license_changed: tuple[ResolvedLicenseChange, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def inactive(table: pd.DataFrame, snapshot_date: date, months: int) -> list[bool | None]:
    """Per row: inactive (True), active (False) or unknown (None) on `snapshot_date` by the
    activity gate's rule: the last commit date, else the study's own verdict."""
    outcome = activity_outcomes(
        timestamps(table, "last_commit_at"),
        flag(table, "last_commit_stale").to_numpy(),
        as_timestamp(snapshot_date),
        months,
    )
    return [None if o == GateOutcome.UNKNOWN else bool(o == GateOutcome.FAIL) for o in outcome]


def _by_identity(
    table: pd.DataFrame, snapshot_date: date, policy: Policy
) -> dict[str, dict[str, Any]]:
    """One record per tool identity (repository, plus subpath), first row wins; each with
    `_inactive` on its snapshot's date and `_resolved`, its resolved license."""
    out: dict[str, dict[str, Any]] = {}
    verdicts = inactive(table, snapshot_date, policy.activity_months)
    licenses = resolved_licenses(table, policy)
    for item, verdict, license in zip(table.to_dict("records"), verdicts, licenses, strict=True):
        record = {str(k): v for k, v in item.items()}
        record["_inactive"] = verdict
        record["_resolved"] = license
        repo = record.get("repo")
        subpath = record.get("subpath")
        key = _key(repo) or str(record["tool"]).lower()
        if isinstance(subpath, str) and subpath:
            key = f"{key}/{subpath.lower()}"
        out.setdefault(key, record)
    return out


def _key(repo: Any) -> str | None:
    return repo.lower() if isinstance(repo, str) and repo else None


def _known(value: Any) -> bool:
    return value is not None and not (not isinstance(value, list | tuple) and pd.isna(value))


def _github_name(record: dict[str, Any]) -> str:
    """The name GitHub answered, else the name asked for (imports do not know renames)."""
    name = record.get("name_with_owner")
    return str(name) if _known(name) else str(record["repo"])


def _license(record: dict[str, Any], other: dict[str, Any]) -> tuple[Any, Any]:
    """Compare SPDX ids when both sides have one, else GitHub's names."""
    for field in ("license_spdx", "license_name"):
        if _known(record.get(field)) and _known(other.get(field)):
            return record[field], other[field]
    return None, None


def _ref(record: dict[str, Any]) -> ToolRef:
    repo = record.get("repo")
    return ToolRef(str(record["tool"]), repo if isinstance(repo, str) else None)


def _gains(pairs: list[tuple[dict[str, Any], dict[str, Any]]], field: str) -> tuple[Gain, ...]:
    gains = [
        Gain(str(b["tool"]), str(b["repo"]), int(a[field]), int(b[field]), int(b[field] - a[field]))
        for a, b in pairs
        if _known(a.get(field)) and _known(b.get(field)) and b[field] > a[field]
    ]
    gains.sort(key=lambda g: (-g.gain, g.repo.lower()))
    return tuple(gains[:TOP_GAINS])


def compare(
    old: SnapshotInfo,
    old_table: pd.DataFrame,
    new: SnapshotInfo,
    new_table: pd.DataFrame,
    policy: Policy,
) -> SnapshotChanges:
    """Changes from `old` to `new`; tools are matched by repository (plus subpath), not by name.
    Activity is judged by the activity gate's rule with `policy`'s months."""
    before = _by_identity(old_table, old.snapshot_date, policy)
    after = _by_identity(new_table, new.snapshot_date, policy)
    pairs = [(before[k], after[k]) for k in after if k in before and _key(after[k].get("repo"))]
    renamed = []
    for a, b in pairs:
        then, now = _github_name(a), _github_name(b)
        if then.lower() != now.lower():
            renamed.append(FactChange(str(b["tool"]), str(b["repo"]), then, now))
    licenses, archived, inactive, active = [], [], [], []
    for a, b in pairs:
        then, now = _license(a, b)
        if then != now:
            licenses.append(FactChange(str(b["tool"]), str(b["repo"]), then, now))
        if (
            _known(a.get("archived"))
            and _known(b.get("archived"))
            and a["archived"] != b["archived"]
        ):
            archived.append(
                FactChange(str(b["tool"]), str(b["repo"]), bool(a["archived"]), bool(b["archived"]))
            )
        was, now_inactive = a["_inactive"], b["_inactive"]
        if was is False and now_inactive is True:
            inactive.append(_ref(b))
        elif was is True and now_inactive is False:
            active.append(_ref(b))
    return SnapshotChanges(
        old=old,
        new=new,
        added=tuple(_ref(r) for k, r in after.items() if k not in before),
        removed=tuple(_ref(r) for k, r in before.items() if k not in after),
        license_changed=tuple(licenses),
        archived_changed=tuple(archived),
        renamed=tuple(renamed),
        became_inactive=tuple(inactive),
        active_again=tuple(active),
        star_gains=_gains(pairs, "stars"),
        fork_gains=_gains(pairs, "forks"),
        resolved_license_changed=_resolved_changes(pairs, old, new, policy),
    )


def _resolved_changes(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
    old: SnapshotInfo,
    new: SnapshotInfo,
    policy: Policy,
) -> tuple[ResolvedLicenseChange, ...] | None:
    data = policy.license_data
    if data is None:
        return None
    found = []
    for a, b in pairs:
        change = resolved_change(
            str(b["tool"]), str(b["repo"]), a["_resolved"], b["_resolved"], data,
            last_old=old.snapshot_date, first_new=new.snapshot_date,
        )  # fmt: skip
        if change is not None:
            found.append(change)
    return tuple(found)
