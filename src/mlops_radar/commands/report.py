"""`mlops-radar report`: the static site (default), the Markdown list or the publishing workflow.

It parses options, gathers the assessed snapshot (`app.report.gather`) and hands it to a renderer
in `report/`. No logic and no words here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mlops_radar.errors import ConfigError

from .common import db_option, policy_option, reviews_option, snapshot_option

__all__ = ["COMMANDS", "SIMULATED_CATALOG", "write_site"]

#: The file name `mlops-radar demo` writes its simulated list under: a snapshot whose catalog came
#: from it holds simulated data, and every page of its site says so.
SIMULATED_CATALOG = "awesome-simulated-mlops.md"


def _simulated(catalog_source: str | None) -> bool:
    return bool(catalog_source) and Path(str(catalog_source)).name == SIMULATED_CATALOG


def write_site(data: Any, out: Path, *, images: bool, simulated: bool | None = None) -> Any:
    """The site of `data` (an `app.report.ReportData`) into `out`; simulated when its snapshot's
    catalog is the demo's simulated list (or when told)."""
    from mlops_radar.report.site import render_site

    if simulated is None:
        simulated = _simulated(data.info.catalog_source)
    return render_site(data, out, simulated=simulated, images=images)


@click.command(
    "report",
    epilog="""\b
Examples:
  mlops-radar report --out site                     # the static site of the latest snapshot
  mlops-radar report --out site --since 2021-05-10 --images
  mlops-radar report --format markdown --out README.md
  mlops-radar report --format workflow --catalog README.md --out .github/workflows/radar.yml
""",
)
@snapshot_option
@click.option(
    "--since",
    "since_ref",
    default=None,
    metavar="REF",
    help="Compare with this snapshot (new, moved in, moved out, gone). Default: the complete "
    "snapshot before --snapshot.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["site", "markdown", "workflow"]),
    default="site",
    show_default=True,
    help="site: a static site (a folder); markdown: a ranked list for a list repository's "
    "README; workflow: a GitHub Actions workflow that publishes both on a schedule.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR|FILE",
    help="Where to write: a folder for the site (default: ./site), a file for markdown and "
    "workflow (default: stdout).",
)
@click.option("--images", is_flag=True, help="Also write every chart as SVG and PNG (site).")
@click.option(
    "--catalog",
    "catalog",
    multiple=True,
    metavar="SOURCE",
    help="The list(s) the workflow collects (workflow format).",
)
@policy_option
@reviews_option
@db_option
def report(
    snapshot_ref: str,
    since_ref: str | None,
    fmt: str,
    out: Path | None,
    images: bool,
    catalog: tuple[str, ...],
    policy: str,
    reviews_file: str | None,
    db_url: str | None,
) -> None:
    """Write a report: a static site with a radar per stage, tables, charts and a page per
    tool; or a ranked Markdown list; or the workflow that publishes them."""
    if images and fmt != "site":
        raise ConfigError("--images applies to --format site only")
    if fmt == "workflow":
        if not catalog:
            raise ConfigError("--format workflow needs --catalog SOURCE (the list to collect)")
        if len(catalog) > 1:
            raise ConfigError(
                "--format workflow takes one --catalog (the list the workflow collects)"
            )
        from mlops_radar.report.workflow import render_workflow

        _emit(render_workflow(catalog=catalog[0]), out)
        return
    from mlops_radar.app import assessment
    from mlops_radar.app.report import gather
    from mlops_radar.store import Store

    chosen = assessment.policy(policy)
    with Store.open(db_url) as store:
        data = gather(store, snapshot_ref, since=since_ref, chosen=chosen, reviews=reviews_file)
    if fmt == "markdown":
        from mlops_radar.report.markdown import release_dates, render_markdown

        _emit(
            render_markdown(
                data.by_category,
                data.changes,
                simulated=_simulated(data.info.catalog_source),
                releases=release_dates(data.table),
                rings_then=data.rings_then,
            ),
            out,
        )
        return
    target = out or Path("site")
    if target.exists() and not target.is_dir():
        raise ConfigError(f"{target}: not a folder (the site is a folder of pages)")
    result = write_site(data, target, images=images)
    click.echo(
        f"wrote {len(result.files) + len(result.images):,} files ({result.bytes / 1e6:.1f} MB) "
        f"to {target}; open {target / 'index.html'}",
        err=True,
    )


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {out} ({len(text.encode('utf-8')):,} bytes)", err=True)


COMMANDS: list[click.Command] = [report]
