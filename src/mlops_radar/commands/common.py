"""Options and output helpers shared by the CLI's commands."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click
from rich.console import Console

__all__ = [
    "db_option",
    "dump_json",
    "json_option",
    "make_console",
    "policy_option",
    "snapshot_option",
]

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option(
    "--db",
    "db_url",
    envvar="MLOPS_RADAR_DB",
    default=None,
    metavar="URL",
    help="Database URL or SQLite path (default: a SQLite file in your user data folder; "
    "env MLOPS_RADAR_DB). PostgreSQL: postgresql+psycopg://user@host/dbname",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
snapshot_option = click.option(
    "--snapshot",
    "snapshot_ref",
    default="latest",
    show_default=True,
    metavar="REF",
    help="A snapshot id, a date YYYY-MM-DD (the latest complete snapshot that day) or 'latest'.",
)
policy_option = click.option(
    "--policy",
    "policy",
    default="radar",
    show_default=True,
    metavar="NAME|FILE",
    help="Gate policy: 'study' (the study's two eliminatory qualifiers), 'radar' (adds ours), "
    "or a policy file (TOML).",
)


def _default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _without_nan(value: object) -> object:
    """`value` with float NaN (pandas' missing marker) replaced by None, recursively."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _without_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nan(v) for v in value]
    return value


def dump_json(payload: object) -> None:
    """Write `payload` as indented JSON to stdout (unknown numbers, NaN, written as null)."""
    text = json.dumps(_without_nan(payload), indent=2, ensure_ascii=False, default=_default)
    sys.stdout.write(text + "\n")


def make_console(*, stderr: bool = False) -> Console:
    """A rich console; when output is not a terminal (a pipe, a CI log, a notebook cell) tables get
    160 columns instead of rich's 80, unless COLUMNS says otherwise."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, width=width)
