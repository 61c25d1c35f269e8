"""Options and output helpers shared by the CLI's commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "db_option",
    "dump_json",
    "json_option",
    "make_console",
    "policy_option",
    "reviews_option",
    "section_options",
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
reviews_option = click.option(
    "--reviews",
    "reviews_file",
    envvar="MLOPS_RADAR_REVIEWS",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="License reviews (YAML: repo, license, reviewer, date, note) applied where GitHub could "
    "not identify a license; env MLOPS_RADAR_REVIEWS. The study's spreadsheet analysis is "
    "carried to every snapshot without one.",
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


def section_options(func: F) -> F:
    """`--skip-section NAME`, `--only-section NAME` and `--keep-section NAME` (repeatable,
    case-insensitive), for every command that reads a catalog: the command gets
    `skip_sections`, `only_sections` and `keep_sections` tuples, to give to `read_catalog(s)`."""
    func = click.option(
        "--keep-section",
        "keep_sections",
        multiple=True,
        metavar="NAME",
        help="Read this section as tools although its words look like resources (a section "
        "the output lists as skipped, e.g. 'Polls and Events'), beside all the others "
        "(repeatable, case-insensitive).",
    )(func)
    func = click.option(
        "--only-section",
        "only_sections",
        multiple=True,
        metavar="NAME",
        help="Read only this section of a Markdown list (and its subsections), even if it looks "
        "like resources; for other formats, this category (repeatable, case-insensitive).",
    )(func)
    return click.option(
        "--skip-section",
        "skip_sections",
        multiple=True,
        metavar="NAME",
        help="Leave this section (Markdown heading, or category) out of the catalog, beside the "
        "resource sections recognised by their words (repeatable, case-insensitive).",
    )(func)


def dump_json(payload: object) -> None:
    """Write `payload` as indented JSON to stdout (unknown values written as null)."""
    from mlops_radar.report.values import dump_json as dump

    dump(payload)


def make_console(*, stderr: bool = False) -> Console:
    """A rich console sized for where the output goes (see `report.terminal.make_console`)."""
    from mlops_radar.report.terminal import make_console as made

    return made(stderr=stderr)
