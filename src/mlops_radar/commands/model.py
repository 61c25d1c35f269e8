"""CLI commands of the model stage: qualify, rank, compare, show.

Each command parses its options, calls the library (`mlops_radar.app.assessment`: open the
snapshot, score it with the snapshot's DATE, never the clock) and hands the typed result to a
renderer (`mlops_radar.report`: JSON or terminal). No logic and no words here.
"""

from __future__ import annotations

from pathlib import Path

import click

from mlops_radar.app import assessment
from mlops_radar.errors import ConfigError
from mlops_radar.model.ranking import BY_COLUMNS
from mlops_radar.report.base import Context, renderer_for
from mlops_radar.report.terminal import TERMINAL_TOP
from mlops_radar.store import Store

from .common import db_option, json_option, policy_option, reviews_option, snapshot_option

__all__ = ["COMMANDS"]

weights_option = click.option(
    "--weights",
    "weights_file",
    default=None,
    metavar="FILE",
    help="A weights file (TOML) laid over the shipped maturity-model weights.",
)


def _evidence(weights_file: str | None) -> dict[str, object]:
    """What the rings predicted in the backtest behind the weights in use (one line, or none)."""
    from mlops_radar.report.evidence import evidence_line, load_evidence

    return {"ring_evidence": evidence_line(load_evidence(weights_file))}


def _render(result: object, as_json: bool, context: Context) -> None:
    renderer_for("json" if as_json else "terminal").render(result, context)


@click.command(
    "qualify",
    epilog="""\b
Examples:
  mlops-radar qualify                               # latest snapshot, radar policy
  mlops-radar qualify --policy study --json         # the study's two gates, as JSON
  mlops-radar qualify --snapshot 2021-05-20 --policy my-policy.toml
""",
)
@snapshot_option
@policy_option
@reviews_option
@json_option
@db_option
def qualify_command(
    snapshot_ref: str, policy: str, reviews_file: str | None, as_json: bool, db_url: str | None
) -> None:
    """Apply the eliminatory gates and the study's measures to every tool of a snapshot."""
    chosen = assessment.policy(policy)
    with Store.open(db_url) as store:
        loaded = assessment.load(store, snapshot_ref, reviews_file)
        result = assessment.qualification_of(loaded, chosen)
    _render(result, as_json, Context(loaded.info, chosen.name))


@click.command(
    epilog="""\b
Examples:
  mlops-radar rank                                  # every category, by maturity
  mlops-radar rank --category "Feature Store" --top 5
  mlops-radar rank --stage "Model Serving" --by study-rank --json
  mlops-radar rank --weights my-weights.toml
  mlops-radar rank --by-stage --taxonomy amershi    # Amershi et al.'s nine stages
  mlops-radar rank --all                            # every tool of every group

The terminal shows the first 10 tools of each group and says how many more there are;
--json gives every tool unless --top says otherwise.
"""
)
@snapshot_option
@policy_option
@reviews_option
@click.option(
    "--by",
    type=click.Choice(list(BY_COLUMNS)),
    default="maturity",
    show_default=True,
    help="Order by the maturity score or one of the study's measures.",
)
@click.option("--category", default=None, help="Only this category.")
@click.option("--stage", default=None, help="Rank within pipeline stages instead (only this one).")
@click.option("--by-stage", is_flag=True, help="Rank within every pipeline stage.")
@click.option(
    "--taxonomy",
    type=click.Choice(["study", "amershi"]),
    default=None,
    help="Map categories to stages with this taxonomy instead of the stages stored with the "
    "snapshot (study: the study's Quadro 2 plus our proposals; amershi: Amershi et al.'s nine).",
)
@click.option(
    "--stage-map",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A stage map file (YAML) extending or overriding the taxonomy.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help=f"Show the first N per group (terminal default: {TERMINAL_TOP}; JSON: all).",
)
@click.option("--all", "show_all", is_flag=True, help="Show every tool of every group.")
@weights_option
@json_option
@db_option
def rank(
    snapshot_ref: str,
    policy: str,
    reviews_file: str | None,
    by: str,
    category: str | None,
    stage: str | None,
    by_stage: bool,
    taxonomy: str | None,
    stage_map: Path | None,
    top: int | None,
    show_all: bool,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Rank tools within each category (or stage), with ring, explanation and robustness."""
    if category and (stage or by_stage):
        raise ConfigError("--category and --stage exclude each other")
    if show_all and top:
        raise ConfigError("--all and --top exclude each other")
    chosen, weighting = assessment.policy(policy), assessment.weights(weights_file)
    if top is None and not show_all and not as_json:
        top = TERMINAL_TOP
    with Store.open(db_url) as store:
        loaded = assessment.restaged(
            assessment.load(store, snapshot_ref, reviews_file), taxonomy, stage_map
        )
        result = assessment.ranking(
            loaded, chosen, weighting,
            grouping="stage" if (stage or by_stage) else "category",
            by=by, group=stage or category, top=top,
        )  # fmt: skip
    _render(result, as_json, Context(loaded.info, chosen.name, _evidence(weights_file)))


@click.command(
    epilog="""\b
Examples:
  mlops-radar compare feast hopsworks
  mlops-radar compare mlflow/mlflow kubeflow/kubeflow --json
"""
)
@click.argument("tools", nargs=-1, required=True)
@snapshot_option
@policy_option
@reviews_option
@weights_option
@json_option
@db_option
def compare(
    tools: tuple[str, ...],
    snapshot_ref: str,
    policy: str,
    reviews_file: str | None,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Tools side by side, per dimension, with the trend from their history."""
    chosen, weighting = assessment.policy(policy), assessment.weights(weights_file)
    with Store.open(db_url) as store:
        loaded = assessment.load(store, snapshot_ref, reviews_file)
        result = assessment.comparison(loaded, tools, chosen, weighting)
    _render(result, as_json, Context(loaded.info, chosen.name))


@click.command(
    epilog="""\b
Examples:
  mlops-radar show feast
  mlops-radar show feast-dev/feast --snapshot 2021-05-20 --json
"""
)
@click.argument("tool")
@snapshot_option
@policy_option
@reviews_option
@weights_option
@json_option
@db_option
def show(
    tool: str,
    snapshot_ref: str,
    policy: str,
    reviews_file: str | None,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Everything known about one tool: facts, gates, scores, explanation, history length."""
    chosen, weighting = assessment.policy(policy), assessment.weights(weights_file)
    with Store.open(db_url) as store:
        loaded = assessment.load(store, snapshot_ref, reviews_file)
        result = assessment.tool_report(loaded, tool, chosen, weighting)
    _render(result, as_json, Context(loaded.info, chosen.name, _evidence(weights_file)))


@click.command(
    "licenses",
    epilog="""\b
Examples:
  mlops-radar licenses                              # the latest snapshot
  mlops-radar licenses --snapshot 2021-05-09 --json
""",
)
@snapshot_option
@policy_option
@reviews_option
@json_option
@db_option
def licenses_command(
    snapshot_ref: str, policy: str, reviews_file: str | None, as_json: bool, db_url: str | None
) -> None:
    """Licenses as GitHub reports them and as resolved by reviews and detection, classified."""
    chosen = assessment.policy(policy)
    with Store.open(db_url) as store:
        loaded = assessment.load(store, snapshot_ref, reviews_file)
        result = assessment.licenses(loaded, chosen)
    _render(result, as_json, Context(loaded.info, chosen.name))


COMMANDS: list[click.Command] = [qualify_command, rank, compare, show, licenses_command]
