"""Everything a report needs from a store, assessed: the library layer under `mlops-radar report`.

It loads one snapshot and assesses it with `app.assessment` (rankings per category and per stage,
qualification, licenses), the snapshot to compare it with (`--since`, default the previous
complete one) assessed the same way (so a tool's ring then and now can be compared), and the
counts of recent snapshots for history charts. Rendering is `report/`'s job (`report.site`,
`report.markdown`); nothing here writes words or files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from mlops_radar.app import assessment
from mlops_radar.model import Policy
from mlops_radar.model.changes import SnapshotChanges, compare
from mlops_radar.model.license_history import LicenseHistory, license_histories
from mlops_radar.model.license_summary import LicenseSummary
from mlops_radar.model.results import Qualification, Ranking, Ring, tool_key
from mlops_radar.model.reviews import apply_reviews
from mlops_radar.model.weights import Weights
from mlops_radar.store import SnapshotInfo, Store

__all__ = ["HISTORY_SNAPSHOTS", "HistoryPoint", "ReportData", "gather", "tool_key"]

#: How many complete snapshots (the report's and the ones before it) history charts show.
HISTORY_SNAPSHOTS = 12


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One tool's counts in one snapshot (None: unknown then)."""

    snapshot_date: date
    stars: int | None
    commits: int | None
    license: str | None


@dataclass(frozen=True)
class ReportData:
    """One snapshot assessed for a report, and what it is compared with."""

    info: SnapshotInfo
    policy: str
    table: pd.DataFrame  # the model's input, one row per tool (the facts as stored)
    qualification: Qualification  # one entry per row of `table`, same order
    by_category: Ranking  # every tool of every category
    by_stage: Ranking  # every tool of every stage
    licenses: LicenseSummary | None
    since: SnapshotInfo | None = None
    changes: SnapshotChanges | None = None
    # (tool key, group) -> ring in the `since` snapshot, for categories and for stages
    rings_then: Mapping[tuple[str, str], Ring] = field(default_factory=dict)
    stage_rings_then: Mapping[tuple[str, str], Ring] = field(default_factory=dict)
    keys_then: frozenset[str] = frozenset()
    history: Mapping[str, tuple[HistoryPoint, ...]] = field(default_factory=dict)
    snapshots: tuple[SnapshotInfo, ...] = ()  # the history's snapshots, oldest first
    # tool key -> the cloud SDKs its stored manifests declare (advise.lockin.LockIn); a tool
    # missing here has no manifest in this snapshot: unknown, not "no lock-in"
    lock_in: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    # tool key -> its resolved license across the history's snapshots (`show TOOL`'s rule)
    license_histories: Mapping[str, LicenseHistory] = field(default_factory=dict)


def _declared_lock_in(store: Store, loaded: Any) -> dict[str, tuple[Any, ...]]:
    """Per tool key, the cloud SDKs its manifests (the `github.files` group) declare: one read of
    every repository's record, the rule of `advise.declared` applied to each (parsed, never run)."""
    from mlops_radar.advise.declared import declared_lock_in
    from mlops_radar.advise.lockin import load_cloud_sdks
    from mlops_radar.sources.github.groups.files import FILES
    from mlops_radar.store.queries import read_records

    table = loaded.table
    if "repo" not in table.columns or "tool" not in table.columns:
        return {}
    named = {
        str(repo).lower(): str(tool)
        for tool, repo in zip(table["tool"], table["repo"], strict=True)
        if isinstance(repo, str) and repo
    }
    if not named:
        return {}
    with store.transaction() as conn:
        found = read_records(conn, FILES, loaded.info.id, sorted(named))
    sdks = None
    result: dict[str, tuple[Any, ...]] = {}
    for key, record in found.items():
        files = getattr(record, "files", None)
        if not files:
            continue
        sdks = sdks or load_cloud_sdks()
        ties = declared_lock_in(named.get(str(key).lower(), str(key)), files, sdks)
        if ties is not None:
            result[tool_key("", str(key))] = tuple(ties)
    return result


def _complete_before(store: Store, info: SnapshotInfo) -> list[SnapshotInfo]:
    """Complete snapshots up to and including `info`, oldest first."""
    frame = store.snapshots()
    if frame.empty:
        return [info]
    complete = frame[frame["status"].astype(str) == "complete"]
    rows = sorted((r["snapshot_date"], int(r["id"])) for _, r in complete.iterrows())
    ids = [i for d, i in rows if (d, i) <= (info.snapshot_date, int(info.id))]
    found = [store.resolve_snapshot(i) for i in ids if i != int(info.id)]
    return [*found, info]


