"""CLI commands of the collect stage: `mlops-radar collect`.

The command reads the catalog (or, with `--resume`, the tools of the unfinished snapshot), opens
the store, and hands the entries to the GitHub `Collector`, showing a progress bar on stderr and a
closing summary on stdout. Whatever stops the run (Ctrl-C, `--max-wait`, an error) leaves a
`partial` snapshot that `--resume` completes; a killed process leaves a `running` one, resumable
the same way.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from mlops_radar.catalog import read_catalogs
from mlops_radar.catalog.records import ToolEntry
from mlops_radar.commands.common import db_option
from mlops_radar.errors import CollectError
from mlops_radar.report.terminal import printable, safe
from mlops_radar.sources.github.client import DEFAULT_API_URL, GitHubClient
from mlops_radar.sources.github.collector import Collector
from mlops_radar.sources.github.summary import CollectConfig, CollectSummary, ProgressStatus
from mlops_radar.sources.github.token import DEFAULT_TOKEN_ENV, Token, find_token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.store import Store
from mlops_radar.store.records import SnapshotStatus

COMMANDS: list[click.Command] = []

DEFAULT_CATALOG = "https://raw.githubusercontent.com/kelvins/awesome-mlops/main/README.md"
#: Exit status when the run stopped early (--max-wait) and left a partial snapshot.
EXIT_PARTIAL = 3


class _Countdown(ProgressColumn):
    """Seconds left of a rate-limit or backoff wait, refreshed live by rich's refresh thread."""

    def render(self, task: Task) -> Text:
        until = task.fields.get("wait_until")
        left = (until - time.monotonic()) if until else 0
        if left <= 0:
            return Text("")
        return Text(f"waiting {left:4.0f} s: {task.fields.get('wait_reason', '')}", style="yellow")


class _ProgressBar:
    """The `CollectProgress` of the CLI: a rich progress bar on stderr."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]collect"),
            BarColumn(),
            MofNCompleteColumn(),  # "0/?" until the plan knows the total
            TextColumn("{task.fields[requests]} requests, {task.fields[points]} points"),
            TextColumn("budget {task.fields[budget]}"),
            TimeRemainingColumn(),
            _Countdown(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(
            "collect", total=None, requests=0, points=0, budget="?", wait_until=None
        )

    def batch_done(self, status: ProgressStatus) -> None:
        budget = "?" if status.remaining is None else f"{status.remaining}/{status.limit or '?'}"
        self.progress.update(
            self.task,
            completed=status.done,
            total=status.total,
            requests=status.requests,
            points=status.points,
            budget=budget,
            wait_until=None,
        )

    def waiting(self, seconds: float, reason: str) -> None:
        self.progress.update(
            self.task, wait_until=time.monotonic() + seconds, wait_reason=safe(reason)
        )


def _open_snapshot(
    store: Store, catalogs: Sequence[str], resume: bool, out: Console
) -> tuple[int, list[ToolEntry]]:
    """A snapshot to write into: the resumable one (`--resume`) or a new one for the catalog."""
    if resume:
        if catalogs:
            out.print("--resume: the snapshot's own tools are collected; --catalog is ignored")
        info = store.resumable_snapshot()
        if info is None:
            raise CollectError("--resume: no running or partial collected snapshot to resume")
        source = safe(str(info.catalog_source))
        out.print(f"resuming snapshot {info.id} ({info.status}, catalog {source})")
        return info.id, store.snapshot_tools(info.id)
    catalog = read_catalogs(list(catalogs) or [DEFAULT_CATALOG])
    snapshot_id = store.begin_snapshot(catalog, origin="collected")
    out.print(f"snapshot {snapshot_id}: {len(catalog.tools)} tools from {safe(catalog.source)}")
    return snapshot_id, list(catalog.tools)


def print_summary(summary: CollectSummary, snapshot_id: int, status: str) -> None:
    """The closing summary on stdout (plain lines: it is also what scripts and logs keep)."""
    counts = summary.counts
    budget = "?" if summary.budget_left is None else f"{summary.budget_left:,}"
    rows = [
        ("collected", f"{counts[Outcome.COLLECTED] + counts[Outcome.RENAMED]:,}"
         f" (renamed {counts[Outcome.RENAMED]:,})"),
        ("not found", f"{counts[Outcome.NOT_FOUND]:,}"),
        ("forbidden", f"{counts[Outcome.FORBIDDEN]:,}"),
        ("failed", f"{counts[Outcome.FAILED]:,}"),
        ("unresolved", f"{counts[Outcome.UNRESOLVED]:,} (organisation links)"),
        ("skipped", f"{counts[Outcome.SKIPPED]:,} (no GitHub repository)"),
        ("done before", f"{summary.already_done:,} (earlier run of this snapshot)"),
        ("requests", f"{summary.requests:,}, points {summary.points:,}, budget left {budget}, "
         f"{summary.elapsed_seconds:.1f} s"),
    ]  # fmt: skip
    lines = [f"snapshot {snapshot_id}: {status}"]
    lines += [f"  {label:<12} {value}" for label, value in rows]
    lines += [f"  renamed    {old} -> {new}" for old, new in summary.renamed]
    lines += [f"  {key}: {reason}" for key, reason in summary.failed]
    for org in summary.unresolved:
        hint = f"; its top repositories: {', '.join(org.suggestions)}" if org.suggestions else ""
        lines.append(f"  unresolved {org.repo}: {org.reason}{hint}")
    if summary.stop_reason:
        lines.append(f"  stopped: {summary.stop_reason}")
    click.echo(printable("\n".join(lines)))  # names and reasons come from GitHub: untrusted


@click.command(
    "collect",
    epilog="""\b
