"""Reading snapshots back: the model's input table (built column-wise from the fact sets), stored
records, a snapshot's catalog entries, and a tool's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.errors import StoreError
from mlops_radar.sources.factsets import FactSet, RepoKey
from mlops_radar.sources.facttable import FactTable
from mlops_radar.sources.registry import model_columns, model_fact_sets
from mlops_radar.store import schema
from mlops_radar.store.records import SnapshotInfo, SnapshotStatus
from mlops_radar.store.rows import chunks

__all__ = [
    "TOOL_COLUMNS",
    "TOOL_EXTRA_COLUMNS",
    "fact_table",
    "history",
    "read_records",
    "snapshot_table",
    "snapshot_tools",
    "tool_facts",
    "typed_frame",
]

#: Columns of the model's input table before the facts (`repo` is the catalog's link).
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


def _kinds() -> dict[str, type]:
    return {f.name: f.kind for fs in model_fact_sets() for f in fs.fields}


def as_of_column(fact_set: FactSet) -> str:
    """The input table's column saying when a fact set's values were collected."""
    return "as_of_" + fact_set.name.replace(".", "_")


def typed_frame(rows: list[dict[str, Any]] | pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A DataFrame with nullable dtypes for facts: Int64, boolean, UTC datetimes, object lists."""
    frame = pd.DataFrame(rows, columns=list(columns))
    kinds = _kinds()
    for name in frame.columns:
        kind = kinds.get(name)
        if kind is int:
            frame[name] = frame[name].astype("Int64")
        elif kind is bool:
            frame[name] = frame[name].astype("boolean")
        elif kind is float:
            frame[name] = frame[name].astype("Float64")
        elif kind is datetime or name.startswith("as_of_"):
            frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("source_line", "source_row"):
        if name in frame.columns:
            frame[name] = frame[name].astype("Int64")
    return frame


def read_records(
    conn: sa.Connection,
    fact_set: FactSet,
    snapshot_id: int,
    keys: Sequence[str],
    *,
    earlier: bool = False,
) -> dict[RepoKey, Any]:
    """The stored records of one fact set in one snapshot for `keys`; with `earlier`, each key's
    newest record from the other snapshots instead (what an earlier collection found)."""
    table = schema.fact_table(fact_set)
    columns = [table.c[name] for name in fact_set.field_names]
    if earlier:
        newest = (
            sa.select(table.c.repo_key, sa.func.max(table.c.collected_at).label("moment"))
            .where(table.c.snapshot_id != snapshot_id, table.c.repo_key.in_(list(keys)))
            .group_by(table.c.repo_key)
            .subquery()
        )
        query = sa.select(table.c.repo_key, *columns).join(
            newest,
            (newest.c.repo_key == table.c.repo_key) & (newest.c.moment == table.c.collected_at),
        )
    else:
        query = sa.select(table.c.repo_key, *columns).where(
            table.c.snapshot_id == snapshot_id, table.c.repo_key.in_(list(keys))
        )
    rows = conn.execute(query).mappings()
    found = {}
    for row in rows:
        values = {name: row[name] for name in fact_set.field_names}
        for name, value in values.items():
            if isinstance(value, datetime):
                values[name] = value.replace(tzinfo=UTC)
            elif isinstance(value, list):
                values[name] = tuple(value)
        found[RepoKey(row["repo_key"])] = fact_set.make(values)
    return found


def _primary_outcomes(conn: sa.Connection, info: SnapshotInfo) -> dict[str, str]:
    """Each key's outcome, from the first of the snapshot's sources that recorded one."""
    o = schema.outcomes
    order = {name: i for i, name in enumerate(info.sources)}
    found: dict[str, tuple[int, str]] = {}
    rows = conn.execute(
        sa.select(o.c.repo_key, o.c.source, o.c.outcome).where(o.c.snapshot_id == info.id)
    )
    for key, source, outcome in rows:
        rank = order.get(source, len(order))
        if key not in found or rank < found[key][0]:
            found[key] = (rank, outcome)
    return {key: outcome for key, (_, outcome) in found.items()}


