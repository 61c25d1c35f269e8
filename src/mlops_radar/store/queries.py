"""Reading snapshots back as pandas tables: the model's input table and a tool's history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.errors import StoreError
from mlops_radar.sources.facts import FACT_FIELDS, FACT_TYPES
from mlops_radar.sources.facttable import FactTable
from mlops_radar.store import schema
from mlops_radar.store.records import Origin, SnapshotInfo, SnapshotStatus
from mlops_radar.store.rows import chunks

__all__ = [
    "TOOL_COLUMNS",
    "TOOL_EXTRA_COLUMNS",
    "fact_table",
    "history",
    "snapshot_table",
    "snapshot_tools",
    "tool_facts",
    "typed_frame",
]

#: Columns of the model's input table before the facts (`repo` is shared with FACT_FIELDS).
TOOL_COLUMNS = ("tool", "categories", "stages", "kind", "repo", "subpath", "outcome", "origin")
#: More about each tool, for exports (not part of the model's table).
TOOL_EXTRA_COLUMNS = (
    "identity",
    "tool_url",
    "tool_description",
    "source_line",
    "source_row",
    "source_category",
)
_FACT_ONLY = tuple(f for f in FACT_FIELDS if f != "repo")


def typed_frame(rows: list[dict[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    """A DataFrame with nullable dtypes for facts: Int64, boolean, UTC datetimes, object lists."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for name in frame.columns:
        kind = FACT_TYPES.get(name)
        if kind is int:
            frame[name] = frame[name].astype("Int64")
        elif kind is bool:
            frame[name] = frame[name].astype("boolean")
        elif kind is datetime:
            frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("source_line", "source_row"):
        if name in frame.columns:
            frame[name] = frame[name].astype("Int64")
    return frame


def _by_key(rows: Iterable[Mapping[str, Any]], key: str) -> dict[str, Mapping[str, Any]]:
    return {row[key]: row for row in rows}


def _select(conn: sa.Connection, table: sa.Table, snapshot_id: int) -> list[Mapping[str, Any]]:
    query = sa.select(table).where(table.c.snapshot_id == snapshot_id)
    return [dict(row) for row in conn.execute(query).mappings()]


def _outcome_of(tool: Mapping[str, Any], outcomes: Mapping[str, Mapping[str, Any]]) -> str | None:
    for key in (tool["repo_key"], tool["identity"], tool["org"], tool["url"]):
        if key and key.lower() in outcomes:
            return str(outcomes[key.lower()]["outcome"])
    return None


def snapshot_table(conn: sa.Connection, info: SnapshotInfo) -> pd.DataFrame:
    """The model's table plus `TOOL_EXTRA_COLUMNS`, one row per tool in catalog order."""
    tools = conn.execute(
        sa.select(schema.tools)
        .where(schema.tools.c.snapshot_id == info.id)
        .order_by(schema.tools.c.position)
    ).mappings()
    facts = _by_key(_select(conn, schema.repo_facts, info.id), "repo_key")
    outcomes = _by_key(_select(conn, schema.repo_outcomes, info.id), "repo_key")
    renamed = {r["old_key"]: r["new_key"] for r in _select(conn, schema.renames, info.id)}
    rows = []
    for found_tool in tools:
        tool: Mapping[str, Any] = dict(found_tool)
        key = tool["repo_key"]
        found = facts.get(key) if key else None
        if found is None and key in renamed:  # facts written under the new name
            found = facts.get(renamed[key])
        row: dict[str, Any] = {
            "tool": tool["name"],
            "categories": list(tool["categories"] or []),
            "stages": list(tool["stages"] or []),
            "kind": tool["kind"],
            "repo": tool["repo"],
            "subpath": tool["subpath"],
            "outcome": _outcome_of(tool, outcomes),
            "origin": str(info.origin),
            "identity": tool["identity"],
            "tool_url": tool["url"],
            "tool_description": tool["description"],
            "source_line": tool["source_line"],
            "source_row": tool["source_row"],
            "source_category": tool["source_category"],
        }
        row.update({name: (found[name] if found else None) for name in _FACT_ONLY})
        rows.append(row)
    return typed_frame(rows, (*TOOL_COLUMNS, *_FACT_ONLY, *TOOL_EXTRA_COLUMNS))


