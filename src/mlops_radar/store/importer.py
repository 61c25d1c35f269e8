"""Importing the study's files (daily CSVs, ODS spreadsheet) as `imported` snapshots.

Each file becomes one snapshot, written with its status in ONE transaction: a killed import leaves
nothing. A file already imported (same content hash) is skipped, so importing twice changes nothing.
The database enforces it (a unique index, migration step 2): two processes importing a file at once
end with one snapshot; the loser's transaction rolls back and it reports "already imported".
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import sqlalchemy as sa

from mlops_radar.catalog.records import Catalog
from mlops_radar.errors import SourceError, StoreError
from mlops_radar.sources.study import StudySnapshot, read_study_csv_snapshot, read_study_ods
from mlops_radar.store import schema
from mlops_radar.store.database import describe_error
from mlops_radar.store.records import Origin, SnapshotId, SnapshotStatus
from mlops_radar.store.rows import ToolSource, utcnow, write_batch
from mlops_radar.store.store import Store, create_snapshot, finish_counts

__all__ = ["ImportResult", "import_files"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one file."""

    path: Path
    snapshot_id: SnapshotId
    snapshot_date: date
    tools: int
    repos: int
    already_imported: bool = False
    skipped_rows: tuple[str, ...] = ()  # "file:line: reason" of bad rows left out (--skip-bad)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _read(path: Path, snapshot_date: date | None) -> StudySnapshot:
    if zipfile.is_zipfile(path):
        study = read_study_ods(path, snapshot_date=snapshot_date)
        if study.snapshot_date is None:
            raise StoreError(
                f"{path}: the spreadsheet's metadata has no date: pass --date YYYY-MM-DD "
                "(the day its numbers were typed in)"
            )
        return study
    study = read_study_csv_snapshot(path, snapshot_date=snapshot_date)
    if study.snapshot_date is None:
        raise StoreError(
            f"{path}: no date in the file name (YYYY-MM-DD.csv): pass --date YYYY-MM-DD"
        )
    return study


def _already(conn: sa.Connection, sha256: str) -> tuple[SnapshotId, date] | None:
    """The imported snapshot of this content hash (the unique index allows one at most)."""
    s = schema.snapshots
    row = conn.execute(
        sa.select(s.c.id, s.c.snapshot_date)
        .where(s.c.catalog_sha256 == sha256, s.c.origin == str(Origin.IMPORTED))
        .order_by(s.c.id)
        .limit(1)
    ).first()
    return (SnapshotId(row[0]), row[1]) if row else None


def _problem_lines(study: StudySnapshot) -> tuple[str, ...]:
    return tuple(f"{study.path}:{line}: {reason}" for line, reason in study.problems)


def import_file(
    store: Store,
    path: Path,
    *,
    snapshot_date: date | None = None,
    skip_bad: bool = False,
    progress: Callable[[str], None] | None = None,
    row_names: Mapping[tuple[int, str], str] | None = None,
) -> ImportResult:
    """Import one study file as one complete snapshot (or nothing). `row_names`: tool names by
    (spreadsheet row, repository key) from other files, for the 12-column layout."""
    sha256 = _sha256(path)
    with store.transaction() as conn:
        found = _already(conn, sha256)
    if found:
        return ImportResult(path, found[0], found[1], 0, 0, already_imported=True)
    study = _read(path, snapshot_date)
    if study.layout == "study-csv-12":
        with store.transaction() as conn:
            study = _named_by_row(conn, study, row_names or {})
    bad = _problem_lines(study)
    if bad and not skip_bad:
        more = f" ({len(bad) - 1} more bad rows)" if len(bad) > 1 else ""
        raise StoreError(f"{bad[0]}{more}; nothing of this file was imported (--skip-bad goes on)")
    assert study.snapshot_date is not None
    catalog = Catalog(source=str(path), tools=tuple(t.entry for t in study.tools), sha256=sha256)
    sources = {i: ToolSource(t.row, t.category) for i, t in enumerate(study.tools)}
    try:
        snapshot_id = _write(store, study, catalog, sources, progress)
    except sa.exc.IntegrityError as exc:
        # Another process committed the same file between our check and our insert: the unique
        # index `ux_snapshots_imported_sha256` refused ours, and our transaction rolled back whole.
        return _already_result(store, path, sha256, refused=exc)
    if snapshot_id is None:
        return _already_result(store, path, sha256, refused=None)
    return ImportResult(
        path, snapshot_id, study.snapshot_date, len(study.tools), len(study.facts), skipped_rows=bad
    )


