"""Turning records (ToolEntry, RepoFacts, RepoOutcome) into table rows and writing them.

Shared by the collector's sink and by the importer so both write exactly the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from mlops_radar.catalog.records import ToolEntry
from mlops_radar.sources.facts import FACT_FIELDS, RepoFacts
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import schema

__all__ = ["ToolSource", "insert_tools", "utcnow", "write_batch"]

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


def facts_row(snapshot_id: int, facts: RepoFacts) -> dict[str, Any]:
    """The `repo_facts` row of one repository."""
    row = facts.as_row()
    for name in FACT_FIELDS:
        if isinstance(row[name], datetime):
            row[name] = naive_utc(row[name])
    row["snapshot_id"] = snapshot_id
    row["repo_key"] = facts.repo.lower()
    row["raw"] = facts.raw
    return row


def outcome_row(snapshot_id: int, outcome: RepoOutcome) -> dict[str, Any]:
    """The `repo_outcomes` row of one repository."""
    return {
        "snapshot_id": snapshot_id,
        "repo_key": outcome.repo.lower(),
        "outcome": str(outcome.outcome),
        "reason": outcome.reason,
        "new_name": outcome.new_name,
        "suggestions": list(outcome.suggestions) or None,
    }


def _rename_rows(
    snapshot_id: int, facts: Iterable[RepoFacts], outcomes: Iterable[RepoOutcome]
) -> dict[str, dict[str, Any]]:
    found: dict[str, str] = {}
    for item in facts:
        if item.name_with_owner and item.name_with_owner.lower() != item.repo.lower():
            found[item.repo.lower()] = item.name_with_owner
    for out in outcomes:
        if out.outcome is Outcome.RENAMED and out.new_name:
            found[out.repo.lower()] = out.new_name
    return {
        old: {"snapshot_id": snapshot_id, "old_key": old, "new_key": new.lower(), "new_name": new}
        for old, new in found.items()
        if old != new.lower()
    }


def _replace(
    conn: sa.Connection, table: sa.Table, key: str, snapshot_id: int, rows: dict[str, Any]
) -> None:
    """Delete then insert rows keyed by (snapshot_id, key): a portable upsert."""
    keys = list(rows)
    for part in chunks(keys):
        conn.execute(
            table.delete().where(table.c.snapshot_id == snapshot_id, table.c[key].in_(part))
        )
    for part in chunks(list(rows.values())):
        conn.execute(table.insert(), list(part))


def write_batch(
    conn: sa.Connection,
    snapshot_id: int,
    facts: Iterable[RepoFacts],
    outcomes: Iterable[RepoOutcome],
    *,
    fresh: bool = False,
) -> None:
    """Write facts, outcomes and renames of one batch (a repository written again replaces itself).

    `fresh=True` (a snapshot created in this same transaction) skips the deletes.
    """
    facts, outcomes = list(facts), list(outcomes)
    fact_rows = {row["repo_key"]: row for row in (facts_row(snapshot_id, f) for f in facts)}
    outcome_rows = {r["repo_key"]: r for r in (outcome_row(snapshot_id, o) for o in outcomes)}
    rename_rows = _rename_rows(snapshot_id, facts, outcomes)
    for table, key, rows in (
        (schema.repo_facts, "repo_key", fact_rows),
        (schema.repo_outcomes, "repo_key", outcome_rows),
        (schema.renames, "old_key", rename_rows),
    ):
        if not rows:
            continue
        if fresh:
            for part in chunks(list(rows.values())):
                conn.execute(table.insert(), list(part))
        else:
            _replace(conn, table, key, snapshot_id, rows)