def _fact_frame(conn: sa.Connection, fact_set: FactSet, info: SnapshotInfo) -> pd.DataFrame:
    """One fact set's rows for the snapshot, by repo_key; a refreshable one of the snapshot's
    sources falls back, per repository, on its newest value collected up to the snapshot's day."""
    table = schema.fact_table(fact_set)
    columns = [table.c.repo_key, table.c.collected_at, *(table.c[n] for n in fact_set.field_names)]
    own = conn.execute(sa.select(*columns).where(table.c.snapshot_id == info.id)).all()
    frame = pd.DataFrame.from_records(
        [tuple(r) for r in own], columns=[c.name for c in columns], coerce_float=False
    )
    if fact_set.refresh is None or fact_set.source not in info.sources:
        return frame.set_index("repo_key")
    end = datetime.combine(info.snapshot_date + timedelta(days=1), datetime.min.time())
    newest = (
        sa.select(table.c.repo_key, sa.func.max(table.c.collected_at).label("moment"))
        .where(table.c.collected_at < end, table.c.snapshot_id != info.id)
        .group_by(table.c.repo_key)
        .subquery()
    )
    carried = conn.execute(
        sa.select(*columns)
        .join(
            newest,
            (newest.c.repo_key == table.c.repo_key) & (newest.c.moment == table.c.collected_at),
        )
        .where(
            table.c.repo_key.not_in(
                sa.select(table.c.repo_key).where(table.c.snapshot_id == info.id)
            )
        )
    ).all()
    more = pd.DataFrame.from_records(
        [tuple(r) for r in carried], columns=frame.columns, coerce_float=False
    )
    both = pd.concat([frame, more], ignore_index=True) if len(more) else frame
    return both.drop_duplicates("repo_key").set_index("repo_key")


def snapshot_table(conn: sa.Connection, info: SnapshotInfo) -> pd.DataFrame:
    """The model's table plus `TOOL_EXTRA_COLUMNS` and the `as_of_*` columns, one row per tool
    in catalog order."""
    t = schema.tools
    listed = conn.execute(sa.select(t).where(t.c.snapshot_id == info.id).order_by(t.c.position))
    tools = pd.DataFrame.from_records(
        [tuple(row) for row in listed], columns=list(t.c.keys()), coerce_float=False
    )
    renamed = dict(
        conn.execute(
            sa.select(schema.renames.c.old_key, schema.renames.c.new_key).where(
                schema.renames.c.snapshot_id == info.id
            )
        ).all()
    )
    outcomes = _primary_outcomes(conn, info)
    keys = tools["repo_key"]
    frame = pd.DataFrame(
        {
            "tool": tools["name"],
            "categories": tools["categories"].map(lambda v: list(v or [])),
            "stages": tools["stages"].map(lambda v: list(v or [])),
            "kind": tools["kind"],
            "repo": tools["repo"],
            "subpath": tools["subpath"],
            "outcome": [
                next(
                    (
                        outcomes[k.lower()]
                        for k in ids
                        if isinstance(k, str) and k.lower() in outcomes
                    ),
                    None,
                )
                for ids in zip(keys, tools["identity"], tools["org"], tools["url"], strict=True)
            ],
            "origin": str(info.origin),
            "identity": tools["identity"],
            "tool_url": tools["url"],
            "tool_description": tools["description"],
            "source_line": tools["source_line"],
            "source_row": tools["source_row"],
            "source_category": tools["source_category"],
        }
    )
    columns = {name: pd.Series([None] * len(frame), dtype=object) for name in model_columns()}
    as_of: dict[str, pd.Series] = {}
    for fact_set in model_fact_sets():
        found = _fact_frame(conn, fact_set, info)
        if found.empty:
            continue
        lookup = [
            k if k in found.index else renamed.get(k) if isinstance(k, str) else None for k in keys
        ]
        rows = found.reindex(lookup)
        rows.index = frame.index
        for name in fact_set.field_names:
            values = rows[name].astype(object).where(rows[name].notna(), None)
            columns[name] = columns[name].where(columns[name].notna(), values)
        as_of[as_of_column(fact_set)] = rows["collected_at"]
    facts = pd.DataFrame(columns, index=frame.index)
    stamps = pd.DataFrame(as_of, index=frame.index)
    out = pd.concat([frame, facts, stamps], axis=1)
    ordered = (*TOOL_COLUMNS, *model_columns(), *TOOL_EXTRA_COLUMNS, *stamps.columns)
    return typed_frame(out, ordered)


def tool_facts(conn: sa.Connection, info: SnapshotInfo) -> pd.DataFrame:
    """The model's input table: `TOOL_COLUMNS` then every fact (docs/architecture.md)."""
    table = snapshot_table(conn, info)
    return table[[*TOOL_COLUMNS, *model_columns()]]


def fact_table(conn: sa.Connection, info: SnapshotInfo) -> FactTable:
    """The model's input for one snapshot: its table with the `as_of_*` columns, its date, its
    sources and the fact columns they collect."""
    table = snapshot_table(conn, info)
    stamps = [c for c in table.columns if c.startswith("as_of_")]
    frame = table[[*TOOL_COLUMNS, *model_columns(), *stamps]]
    return FactTable(frame, info.snapshot_date, info.sources, frozenset(info.collected))


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
    from mlops_radar.sources.github.groups.core import CORE

    t = schema.tools
    matches = conn.execute(
        sa.select(t.c.repo_key, t.c.identity)
        .where(sa.or_(t.c.name_key == wanted, t.c.repo_key == wanted, t.c.identity == wanted))
        .distinct()
    ).all()
    keys = {key for key, _ in matches if key}
    identities = {identity for key, identity in matches if not key}
    if not matches:
        core = schema.fact_table(CORE)
        found = conn.execute(
            sa.select(core.c.repo_key)
            .where(
                sa.or_(core.c.repo_key == wanted, sa.func.lower(core.c.name_with_owner) == wanted)
            )
            .distinct()
        ).scalars()
        keys = set(found)
    return keys, identities


