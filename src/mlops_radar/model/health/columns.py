"""The community-health metrics as columns of the model's input table, and per category.

A snapshot that collected the `github.health` group gets one float column per metric,
`health_<metric>` (NaN where unknown), beside the other facts; the weights file's health signals
read them (`column = "health_..."`). A snapshot without the group has no such columns, so its
scores are what they were (the signals are optional). `category_health` gives the per-category
values the report charts. Pure: the metrics are computed by the caller's `health_metrics` and
passed in; no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from mlops_radar.model.columns import number
from mlops_radar.model.health.base import median
from mlops_radar.model.health.metrics import METRIC_KEYS, HealthMetrics

__all__ = [
    "HEALTH_COLUMNS",
    "CategoryHealth",
    "ToolHealth",
    "category_health",
    "health_column",
    "with_health",
]


def health_column(key: str) -> str:
    """The table column of one metric (`health_time_to_first_response_median_h`, ...)."""
    return f"health_{key}"


#: Every metric's column, in `METRIC_KEYS` order.
HEALTH_COLUMNS: tuple[str, ...] = tuple(health_column(k) for k in METRIC_KEYS)


@dataclass(frozen=True, slots=True)
class ToolHealth:
    """One repository's metrics and the moment they describe (the collection of its
    `github.health` record; None when the record does not say)."""

    metrics: HealthMetrics
    as_of: datetime | None


def with_health(table: pd.DataFrame, health: Sequence[ToolHealth | None]) -> pd.DataFrame:
    """`table` with the `HEALTH_COLUMNS` added, one value per row from `health` (aligned with
    the table's rows; None: no record for that tool). NaN where unknown, never 0."""
    if len(health) != len(table):
        raise ValueError(f"{len(health)} health records for {len(table)} rows")
    columns = {
        health_column(key): np.array(
            [
                np.nan if h is None or (v := getattr(h.metrics, key)) is None else float(v)
                for h in health
            ],
            dtype="float64",
        )
        for key in METRIC_KEYS
    }
    added = pd.DataFrame(columns, index=table.index)
    kept = table.drop(columns=[c for c in HEALTH_COLUMNS if c in table.columns])
    return pd.concat([kept, added], axis=1)


@dataclass(frozen=True, slots=True)
class CategoryHealth:
    """One metric over one category's tools: the median of the known values, their number
    (`n`), and how many tools the category has (`tools`). `median` is None when no tool of the
    category has the metric known."""

    median: float | None
    n: int
    tools: int


def category_health(
    table: pd.DataFrame, keys: Sequence[str] = METRIC_KEYS
) -> dict[str, dict[str, CategoryHealth]]:
    """Per category (a tool counts in each of its categories; "(no category)" for none), per
    metric key: the median over the category's tools with the metric known. A table without the
    health columns (the group was not collected) gives None medians with n = 0 everywhere."""
    lists = (
        table["categories"]
        if "categories" in table.columns
        else pd.Series([[]] * len(table), index=table.index)
    )
    values = {key: number(table, health_column(key)).to_numpy() for key in keys}
    members: dict[str, list[int]] = {}
    for position, cats in enumerate(lists):
        names = list(cats) if isinstance(cats, list | tuple) and len(cats) else ["(no category)"]
        for name in dict.fromkeys(str(c) for c in names):
            members.setdefault(name, []).append(position)
    result: dict[str, dict[str, CategoryHealth]] = {}
    for name, rows in members.items():
        result[name] = {}
        for key in keys:
            known = [float(v) for v in values[key][rows] if not np.isnan(v)]
            result[name][key] = CategoryHealth(median(known), len(known), len(rows))
    return result
