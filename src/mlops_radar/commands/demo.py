"""`mlops-radar demo`: the whole pipeline, offline, against the GitHub simulator.

It runs the real path (catalog -> collect over HTTP -> store -> model -> report) on a seeded,
simulated population: nothing is faked but GitHub itself, and the output says so.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import click
from rich.console import Console

from mlops_radar.app import assessment
from mlops_radar.app.collection import open_collection
from mlops_radar.catalog import read_catalog
from mlops_radar.commands.collect import collect_with_progress, print_summary
from mlops_radar.commands.common import db_option, make_console
from mlops_radar.report.base import Context
from mlops_radar.report.terminal import TerminalRenderer
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

COMMANDS: list[click.Command] = []

_BANNER = (
    "SIMULATED DATA: these tools, repositories and numbers are synthetic, served by mlops-radar's "
    "GitHub simulator on 127.0.0.1. Nothing here describes a real project."
)
# Categories of the real Awesome MLOps list, so the simulated tools map onto every pipeline stage of
# the study's taxonomy (Quadro 2 plus our marked proposals) as a real list would.
_CATEGORIES = (
    "AutoML",
    "CI/CD for Machine Learning",
    "Cron Job Monitoring",
    "Data Management",
    "Data Processing",
    "Data Validation",
    "Drift Detection",
    "Feature Store",
    "Hyperparameter Tuning",
    "Model Lifecycle",
    "Model Serving",
    "Workflow Tools",
)
# The simulator accepts any bearer token; this one is not a secret and is never stored.
_DEMO_TOKEN = "demo-token-for-the-local-simulator"  # noqa: S105


@click.command(
    "demo",
    epilog="""\b
Examples:
  mlops-radar demo                         # 120 simulated tools, throwaway database
  mlops-radar demo --size 400 --seed 7     # another population
  mlops-radar demo --db demo.sqlite3       # keep the database for other commands
  mlops-radar demo --date 2026-01-01       # the same output on any day
  mlops-radar rank --db demo.sqlite3 --stage Monitoring
""",
)
@click.option(
    "--size",
    type=click.IntRange(10, 20_000),
    default=120,
    show_default=True,
    help="Number of simulated repositories.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the population.")
@click.option(
    "--date",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Pretend today is this day (the population's dates and the snapshot's), so the output "
    "is the same whenever it runs. Default: today.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Tools shown per category.",
)
@db_option
def demo(
    size: int,
    seed: int,
    on_date: dt.datetime | None,
    top: int,
    db_url: str | None,
) -> None:
    """Run the whole pipeline offline against the GitHub simulator and print the ranking.

    Starts the simulator on 127.0.0.1 with a seeded population shaped like a real list
    (categories, skewed stars, some stale, archived and "Other"-licensed repositories), writes it
    as an awesome-list Markdown, reads that with the catalog reader, collects it over HTTP with
    the real collector into a database (a throwaway one unless --db), scores it and prints the
    ranking per category. No token and no network needed.
    """
    from github_simulator import Population, Simulator, SimulatorConfig

    out = make_console()
    err = make_console(stderr=True)
    out.print(f"[bold yellow]{_BANNER}[/]")
    today = (on_date or dt.datetime.now(dt.UTC)).replace(
        hour=0, minute=0, second=0, microsecond=0, tzinfo=dt.UTC
    )
    population = Population.synthetic(size, seed, categories=_CATEGORIES, now=today)
    with tempfile.TemporaryDirectory(prefix="mlops-radar-demo-") as folder:
        catalog_path = Path(folder) / "awesome-simulated-mlops.md"
        catalog_path.write_text(population.to_markdown(), encoding="utf-8")
        database = db_url or str(Path(folder) / "demo.sqlite3")
        err.print("starting the GitHub simulator (loads GitHub's schema, a few seconds)...")
        with Simulator(SimulatorConfig(population=population)) as simulator:
            _collect(catalog_path, database, simulator.url, err, today)
        with Store.open(database) as store:
            loaded = assessment.load(store)
            chosen = assessment.policy("radar")
            result = assessment.ranking(loaded, chosen, assessment.weights(None), top=top)
        TerminalRenderer(out).render(result, Context(loaded.info, chosen.name))
        out.print(f"[bold yellow]{_BANNER}[/]")
        if db_url:
            out.print(f"database kept: {db_url} (try `mlops-radar qualify --db {db_url}`)")


def _collect(
    catalog_path: Path, database: str, api_url: str, err: Console, today: dt.datetime
) -> None:
    """catalog -> collect -> store, exactly as `mlops-radar collect` does it."""
    catalog = read_catalog(str(catalog_path))
    with Store.open(database) as store:
        opened = open_collection(store, catalog=catalog, taken_at=today)
        result = collect_with_progress(
            store,
            opened,
            api_url,
            Token(_DEMO_TOKEN, source="demo"),
            CollectConfig(),
            err,
            now=lambda: today,
        )
    print_summary(result.summary, result.snapshot_id, str(result.status))


COMMANDS.append(demo)
