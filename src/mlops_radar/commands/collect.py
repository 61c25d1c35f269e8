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
from collections.abc import Callable, Mapping, Sequence
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

from mlops_radar.app.collection import (
    DEFAULT_CATALOG,
    MAX_MISSING_SHARE,
    CollectionResult,
    Opened,
    open_collection,
    run_collection,
)
from mlops_radar.catalog.records import ToolEntry
from mlops_radar.commands.common import db_option, section_options
from mlops_radar.errors import ConfigError
from mlops_radar.report.terminal import printable, safe
from mlops_radar.report.words import collection_warning
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import DEFAULT_API_URL, check_api_url
from mlops_radar.sources.github.groups import DEFAULT_GROUPS, DEPTHS, field_groups
from mlops_radar.sources.github.token import DEFAULT_TOKEN_ENV, Token, find_token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import (
    DEFAULT_MAX_WAIT,
    CollectConfig,
    CollectSummary,
    GroupCost,
    ProgressStatus,
)
from mlops_radar.store import Store
from mlops_radar.store.records import SnapshotStatus

COMMANDS: list[click.Command] = []

#: Exit status when the run stopped early (--max-wait, an outage) or keys failed: partial.
EXIT_PARTIAL = 3
#: Exit status of a complete snapshot with a warning (most repositories not found, ...).
EXIT_WARNING = 4


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
            TextColumn(
                "{task.fields[requests]} requests, {task.fields[points]} points"
                "{task.fields[groups]}"
            ),
            TextColumn("budget {task.fields[budget]}"),
            TimeRemainingColumn(),
            _Countdown(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(
            "collect", total=None, requests=0, points=0, groups="", budget="?", wait_until=None
        )

    def batch_done(self, status: ProgressStatus) -> None:
        budget = "?" if status.remaining is None else f"{status.remaining}/{status.limit or '?'}"
        self.progress.update(
            self.task,
            completed=status.done,
            total=status.total,
            requests=status.requests,
            points=status.points,
            groups="".join(f" ({g} {cost_words(c)})" for g, c in _costed(status.groups)),
            budget=budget,
            wait_until=None,
        )

    def waiting(self, seconds: float, reason: str) -> None:
        self.progress.update(
            self.task, wait_until=time.monotonic() + seconds, wait_reason=safe(reason)
        )


def _announce(opened: Opened, out: Console, catalogs: Sequence[str]) -> None:
    if opened.resumed is not None:
        if catalogs:
            out.print("--resume: the snapshot's own tools are collected; --catalog is ignored")
        info = opened.resumed
        out.print(f"resuming snapshot {info.id} ({info.status}, catalog {safe(opened.source)})")
        return
    out.print(
        f"snapshot {opened.snapshot_id}: {len(opened.entries)} tools from {safe(opened.source)}"
    )


#: The field groups whose own cost the progress bar and the summary show (batched alone).
COSTED_GROUPS = ("health",)


def _costed(groups: Mapping[str, GroupCost]) -> list[tuple[str, GroupCost]]:
    return [(g, groups[g]) for g in COSTED_GROUPS if g in groups]


def cost_words(cost: GroupCost) -> str:
    """One group's cost: `12 requests, 24 points, 12 pages` (pages: repositories answered, one
    page of each of the group's lists)."""
    return f"{cost.requests:,} requests, {cost.points:,} points, {cost.pages:,} pages"


def print_summary(summary: CollectSummary, snapshot_id: int, status: str) -> None:
    """The closing summary on stdout (plain lines: it is also what scripts and logs keep)."""
    counts = {o: summary.counts.get(o, 0) for o in Outcome}
    given_up = f" (given up {counts[Outcome.GIVEN_UP]:,})" if counts[Outcome.GIVEN_UP] else ""
    budget = "?" if summary.budget_left is None else f"{summary.budget_left:,}"
    rows = [
        ("collected", f"{counts[Outcome.COLLECTED] + counts[Outcome.RENAMED]:,}"
         f" (renamed {counts[Outcome.RENAMED]:,})"),
        ("not found", f"{counts[Outcome.NOT_FOUND]:,}"),
        ("forbidden", f"{counts[Outcome.FORBIDDEN]:,}"),
        ("failed", f"{counts[Outcome.FAILED]:,}" + given_up),
        ("unresolved", f"{counts[Outcome.UNRESOLVED]:,} (organisation links)"),
        ("skipped", f"{counts[Outcome.SKIPPED]:,} (no GitHub repository)"),
        ("done before", f"{summary.already_done:,} (earlier run of this snapshot)"),
        ("requests", f"{summary.requests:,}, points {summary.points:,}, budget left {budget}, "
         f"{summary.elapsed_seconds:.1f} s"),
    ]  # fmt: skip
    rows += [(f"{group} cost", cost_words(cost)) for group, cost in _costed(summary.groups)]
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
  mlops-radar collect --depth full                     # also issue, PR and commit-author histories
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
@section_options
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
    default=DEFAULT_MAX_WAIT,
    show_default=True,
    metavar="SECONDS",
    help="Stop (partial snapshot) instead of waiting longer than this for a rate limit "
    "(GitHub's window is an hour: a longer wait is a server's mistake).",
)
@click.option(
    "--groups",
    default=",".join(DEFAULT_GROUPS),
    show_default=True,
    metavar="NAMES",
    help="Field groups to collect, comma-separated (core is always collected): "
    + ", ".join(field_groups()),
)
@click.option(
    "--depth",
    type=click.Choice(sorted(DEPTHS)),
    default=None,
    help="basic: the default groups; full: also the community-health histories (issues, pull "
    "requests, releases, commit authors; about 2 points per repository). Instead of --groups.",
)
@click.option(
    "--max-missing",
    type=click.FloatRange(0, 1),
    default=MAX_MISSING_SHARE,
    show_default=True,
    metavar="SHARE",
    help="Warn (exit 4) when more than this share of repositories is not found or failed.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Finish the newest running or partial collected snapshot; what it holds is not "
    "queried again, failed repositories are.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --resume: take over a snapshot another host's run claimed (when that run is gone).",
)
def collect_command(
    catalogs: tuple[str, ...],
    skip_sections: tuple[str, ...],
    only_sections: tuple[str, ...],
    keep_sections: tuple[str, ...],
    db_url: str | None,
    api_url: str,
    token_env: str,
    batch_size: int,
    concurrency: int,
    max_wait: float | None,
    groups: str,
    depth: str | None,
    max_missing: float,
    resume: bool,
    force: bool,
) -> None:
    """Collect facts about every repository of a catalog from GitHub into a new snapshot.

    Many repositories per request (the size GitHub's cost formula makes cheapest, up to
    --batch-size), a small number of requests at once, rate limits honoured (waits with a
    countdown, or stops at --max-wait). Every batch is stored as it completes. Slow-changing
    facts (community, topics) are asked again only when older than 30 days.
    Exit status: 0 complete, 3 partial (stopped early or repositories failed: --resume
    finishes it), 4 complete with a warning, 130 interrupted, 2 error.
    """
    chosen = tuple(g.strip() for g in groups.split(",") if g.strip())
    if depth is not None:
        if chosen != DEFAULT_GROUPS:
            raise ConfigError("--depth and --groups: give one of them")
        chosen = DEPTHS[depth]
    unknown = sorted(set(chosen) - set(field_groups()))
    if unknown:
        raise ConfigError(
            f"--groups: unknown {', '.join(unknown)}; known: {', '.join(field_groups())}"
        )
    check_api_url(api_url)  # before a snapshot is begun: a typo leaves nothing behind
    token = find_token(token_env)
    config = CollectConfig(batch_size=batch_size, concurrency=concurrency, max_wait=max_wait)
    err = Console(stderr=True)
    with Store.open(db_url) as store:
        opened = open_collection(
            store,
            catalogs,
            resume=resume,
            force=force,
            groups=chosen,
            skip_sections=skip_sections,
            only_sections=only_sections,
            keep_sections=keep_sections,
        )
        _announce(opened, err, catalogs)
        result = _run(store, opened, api_url, token, config, err, chosen, max_missing)
    _finish(result)


