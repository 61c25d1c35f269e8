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
from mlops_radar.commands.report import SIMULATED_CATALOG
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
  mlops-radar demo                         # 120 simulated tools, one screen per stage
  mlops-radar demo --full                  # every category's ranking table
  mlops-radar demo --study ../shared/data/mlopstools-2021   # the study's real tools, offline
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
    default=None,
    help="Tools shown per stage (default 3), or per category with --full (default 5).",
)
@click.option("--full", is_flag=True, help="Every category's ranking table, not one screen.")
@click.option(
    "--study",
    "study_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="DIR",
    help="Run on the 2021 study's files instead of the simulator: its daily CSVs (csvdata/) and "
    "spreadsheet (FerramentasMLOps.ods), imported, qualified and ranked, offline.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Also write the report site (as `mlops-radar report` does) into DIR; every page says "
    "the data is simulated.",
)
@db_option
def demo(
    size: int,
    seed: int,
    on_date: dt.datetime | None,
    top: int | None,
    full: bool,
    study_dir: Path | None,
    out: Path | None,
    db_url: str | None,
) -> None:
    """Run the whole pipeline offline against the GitHub simulator and print the ranking.

    Starts the simulator on 127.0.0.1 with a seeded population shaped like a real list
    (categories, skewed stars, some stale, archived and "Other"-licensed repositories), writes it
    as an awesome-list Markdown, reads that with the catalog reader, collects it over HTTP with
    the real collector into a database (a throwaway one unless --db), scores it and prints, per
    pipeline stage, the leading tools with their ring and one reason (--full: every category's
    table). With --study DIR it imports the study's real files instead. No token and no network
    needed.
    """
    console = make_console()
    err = make_console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="mlops-radar-demo-") as folder:
        database = db_url or str(Path(folder) / "demo.sqlite3")
        if study_dir is not None:
            banner = _STUDY_BANNER
            console.print(f"[bold cyan]{banner}[/]")
            _import_study(study_dir, database, err)
        else:
            banner = f"[bold yellow]{_BANNER}[/]"
            console.print(banner)
            _simulate(size, seed, on_date, folder, database, err)
        with Store.open(database) as store:
            loaded = assessment.load(store)
            chosen = assessment.policy("radar")
            weighting = assessment.weights(None)
            if full:
                result = assessment.ranking(loaded, chosen, weighting, top=top or 5)
                context = Context(loaded.info, chosen.name)
            else:
                result = assessment.ranking(
                    loaded, chosen, weighting, grouping="stage", top=top or 3
                )
                context = Context(loaded.info, chosen.name, {"brief": True, "db": db_url})
            if out is not None:
                _write_site(store, out, simulated=study_dir is None, err=err)
        TerminalRenderer(console).render(result, context)
        console.print(banner if study_dir is None else f"[bold cyan]{banner}[/]")
        if db_url:
            console.print(f"database kept: {db_url} (try `mlops-radar qualify --db {db_url}`)")


def _write_site(store: Store, out: Path, *, simulated: bool, err: Console) -> None:
    """The report site of the demo's snapshot, as `mlops-radar report --out DIR` writes it."""
    from mlops_radar.app.report import gather
    from mlops_radar.commands.report import write_site

    result = write_site(gather(store), out, images=False, simulated=simulated)
    err.print(
        f"wrote the report site ({len(result.files):,} files) to {out}: open {out / 'index.html'}"
    )


_STUDY_BANNER = (
    "REAL DATA from the 2021 study's files (GitHub as its authors read it in May 2021), imported "
    "offline: these verdicts describe the tools as they were then, not today."
)


def _import_study(folder: Path, database: str, err: Console) -> None:
    """The study's CSVs and spreadsheet into the database, as `mlops-radar import` does."""
    from mlops_radar.errors import RadarError
    from mlops_radar.store.importer import import_files

    csvs = sorted((folder / "csvdata").glob("*.csv")) or sorted(folder.glob("*.csv"))
    ods = sorted(folder.glob("*.ods"))
    if not csvs and not ods:
        raise RadarError(f"{folder}: no study files (csvdata/*.csv, *.ods) found")
    err.print(f"importing {len(csvs)} daily CSVs and {len(ods)} spreadsheet(s) from {folder}...")
    with Store.open(database) as store:
        if ods:
            import_files(store, ods, snapshot_date=dt.date(2021, 5, 1))
        if csvs:
            import_files(store, csvs)


def _simulate(
    size: int, seed: int, on_date: dt.datetime | None, folder: str, database: str, err: Console
) -> None:
    from github_simulator import Population, Simulator, SimulatorConfig

    today = (on_date or dt.datetime.now(dt.UTC)).replace(
        hour=0, minute=0, second=0, microsecond=0, tzinfo=dt.UTC
    )
    population = Population.synthetic(size, seed, categories=_CATEGORIES, now=today)
    catalog_path = Path(folder) / SIMULATED_CATALOG
    catalog_path.write_text(population.to_markdown(), encoding="utf-8")
    err.print("starting the GitHub simulator (loads GitHub's schema, a few seconds)...")
    with Simulator(SimulatorConfig(population=population)) as simulator:
        _collect(catalog_path, database, simulator.url, err, today)


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
