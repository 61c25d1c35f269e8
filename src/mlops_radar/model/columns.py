"""Typed views of the model's input table (the store's `tool_facts`), tolerant of missing columns.

The table may come from SQLite, PostgreSQL or a test, so a fact column can be object, nullable or
float dtype, or absent altogether. These accessors give the rest of the model one shape: floats with
NaN for unknown, booleans as 1.0/0.0/NaN, timestamps in UTC with NaT.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError

__all__ = ["as_timestamp", "flag", "number", "require_columns", "text", "timestamps"]


def require_columns(table: pd.DataFrame, *names: str) -> None:
    """Raise `ModelError` if the table lacks a column the model cannot do without."""
    missing = [n for n in names if n not in table.columns]
    if missing:
        raise ModelError(f"facts table lacks column(s): {', '.join(missing)}")


def number(table: pd.DataFrame, column: str) -> pd.Series:
    """The column as float64, NaN where unknown (or everywhere if the column is absent)."""
    if column not in table.columns:
        return pd.Series(np.nan, index=table.index, dtype="float64")
    values = pd.to_numeric(table[column], errors="coerce")
    return pd.Series(
        values.to_numpy(dtype="float64", na_value=np.nan), index=table.index, dtype="float64"
    )


def flag(table: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column as 1.0 / 0.0 / NaN (strings "True"/"False" accepted)."""
    if column not in table.columns:
        return pd.Series(np.nan, index=table.index, dtype="float64")
    codes, uniques = pd.factorize(table[column], use_na_sentinel=True)
    known = np.array([_truth(v) for v in uniques] + [np.nan], dtype="float64")
    return pd.Series(known[codes], index=table.index, dtype="float64")


def _truth(value: object) -> float:
    if isinstance(value, str):
        return {"true": 1.0, "false": 0.0}.get(value.strip().lower(), np.nan)
    if isinstance(value, bool | np.bool_) or value in (0, 1):
        return float(bool(value))
    return np.nan


def text(table: pd.DataFrame, column: str) -> pd.Series:
    """A text column as object dtype with None where unknown or blank."""
    if column not in table.columns:
        return pd.Series([None] * len(table), index=table.index, dtype="object")
    cleaned = [v.strip() if isinstance(v, str) and v.strip() else None for v in table[column]]
    return pd.Series(cleaned, index=table.index, dtype="object")


def as_timestamp(value: date | datetime | pd.Timestamp | str) -> pd.Timestamp:
    """A snapshot date or datetime as a UTC timestamp (a bare date is midnight UTC)."""
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def timestamps(table: pd.DataFrame, column: str) -> pd.Series:
    """A datetime column in UTC, NaT where unknown."""
    if column not in table.columns:
        return pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns, UTC]")
    return pd.to_datetime(table[column], utc=True, errors="coerce")
