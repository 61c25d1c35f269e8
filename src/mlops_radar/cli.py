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


#: Command name -> (the module of `mlops_radar.commands` that defines it in its COMMANDS list, its
#: one-line help). The help is restated here so `mlops-radar --help` lists every command without
#: importing one (pandas and SQLAlchemy cost ~0.5 s); a test checks it equals the command's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "catalog": ("catalog", "Read tool lists (awesome Markdown, catalog YAML, the study's ODS/CSV) "
                "and compare them."),
    "collect": ("collect", "Collect facts about every repository of a catalog from GitHub into a "
                "new snapshot."),
    "import": ("store", "Import the study's daily CSVs and its ODS spreadsheet as dated "
               "snapshots."),
    "snapshots": ("store", "List the snapshots in the database, oldest first."),
    "history": ("store", "A tool's facts in every snapshot (by name or owner/name, following "
                "renames)."),
    "changes": ("store", "What changed between two snapshots (default: the two latest complete "
                "ones)."),
    "export": ("store", "Export one snapshot for spreadsheets, the study's notebooks, pandas or "
               "other tools."),
    "db": ("db", "Show the database in use (its URL, password hidden), its schema revision, and "
           "what an upgrade would do."),
    "qualify": ("model", "Apply the eliminatory gates and the study's measures to every tool of a "
                "snapshot."),
    "rank": ("model", "Rank tools within each category (or stage), with ring, explanation and "
             "robustness."),
    "compare": ("model", "Tools side by side, per dimension, with the trend from their history."),
    "show": ("model", "Everything known about one tool: facts, gates, scores, explanation, history "
             "length."),
    "demo": ("demo", "Run the whole pipeline offline against the GitHub simulator and print the "
             "ranking."),
    "report": ("report", "Write a report: a static site with a radar per stage, tables, charts "
               "and a page per tool; or a ranked Markdown list; or the workflow that publishes "
               "them."),
    "licenses": ("model", "Licenses as GitHub reports them and as resolved by reviews and "
                 "detection, classified."),
    "stack-check": ("advise", "Can these packages (or tools) be installed together with your "
                    "stack, and what do they bring? Resolved by uv (or pip) in a throwaway "
                    "folder, never in your environment."),
    "backtest": ("backtest", "Measure what a snapshot's rings and scores predicted, against "
                 "later evidence."),
    "advise": ("advise", "Which tool of a stage (or category) to adopt with your stack: the "
               "model's ranking, each tool in or out and why, and an adoption checklist for the "
               "best ones."),
}  # fmt: skip

#: Command name -> its module (kept for callers of the earlier table).
COMMAND_MODULES: dict[str, str] = {name: module for name, (module, _) in COMMANDS.items()}


def _shortened(text: str, limit: int) -> str:
    """`text` cut at a word to fit `limit` characters, with '...' when cut (as click does)."""
    if len(text) <= limit:
        return text
    words: list[str] = []
    used = 0
    for word in text.split():
        if used + len(word) + (1 if words else 0) > limit - 3:
            break
        used += len(word) + (1 if words else 0)
        words.append(word)
    return " ".join(words) + "..."


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

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=3)
            if close:
                ctx.fail(f"No such command {name!r}; did you mean {', '.join(close)}?")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the static table: no command module is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, _shortened(COMMANDS[name][1], limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
