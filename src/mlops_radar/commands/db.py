"""CLI command of the store stage: `mlops-radar db`, which database is in use and its schema."""

from __future__ import annotations

import click

from mlops_radar.commands.common import db_option, dump_json, json_option
from mlops_radar.report.terminal import printable
from mlops_radar.store import Store
from mlops_radar.store.migrate import current_revision, head, pending

COMMANDS: list[click.Command] = []


@click.command(
    "db",
    epilog="""\b
Examples:
  mlops-radar db                                   # the default database and its revision
  mlops-radar db --db radar.sqlite3 --json
  mlops-radar db --db postgresql+psycopg://me@db.example/radar --upgrade
""",
)
@click.option("--upgrade", is_flag=True, help="Apply the pending revisions now.")
@json_option
@db_option
def db_command(upgrade: bool, as_json: bool, db_url: str | None) -> None:
    """Show the database in use (its URL, password hidden), its schema revision, and what an
    upgrade would do. Every other command upgrades a database when it opens it; this one only
    looks, unless --upgrade."""
    with Store.open(db_url, upgrade_schema=upgrade) as store, store.transaction() as conn:
        revision = current_revision(conn)
        todo = pending(conn)
        snapshots = None
        if revision not in (None, "0.1") and not todo:
            snapshots = int(conn.exec_driver_sql("SELECT count(*) FROM snapshots").scalar_one())
    payload = {
        "database": store.label,
        "revision": revision,
        "head": list(head()),
        "pending": [{"revision": r.id, "summary": r.summary} for r in todo],
        "snapshots": snapshots,
    }
    if as_json:
        dump_json(payload)
        return
    shown = {None: "empty (no tables yet)", "0.1": "0.1 (mlops-radar 0.1's own migrator)"}
    lines = [
        f"database  {store.label}",
        f"revision  {shown.get(revision, revision)}",
        f"newest    {', '.join(head())}",
    ]
    if snapshots is not None:
        lines.append(f"snapshots {snapshots:,}")
    if todo:
        lines.append("an upgrade (any command that opens it, or `db --upgrade`) would apply:")
        lines += [f"  {r.id}  {r.summary}" for r in todo]
    else:
        lines.append("up to date")
    click.echo(printable("\n".join(lines)))


COMMANDS.append(db_command)
