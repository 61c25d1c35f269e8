"""Turning records (ToolEntry, FactRecord, RepoOutcome) into table rows and writing them.

Shared by the collector's sink and by the importer so both write exactly the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from mlops_radar.catalog.records import ToolEntry
from mlops_radar.sources.factsets import FactRecord, FactSet
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import schema

__all__ = ["ToolSource", "chunks", "insert_tools", "naive_utc", "utcnow", "write_batch"]

_CHUNK = 500  # keys per IN (...) list and rows per INSERT batch: far below every driver's limit


@dataclass(frozen=True, slots=True)
class ToolSource:
    """What a source file says about a tool beyond `ToolEntry`, kept for exact round trips."""

    row: int | None = None  # the study's `gspread_row`
    category: str | None = None  # the category exactly as written (e.g. "CI/CD ")


def utcnow() -> datetime:
    """Now, as the naive UTC datetime the schema stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(value: datetime | None) -> datetime | None:
    """A datetime as naive UTC (aware values are converted, naive ones taken as UTC)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tool_row(
    snapshot_id: int, position: int, tool: ToolEntry, source: ToolSource | None
) -> dict[str, Any]:
    """The `tools` row of one catalog entry."""
    return {
        "snapshot_id": snapshot_id,
        "position": position,
        "name": tool.name,
        "name_key": tool.name.strip().lower(),
        "identity": tool.identity,
        "categories": list(tool.categories),
        "stages": list(tool.stages),
        "kind": str(tool.kind),
        "repo": tool.repo,
        "repo_key": tool.repo_key,
        "subpath": tool.subpath,
        "url": tool.url,
        "org": tool.org,
        "forge": tool.forge,
        "forge_path": tool.forge_path,
        "description": tool.description,
        "pypi": list(tool.pypi) or None,
        "source_line": tool.line,
        "source_row": source.row if source else None,
        "source_category": source.category if source else None,
    }


def insert_tools(
    conn: sa.Connection,
    snapshot_id: int,
    tools: Sequence[ToolEntry],
    sources: Mapping[int, ToolSource] | None = None,
) -> None:
    """Insert a snapshot's tools, in catalog order (`position` 0, 1, ...)."""
    rows = [tool_row(snapshot_id, i, tool, (sources or {}).get(i)) for i, tool in enumerate(tools)]
    for part in chunks(rows):
        conn.execute(schema.tools.insert(), list(part))


def fact_row(snapshot_id: int, record: FactRecord) -> dict[str, Any]:
    """The row of one fact record in its fact set's table."""
    row = record.fact_set.values(record.values)
    for name, value in row.items():
        if isinstance(value, datetime):
            row[name] = naive_utc(value)
    row.update(
        snapshot_id=snapshot_id,
        repo_key=record.key,
        collected_at=naive_utc(record.collected_at),
        raw=record.raw,
    )
    return row


def outcome_row(
    snapshot_id: int, source: str, outcome: RepoOutcome, attempts: int
) -> dict[str, Any]:
    """The `outcomes` row of one key."""
    return {
        "snapshot_id": snapshot_id,
        "source": source,
        "repo_key": outcome.repo.lower(),
        "outcome": str(outcome.outcome),
        "reason": outcome.reason,
        "new_name": outcome.new_name,
        "suggestions": list(outcome.suggestions) or None,
        "problems": list(outcome.problems) or None,
        "attempts": attempts,
        "recorded_at": utcnow(),
    }


def _rename_rows(snapshot_id: int, outcomes: Iterable[RepoOutcome]) -> dict[str, dict[str, Any]]:
    found = {
        o.repo.lower(): o.new_name
        for o in outcomes
        if o.outcome is Outcome.RENAMED and o.new_name and o.new_name.lower() != o.repo.lower()
    }
    return {
        old: {"snapshot_id": snapshot_id, "old_key": old, "new_key": new.lower(), "new_name": new}
        for old, new in found.items()
    }


def _replace(
    conn: sa.Connection,
    table: sa.Table,
    where: Sequence[sa.ColumnElement[bool]],
    key: str,
    rows: Mapping[str, dict[str, Any]],
    *,
    fresh: bool,
) -> None:
    """Delete then insert rows keyed by `key` under `where`: a portable upsert."""
    if not rows:
        return
    if not fresh:
        for part in chunks(list(rows)):
            conn.execute(table.delete().where(*where, table.c[key].in_(part)))
    for part in chunks(list(rows.values())):
        conn.execute(table.insert(), list(part))


def _attempts(
    conn: sa.Connection, snapshot_id: int, source: str, outcomes: Sequence[RepoOutcome]
) -> dict[str, int]:
    """Runs that have tried each key: a key that fails again counts one more."""
    failing = [o.repo.lower() for o in outcomes if o.outcome is Outcome.FAILED]
    if not failing:
        return {}
    o = schema.outcomes
    before: dict[str, int] = {}
    for part in chunks(failing):
        rows = conn.execute(
            sa.select(o.c.repo_key, o.c.attempts).where(
                o.c.snapshot_id == snapshot_id,
                o.c.source == source,
                o.c.outcome == str(Outcome.FAILED),
                o.c.repo_key.in_(part),
            )
        )
        before.update({key: int(n) for key, n in rows})
    return {key: before.get(key, 0) + 1 for key in failing}


def write_batch(
    conn: sa.Connection,
    snapshot_id: int,
    source: str,
    facts: Iterable[FactRecord],
    outcomes: Iterable[RepoOutcome],
    *,
    fresh: bool = False,
) -> None:
    """Write the facts, outcomes and renames of one batch of `source` (a key written again
    replaces its earlier row). `fresh=True` (a snapshot created in this transaction) skips the
    deletes."""
    facts, outcomes = list(facts), list(outcomes)
    by_set: dict[FactSet, dict[str, dict[str, Any]]] = {}
    for record in facts:
        by_set.setdefault(record.fact_set, {})[record.key] = fact_row(snapshot_id, record)
    for fact_set, rows in by_set.items():
        table = schema.fact_table(fact_set)
        _replace(conn, table, [table.c.snapshot_id == snapshot_id], "repo_key", rows, fresh=fresh)
    attempts = {} if fresh else _attempts(conn, snapshot_id, source, outcomes)
    o = schema.outcomes
    outcome_rows = {
        row["repo_key"]: row
        for row in (
            outcome_row(snapshot_id, source, out, attempts.get(out.repo.lower(), 1))
            for out in outcomes
        )
    }
    where = [o.c.snapshot_id == snapshot_id, o.c.source == source]
    _replace(conn, o, where, "repo_key", outcome_rows, fresh=fresh)
    r = schema.renames
    renames = _rename_rows(snapshot_id, outcomes)
    _replace(conn, r, [r.c.snapshot_id == snapshot_id], "old_key", renames, fresh=fresh)
