"""The JSON renderer: the model's typed results as the documented JSON shapes, with every reason
in words (from `report/words.py`) beside the numbers, unknown as null."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from mlops_radar.model.changes import SnapshotChanges
from mlops_radar.model.license_summary import LicenseSummary
from mlops_radar.model.results import (
    Comparison,
    GateResult,
    Qualification,
    Ranking,
    ToolQualification,
    ToolReport,
    ToolScore,
    Trend,
)
from mlops_radar.report.base import Context
from mlops_radar.report.values import json_text, json_value
from mlops_radar.report.words import (
    gate_words,
    quiet_words,
    ring_words,
    signal_words,
    trend_words,
)
from mlops_radar.store.records import SnapshotInfo

__all__ = ["HEALTH_JSON_KEYS", "JsonRenderer", "as_json", "health_json"]


def snapshot_json(info: SnapshotInfo | None, policy: str | None = None) -> dict[str, Any]:
    """The snapshot a result was computed on (and the policy, where one applies)."""
    if info is None:
        return {}
    found: dict[str, Any] = {
        "id": int(info.id),
        "date": info.snapshot_date.isoformat(),
        "taken_at": info.taken_at.isoformat(),
        "origin": str(info.origin),
        "status": str(info.status),
    }
    if policy is not None:
        found["policy"] = policy
    return found


def gates_json(gates: Mapping[str, GateResult]) -> dict[str, dict[str, Any]]:
    return {
        g: {"outcome": r.outcome.value, "reason": gate_words(r.reason), "applied": r.applied}
        for g, r in gates.items()
    }


def trend_json(found: Trend) -> dict[str, Any]:
    return {"snapshots": found.snapshots, **{k: trend_words(v) for k, v in found.series.items()}}


def tool_score_json(tool: ToolScore, *, ranked: bool = False) -> dict[str, Any]:
    """One (tool, group) with its dimensions and explanation; `ranked` adds what the ranking
    was ordered by and the study's measures."""
    why = tool.explanation
    record: dict[str, Any] = {
        "tool": tool.tool,
        "repo": tool.repo,
        "group": tool.group,
        "rank": tool.rank,
        "status": tool.status.value,
        "ring": tool.ring.value,
        "ring_reason": ring_words(why.ring),
        "score": tool.score,
        "completeness": tool.completeness,
        "tier": tool.tier,
        "dimensions": dict(tool.dimensions),
        "helps": [signal_words(r) for r in why.helps],
        "hurts": [signal_words(r) for r in why.hurts],
        "gates": gates_json(tool.gates),
    }
    if why.quiet is not None:  # only when the snapshot's health data says so
        record["quiet"] = quiet_words(why.quiet)
    if ranked:
        record["value"] = tool.value
        record["attractiveness"] = tool.attractiveness
        record["study_rank"] = tool.study_rank
    return record


#: The `"health"` keys of `show TOOL --json`, exactly as issue 13 lists them.
HEALTH_JSON_KEYS = (
    "time_to_first_response_median_h",
    "time_to_close_median_h",
    "open_issue_age_median_d",
    "open_issue_age_p90_d",
    "change_request_closure_ratio_90d",
    "time_to_merge_median_h",
    "releases_last_year",
    "commits_90d",
    "commits_365d",
    "contributor_absence_factor",
    "elephant_factor",
)


def health_json(report: ToolReport) -> dict[str, Any] | None:
    """A tool's community health: per metric `{"value", "as_of", "n"}`, null where unknown
    (never 0 for unknown); null altogether when the snapshot did not collect the health group."""
    if not report.health_collected:
        return None
    found = report.health
    if found is None:
        return dict.fromkeys(HEALTH_JSON_KEYS)
    as_of = None if found.as_of is None else found.as_of.isoformat()
    values = found.metrics.values()
    return {
        key: None
        if values[key] is None
        else {"value": values[key], "as_of": as_of, "n": found.metrics.n.get(key, 0)}
        for key in HEALTH_JSON_KEYS
    }


