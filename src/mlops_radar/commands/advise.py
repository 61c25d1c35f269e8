"""CLI commands of the advise stage: stack-check and advise.

`stack-check` resolves packages (or a snapshot's tools) with the user's stack through uv in a
throwaway folder; `advise` ranks a stage's or category's tools with the maturity model and checks
each against the stack. Logic lives in `mlops_radar.advise`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mlops_radar.advise.cache import Cache, default_cache_dir
from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.lockin import load_cloud_sdks
from mlops_radar.advise.mapping import PackageMapping
from mlops_radar.advise.osv import OSV_URL
from mlops_radar.advise.requirements import Wanted, from_arguments, parse_line, read_requirements
from mlops_radar.advise.resolver import PYPI, Target
from mlops_radar.advise.stack import CheckOptions, check_stack
from mlops_radar.report.advice import candidate_json, checklist, stack_lines, verdict

from .common import db_option, dump_json, json_option, policy_option, snapshot_option

__all__ = ["COMMANDS"]


def _target_options(func: Any) -> Any:
    options = [
        click.option(
            "--with",
            "stack_files",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="Your stack: a requirements file (PEP 508 lines only; repeatable).",
        ),
        click.option(
            "--python",
            "python",
            default="3.11",
            show_default=True,
            help="Python version to resolve for (MAJOR.MINOR).",
        ),
        click.option(
            "--platform",
            "platform",
            type=click.Choice(["linux", "macos", "windows"]),
            default="linux",
            show_default=True,
            help="Platform to resolve for.",
        ),
        click.option(
            "--index-url",
            default=PYPI,
            show_default=True,
            metavar="URL",
            help="A PEP 503 package index.",
        ),
        click.option(
            "--depth",
            type=click.IntRange(1, 20),
            default=3,
            show_default=True,
            help="Depth of the footprint's dependency tree (1 = direct requirements).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(1, 3600),
            default=120,
            show_default=True,
            help="Seconds the resolver may take per resolution.",
        ),
        click.option(
            "--resolver",
            type=click.Choice(["auto", "uv", "pip"]),
            default="auto",
            show_default=True,
            help="auto: uv if installed, else pip's dry run.",
        ),
        click.option(
            "--osv-url",
            default=OSV_URL,
            show_default=True,
            metavar="URL",
            help="OSV service for known vulnerabilities of the versions picked.",
        ),
        click.option("--no-vulns", is_flag=True, help="Do not ask OSV."),
        click.option(
            "--cloud-sdks",
            "cloud_files",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="More cloud SDK patterns (TOML, the layout of the shipped "
            "advise/data/cloud_sdks.toml).",
        ),
        click.option(
            "--allow-builds",
            is_flag=True,
            help="Let uv build source distributions for their metadata (runs their build code "
            "in an isolated environment; default: wheels only).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Use no cache (ours nor the resolver's): every answer fresh.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _setup(kw: dict[str, Any]) -> tuple[Target, list[Wanted], Cache, CheckOptions, Any]:
    cache_root = default_cache_dir() / "advise"
    uv_cache = None if kw["no_cache"] else cache_root / "uv"  # None: a throwaway one per run
    target = Target(
        kw["python"], kw["platform"], kw["index_url"], kw["timeout"], uv_cache, kw["allow_builds"]
    )
    stack = [w for path in kw["stack_files"] for w in read_requirements(path)]
    options = CheckOptions(
        depth=kw["depth"],
        resolver=kw["resolver"],
        osv_url=None if kw["no_vulns"] else kw["osv_url"],
    )
    cache = Cache(cache_root, enabled=not kw["no_cache"])
    return target, stack, cache, options, load_cloud_sdks(kw["cloud_files"])


def _tool_wanted(text: str, mappings: dict[str, tuple[Any, PackageMapping]]) -> list[Wanted]:
    found = mappings.get(text.lower())
    if found is None:
        return from_arguments([text])
    mapping = found[1]
    if mapping.status != "mapped":
        detail = ", ".join(mapping.candidates) or "the catalog names none, no manifest declares one"
        raise AdviseError(f"tool {text!r}: no single Python package ({mapping.status}: {detail})")
    return [
        Wanted(parse_line(p, f"package of {text}"), "catalog", found[0].name)
        for p in mapping.packages
    ]


@click.command(
    "stack-check",
    epilog="""\b
Examples:
  mlops-radar stack-check metaflow rasa                     # can these two install together?
  mlops-radar stack-check metaflow --with requirements.txt  # ... with my stack
  mlops-radar stack-check "apache-airflow==2.9.0" "sqlalchemy>=2.0" --json
  mlops-radar stack-check feast mlflow bentoml             # 3+ tools: which pairs conflict
  mlops-radar stack-check Metaflow --db radar.sqlite3      # a tool name of the latest snapshot
  mlops-radar stack-check mypkg --index-url http://127.0.0.1:8000/simple/ --no-vulns
