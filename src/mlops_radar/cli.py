"""The `mlops-radar` command line: a thin layer that parses options and calls the library.

Each command lives in `mlops_radar.commands.<stage>`; this module assembles them into one group and
turns
the project's own errors into one clear line on stderr (exit status 2) instead of a traceback.
"""

from __future__ import annotations

import sys

import click

from mlops_radar import __version__
from mlops_radar.commands import catalog, collect, demo, model, store
from mlops_radar.errors import RadarError
from mlops_radar.report.terminal import printable

__all__ = ["main"]

_EPILOG = """\b
Examples:
  mlops-radar demo                                  # whole pipeline, offline, simulated data
  mlops-radar catalog show README.md --json         # read an awesome list
  mlops-radar collect --catalog README.md           # query GitHub (needs GITHUB_TOKEN)
  mlops-radar rank --category "Feature Store"       # ranking within one category
"""


class _RadarGroup(click.Group):
    """A click group that shows RadarError as one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RadarError as exc:
            # messages can quote untrusted text (a list's line, a repository's name)
            click.echo(f"error: {printable(str(exc))}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(
    cls=_RadarGroup, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="mlops-radar")
def main() -> None:
    """Which open-source MLOps tools are mature enough to adopt, and why."""


for _module in (catalog, collect, store, model, demo):
    for _command in _module.COMMANDS:
        main.add_command(_command)
