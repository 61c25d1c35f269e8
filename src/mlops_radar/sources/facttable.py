"""The model's input: one snapshot's facts as a table, with what the snapshot's sources collect.

The store builds it (`Store.fact_table`), the model reads it. `collected` matters as much as the
values: a column that no source of the snapshot collects (the study's CSVs have no commit dates) is
unknown *by design* for every tool, which is not the same as unknown for one tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

__all__ = ["FactTable"]


@dataclass(frozen=True)
class FactTable:
    """One snapshot's tools and facts.

    `frame`: one row per tool of the snapshot in catalog order (columns in docs/architecture.md);
    `snapshot_date`: the day the facts describe (the model judges time from it, never from today);
    `sources`: the sources whose facts the snapshot holds ("github", "study", ...);
    `collected`: the fact columns that at least one of those sources collects.
    """

    frame: pd.DataFrame
    snapshot_date: date
    sources: tuple[str, ...]
    collected: frozenset[str]