def _in_keys(column: sa.ColumnElement[Any], keys: set[Any]) -> sa.ColumnElement[bool]:
    parts = [column.in_(list(part)) for part in chunks(sorted(keys))]
    return sa.or_(sa.false(), *parts)


def _history_facts(
    conn: sa.Connection, keys: set[str], shown: sa.ColumnElement[bool]
) -> dict[int, dict[str, dict[str, Any]]]:
    """snapshot id -> repo_key -> merged fact values, over every model fact set."""
    s = schema.snapshots
    merged: dict[int, dict[str, dict[str, Any]]] = {}
    for fact_set in model_fact_sets():
        table = schema.fact_table(fact_set)
        fields = [table.c[name] for name in fact_set.field_names]
        rows = conn.execute(
            sa.select(table.c.snapshot_id, table.c.repo_key, *fields)
            .join(s, s.c.id == table.c.snapshot_id)
            .where(shown, _in_keys(table.c.repo_key, keys))
        ).mappings()
        for row in rows:
            values = merged.setdefault(row["snapshot_id"], {}).setdefault(row["repo_key"], {})
            for name in fact_set.field_names:
                if values.get(name) is None:
                    values[name] = row[name]
    return merged


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
    s, t, o = schema.snapshots, schema.tools, schema.outcomes
    shown = s.c.status != str(SnapshotStatus.RUNNING)
    tool_rows = conn.execute(
        sa.select(t, s.c.snapshot_date)
        .join(s, s.c.id == t.c.snapshot_id)
        .where(shown, sa.or_(_in_keys(t.c.repo_key, keys), _in_keys(t.c.identity, identities)))
        .order_by(t.c.snapshot_id, t.c.position)
    ).mappings()
    outcome_rows = conn.execute(
        sa.select(o.c.snapshot_id, o.c.outcome)
        .join(s, s.c.id == o.c.snapshot_id)
        .where(shown, _in_keys(o.c.repo_key, keys))
        .order_by(o.c.snapshot_id, o.c.source)
    ).all()
    per_snapshot: dict[int, dict[str, Any]] = {}
    for listed in tool_rows:
        current = per_snapshot.get(listed["snapshot_id"])
        if current is None or (current["name_key"] != wanted and listed["name_key"] == wanted):
            per_snapshot[listed["snapshot_id"]] = dict(listed)
    merged = _history_facts(conn, keys, shown)
    facts: dict[int, Mapping[str, Any] | None] = {}
    for sid, by_key in merged.items():
        tool_row = per_snapshot.get(sid)
        key = tool_row["repo_key"] if tool_row else None
        facts[sid] = by_key.get(key) if key in by_key else next(iter(by_key.values()))
    outcomes: dict[int, str] = {}
    for sid, outcome in outcome_rows:
        outcomes.setdefault(sid, outcome)
    ids = sorted(set(per_snapshot) | set(facts))
    infos = (
        {
            r["id"]: r
            for r in conn.execute(sa.select(s).where(_in_keys(s.c.id, set(ids)))).mappings()
        }
        if ids
        else {}
    )
    columns = model_columns()
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
                "repo": tool_row["repo"] if tool_row else None,
                "outcome": outcomes.get(sid),
                **{name: (found.get(name) if found else None) for name in columns},
            }
        )
    frame = typed_frame(rows, (*HISTORY_COLUMNS, "outcome", *columns))
    return frame.sort_values(["snapshot_date", "taken_at", "snapshot_id"], ignore_index=True)


def manual_licenses(conn: sa.Connection) -> dict[str, tuple[str, date]]:
    """Every repository's newest hand analysis of its license in the `study` fact set (the
    study's spreadsheet), with the day of its snapshot: {repo_key: (text, day)}."""
    from mlops_radar.sources.study import STUDY

    table = schema.fact_table(STUDY)
    s = schema.snapshots
    rows = conn.execute(
        sa.select(table.c.repo_key, table.c.license_manual, s.c.snapshot_date)
        .join(s, s.c.id == table.c.snapshot_id)
        .where(table.c.license_manual.is_not(None))
        .order_by(s.c.snapshot_date, s.c.id)
    )
    found: dict[str, tuple[str, date]] = {}
    for key, text, day in rows:
        if isinstance(text, str) and text.strip():
            found[str(key)] = (text.strip(), day)
    return found
