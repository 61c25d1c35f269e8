"""CLI commands of the model stage: qualify, rank, compare, show.

Each command opens the store, resolves a snapshot, hands its facts table and the snapshot's DATE to
the model (the model reads no clock), and prints JSON or rich tables. Logic lives in
`mlops_radar.model`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
import pandas as pd

from mlops_radar.catalog.stages import load_stage_map
from mlops_radar.errors import ConfigError, RadarError
from mlops_radar.model import Policy, Scored, qualify, score, summarise
from mlops_radar.model.config import (
    NAMED_POLICIES,
    default_rings,
    default_weights,
    named_policy,
    policy_from_toml,
    weights_from_toml,
)
from mlops_radar.model.explain import unknown_everywhere
from mlops_radar.model.views import (
    BY_COLUMNS,
    find_rows,
    qualify_records,
    ranking_groups,
    scored_record,
    trend,
)
from mlops_radar.model.weights import Weights
from mlops_radar.report.terminal import (
    compare_table,
    qualify_table,
    ranking_table,
    robustness_line,
    show_table,
)
from mlops_radar.store import Store

from .common import (
    db_option,
    dump_json,
    json_option,
    make_console,
    policy_option,
    snapshot_option,
)

__all__ = ["COMMANDS"]

weights_option = click.option(
    "--weights",
    "weights_file",
    default=None,
    metavar="FILE",
    help="A weights file (TOML) laid over the shipped maturity-model weights.",
)


@dataclass(frozen=True)
class _Loaded:
    store: Store
    snapshot: dict[str, Any]
    snapshot_date: date
    table: pd.DataFrame


def _read_text(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{path}: cannot read {what}: {detail}") from exc


def _policy(value: str) -> Policy:
    if value in NAMED_POLICIES:
        return named_policy(value)
    return policy_from_toml(_read_text(value, "policy file"), source=value)


def _weights(path: str | None) -> Weights:
    return (
        default_weights()
        if path is None
        else weights_from_toml(_read_text(path, "weights file"), source=path)
    )


def _load(db_url: str | None, snapshot_ref: str) -> _Loaded:
    store = Store.open(db_url)
    info = store.resolve_snapshot(snapshot_ref)
    snapshot = {
        "id": int(info.id),
        "date": info.snapshot_date.isoformat(),
        "taken_at": info.taken_at.isoformat(),
        "origin": str(info.origin),
        "status": str(info.status),
    }
    return _Loaded(store, snapshot, info.snapshot_date, store.tool_facts(info.id))


def _restaged(loaded: _Loaded, taxonomy: str | None, stage_map: Path | None) -> _Loaded:
    """`loaded` with each tool's stages mapped again from its categories under another taxonomy
    (or a user stage map); unchanged when neither is asked for."""
    if taxonomy is None and stage_map is None:
        return loaded
    mapping = load_stage_map(taxonomy or "study", stage_map)
    table = loaded.table.copy()
    table["stages"] = [list(mapping.stages_for(cats or ())) for cats in table["categories"]]
    return dataclasses.replace(loaded, table=table)


def _score(loaded: _Loaded, policy: Policy, weights: Weights, grouping: str) -> Scored:
    return score(
        loaded.table, loaded.snapshot_date, policy, weights, default_rings(), grouping=grouping
    )


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
@json_option
@db_option
def qualify_command(snapshot_ref: str, policy: str, as_json: bool, db_url: str | None) -> None:
    """Apply the eliminatory gates and the study's measures to every tool of a snapshot."""
    loaded = _load(db_url, snapshot_ref)
    chosen = _policy(policy)
    frame = qualify(loaded.table, loaded.snapshot_date, chosen)
    records = qualify_records(frame)
    payload = {
        "snapshot": {**loaded.snapshot, "policy": chosen.name},
        "tools": records,
        "summary": summarise(frame),
    }
    if as_json:
        dump_json(payload)
        return
    console = make_console()
    console.print(
        qualify_table(records, f"snapshot {loaded.snapshot['date']}, policy {chosen.name}")
    )
    s = payload["summary"]
    assert isinstance(s, dict)
    console.print(
        f"{s['total']} tools: {s['qualified']} qualified, {s['needs_review']} need review, "
        f"{s['eliminated']} eliminated",
        markup=False,
    )