#: Columns each layout of the study's files holds (the collected ones hold every GitHub fact).
_STUDY_COLUMNS = {
    "study-csv-12": (
        "default_branch", "total_commits", "last_commit_stale", "forks", "stars", "watchers",
        "license_name", "primary_language", "archived",
    ),
    "study-ods": ("stars", "forks", "total_commits", "last_commit_stale", "license_manual"),
}  # fmt: skip
_STUDY_COLUMNS["study-csv-16"] = (*_STUDY_COLUMNS["study-csv-12"], "open_issues", "closed_issues")
_GITHUB_COLUMNS = tuple(f for f in _FACT_ONLY if f not in ("last_commit_stale", "license_manual"))


def fact_table(conn: sa.Connection, info: SnapshotInfo) -> FactTable:
    """The model's input for one snapshot: `tool_facts` with the columns its sources collect."""
    if info.origin is Origin.IMPORTED:
        sources: tuple[str, ...] = ("study",)
        collected = _STUDY_COLUMNS.get(info.source_format or "", ())
    else:
        sources, collected = ("github",), _GITHUB_COLUMNS
    return FactTable(tool_facts(conn, info), info.snapshot_date, sources, frozenset(collected))


def snapshot_tools(conn: sa.Connection, snapshot_id: int) -> list[ToolEntry]:
    """A snapshot's catalog entries in catalog order, as stored (what a resume collects)."""
    query = (
        sa.select(schema.tools)
        .where(schema.tools.c.snapshot_id == snapshot_id)
        .order_by(schema.tools.c.position)
    )
    return [
        ToolEntry(
            name=row["name"],
            categories=tuple(row["categories"] or ()),
            url=row["url"],
            kind=LinkKind(row["kind"]),
            repo=row["repo"],
            subpath=row["subpath"],
            forge=row["forge"],
            forge_path=row["forge_path"],
            org=row["org"],
            description=row["description"],
            stages=tuple(row["stages"] or ()),
            pypi=tuple(row["pypi"] or ()),
            line=row["source_line"],
        )
        for row in conn.execute(query).mappings()
    ]


def tool_facts(conn: sa.Connection, info: SnapshotInfo) -> pd.DataFrame:
    """The model's input table: `TOOL_COLUMNS` then every fact (docs/architecture.md)."""
    table = snapshot_table(conn, info)
    return table[[*TOOL_COLUMNS, *_FACT_ONLY]]


# --- history --------------------------------------------------------------------------------

HISTORY_COLUMNS = ("snapshot_id", "snapshot_date", "taken_at", "origin", "status", "tool", "repo")


def _rename_groups(conn: sa.Connection) -> dict[str, set[str]]:
    """Each repository key -> every key it was known by (renames in any snapshot, both ways)."""
    groups: dict[str, set[str]] = {}
    for old, new in conn.execute(sa.select(schema.renames.c.old_key, schema.renames.c.new_key)):
        merged = groups.get(old, {old}) | groups.get(new, {new})
        for key in merged:
            groups[key] = merged
    return groups


def _matching_keys(conn: sa.Connection, wanted: str) -> tuple[set[str], set[str]]:
    """Repository keys and repo-less identities of tools named or located `wanted`."""
    t = schema.tools
    matches = conn.execute(
        sa.select(t.c.repo_key, t.c.identity)
        .where(sa.or_(t.c.name_key == wanted, t.c.repo_key == wanted, t.c.identity == wanted))
        .distinct()
    ).all()
    keys = {key for key, _ in matches if key}
    identities = {identity for key, identity in matches if not key}
    if not matches:
        f = schema.repo_facts
        found = conn.execute(
            sa.select(f.c.repo_key)
            .where(sa.or_(f.c.repo_key == wanted, sa.func.lower(f.c.name_with_owner) == wanted))
            .distinct()
        ).scalars()
        keys = set(found)
    return keys, identities


