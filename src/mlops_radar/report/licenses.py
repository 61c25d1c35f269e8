"""License changes and license history in words and as JSON (issue 11, item 3): "Apache-2.0 ->
BUSL-1.1: permissive to source-available; no longer OSI-approved", and how each side was
resolved (GitHub, a person's review, a detector with its score and file). The terminal and JSON
renderers call these; the results come from `model.license_history`."""

from __future__ import annotations

from typing import Any

from mlops_radar.model.license_classes import Approval, Family, FamilyChange
from mlops_radar.model.license_history import LicenseHistory, LicensePeriod, ResolvedLicenseChange
from mlops_radar.model.licenses import ResolvedLicense
from mlops_radar.report.words import _analysis

__all__ = [
    "change_words",
    "history_json",
    "history_rows",
    "resolution_words",
    "resolved_change_json",
]


def _family(family: Family) -> str:
    return "a family not known" if family is Family.UNKNOWN else family.value


def _families(change: FamilyChange) -> str:
    before, after = change.old.family, change.new.family
    if before is after:
        return "family unknown" if before is Family.UNKNOWN else f"still {before.value}"
    return f"{_family(before)} to {_family(after)}"


def _approval(change: FamilyChange) -> str:
    before, after = change.old.approval, change.new.approval
    if after is Approval.UNKNOWN:
        return "OSI approval unknown"
    if after is Approval.APPROVED:
        return "still OSI-approved" if before is Approval.APPROVED else "now OSI-approved"
    if before is Approval.APPROVED:
        return "no longer OSI-approved"
    return "not OSI-approved"


def change_words(change: ResolvedLicenseChange) -> str:
    """'Apache-2.0 -> BUSL-1.1: permissive to source-available; no longer OSI-approved'."""
    found = change.change
    return f"{change.old.spdx} -> {change.new.spdx}: {_families(found)}; {_approval(found)}"


def resolution_words(resolved: ResolvedLicense) -> str:
    """How a license was resolved: 'GitHub', 'the review by X (day)', 'detected by DETECTOR
    (score S) in FILE'; 'unknown' when it was not."""
    facts = resolved.reason.facts
    if resolved.by == "github":
        return "GitHub"
    if resolved.by == "review":
        return _analysis(facts)
    if resolved.by == "detector":
        score = facts.get("score")
        scored = f" (score {float(score):.2f})" if score is not None else ""
        where = f" in {facts['file']}" if facts.get("file") else ""
        return f"detected by {facts.get('detector') or 'a detector'}{scored}{where}"
    return "unknown"


def _side(resolved: ResolvedLicense, change: FamilyChange, old: bool) -> dict[str, Any]:
    found = change.old if old else change.new
    return {
        "spdx": resolved.spdx,
        "family": found.family.value,
        "approval": found.approval.value,
        "resolved_by": resolved.by,
        "how": resolution_words(resolved),
    }


def resolved_change_json(change: ResolvedLicenseChange) -> dict[str, Any]:
    """One resolved license change for `--json`."""
    return {
        "tool": change.tool,
        "repo": change.repo,
        "old": _side(change.old, change.change, True),
        "new": _side(change.new, change.change, False),
        "family_changed": change.change.family_changed,
        "direction": change.change.direction.value,
        "left_open_source": change.change.left_open_source,
        "last_old": None if change.last_old is None else change.last_old.isoformat(),
        "first_new": None if change.first_new is None else change.first_new.isoformat(),
        "text": change_words(change),
    }


def _period_json(period: LicensePeriod) -> dict[str, Any]:
    return {
        "license": period.license,
        "resolved_by": list(period.resolved_by),
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "snapshots": period.snapshots,
    }


def history_json(history: LicenseHistory | None) -> dict[str, Any] | None:
    """`show TOOL --json`'s `license_history`."""
    if history is None:
        return None
    return {
        "periods": [_period_json(p) for p in history.periods],
        "changes": None
        if not history.judged
        else [resolved_change_json(c) for c in history.changes],
    }


def _span(period: LicensePeriod) -> str:
    days = period.first.isoformat()
    if period.last != period.first:
        days += f" to {period.last.isoformat()}"
    noun = "snapshot" if period.snapshots == 1 else "snapshots"
    return f"{days} ({period.snapshots} {noun})"


_BY = {"github": "GitHub", "review": "review", "detector": "detector"}


def history_rows(history: LicenseHistory) -> dict[str, str]:
    """`show TOOL`'s license history section: one line per period, one per change."""
    rows: dict[str, str] = {}
    for period in history.periods:
        how = ", ".join(_BY.get(b, b) for b in period.resolved_by)
        rows[_span(period)] = f"{period.license} ({how})" if period.license else "unknown"
    for change in history.changes:
        when = change.first_new.isoformat() if change.first_new else "?"
        rows[f"changed by {when}"] = change_words(change)
    if not history.judged:
        rows["changes"] = "not classified (no SPDX list data)"
    return rows
