"""Fact records for tests, built the way the GitHub source builds them (importable by any test:
pytest puts `tests/` on the path)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mlops_radar.sources.factsets import FactRecord
from mlops_radar.sources.outcomes import FactSink
from mlops_radar.sources.registry import fact_sets

WHEN = datetime(2024, 3, 1, tzinfo=UTC)


def github_facts(repo: str, collected_at: datetime = WHEN, **values: Any) -> list[FactRecord]:
    """One record per GitHub fact set that holds one of `values` (field name -> value)."""
    records = []
    left = dict(values)
    for fact_set in fact_sets():
        if fact_set.source != "github":
            continue
        mine = {k: left.pop(k) for k in list(left) if k in fact_set.field_names}
        if mine:
            records.append(FactRecord(fact_set, repo, collected_at, fact_set.make(mine)))
    assert not left, f"no GitHub fact set has {sorted(left)}"
    return records


def finished(sink: FactSink) -> set[str]:
    """Keys with a final outcome in the sink's snapshot."""
    stored = sink.stored()
    return {key for key in stored.outcomes if stored.finished(key)}
