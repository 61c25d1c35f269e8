"""The eliminatory gates (license, activity, archived) and a tool's resulting status.

Each gate answers pass / fail / unknown with a reason for every tool. Activity is judged against the
SNAPSHOT's date, passed in: the model reads no clock, so a 2021 snapshot gets 2021 verdicts in any
year. Status under a policy: eliminated if any applied gate fails (even when another is unknown),
needs_review if none fails and one is unknown, else qualified.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.model.columns import as_timestamp, flag, timestamps
from mlops_radar.model.licenses import license_verdicts
from mlops_radar.model.policy import GATES, Policy

__all__ = ["STATUSES", "evaluate_gates"]

STATUSES = ("qualified", "needs_review", "eliminated")


def _activity(
    table: pd.DataFrame, snapshot: pd.Timestamp, months: int
) -> tuple[np.ndarray, np.ndarray]:
    last = timestamps(table, "last_commit_at")
    stale = flag(table, "last_commit_stale").to_numpy()
    cutoff = snapshot - pd.DateOffset(months=months)
    known = last.notna().to_numpy()
    recent = (last >= cutoff).to_numpy() & known
    days = (snapshot - last).dt.days.to_numpy(dtype="float64", na_value=np.nan)
    outcome = np.select(
        [known & recent, known, stale == 1.0, stale == 0.0],
        ["pass", "fail", "fail", "pass"],
        default="unknown",
    )
    dates = last.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None)
    reason = np.select(
        [known, stale == 1.0, stale == 0.0],
        [
            np.array(
                [
                    f"last commit {d}, {max(int(n), 0)} days before the snapshot" if k else ""
                    for d, n, k in zip(dates, days, known, strict=True)
                ],
                dtype=object,
            ),
            f"the study's verdict: last commit older than {months} months",
            f"the study's verdict: last commit within {months} months",
        ],
        default="last commit date unknown",
    )
    limit = f" (limit: {months} months)"
    reason = np.where(known & ~recent, reason + limit, reason)
    return outcome, reason


def _archived(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    archived = flag(table, "archived").to_numpy()
    outcome = np.select([archived == 1.0, archived == 0.0], ["fail", "pass"], default="unknown")
    reason = np.select(
        [archived == 1.0, archived == 0.0],
        ["the repository is archived (read-only)", "not archived"],
        default="archived state unknown",
    )
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
            result[f"{gate}_reason"] = (
                result[f"{gate}_reason"] + f" (not applied under policy {policy.name})"
            )
    applied = [result[f"{g}_outcome"].to_numpy() for g in GATES if policy.applies(g)]
    failed = np.logical_or.reduce([o == "fail" for o in applied]) if applied else False
    unknown = np.logical_or.reduce([o == "unknown" for o in applied]) if applied else False
    result["status"] = np.select(
        [np.broadcast_to(failed, len(table)), np.broadcast_to(unknown, len(table))],
        ["eliminated", "needs_review"],
        default="qualified",
    )
    return result