""",
)
@click.argument("packages", nargs=-1, required=True, metavar="PKG_OR_TOOL...")
@_target_options
@click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Map tool names through this database's snapshot (catalog names, manifests).",
)
@snapshot_option
@json_option
def stack_check_command(
    packages: tuple[str, ...], db_url: str | None, snapshot_ref: str, as_json: bool, **kw: Any
) -> None:
    """Can these packages (or tools) be installed together with your stack, and what do they
    bring? Resolved by uv (or pip) in a throwaway folder, never in your environment."""
    target, stack, cache, options, sdks = _setup(kw)
    mappings: dict[str, tuple[Any, PackageMapping]] = {}
    if db_url:
        from mlops_radar.advise.tools import snapshot_mappings
        from mlops_radar.store import Store

        with Store.open(db_url) as store:
            mappings = snapshot_mappings(store, store.resolve_snapshot(snapshot_ref).id)
    tools = [w for text in packages for w in _tool_wanted(text, mappings)]
    result = check_stack(tools, stack, target, sdks, cache, options)
    if as_json:
        dump_json(result.as_json())
    else:
        click.echo("\n".join(stack_lines(result)))
    if not result.compatible:
        raise SystemExit(1)


@click.command(
    "advise",
    epilog="""\b
Examples:
  mlops-radar advise --stage Monitoring --with requirements.txt
  mlops-radar advise --category "Feature Store" --license permissive --no-lock-in
  mlops-radar advise --stage "Model Serving" --python 3.12 --json
  mlops-radar advise --db demo.sqlite3 --stage "Data Management" --no-vulns
  mlops-radar advise --stage Monitoring --weigh-adoption-cost   # lock-in and weight in the score
""",
)
@click.option("--stage", default=None, help="A pipeline stage (as `rank --stage`).")
@click.option("--category", default=None, help="A category of the catalog.")
@click.option(
    "--license",
    "license_wish",
    type=click.Choice(["permissive", "copyleft-ok", "any"]),
    default="any",
    show_default=True,
    help="Which license families are acceptable: permissive only, any known family "
    "(copyleft-ok), or any, unknown included.",
)
@click.option("--no-lock-in", is_flag=True, help="Leave out tools that hard-depend on a cloud SDK.")
@click.option(
    "--top",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="How many qualified candidates to resolve, best first.",
)
@click.option(
    "--recommend",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="How many of the tools in get an adoption checklist.",
)
@click.option(
    "--weigh-adoption-cost",
    is_flag=True,
    help="Rank again with adoption cost as a dimension of the maturity model (no cloud "
    "lock-in, packages installed; advise/data/adoption_weights.toml). Off by default.",
)
@_target_options
@snapshot_option
@policy_option
@json_option
@db_option
def advise_command(
    stage: str | None,
    category: str | None,
    license_wish: str,
    no_lock_in: bool,
    top: int,
    recommend: int,
    weigh_adoption_cost: bool,
    snapshot_ref: str,
    policy: str,
    as_json: bool,
    db_url: str | None,
    **kw: Any,
) -> None:
    """Which tool of a stage (or category) to adopt with your stack: the model's ranking, each
    tool in or out and why, and an adoption checklist for the best ones."""
    if (stage is None) == (category is None):
        raise click.UsageError("give exactly one of --stage or --category")
    from mlops_radar.advise.advisor import Wishes, adoption_costs, shortlist
    from mlops_radar.advise.ranking import ranked_group, rescored

    target, stack, cache, options, sdks = _setup(kw)
    group = ranked_group(db_url, snapshot_ref, policy, stage, category)
    wishes = Wishes(license=license_wish, no_lock_in=no_lock_in, top=top)
    found = shortlist(
        group.frame, group.mappings, stack, target, sdks, cache, wishes, options, group.facts
    )
    if weigh_adoption_cost:
        group = rescored(group, adoption_costs(found))
        known = {c.tool.lower(): c for c in found}
        found = shortlist(
            group.frame,
            group.mappings,
            stack,
            target,
            sdks,
            cache,
            wishes,
            options,
            group.facts,
            known,
        )
    chosen = {c.tool for c in [c for c in found if c.verdict == "in"][:recommend]}
    if as_json:
        dump_json(
            {
                "snapshot": group.snapshot,
                "group": group.name,
                "grouping": group.grouping,
                "python": target.python,
                "platform": target.platform,
                "tools": [
                    candidate_json(c, group.date, with_checklist=c.tool in chosen) for c in found
                ],
            }
        )
        return
    click.echo(
        f"{group.grouping} {group.name}: {len(found)} tools, "
        f"{sum(c.verdict == 'in' for c in found)} in (snapshot {group.snapshot['date']})"
    )
    for candidate in found:
        mark = "IN " if candidate.verdict == "in" else "out"
        click.echo(f"{mark} {candidate.rank or '-':>3} {candidate.tool}: {verdict(candidate)}")
        if candidate.tool in chosen:
            click.echo("\n".join(f"        - {line}" for line in checklist(candidate, group.date)))


COMMANDS: list[click.Command] = [stack_check_command, advise_command]
