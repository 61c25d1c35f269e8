"""The `mlops-radar` command line: a thin layer that parses options and calls the library.

Each command lives in `mlops_radar.commands.<stage>`; this module assembles them into one group,
importing a stage's module only when one of its commands runs (so `catalog show` never loads
pandas or SQLAlchemy), and turns the project's own errors into one clear line on stderr (exit
status 2) instead of a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from mlops_radar import __version__
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


#: Command name -> the module of `mlops_radar.commands` that defines it (in its COMMANDS list).
COMMAND_MODULES: dict[str, str] = {
    "catalog": "catalog",
    "collect": "collect",
    "import": "store",
    "snapshots": "store",
    "history": "store",
    "changes": "store",
    "export": "store",
    "db": "db",
    "qualify": "model",
    "rank": "model",
    "compare": "model",
    "show": "model",
    "demo": "demo",
    "stack-check": "advise",
    "advise": "advise",
}


class _RadarGroup(click.Group):
    """A click group that loads commands on demand and shows RadarError as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"mlops_radar.commands.{module_name}")
        commands: list[click.Command] = module.COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)

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
