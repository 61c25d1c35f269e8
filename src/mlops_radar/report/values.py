"""The one place that turns table values into JSON values.

pandas and numpy mark unknown as NaN, NaT or pd.NA and hand out numpy scalars; JSON wants null and
plain numbers. Moments become ISO 8601 text, tuples and sets lists, enums their value.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from enum import Enum
from typing import Any

__all__ = ["dump_json", "json_text", "json_value"]


def _unknown(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    name = type(value).__name__
    return name in ("NAType", "NaTType") or (name.startswith("float") and value != value)


def json_value(value: Any) -> Any:
    """`value` (recursively) as a JSON value: unknown -> None, never 0."""
    if _unknown(value):
        return None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return json_value(value.tolist())
    if hasattr(value, "item"):
        return json_value(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_text(payload: Any) -> str:
    """`payload` as indented JSON text (non-ASCII kept)."""
    return json.dumps(json_value(payload), indent=2, ensure_ascii=False)


def dump_json(payload: Any) -> None:
    """Write `payload` as indented JSON to stdout."""
    sys.stdout.write(json_text(payload) + "\n")