def qualified_json(tool: ToolQualification) -> dict[str, Any]:
    return {
        "name": tool.name,
        "repo": tool.repo,
        "categories": list(tool.categories),
        "status": tool.status.value,
        "gates": gates_json(tool.gates),
        **tool.counts,
        "last_commit": None if tool.last_commit is None else tool.last_commit.isoformat(),
        "last_commit_stale": tool.last_commit_stale,
        "archived": tool.archived,
        "license": tool.license,
        "attractiveness": tool.attractiveness,
        "study_rank": tool.study_rank,
    }


def _license_class(share: Any) -> dict[str, Any] | None:
    found = share.license_class
    if found is None:
        return None
    return {"approval": found.approval.value, "family": found.family.value}


def as_json(result: object, context: Context | None = None) -> Any:
    """`result` as a JSON value (dicts, lists, text, numbers, null)."""
    context = context or Context()
    snapshot = snapshot_json(context.snapshot, context.policy)
    if isinstance(result, Qualification):
        return {
            "snapshot": snapshot,
            "tools": [qualified_json(t) for t in result.tools],
            "summary": json_value(result.summary),
        }
    if isinstance(result, Ranking):
        return {
            "snapshot": snapshot,
            "grouping": result.grouping,
            "groups": [
                {
                    result.grouping: g.name,
                    "by": result.by,
                    "tools": [tool_score_json(t, ranked=True) for t in g.tools],
                    "robustness": dataclasses.asdict(g.robustness),
                }
                for g in result.groups
            ],
            "unknown_everywhere": list(result.unknown_everywhere),
            "not_collected": list(result.not_collected),
            "coverage": result.coverage,
        }
    if isinstance(result, Comparison):
        return {
            "snapshot": snapshot_json(context.snapshot),
            "tools": [
                {**tool_score_json(t), "trend": trend_json(found)}
                for t, found in zip(result.tools, result.trends, strict=True)
            ],
        }
    if isinstance(result, ToolReport):
        measured = qualified_json(result.qualification)
        return {
            "snapshot": snapshot,
            "facts": json_value(dict(result.facts)),
            "status": measured["status"],
            "gates": measured["gates"],
            "attractiveness": measured["attractiveness"],
            "study_rank": measured["study_rank"],
            "scores": [tool_score_json(t) for t in result.scores],
            "history_snapshots": result.history_snapshots,
            "trend": trend_json(result.trend),
            "lock_in": None
            if result.lock_in is None
            else [
                {
                    "cloud": t.cloud,
                    "package": t.package,
                    "kind": t.kind,
                    "extra": t.extra,
                    "developer": t.developer,
                }
                for t in result.lock_in
            ],
            "health": health_json(result),
            **_license_history_json(result),
        }
    if isinstance(result, LicenseSummary):
        return {
            "snapshot": snapshot,
            "reported": [
                {"license": s.license, "count": s.count, "share": s.share} for s in result.reported
            ],
            "resolved": [
                {"spdx": s.license, "class": _license_class(s), "count": s.count, "share": s.share}
                for s in result.resolved
            ],
            "manual": [
                {"license": s.license, "count": s.count, "share": s.share} for s in result.manual
            ],
            "from_other": [
                {
                    "tool": d.tool,
                    "repo": d.repo,
                    "spdx": d.spdx,
                    "score": d.score,
                    "detector": d.detector,
                    "evidence": json_value(list(d.evidence)),
                }
                for d in result.from_other
            ],
        }
    if isinstance(result, SnapshotChanges):
        return changes_json(result)
    return json_value(result)


def changes_json(result: SnapshotChanges) -> dict[str, Any]:
    """`changes --json`: every field of the result, the resolved license changes in words."""
    from mlops_radar.report.licenses import resolved_change_json

    resolved = result.resolved_license_changed
    found: dict[str, Any] = json_value(
        dataclasses.asdict(dataclasses.replace(result, resolved_license_changed=()))
    )
    found["resolved_license_changed"] = (
        None if resolved is None else [resolved_change_json(c) for c in resolved]
    )
    return found


def _license_history_json(result: ToolReport) -> dict[str, Any]:
    """`show TOOL --json`'s license_history (periods of one resolved license, changes)."""
    from mlops_radar.report.licenses import history_json

    return {"license_history": history_json(result.license_history)}


class JsonRenderer:
    """Indented JSON, one document per result."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def render(self, result: object, context: Context) -> None:
        stream = self.stream or sys.stdout
        stream.write(json_text(as_json(result, context)) + "\n")