def collect_with_progress(
    store: Store,
    opened: Opened,
    api_url: str,
    token: Token,
    config: CollectConfig,
    err: Console,
    *,
    groups: Sequence[str] = DEFAULT_GROUPS,
    max_missing: float = MAX_MISSING_SHARE,
    now: Callable[[], datetime] | None = None,
) -> CollectionResult:
    """`run_collection` with the progress bar on `err` (shared by `collect` and `demo`)."""
    bar = _ProgressBar(err)

    def run(collector: Collector, entries: Sequence[ToolEntry]) -> CollectSummary:
        with bar.progress:
            return collector.run(entries)

    return run_collection(
        store, opened, api_url=api_url, token=token, config=config, progress=bar,
        groups=groups, max_missing=max_missing, now=now, run=run,
    )  # fmt: skip


def _run(
    store: Store,
    opened: Opened,
    api_url: str,
    token: Token,
    config: CollectConfig,
    err: Console,
    groups: Sequence[str],
    max_missing: float,
) -> CollectionResult:
    snapshot_id = opened.snapshot_id
    try:
        return collect_with_progress(
            store, opened, api_url, token, config, err, groups=groups, max_missing=max_missing
        )
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


def _finish(result: CollectionResult) -> None:
    print_summary(result.summary, result.snapshot_id, str(result.status))
    for warning in result.warnings:
        click.echo(f"warning: {collection_warning(warning)}", err=True)
    if result.status is SnapshotStatus.PARTIAL:
        click.echo("run `mlops-radar collect --resume` to finish this snapshot", err=True)
        sys.exit(EXIT_PARTIAL)
    # a missing optional detector is said, not a failed run; too many repositories missing is
    if any(w.get("code") == "many_missing" for w in result.warnings):
        sys.exit(EXIT_WARNING)


COMMANDS.append(collect_command)