Examples:
  mlops-radar collect                                  # Awesome MLOps, token from GITHUB_TOKEN
  mlops-radar collect --catalog README.md --catalog tools.yaml --db radar.sqlite3
  mlops-radar collect --max-wait 600                   # stop (partial) rather than wait longer
  mlops-radar collect --resume                         # finish an interrupted collection
  mlops-radar collect --api-url http://127.0.0.1:8123/graphql --token-env SIM_TOKEN
""",
)
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    metavar="SOURCE",
    help=f"Catalog file or URL (repeatable; default: {DEFAULT_CATALOG}).",
)
@db_option
@click.option(
    "--api-url",
    envvar="MLOPS_RADAR_GITHUB_API",
    default=DEFAULT_API_URL,
    show_default=True,
    metavar="URL",
    help="GitHub GraphQL endpoint (env MLOPS_RADAR_GITHUB_API).",
)
@click.option(
    "--token-env",
    default=DEFAULT_TOKEN_ENV,
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the token (else `gh auth token`).",
)
@click.option(
    "--batch-size",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Repositories per request (halved on GitHub timeouts, grown back after).",
)
@click.option(
    "--concurrency",
    default=2,
    show_default=True,
    type=click.IntRange(1, 10),
    help="Requests in flight at once.",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Stop (partial snapshot) instead of waiting longer than this for a rate limit.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Finish the newest running or partial collected snapshot; done repositories "
    "are not queried again.",
)
def collect_command(
    catalogs: tuple[str, ...],
    db_url: str | None,
    api_url: str,
    token_env: str,
    batch_size: int,
    concurrency: int,
    max_wait: float | None,
    resume: bool,
) -> None:
    """Collect facts about every repository of a catalog from GitHub into a new snapshot.

    Many repositories per request, a small number of requests at once, rate limits honoured
    (waits with a countdown, or stops at --max-wait). Every batch is stored as it completes.
    Exit status: 0 complete, 3 partial (stopped at --max-wait), 130 interrupted, 2 error.
    """
    token = find_token(token_env)
    config = CollectConfig(batch_size=batch_size, concurrency=concurrency, max_wait=max_wait)
    err = Console(stderr=True)
    with Store.open(db_url) as store:
        snapshot_id, entries = _open_snapshot(store, catalogs, resume, err)
        _run(store, snapshot_id, entries, api_url, token, config, err)


def run_collection(
    store: Store,
    snapshot_id: int,
    entries: list[ToolEntry],
    api_url: str,
    token: Token,
    config: CollectConfig,
    err: Console,
    *,
    now: Callable[[], datetime] | None = None,
) -> tuple[CollectSummary, SnapshotStatus]:
    """Collect `entries` into snapshot `snapshot_id` with a progress bar on `err`, and close it:
    complete, or partial when stopped at --max-wait, interrupted or failed (then re-raised)."""
    bar = _ProgressBar(err)
    clock = {"now": now} if now is not None else {}
    collector = Collector(
        GitHubClient(api_url, token), store.sink(snapshot_id), config, bar, **clock
    )
    try:
        with bar.progress:
            summary = collector.run(entries)
    except BaseException:
        store.finish_snapshot(snapshot_id, SnapshotStatus.PARTIAL)
        raise
    status = SnapshotStatus.PARTIAL if summary.partial else SnapshotStatus.COMPLETE
    store.finish_snapshot(snapshot_id, status)
    return summary, status


def _run(
    store: Store,
    snapshot_id: int,
    entries: list[ToolEntry],
    api_url: str,
    token: Token,
    config: CollectConfig,
    err: Console,
) -> None:
    try:
        summary, status = run_collection(store, snapshot_id, entries, api_url, token, config, err)
    except KeyboardInterrupt:
        click.echo(
            f"interrupted: snapshot {snapshot_id} is partial; "
            "run `mlops-radar collect --resume` to finish it",
            err=True,
        )
        sys.exit(130)
    except BaseException:
        click.echo(f"snapshot {snapshot_id} left partial; `collect --resume` finishes it", err=True)
        raise
    print_summary(summary, snapshot_id, str(status))
    if summary.partial:
        click.echo("run `mlops-radar collect --resume` to finish this snapshot", err=True)
        sys.exit(EXIT_PARTIAL)


COMMANDS.append(collect_command)
