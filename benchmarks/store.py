"""Benchmark of the store: 100 snapshots x 5,000 repositories (synthetic), SQLite and PostgreSQL.

Measures, per database, in one run: time to write every snapshot through the collector's sink
(batches of 100 repositories, one transaction each), time to read one snapshot (`tool_facts`), time
to read one tool's history, and peak memory (tracemalloc for the reads, the process's max RSS for
everything). A naive baseline is measured in the same run on the same database: row-by-row inserts
committed one by one (like a sink that writes each repository on its own), and a history read that
loads every fact row into pandas and filters there. Each database runs in its own child process so
their peak memories do not mix.

    python benchmarks/store.py                          # the full size
    python benchmarks/store.py --snapshots 10 --repos 500
    python benchmarks/store.py --pg postgresql+psycopg://postgres@127.0.0.1:55432/postgres

PostgreSQL: --pg, else $MLOPS_RADAR_TEST_PG, else the local server of scripts/pg-start; a
database named radar_bench_<random> is created and dropped. Without a server, SQLite only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.sources.factsets import FactRecord
from mlops_radar.sources.github.groups.core import CORE, GitHubCore
from mlops_radar.sources.github.groups.topics import TOPICS, GitHubTopics
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import Store, schema
from mlops_radar.store.rows import fact_row, outcome_row

LOCAL_PG = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"
BATCH = 100
START = datetime(2024, 1, 1, tzinfo=UTC)


def catalog(repos: int) -> Catalog:
    tools = tuple(
        ToolEntry(
            name=f"Tool {i}",
            categories=(f"Category {i % 20}",),
            url=f"https://github.com/owner{i}/repo{i}",
            kind=LinkKind.REPO,
            repo=f"owner{i}/repo{i}",
            stages=("Model Serving",),
        )
        for i in range(repos)
    )
    return Catalog(source="synthetic", tools=tools, sha256="0" * 64)


def facts(i: int, day: int) -> list[FactRecord]:
    """What the GitHub source records for one repository: its core and its topics."""
    repo, moment = f"owner{i}/repo{i}", START + timedelta(days=day)
    core = GitHubCore(
        name_with_owner=f"owner{i}/repo{i}",
        url=f"https://github.com/owner{i}/repo{i}",
        description=f"Synthetic tool number {i}",
        default_branch="main",
        total_commits=1000 + i + day,
        last_commit_at=START + timedelta(days=day, hours=i % 24),
        stars=10 * i + day,
        forks=i + day // 2,
        watchers=i // 3,
        license_spdx="Apache-2.0",
        license_name="Apache License 2.0",
        license_key="apache-2.0",
        primary_language="Python",
        archived=False,
        fork=False,
        open_issues=i % 50,
        closed_issues=i % 300,
    )
    raw = {"stargazerCount": 10 * i + day, "id": f"R_{i}"}
    return [
        FactRecord(CORE, repo, moment, core, raw),
        FactRecord(TOPICS, repo, moment, GitHubTopics(topics=("mlops", f"t{i % 10}"))),
    ]


def write_snapshots(store: Store, snapshots: int, repos: int) -> None:
    entries = catalog(repos)
    for day in range(snapshots):
        sid = store.begin_snapshot(entries, origin="collected", taken_at=START + timedelta(day))
        sink = store.sink(sid)
        for first in range(0, repos, BATCH):
            ids = range(first, min(first + BATCH, repos))
            sink.write(
                [record for i in ids for record in facts(i, day)],
                [RepoOutcome(f"owner{i}/repo{i}", Outcome.COLLECTED) for i in ids],
            )
        store.finish_snapshot(sid, "complete")


def naive_write(store: Store, repos: int, day: int) -> None:
    """The baseline: one INSERT per row, each committed on its own."""
    sid = store.begin_snapshot(catalog(repos), origin="collected", taken_at=START - timedelta(day))
    for i in range(repos):
        with store.engine.begin() as conn:
            for record in facts(i, day):
                table = schema.fact_table(record.fact_set)
                conn.execute(table.insert().values(**fact_row(sid, record)))
            outcome = RepoOutcome(f"owner{i}/repo{i}", Outcome.COLLECTED)
            conn.execute(schema.outcomes.insert().values(**outcome_row(sid, "github", outcome, 1)))
    store.finish_snapshot(sid, "complete")


def naive_history(store: Store, repo_key: str) -> pd.DataFrame:
    """The baseline: every fact row into pandas, then filter."""
    with store.engine.connect() as conn:
        table = pd.read_sql(sa.select(schema.fact_table(CORE)), conn)
    return table[table["repo_key"] == repo_key]


@contextmanager
def timed(results: dict[str, Any], name: str, trace: bool = False) -> Iterator[None]:
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start
    if trace:
        results[name + "_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()


def run_worker(url: str, snapshots: int, repos: int, naive_repos: int) -> dict[str, Any]:
    results: dict[str, Any] = {"rows": snapshots * repos}
    with Store.open(url) as store:
        with timed(results, "write"):
            write_snapshots(store, snapshots, repos)
        middle = store.resolve_snapshot(str(START.date() + timedelta(snapshots // 2)))
        with timed(results, "read_snapshot", trace=True):
            table = store.tool_facts(middle.id)
        assert len(table) == repos
        with timed(results, "history", trace=True):
            history = store.history(f"Tool {repos // 2}")
        assert len(history) == snapshots
        results["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with timed(results, "naive_history", trace=True):
            naive = naive_history(store, f"owner{repos // 2}/repo{repos // 2}")
        assert len(naive) == snapshots
        with timed(results, "naive_write"):
            naive_write(store, naive_repos, 1)
    results["max_rss_naive_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["naive_rows"] = naive_repos
    return results


@contextmanager
def postgres_database(base: str) -> Iterator[str | None]:
    url = sa.make_url(base)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        conn = engine.connect()
    except sa.exc.OperationalError:
        engine.dispose()
        yield None
        return
    name = f"radar_bench_{uuid.uuid4().hex[:12]}"
    conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.close()
        engine.dispose()


def in_child(url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        url,
        "--snapshots",
        str(args.snapshots),
        "--repos",
        str(args.repos),
        "--naive-repos",
        str(args.naive_repos),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark worker failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def print_table(columns: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    names = list(columns)
    lines: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        (f"write {args.snapshots} x {args.repos} (s)", lambda r: f"{r['write']:.1f}"),
        ("  repositories / s", lambda r: f"{r['rows'] / r['write']:,.0f}"),
        (f"naive row-by-row, {args.naive_repos} repos (s)", lambda r: f"{r['naive_write']:.1f}"),
        ("  repositories / s", lambda r: f"{r['naive_rows'] / r['naive_write']:,.0f}"),
        ("  speed-up of batched writes (x)", lambda r: f"{_ratio(r):.1f}"),
        ("read one snapshot (s)", lambda r: f"{r['read_snapshot']:.3f}"),
        ("  peak traced memory (MB)", lambda r: f"{r['read_snapshot_peak_mb']:.1f}"),
        ("read one tool's history (s)", lambda r: f"{r['history']:.3f}"),
        ("  peak traced memory (MB)", lambda r: f"{r['history_peak_mb']:.1f}"),
        ("naive history: all facts into pandas (s)", lambda r: f"{r['naive_history']:.3f}"),
        ("  peak traced memory (MB)", lambda r: f"{r['naive_history_peak_mb']:.1f}"),
        ("  speed-up of indexed history (x)", lambda r: f"{r['naive_history'] / r['history']:.0f}"),
        ("max RSS: writes and reads (MB)", lambda r: f"{r['max_rss_mb']:.0f}"),
        ("max RSS: after the naive baseline (MB)", lambda r: f"{r['max_rss_naive_mb']:.0f}"),
    ]
    width = max(len(label) for label, _ in lines) + 2
    print("".ljust(width) + "".join(n.rjust(14) for n in names))
    for label, cell in lines:
        print(label.ljust(width) + "".join(cell(columns[n]).rjust(14) for n in names))


def _ratio(r: dict[str, Any]) -> float:
    return (r["rows"] / r["write"]) / (r["naive_rows"] / r["naive_write"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=100)
    parser.add_argument("--repos", type=int, default=5000)
    parser.add_argument(
        "--naive-repos",
        type=int,
        default=None,
        help="repositories written row by row for the baseline (default: --repos)",
    )
    parser.add_argument("--pg", default=os.environ.get("MLOPS_RADAR_TEST_PG", LOCAL_PG))
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.naive_repos = args.naive_repos or args.repos
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.snapshots, args.repos, args.naive_repos)))
        return
    columns: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        columns["SQLite"] = in_child(str(Path(folder) / "bench.sqlite3"), args)
    if not args.no_pg:
        with postgres_database(args.pg) as url:
            if url is None:
                print(f"PostgreSQL skipped: no server answers at {sa.make_url(args.pg)!r}")
            else:
                columns["PostgreSQL"] = in_child(url, args)
    print_table(columns, args)


if __name__ == "__main__":
    main()