def _named_by_row(
    conn: sa.Connection, study: StudySnapshot, row_names: Mapping[tuple[int, str], str]
) -> StudySnapshot:
    """Names for the 12-column layout, which names no tool (its rows carry the repository only).

    The spreadsheet row tells tools apart that share a repository (row 19 Spark and row 63 MLlib
    are both apache/spark): a name that another study file in the store gives the same row and
    repository (or a file imported with it, `row_names`) wins, preferring one that is not just the
    repository's name. Rows still sharing a
    name (case aside) after that keep it with "(row N)" added, so two tools never merge."""
    rows = {t.row for t in study.tools if t.row is not None}
    known: dict[tuple[int, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    if rows:
        found = conn.execute(
            sa.select(schema.tools.c.source_row, schema.tools.c.repo_key, schema.tools.c.name)
            .where(schema.tools.c.source_row.in_(sorted(rows)))
            .where(schema.tools.c.repo_key.is_not(None))
        ).all()
        for row, key, name in found:
            known[(int(row), str(key))][str(name)] += 1
    for where, name in row_names.items():
        known[where][name] += len(study.tools)  # the files of this import first
    tools = []
    for tool in study.tools:
        entry, key = tool.entry, tool.entry.repo_key
        names = known.get((tool.row, key)) if tool.row is not None and key else None
        if names:
            plain = entry.name.casefold()
            ranked = sorted(names.items(), key=lambda item: (item[0].casefold() == plain, -item[1]))
            entry = dataclasses.replace(entry, name=ranked[0][0])
        tools.append(dataclasses.replace(tool, entry=entry))
    rows_of: dict[str, set[int | None]] = collections.defaultdict(set)
    for tool in tools:
        rows_of[tool.entry.name.casefold()].add(tool.row)
    seen: set[str] = set()
    for i, tool in enumerate(tools):
        folded = tool.entry.name.casefold()
        if len(rows_of[folded]) > 1 and folded in seen and tool.row is not None:
            named = f"{tool.entry.name} (row {tool.row})"
            tools[i] = dataclasses.replace(tool, entry=dataclasses.replace(tool.entry, name=named))
        seen.add(folded)
    return dataclasses.replace(study, tools=tuple(tools))


def _already_result(
    store: Store, path: Path, sha256: str, *, refused: sa.exc.IntegrityError | None
) -> ImportResult:
    """The result for a file found already imported by the write transaction (or its insert)."""
    with store.transaction() as conn:
        found = _already(conn, sha256)
    if found is None:  # not our file's duplicate after all: a real error, one line
        reason = (
            describe_error(refused, store.engine.url)
            if refused
            else "its snapshot was deleted meanwhile"
        )
        raise StoreError(f"{path}: not imported: database {store.label}: {reason}")
    return ImportResult(path, found[0], found[1], 0, 0, already_imported=True)


def _write(
    store: Store,
    study: StudySnapshot,
    catalog: Catalog,
    sources: dict[int, ToolSource],
    progress: Callable[[str], None] | None,
) -> SnapshotId | None:
    """Write the snapshot, its rows and its `complete` status in one transaction.

    None when the file is already there (checked again inside the transaction, which on SQLite holds
    the write lock from its start; on PostgreSQL a racing insert meets the unique index instead).
    """
    assert study.snapshot_date is not None
    assert catalog.sha256 is not None
    with store.transaction(immediate=True, passing=(sa.exc.IntegrityError,)) as conn:
        if _already(conn, catalog.sha256):
            return None
        if progress:
            progress(
                f"{study.path}: writing {len(catalog.tools)} tools, {len(study.facts)} repositories"
            )
        snapshot_id = create_snapshot(
            conn,
            catalog,
            origin=Origin.IMPORTED,
            taken_at=datetime.combine(study.snapshot_date, time(), tzinfo=UTC),
            status=SnapshotStatus.RUNNING,
            sources=("study",),
            collected=study.collected,
            source_format=study.layout,
            snapshot_date=study.snapshot_date,
            tool_sources=sources,
        )
        write_batch(conn, snapshot_id, "study", study.facts, study.outcomes, fresh=True)
        conn.execute(
            schema.snapshots.update()
            .where(schema.snapshots.c.id == snapshot_id)
            .values(
                status=str(SnapshotStatus.COMPLETE),
                finished_at=utcnow(),
                **finish_counts(conn, snapshot_id),
            )
        )
    return snapshot_id


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    snapshot_date: date | None = None,
    skip_bad: bool = False,
    progress: Callable[[str], None] | None = None,
) -> list[ImportResult]:
    """Import several files, each in its own transaction, in the order given. A file of the
    12-column layout takes its tools' names from the other files of the call (and of the store) by
    spreadsheet row (`_named_by_row`), whatever their order."""
    batch: dict[tuple[int, str], str] = {}
    if any(_twelve_columns(p) for p in paths):
        for other in paths:
            if _twelve_columns(other):
                continue
            try:
                named = _read(other, snapshot_date)
            except (StoreError, SourceError):
                continue  # import_file reports it in its turn
            for tool in named.tools:
                if tool.row is not None and tool.entry.repo_key:
                    batch.setdefault((tool.row, tool.entry.repo_key), tool.entry.name)
    return [
        import_file(
            store,
            p,
            snapshot_date=snapshot_date,
            skip_bad=skip_bad,
            progress=progress,
            row_names=batch,
        )
        for p in paths
    ]


def _twelve_columns(path: Path) -> bool:
    """Whether a file looks like a study CSV of the 12-column layout (its header only)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # import_file reports it
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    return first.startswith("gspread_row") and "tool_name" not in first