def _in_keys(column: sa.ColumnElement[Any], keys: set[Any]) -> sa.ColumnElement[bool]:
    parts = [column.in_(list(part)) for part in chunks(sorted(keys))]
    return sa.or_(sa.false(), *parts)


def history(conn: sa.Connection, tool: str) -> pd.DataFrame:
    """One row per snapshot (complete or partial) where the tool or its repository appears."""
    wanted = tool.strip().lower()
    keys, identities = _matching_keys(conn, wanted)
    if not keys and not identities:
        raise StoreError(f"no tool or repository {tool!r} in any snapshot")
    groups = _rename_groups(conn)
    families = {frozenset(groups.get(k, {k})) for k in keys}
    if len(families) > 1:
        names = ", ".join(sorted(min(f) for f in families))
        raise StoreError(
            f"{tool!r} names several repositories ({names}): ask for one by owner/name"
        )
    keys = set().union(*families) if families else set()
    s, t, f, o = schema.snapshots, schema.tools, schema.repo_facts, schema.repo_outcomes
    shown = s.c.status != str(SnapshotStatus.RUNNING)
    tool_rows = conn.execute(
        sa.select(t, s.c.snapshot_date)
        .join(s, s.c.id == t.c.snapshot_id)
        .where(shown, sa.or_(_in_keys(t.c.repo_key, keys), _in_keys(t.c.identity, identities)))
        .order_by(t.c.snapshot_id, t.c.position)
    ).mappings()
    fact_rows = conn.execute(
        sa.select(f).join(s, s.c.id == f.c.snapshot_id).where(shown, _in_keys(f.c.repo_key, keys))
    ).mappings()
    outcome_rows = conn.execute(
        sa.select(o).join(s, s.c.id == o.c.snapshot_id).where(shown, _in_keys(o.c.repo_key, keys))
    ).mappings()
    per_snapshot: dict[int, dict[str, Any]] = {}
    for listed in tool_rows:
        current = per_snapshot.get(listed["snapshot_id"])
        if current is None or (current["name_key"] != wanted and listed["name_key"] == wanted):
            per_snapshot[listed["snapshot_id"]] = dict(listed)
    facts: dict[int, Mapping[str, Any]] = {}
    for fact_row in fact_rows:
        sid, key = fact_row["snapshot_id"], fact_row["repo_key"]
        tool_row = per_snapshot.get(sid)
        if sid not in facts or (tool_row and tool_row["repo_key"] == key):
            facts[sid] = dict(fact_row)
    outcomes = {row["snapshot_id"]: row["outcome"] for row in outcome_rows}
    ids = sorted(set(per_snapshot) | set(facts))
    infos = (
        {
            r["id"]: r
            for r in conn.execute(sa.select(s).where(_in_keys(s.c.id, set(ids)))).mappings()
        }
        if ids
        else {}
    )
    rows: list[dict[str, Any]] = []
    for sid in ids:
        info, tool_row, found = infos[sid], per_snapshot.get(sid), facts.get(sid)
        rows.append(
            {
                "snapshot_id": sid,
                "snapshot_date": info["snapshot_date"],
                "taken_at": info["taken_at"],
                "origin": info["origin"],
                "status": info["status"],
                "tool": tool_row["name"] if tool_row else None,
                "repo": tool_row["repo"] if tool_row else (found["repo"] if found else None),
                "outcome": outcomes.get(sid),
                **{name: (found[name] if found else None) for name in _FACT_ONLY},
            }
        )
    frame = typed_frame(rows, (*HISTORY_COLUMNS, "outcome", *_FACT_ONLY))
    return frame.sort_values(["snapshot_date", "taken_at", "snapshot_id"], ignore_index=True)
