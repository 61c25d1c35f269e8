"""Raw signal values per tool, from the facts table and the snapshot date (no normalisation here).

Each signal is one column of floats, NaN where the fact is unknown. Signal definitions follow CHAOSS
where one exists (issue closure ratio = closed / (open + closed) issues; change-request acceptance =
merged / all pull requests). Time is measured from the snapshot's date, never from today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError
from mlops_radar.model.columns import as_timestamp, flag, number, timestamps
from mlops_radar.model.weights import SignalSpec, Weights

__all__ = ["SIGNAL_SOURCES", "available_signals", "signal_values"]

_Compute = Callable[[pd.DataFrame, pd.Timestamp, pd.Series], pd.Series]


def _days_since_commit(table: pd.DataFrame, snapshot: pd.Timestamp, _: pd.Series) -> pd.Series:
    days = (snapshot - timestamps(table, "last_commit_at")).dt.days.astype("float64")
    clipped: pd.Series = days.clip(lower=0.0)
    return clipped


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def _issue_closure(table: pd.DataFrame, _s: pd.Timestamp, _c: pd.Series) -> pd.Series:
    closed = number(table, "closed_issues")
    return _ratio(closed, closed + number(table, "open_issues"))


def _pr_merge(table: pd.DataFrame, _s: pd.Timestamp, _c: pd.Series) -> pd.Series:
    return _ratio(number(table, "merged_prs"), number(table, "pull_requests"))


def _column(name: str) -> _Compute:
    return lambda table, _s, _c: number(table, name)


#: Every signal the model can compute, with the table columns it needs.
SIGNAL_SOURCES: dict[str, tuple[tuple[str, ...], _Compute]] = {
    "stars": (("stars",), _column("stars")),
    "forks": (("forks",), _column("forks")),
    "watchers": (("watchers",), _column("watchers")),
    "days_since_commit": (("last_commit_at",), _days_since_commit),
    "total_commits": (("total_commits",), _column("total_commits")),
    "releases_last_year": (("releases_last_year",), _column("releases_last_year")),
    "mentionable_users": (("mentionable_users",), _column("mentionable_users")),
    "organizations": (("organizations",), _column("organizations")),
    "issue_closure": (("open_issues", "closed_issues"), _issue_closure),
    "pr_merge": (("pull_requests", "merged_prs"), _pr_merge),
    "license_clarity": ((), lambda _t, _s, clarity: clarity),
    "not_archived": (("archived",), lambda table, _s, _c: 1.0 - flag(table, "archived")),
}


def available_signals(table: pd.DataFrame, weights: Weights) -> tuple[str, ...]:
    """The configured signals that apply to this table: optional ones whose columns are absent
    from the whole table (a source that does not collect them) are left out for every tool alike."""
    names = []
    for spec in weights.signals:
        if spec.column is not None:
            columns: tuple[str, ...] = (spec.column,)
        elif spec.name in SIGNAL_SOURCES:
            columns = SIGNAL_SOURCES[spec.name][0]
        else:
            raise ModelError(
                f"unknown signal {spec.name!r} in weights (give it a `column`, or use one of "
                f"{', '.join(SIGNAL_SOURCES)})"
            )
        if spec.optional and not all(c in table.columns for c in columns):
            continue
        names.append(spec.name)
    return tuple(names)


def signal_values(
    table: pd.DataFrame,
    snapshot_date: date | datetime,
    specs: tuple[SignalSpec, ...],
    license_clarity: pd.Series,
) -> pd.DataFrame:
    """One float column per signal, NaN where unknown; a signal with a `column` is that
    column's numbers (a fact set of another source)."""
    snapshot = as_timestamp(snapshot_date)
    values = {
        s.name: number(table, s.column)
        if s.column is not None
        else SIGNAL_SOURCES[s.name][1](table, snapshot, license_clarity)
        for s in specs
    }
    frame = pd.DataFrame(values, index=table.index, dtype="float64")
    return frame.replace([np.inf, -np.inf], np.nan)
