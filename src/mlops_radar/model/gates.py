"""The eliminatory gates (license, activity, archived) and a tool's resulting status.

Each gate answers pass / fail / unknown (`GateOutcome`) with a structured reason (`GateReason`)
for every tool. Activity is judged against the
SNAPSHOT's date, passed in: the model reads no clock, so a 2021 snapshot gets 2021 verdicts in any
year. Status under a policy: eliminated if any applied gate fails (even when another is unknown),
needs_review if none fails and one is unknown, else qualified.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.model.columns import as_timestamp, flag, timestamps
from mlops_radar.model.licenses import license_verdicts
from mlops_radar.model.policy import GATES, Policy
from mlops_radar.model.results import GateOutcome, GateReason, Status

__all__ = ["STATUSES", "activity_outcomes", "evaluate_gates"]

STATUSES = tuple(Status)


def _activity(
    table: pd.DataFrame, snapshot: pd.Timestamp, months: int
) -> tuple[np.ndarray, np.ndarray]:
    last = timestamps(table, "last_commit_at")
    stale = flag(table, "last_commit_stale").to_numpy()
    outcome = activity_outcomes(last, stale, snapshot, months)
    known = last.notna().to_numpy()
    days = (snapshot - last).dt.days.to_numpy(dtype="float64", na_value=np.nan)
    dates = last.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None)
    by_study = {
        1.0: GateReason("study_stale", {"months": months}),
        0.0: GateReason("study_recent", {"months": months}),
    }
    unknown = GateReason("no_commit_date")
    reasons = np.empty(len(table), dtype=object)
    for i in range(len(table)):
        if known[i]:
            facts = {"date": dates[i], "days": max(int(days[i]), 0)}
            if outcome[i] == GateOutcome.FAIL:
                reasons[i] = GateReason("last_commit_old", {**facts, "months": months})
            else:
                reasons[i] = GateReason("last_commit", facts)
        else:
            reasons[i] = by_study.get(stale[i], unknown)
    return outcome, reasons


def activity_outcomes(
    last: pd.Series, stale: np.ndarray, snapshot: pd.Timestamp, months: int
) -> np.ndarray:
    """The activity rule, the only copy: pass when the last commit is at most `months` calendar
    months before the snapshot, fail when older; without a date, the study's own verdict
    (`last_commit_stale`: 1 stale, 0 recent); else unknown."""
    cutoff = snapshot - pd.DateOffset(months=months)
    known = last.notna().to_numpy()
    recent = (last >= cutoff).to_numpy() & known
    outcome: np.ndarray = np.select(
        [known & recent, known, stale == 1.0, stale == 0.0],
        [GateOutcome.PASS, GateOutcome.FAIL, GateOutcome.FAIL, GateOutcome.PASS],
        default=GateOutcome.UNKNOWN,
    ).astype(object)
    return outcome


_ARCHIVED = {
    1.0: (GateOutcome.FAIL, GateReason("archived")),
    0.0: (GateOutcome.PASS, GateReason("not_archived")),
}
_ARCHIVED_UNKNOWN = (GateOutcome.UNKNOWN, GateReason("archived_unknown"))


def _archived(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    archived = flag(table, "archived").to_numpy()
    verdicts = [_ARCHIVED.get(a, _ARCHIVED_UNKNOWN) for a in archived]
    outcome = np.array([v[0] for v in verdicts], dtype=object)
    reason = np.empty(len(verdicts), dtype=object)
    reason[:] = [v[1] for v in verdicts]
    return outcome, reason


def evaluate_gates(
    table: pd.DataFrame, snapshot_date: date | datetime, policy: Policy
) -> pd.DataFrame:
    """Per row: `<gate>_outcome`, `<gate>_reason`, `<gate>_applied` for every gate; `license`,
    `license_clarity`; and `status` under `policy`."""
    snapshot = as_timestamp(snapshot_date)
    result = license_verdicts(table, policy)
    for gate, (outcome, reason) in {
        "activity": _activity(table, snapshot, policy.activity_months),
        "archived": _archived(table),
    }.items():
        result[f"{gate}_outcome"] = outcome
        result[f"{gate}_reason"] = reason
    for gate in GATES:
        result[f"{gate}_applied"] = policy.applies(gate)
        if not policy.applies(gate):
            result[f"{gate}_reason"] = [
                dataclasses.replace(r, not_applied_under=policy.name)
                for r in result[f"{gate}_reason"]
            ]
    applied = [result[f"{g}_outcome"].to_numpy() for g in GATES if policy.applies(g)]
    failed = np.logical_or.reduce([o == GateOutcome.FAIL for o in applied]) if applied else False
    unknown = (
        np.logical_or.reduce([o == GateOutcome.UNKNOWN for o in applied]) if applied else False
    )
    result["status"] = np.select(
        [np.broadcast_to(failed, len(table)), np.broadcast_to(unknown, len(table))],
        [Status.ELIMINATED, Status.NEEDS_REVIEW],
        default=Status.QUALIFIED,
    ).astype(object)
    return result
