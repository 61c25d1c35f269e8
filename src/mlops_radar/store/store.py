"""`Store`: dated snapshots of catalogs and repository facts in SQLite or PostgreSQL.

A snapshot reads as `complete` only when it is: imports write everything and the status in one
transaction; collections write batches through a sink and flip the status in `finish_snapshot`, so a
killed process leaves a `running` snapshot (resumable), never a complete one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from mlops_radar.catalog.records import Catalog, ToolEntry
from mlops_radar.errors import StoreError
from mlops_radar.sources.facttable import FactTable
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.registry import fact_sets
from mlops_radar.store import schema
from mlops_radar.store.claims import claim_alive, run_id
from mlops_radar.store.database import (
    IMMEDIATE,
    create_engine,
    describe_error,
    is_read_only,
    resolve_url,
    safe_url,
)
from mlops_radar.store.migrate import upgrade
from mlops_radar.store.records import Origin, SnapshotId, SnapshotInfo, SnapshotStatus
from mlops_radar.store.rows import insert_tools, naive_utc, utcnow
from mlops_radar.store.sink import SnapshotSink

__all__ = ["Store"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ERROR_OUTCOMES = (Outcome.NOT_FOUND, Outcome.FORBIDDEN, Outcome.FAILED, Outcome.GIVEN_UP)
_ORDER = (schema.snapshots.c.snapshot_date, schema.snapshots.c.taken_at, schema.snapshots.c.id)


class Store:
    """A database of snapshots. Open it with `Store.open(url)`; close it (or use `with`)."""

    def __init__(self, engine: sa.Engine, label: str) -> None:
        self.engine = engine
        self.label = label  # the URL without its password, for messages

    @classmethod
    def open(cls, url: str | None = None, *, upgrade_schema: bool = True) -> Store:
        """Open the database at `url` (see `database.resolve_url`), upgrading its schema to the
        newest revision unless `upgrade_schema` is False (`mlops-radar db` only looks). A SQLite
        file in a folder this process cannot write is opened read-only (reading commands work;
        writing ones fail with one line)."""
        resolved = resolve_url(url)
        label = safe_url(resolved)
        engine = create_engine(resolved)
        read_only = is_read_only(resolved)
        try:
            if read_only:
                _readable_as_is(engine, label)
            elif upgrade_schema:
                upgrade(engine)
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(
                f"cannot open database {label}: {describe_error(exc, resolved)}"
            ) from None
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, label)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(
        self, *, immediate: bool = False, passing: tuple[type[Exception], ...] = ()
    ) -> Iterator[sa.Connection]:
        """One transaction; database errors become a one-line StoreError.

        `immediate` takes SQLite's write lock at the start (for a transaction that reads, then
        writes what it read); errors of the types in `passing` reach the caller as they are (after
        the rollback), for a caller that knows what they mean (the importer's unique violation).
        """
        try:
            with (
                self.engine.connect() as conn,
                conn.execution_options(**{IMMEDIATE: immediate}).begin(),
            ):
                yield conn
        except passing:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(
                f"database {self.label}: {describe_error(exc, self.engine.url)}"
            ) from None

    # --- writing a collected snapshot --------------------------------------------------------

    def begin_snapshot(
        self,
        catalog: Catalog,
        *,
        origin: Origin | str = Origin.COLLECTED,
        taken_at: datetime | None = None,
        sources: Sequence[str] = ("github",),
        collected: Sequence[str] | None = None,
    ) -> SnapshotId:
        """Create a `running` snapshot holding the catalog's tools; returns its id.

        `sources` are the sources that will write it; `collected` the fact fields they collect
        (default: every field of their fact sets)."""
        if collected is None:
            collected = [name for f in fact_sets() if f.source in sources for name in f.field_names]
        with self.transaction(immediate=True) as conn:
            snapshot_id = create_snapshot(
                conn,
                catalog,
                origin=Origin(origin),
                taken_at=taken_at or utcnow(),
                status=SnapshotStatus.RUNNING,
                sources=tuple(sources),
                collected=tuple(dict.fromkeys(collected)),
            )
            conn.execute(
                schema.snapshots.update()
                .where(schema.snapshots.c.id == snapshot_id)
                .values(claimed_by=run_id())
            )
            return snapshot_id

    def claim(self, snapshot_id: int, *, force: bool = False) -> None:
        """Make this process the one writing a snapshot (a resume), or refuse with one line when
        another live run holds it. A claim left by a run that died on this host is taken over;
        one of another host is taken over only with `force`."""
        mine = run_id()
        s = schema.snapshots

        def refuse(holder: str) -> StoreError:
            return StoreError(
                f"snapshot {snapshot_id} is being written by another run ({holder}); "
                "wait for it to end (if it is gone, `collect --resume --force` takes over)"
            )

        with self.transaction(immediate=True) as conn:
            held = conn.execute(sa.select(s.c.claimed_by).where(s.c.id == snapshot_id)).scalar()
            if held is not None and held != mine and not force and claim_alive(held):
                raise refuse(held)
            taken = conn.execute(
                s.update()
                .where(s.c.id == snapshot_id, s.c.claimed_by.is_not_distinct_from(held))
                .values(claimed_by=mine)
            ).rowcount
        if taken != 1:  # another run's claim landed between our read and our write (PostgreSQL)
            raise refuse("claimed just now")

    def sink(self, snapshot_id: int, source: str = "github") -> SnapshotSink:
        """The `FactSink` of one source of a running (or partial) snapshot: every write is one
        transaction."""
        self.snapshot(snapshot_id)  # fails early for an unknown id
        return SnapshotSink(self, SnapshotId(snapshot_id), source)

    def finish_snapshot(
        self,
        snapshot_id: int,
        status: SnapshotStatus | str,
        *,
        warnings: Sequence[Mapping[str, Any]] = (),
    ) -> SnapshotInfo:
        """Mark a snapshot `complete` or `partial`, recording its counts (and what its
        collection found wrong) in the same transaction; its claim is released."""
        final = SnapshotStatus(status)
        if final is SnapshotStatus.RUNNING:
            raise StoreError("finish_snapshot takes 'complete' or 'partial', not 'running'")
        with self.transaction(immediate=True) as conn:
            info = snapshot_info(conn, snapshot_id)
            if info.status is SnapshotStatus.COMPLETE:
                raise StoreError(f"snapshot {snapshot_id} is already complete")
            conn.execute(
                schema.snapshots.update()
                .where(schema.snapshots.c.id == snapshot_id)
                .values(
                    status=str(final),
                    finished_at=utcnow(),
                    warnings=[dict(w) for w in warnings] or None,
                    claimed_by=None,
                    **finish_counts(conn, snapshot_id),
                )
            )
            return snapshot_info(conn, snapshot_id)

    # --- reading -------------------------------------------------------------------------------

    def snapshot(self, snapshot_id: int) -> SnapshotInfo:
        """One snapshot by id, whatever its status."""
        with self.transaction() as conn:
            return snapshot_info(conn, snapshot_id)

    def resumable_snapshot(self) -> SnapshotInfo | None:
        """The newest collected snapshot still `running` or `partial`, if any."""
        query = (
            sa.select(schema.snapshots)
            .where(
                schema.snapshots.c.origin == str(Origin.COLLECTED),
                schema.snapshots.c.status.in_(
                    [str(SnapshotStatus.RUNNING), str(SnapshotStatus.PARTIAL)]
                ),
            )
            .order_by(schema.snapshots.c.id.desc())
            .limit(1)
        )
        with self.transaction() as conn:
            row = conn.execute(query).mappings().first()
        return _info(row) if row else None

    def resolve_snapshot(self, ref: str | int = "latest") -> SnapshotInfo:
        """A complete snapshot from an id, a date `YYYY-MM-DD` (latest that day) or `latest`."""
        text = str(ref).strip()
        query = sa.select(schema.snapshots).order_by(*(c.desc() for c in _ORDER)).limit(1)
        if text.isdigit():
            query = query.where(schema.snapshots.c.id == int(text))
        elif _DATE.match(text):
            query = query.where(schema.snapshots.c.snapshot_date == _parse_date(text))
        elif text.lower() != "latest":
            raise StoreError(f"snapshot {text!r}: expected an id, a date YYYY-MM-DD or 'latest'")
        with self.transaction() as conn:
            row = conn.execute(query.where(_complete())).mappings().first()
            if row is None:
                raise StoreError(f"{_missing_snapshot(conn, text)} (database {self.label})")
        return _info(row)

    def snapshots(self) -> pd.DataFrame:
        """One row per snapshot (every status), oldest first."""
        with self.transaction() as conn:
            rows = conn.execute(sa.select(schema.snapshots).order_by(*_ORDER)).mappings().all()
        hidden = ("collected", "claimed_by", "warnings")
        shown = [c.name for c in schema.snapshots.c if c.name not in hidden]
        frame = pd.DataFrame([dict(r) for r in rows], columns=shown)
        for name in ("tool_count", "repo_count", "error_count"):
            frame[name] = frame[name].astype("Int64")
        return frame

    def snapshot_tools(self, snapshot_id: int) -> list[ToolEntry]:
        """The catalog entries of a snapshot, in catalog order (for `collect --resume`)."""
        from mlops_radar.store.queries import snapshot_tools

        with self.transaction() as conn:
            snapshot_info(conn, snapshot_id)
            return snapshot_tools(conn, snapshot_id)

    def tool_facts(self, snapshot_id: int) -> pd.DataFrame:
        """The model's input table for one snapshot (see docs/architecture.md)."""
        from mlops_radar.store.queries import tool_facts

        with self.transaction() as conn:
            return tool_facts(conn, snapshot_info(conn, snapshot_id))

    def fact_table(self, snapshot_id: int) -> FactTable:
        """The model's input for one snapshot: its table, date, sources and collected columns."""
        from mlops_radar.store.queries import fact_table

        with self.transaction() as conn:
            return fact_table(conn, snapshot_info(conn, snapshot_id))

    def manual_licenses(self) -> dict[str, tuple[str, date]]:
        """Each repository's newest hand analysis of its license (the study's spreadsheet)."""
        from mlops_radar.store.queries import manual_licenses

        with self.transaction() as conn:
            return manual_licenses(conn)

    def history(self, tool: str) -> pd.DataFrame:
        """One row per snapshot for a tool name or owner/name (any case, following renames)."""
        from mlops_radar.store.queries import history

        with self.transaction() as conn:
            return history(conn, tool)


# --- helpers shared with the importer ------------------------------------------------------------


def _readable_as_is(engine: sa.Engine, label: str) -> None:
    """A read-only database can be read only if it needs no upgrade."""
    from mlops_radar.store.migrate import pending

    with engine.connect() as conn:
        todo = pending(conn)
    if todo:
        raise StoreError(
            f"{label} is read-only here and needs a schema upgrade "
            f"({', '.join(r.id for r in todo)}): open it once where it can be written"
        )


def create_snapshot(
    conn: sa.Connection,
    catalog: Catalog,
    *,
    origin: Origin,
    taken_at: datetime,
    status: SnapshotStatus,
    sources: tuple[str, ...],
    collected: tuple[str, ...],
    source_format: str | None = None,
    snapshot_date: date | None = None,
    tool_sources: Any = None,
) -> SnapshotId:
    """Insert a snapshot row and its tools inside the caller's transaction."""
    taken = naive_utc(taken_at)
    assert taken is not None
    result = conn.execute(
        schema.snapshots.insert().values(
            taken_at=taken,
            snapshot_date=snapshot_date or taken.date(),
            origin=str(origin),
            status=str(status),
            catalog_source=catalog.source,
            catalog_sha256=catalog.sha256,
            source_format=source_format,
            recorded_at=utcnow(),
            sources=list(sources),
            collected=list(collected),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    snapshot_id = SnapshotId(int(key[0]))
    insert_tools(conn, snapshot_id, catalog.tools, tool_sources)
    return snapshot_id


def snapshot_info(conn: sa.Connection, snapshot_id: int) -> SnapshotInfo:
    """A snapshot's metadata, or StoreError when there is none with that id."""
    row = (
        conn.execute(sa.select(schema.snapshots).where(schema.snapshots.c.id == snapshot_id))
        .mappings()
        .first()
    )
    if row is None:
        raise StoreError(f"no snapshot {snapshot_id}")
    return _info(row)


def finish_counts(conn: sa.Connection, snapshot_id: int) -> dict[str, int]:
    """Tool, repository and error counts of a snapshot, as stored in its row."""

    def count(table: sa.Table, *where: Any) -> int:
        query = sa.select(sa.func.count()).select_from(table)
        return int(
            conn.execute(query.where(table.c.snapshot_id == snapshot_id, *where)).scalar_one()
        )

    errors = schema.outcomes.c.outcome.in_([str(o) for o in _ERROR_OUTCOMES])
    with_facts = sa.union(
        *(
            sa.select(schema.fact_table(f).c.repo_key).where(
                schema.fact_table(f).c.snapshot_id == snapshot_id
            )
            for f in fact_sets()
        )
    ).subquery()
    repos = conn.execute(sa.select(sa.func.count()).select_from(with_facts)).scalar_one()
    return {
        "tool_count": count(schema.tools),
        "repo_count": int(repos),
        "error_count": count(schema.outcomes, errors),
    }


def _complete() -> sa.ColumnElement[bool]:
    return schema.snapshots.c.status == str(SnapshotStatus.COMPLETE)


def _missing_snapshot(conn: sa.Connection, ref: str) -> str:
    if ref.isdigit():
        row = conn.execute(
            sa.select(schema.snapshots.c.status).where(schema.snapshots.c.id == int(ref))
        ).first()
        if row is not None:
            return f"snapshot {ref} is {row[0]}, not complete"
        return f"no snapshot {ref}"
    if ref.lower() == "latest":
        return "no complete snapshot yet: run `mlops-radar collect` or `mlops-radar import`"
    days = sorted(
        {
            d
            for (d,) in conn.execute(
                sa.select(schema.snapshots.c.snapshot_date).where(_complete()).distinct()
            )
        }
    )
    if not days:
        return f"no complete snapshot on {ref}"
    wanted = _parse_date(ref)
    near = sorted(days, key=lambda d: (abs((d - wanted).days), d))[:3]
    return f"no complete snapshot on {ref}; nearest: {', '.join(str(d) for d in sorted(near))}"


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise StoreError(f"{text!r} is not a valid date (YYYY-MM-DD)") from None


def _info(row: Any) -> SnapshotInfo:
    return SnapshotInfo(
        id=SnapshotId(row["id"]),
        taken_at=row["taken_at"],
        snapshot_date=row["snapshot_date"],
        origin=Origin(row["origin"]),
        status=SnapshotStatus(row["status"]),
        catalog_source=row["catalog_source"],
        catalog_sha256=row["catalog_sha256"],
        source_format=row["source_format"],
        tool_count=row["tool_count"],
        repo_count=row["repo_count"],
        error_count=row["error_count"],
        sources=tuple(row["sources"] or ()),
        collected=tuple(row["collected"] or ()),
        warnings=tuple(row["warnings"] or ()),
    )