@click.command(
    epilog="""\b
Examples:
  mlops-radar rank                                  # every category, by maturity
  mlops-radar rank --category "Feature Store" --top 5
  mlops-radar rank --stage "Model Serving" --by study-rank --json
  mlops-radar rank --weights my-weights.toml
  mlops-radar rank --by-stage --taxonomy amershi    # Amershi et al.'s nine stages
"""
)
@snapshot_option
@policy_option
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
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show the first N per group.")
@weights_option
@json_option
@db_option
def rank(
    snapshot_ref: str,
    policy: str,
    by: str,
    category: str | None,
    stage: str | None,
    by_stage: bool,
    taxonomy: str | None,
    stage_map: Path | None,
    top: int | None,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Rank tools within each category (or stage), with ring, explanation and robustness."""
    if category and (stage or by_stage):
        raise ConfigError("--category and --stage exclude each other")
    loaded = _restaged(_load(db_url, snapshot_ref), taxonomy, stage_map)
    chosen = _policy(policy)
    grouping = "stage" if (stage or by_stage) else "category"
    scored = _score(loaded, chosen, _weights(weights_file), grouping)
    measures = qualify(loaded.table, loaded.snapshot_date, chosen)
    groups = ranking_groups(scored, measures, by=by, group=stage or category, top=top)
    unknown = unknown_everywhere(scored)
    if as_json:
        payload: dict[str, Any] = {
            "snapshot": {**loaded.snapshot, "policy": chosen.name},
            "grouping": grouping,
            "groups": groups,
            "unknown_everywhere": list(unknown),
        }
        dump_json(payload)
        return
    console = make_console()
    for group in groups:
        console.print(ranking_table(group[grouping], group["tools"], by))
        console.print(robustness_line(group["robustness"]), markup=False)
    if unknown:
        console.print(
            f"not known for any tool of this snapshot (each counts 0 for every tool, lowering "
            f"completeness alike, and is left out of the explanations): {', '.join(unknown)}",
            markup=False,
        )


def _tool_rows(loaded: _Loaded, scored: Scored, name: str) -> list[int]:
    rows = find_rows(loaded.table, name)
    if not rows:
        raise RadarError(f"no tool or repository {name!r} in snapshot {loaded.snapshot['id']}")
    return [int(i) for i in scored.frame.index[scored.frame["row"].isin(rows)]]


def _history(store: Store, name: str) -> pd.DataFrame:
    try:
        return store.history(name)
    except RadarError:
        return pd.DataFrame(columns=["snapshot_date", "stars", "total_commits"])


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
@weights_option
@json_option
@db_option
def compare(
    tools: tuple[str, ...],
    snapshot_ref: str,
    policy: str,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Tools side by side, per dimension, with the trend from their history."""
    loaded = _load(db_url, snapshot_ref)
    scored = _score(loaded, _policy(policy), _weights(weights_file), "category")
    records = []
    for name in tools:
        record = scored_record(scored, _tool_rows(loaded, scored, name)[0])
        record["trend"] = trend(_history(loaded.store, name))
        records.append(record)
    if as_json:
        dump_json({"snapshot": loaded.snapshot, "tools": records})
        return
    dimensions = list(records[0]["dimensions"])
    make_console().print(compare_table(records, dimensions))


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
@weights_option
@json_option
@db_option
def show(
    tool: str,
    snapshot_ref: str,
    policy: str,
    weights_file: str | None,
    as_json: bool,
    db_url: str | None,
) -> None:
    """Everything known about one tool: facts, gates, scores, explanation, history length."""
    loaded = _load(db_url, snapshot_ref)
    chosen = _policy(policy)
    scored = _score(loaded, chosen, _weights(weights_file), "category")
    rows = _tool_rows(loaded, scored, tool)
    position = int(scored.frame["row"].to_numpy()[rows[0]])
    facts = {str(k): _plain(v) for k, v in loaded.table.iloc[position].to_dict().items()}
    measures = qualify_records(
        qualify(loaded.table.iloc[[position]], loaded.snapshot_date, chosen)
    )[0]
    history = _history(loaded.store, tool)
    payload: dict[str, Any] = {
        "snapshot": {**loaded.snapshot, "policy": chosen.name},
        "facts": facts,
        "status": measures["status"],
        "gates": measures["gates"],
        "attractiveness": measures["attractiveness"],
        "study_rank": measures["study_rank"],
        "scores": [scored_record(scored, i) for i in rows],
        "history_snapshots": len(history),
        "trend": trend(history),
    }
    if as_json:
        dump_json(payload)
        return
    sections: dict[str, dict[str, Any]] = {
        "facts": {k: v for k, v in facts.items() if v is not None and v != []},
        "gates": {g: f"{v['outcome']}: {v['reason']}" for g, v in measures["gates"].items()},
        "study": {
            "status": measures["status"],
            "attractiveness": measures["attractiveness"],
            "study rank": measures["study_rank"],
        },
    }
    for record in payload["scores"]:
        sections[f"in {record['group']}"] = {
            "rank": record["rank"],
            "ring": record["ring"],
            "why": record["ring_reason"],
            "score": record["score"],
            "completeness": f"{record['completeness']:.0%}",
            **record["dimensions"],
            "helps": "; ".join(record["helps"]),
            "hurts": "; ".join(record["hurts"]),
        }
    sections["history"] = {"snapshots": len(history), **payload["trend"]}
    make_console().print(show_table(str(facts["tool"]), sections))


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


COMMANDS: list[click.Command] = [qualify_command, rank, compare, show]