def _count(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _points(table: pd.DataFrame, when: date) -> dict[str, HistoryPoint]:
    out: dict[str, HistoryPoint] = {}
    wanted = ("tool", "repo", "stars", "total_commits", "license_spdx", "license_name")
    columns = {c: table[c].tolist() if c in table.columns else [None] * len(table) for c in wanted}
    for i in range(len(table)):
        key = tool_key(str(columns["tool"][i]), _text(columns["repo"][i]))
        out.setdefault(
            key,
            HistoryPoint(
                when,
                _count(columns["stars"][i]),
                _count(columns["total_commits"][i]),
                _text(columns["license_spdx"][i]) or _text(columns["license_name"][i]),
            ),
        )
    return out


def _rings(frame: pd.DataFrame) -> dict[tuple[str, str], Ring]:
    """(tool key, group) -> ring, from a scored frame (no explanations needed for the past)."""
    out: dict[tuple[str, str], Ring] = {}
    for tool, repo, group, ring in zip(
        frame["tool"], frame["repo"], frame["group"], frame["ring"], strict=True
    ):
        out.setdefault((tool_key(str(tool), _text(repo)), str(group)), Ring(ring))
    return out


def _license_histories(
    frames: list[pd.DataFrame], loaded: Any, chosen: Policy
) -> dict[str, LicenseHistory]:
    """Per tool key, the resolved license across the snapshots of `frames` (oldest first), the
    snapshot's reviews applied, judged as `show TOOL` judges it."""
    if not frames:
        return {}
    whole = apply_reviews(pd.concat(frames, ignore_index=True), loaded.reviews)
    judged = assessment.with_license_data(chosen) if len(frames) > 1 else chosen
    keys = [tool_key(str(t), _text(r)) for t, r in zip(whole["tool"], whole["repo"], strict=True)]
    return license_histories(whole, keys, judged)


def gather(
    store: Store,
    ref: str | int = "latest",
    *,
    since: str | int | None = None,
    chosen: Policy | None = None,
    weighting: Weights | None = None,
    reviews: str | None = None,
    history: int = HISTORY_SNAPSHOTS,
) -> ReportData:
    """Snapshot `ref` assessed, compared with `since` (default: the complete snapshot before it;
    none when it is the first), with the counts of up to `history` snapshots."""
    chosen = chosen or assessment.policy("radar")
    weighting = weighting or assessment.weights(None)
    loaded = assessment.load(store, ref, reviews)
    by_category = assessment.ranking(loaded, chosen, weighting)
    by_stage = assessment.ranking(loaded, chosen, weighting, grouping="stage")
    try:
        licenses: LicenseSummary | None = assessment.licenses(loaded, chosen)
    except (ImportError, OSError):  # pragma: no cover - the SPDX data ships with a dependency
        licenses = None
    qualification = assessment.qualification_of(loaded, chosen)
    earlier = _complete_before(store, loaded.info)
    then_info: SnapshotInfo | None
    if since is not None:
        then_info = store.resolve_snapshot(since)
    else:
        then_info = earlier[-2] if len(earlier) > 1 else None
    extra: dict[str, Any] = {}
    if then_info is not None and int(then_info.id) != int(loaded.info.id):
        then = assessment.load(store, then_info.id, reviews)
        extra["since"] = then.info
        # with the SPDX list data, so a resolved license change carries its family change
        judged = assessment.with_license_data(chosen)
        extra["changes"] = compare(then.info, then.table, loaded.info, loaded.table, judged)
        extra["rings_then"] = _rings(assessment.scored(then, chosen, weighting, "category").frame)
        extra["stage_rings_then"] = _rings(
            assessment.scored(then, chosen, weighting, "stage").frame
        )
        extra["keys_then"] = frozenset(_points(then.table, then.info.snapshot_date))
    shown = earlier[-history:] if history > 0 else [loaded.info]
    per_key: dict[str, list[HistoryPoint]] = {}
    frames = []
    for info in shown:
        table = loaded.table if int(info.id) == int(loaded.info.id) else store.tool_facts(info.id)
        for key, point in _points(table, info.snapshot_date).items():
            per_key.setdefault(key, []).append(point)
        frames.append(table.assign(snapshot_date=info.snapshot_date))
    return ReportData(
        lock_in=_declared_lock_in(store, loaded),
        info=loaded.info,
        policy=chosen.name,
        table=loaded.table,
        qualification=qualification,
        by_category=by_category,
        by_stage=by_stage,
        licenses=licenses,
        history={k: tuple(v) for k, v in sorted(per_key.items())},
        license_histories=_license_histories(frames, loaded, chosen),
        snapshots=tuple(shown),
        **extra,
    )
