"""CLI commands of the store stage: import, snapshots, history, changes, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.table import Table

from mlops_radar.commands.common import (
    db_option,
    dump_json,
    json_option,
    make_console,
    policy_option,
    snapshot_option,
)
from mlops_radar.errors import StoreError
from mlops_radar.report.export import FORMATS, export_snapshot
from mlops_radar.report.terminal import safe
from mlops_radar.store import Store
from mlops_radar.store.importer import import_files

COMMANDS: list[click.Command] = []


def _table(title: str, frame: pd.DataFrame, columns: list[str]) -> Table:
    """A rich table of `columns`; every cell is escaped (outside text is never markup)."""
    table = Table(title=safe(title))
    for name in columns:
        table.add_column(name)
    for record in (
        frame[columns].astype(object).where(frame[columns].notna(), None).to_dict("records")
    ):
        table.add_row(*("" if v is None else safe(str(v)) for v in record.values()))
    return table


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    from mlops_radar.report.values import json_value

    return [{str(k): json_value(v) for k, v in r.items()} for r in frame.to_dict("records")]


@click.command(
    "import",
    epilog="""\b
Examples:
  mlops-radar import ../shared/data/mlopstools-2021/csvdata/*.csv
  mlops-radar import FerramentasMLOps.ods --date 2021-05-01
  mlops-radar import broken.csv --skip-bad --db radar.sqlite3
""",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--date",
    "when",
    metavar="YYYY-MM-DD",
    help="Snapshot date (overrides the file name; "
    "needed for the ODS spreadsheet, whose metadata has no date).",
)
@click.option("--skip-bad", is_flag=True, help="Leave out rows that do not parse, and list them.")
@db_option
def import_command(
    files: tuple[Path, ...], when: str | None, skip_bad: bool, db_url: str | None
) -> None:
    """Import the study's daily CSVs and its ODS spreadsheet as dated snapshots.

    Each file is one snapshot written in one transaction; a file already imported is skipped.
    """
    snapshot_date = _date(when) if when else None
    with Store.open(db_url) as store:
        for result in import_files(
            store,
            list(files),
            snapshot_date=snapshot_date,
            skip_bad=skip_bad,
            progress=lambda m: click.echo(m, err=True),
        ):
            if result.already_imported:
                click.echo(f"{result.path}: already imported as snapshot {result.snapshot_id}")
                continue
            click.echo(
                f"{result.path}: snapshot {result.snapshot_id} ({result.snapshot_date}), "
                f"{result.tools} tools, {result.repos} repositories"
            )
            for line in result.skipped_rows:
                click.echo(f"  skipped {line}", err=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise StoreError(f"--date {text!r}: expected YYYY-MM-DD") from None


@click.command(
    "snapshots",
    epilog="""\b
Examples:
  mlops-radar snapshots
  mlops-radar snapshots --json --db postgresql+psycopg://me@localhost/radar
""",
)
@json_option
@db_option
def snapshots_command(as_json: bool, db_url: str | None) -> None:
    """List the snapshots in the database, oldest first."""
    with Store.open(db_url) as store:
        frame = store.snapshots()
    if as_json:
        dump_json(_records(frame))
        return
    columns = [
        "id",
        "snapshot_date",
        "origin",
        "status",
        "tool_count",
        "repo_count",
        "error_count",
        "catalog_source",
    ]
    make_console().print(_table("Snapshots", frame, columns))


@click.command(
    "history",
    epilog="""\b
Examples:
  mlops-radar history Metaflow
  mlops-radar history netflix/metaflow --json
""",
)
@click.argument("tool")
@json_option
@db_option
def history_command(tool: str, as_json: bool, db_url: str | None) -> None:
    """A tool's facts in every snapshot (by name or owner/name, following renames)."""
    with Store.open(db_url) as store:
        frame = store.history(tool)
    if as_json:
        dump_json(_records(frame))
        return
    columns = [
        "snapshot_date",
        "origin",
        "tool",
        "repo",
        "outcome",
        "stars",
        "forks",
        "watchers",
        "total_commits",
        "license_name",
        "archived",
        "last_commit_stale",
    ]
    make_console().print(_table(f"History of {tool}", frame, columns))


@click.command(
    "changes",
    epilog="""\b
Examples:
  mlops-radar changes                         # the two latest complete snapshots
  mlops-radar changes 2021-05-09 2021-05-20
  mlops-radar changes 3 latest --json
""",
)
@click.argument("old", required=False)
@click.argument("new", required=False)
@policy_option
@json_option
@db_option
def changes_command(
    old: str | None, new: str | None, policy: str, as_json: bool, db_url: str | None
) -> None:
    """What changed between two snapshots (default: the two latest complete ones)."""
    from mlops_radar.app import assessment
    from mlops_radar.report.base import Context, renderer_for

    chosen = assessment.policy(policy)
    with Store.open(db_url) as store:
        old, new = _pair(store, old, new)
        changes = assessment.changes(store, old, new, chosen)
    renderer_for("json" if as_json else "terminal").render(changes, Context(policy=chosen.name))


def _pair(store: Store, old: str | None, new: str | None) -> tuple[str, str]:
    if old is not None:
        return old, new or "latest"
    frame = store.snapshots()
    done = frame[frame["status"] == "complete"]
    if len(done) < 2:
        raise StoreError("changes needs two complete snapshots; there are " + str(len(done)))
    return str(done["id"].iloc[-2]), str(done["id"].iloc[-1])


@click.command(
    "export",
    epilog="""\b
Examples:
  mlops-radar export --format csv                      # YYYY-MM-DD.csv, the study's layout
  mlops-radar export --format xlsx --snapshot 2021-05-20 --out radar.xlsx
  mlops-radar export --format parquet --out exports/
""",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@snapshot_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File or folder to write (default: YYYY-MM-DD.<format> here).",
)
@click.option(
    "--facts-only",
    is_flag=True,
    help="Leave out the verdict columns (status, ring, score, completeness, tier, reasons).",
)
@policy_option
@db_option
def export_command(
    fmt: str,
    snapshot_ref: str,
    out: Path | None,
    facts_only: bool,
    policy: str,
    db_url: str | None,
) -> None:
    """Export one snapshot for spreadsheets, the study's notebooks, pandas or other tools.

    Beside the facts, each tool's verdict: status, ring, score, completeness, tier and its top
    reasons (the same column names in every format; in csv after the study's 16 columns,
    which stay first and unchanged).
    """
    from mlops_radar.app.verdicts import tool_verdicts

    with Store.open(db_url) as store:
        verdicts = None if facts_only else tool_verdicts(store, snapshot_ref, policy_name=policy)
        target = export_snapshot(store, snapshot_ref, fmt, out, verdicts=verdicts)
    click.echo(str(target))


COMMANDS.extend(
    [import_command, snapshots_command, history_command, changes_command, export_command]
)
