"""How a tool's counts moved over its history: numbers, first and last known snapshot."""

from __future__ import annotations

from datetime import date

import pandas as pd

from mlops_radar.model.results import Trend, TrendSeries

__all__ = ["TREND_COLUMNS", "trend"]

TREND_COLUMNS = ("stars", "total_commits")


def _day(value: object) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def trend(history: pd.DataFrame) -> Trend:
    """Per count: its first and last known value over `history` (one row per snapshot, oldest
    first, with `snapshot_date`); None with fewer than two known values."""
    series: dict[str, TrendSeries | None] = {}
    for column in TREND_COLUMNS:
        known = history[["snapshot_date", column]].dropna() if column in history else pd.DataFrame()
        if len(known) < 2:
            series[column] = None
            continue
        first, last = known.iloc[0], known.iloc[-1]
        series[column] = TrendSeries(
            int(first[column]), _day(first["snapshot_date"]),
            int(last[column]), _day(last["snapshot_date"]),
        )  # fmt: skip
    return Trend(len(history), series)
