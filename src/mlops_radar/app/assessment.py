"""Load a snapshot and assess it: the library layer under `qualify`, `rank`, `compare`, `show` and
`changes`, shared by the CLI, the notebook API and the demo.

It opens nothing itself: callers pass a `Store`. It reads policy and weights files (the model reads
no files), resolves snapshots, hands the model its table and the snapshot's date, and returns the
model's typed results; rendering them is `report/`'s job.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mlops_radar.app.health import collected_health, load_health
from mlops_radar.app.reviews import read_reviews, study_reviews
from mlops_radar.catalog.stages import load_stage_map
from mlops_radar.errors import ConfigError, RadarError
from mlops_radar.model import Policy, Scored, qualify, score
from mlops_radar.model.changes import SnapshotChanges, compare
from mlops_radar.model.config import (
    NAMED_POLICIES,
    default_rings,
    default_weights,
    named_policy,
    policy_from_toml,
    weights_from_toml,
)
from mlops_radar.model.health.columns import HEALTH_COLUMNS, with_health
from mlops_radar.model.license_history import LicenseHistory, license_history
from mlops_radar.model.license_summary import LicenseSummary
from mlops_radar.model.ranking import find_rows, rank, tool_scores
from mlops_radar.model.results import Comparison, Qualification, Ranking, ToolReport
from mlops_radar.model.reviews import LicenseReview, apply_reviews
from mlops_radar.model.study import qualification
from mlops_radar.model.trend import trend
from mlops_radar.model.weights import Weights
from mlops_radar.store import SnapshotInfo, Store
from mlops_radar.textfiles import read_capped

__all__ = [
    "Loaded",
    "changes",
    "comparison",
    "load",
    "policy",
    "qualification_of",
    "ranking",
    "restaged",
    "scored",
    "tool_report",
    "weights",
]


@dataclass(frozen=True)
class Loaded:
    """One snapshot read from a store: its record and the model's input table."""

    store: Store
    info: SnapshotInfo
    table: pd.DataFrame
    collected: frozenset[str] | None = None  # the fact columns the snapshot's sources collect
    license_data: object = None  # SPDX list data, loaded when the table has detected licenses
    reviews: tuple[LicenseReview, ...] = ()  # the license reviews applied (to history too)
    # per table row: community-health metrics (model.health.columns.ToolHealth) when the snapshot
    # collected the github.health group (`--depth full`); None: it did not
    health: tuple[Any, ...] | None = None


def _read_text(path: str, what: str) -> str:
    try:
        return read_capped(path)
    except (OSError, ValueError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{path}: cannot read {what}: {detail}") from exc


def policy(value: str | Policy) -> Policy:
    """A named policy ('study', 'radar') or a policy file (TOML)."""
    if isinstance(value, Policy):
        return value
    if value in NAMED_POLICIES:
        return named_policy(value)
    return policy_from_toml(_read_text(value, "policy file"), source=value)


def weights(path: str | None) -> Weights:
    """The shipped weights, or a weights file (TOML) laid over them."""
    if path is None:
        return default_weights()
    return weights_from_toml(_read_text(path, "weights file"), source=path)


def load(
    store: Store,
    ref: str | int = "latest",
    reviews: str | Path | None = None,
    *,
    known_by_its_date: bool = False,
) -> Loaded:
    """The snapshot `ref` (id, date or 'latest') and its table, with license reviews applied
    where the snapshot has no hand analysis of its own: the study's spreadsheet analysis (from
    any imported spreadsheet snapshot), then the reviews file `reviews`, whose entries win.
    `known_by_its_date` (a backtest): only reviews dated on or before the snapshot's date (and
    undated ones) are applied, so nothing learnt later changes what the model said then."""
    info = store.resolve_snapshot(ref)
    table = store.tool_facts(info.id)
    carried = study_reviews(store)
    if reviews is not None:
        carried += read_reviews(reviews)
    if known_by_its_date:
        carried = [r for r in carried if r.on is None or r.on <= info.snapshot_date]
    data = None
    if "license_detected" in table.columns and table["license_detected"].notna().any():
        from mlops_radar.sources.licenses import load_license_data

        data = load_license_data()
    table = apply_reviews(table, carried)
    collected = frozenset(info.collected)
    health = None
    if collected_health(collected):
        health = tuple(load_health(store, info, table))
        table = with_health(table, health)
        collected |= frozenset(HEALTH_COLUMNS)
    return Loaded(store, info, table, collected, data, reviews=tuple(carried), health=health)


def _judging(loaded: Loaded, chosen: Policy) -> Policy:
    """`chosen` with the SPDX list data detected licenses are judged with, when there are any."""
    if loaded.license_data is None or chosen.license_data is not None:
        return chosen
    return dataclasses.replace(chosen, license_data=loaded.license_data)


def restaged(loaded: Loaded, taxonomy: str | None, stage_map: Path | None) -> Loaded:
    """`loaded` with each tool's stages mapped again from its categories under another taxonomy
    (or a user stage map); unchanged when neither is asked for."""
    if taxonomy is None and stage_map is None:
        return loaded
    mapping = load_stage_map(taxonomy or "study", stage_map)
    table = loaded.table.copy()
    table["stages"] = [list(mapping.stages_for(cats or ())) for cats in table["categories"]]
    return dataclasses.replace(loaded, table=table)


def scored(loaded: Loaded, chosen: Policy, weighting: Weights, grouping: str) -> Scored:
    """The maturity model over the snapshot, with the shipped rings."""
    return score(
        loaded.table, loaded.info.snapshot_date, _judging(loaded, chosen), weighting,
        default_rings(),
        grouping=grouping, collected=loaded.collected,
    )  # fmt: skip


def qualification_of(loaded: Loaded, chosen: Policy) -> Qualification:
    """Gates, status and the study's measures for every tool."""
    chosen = _judging(loaded, chosen)
    return qualification(qualify(loaded.table, loaded.info.snapshot_date, chosen), chosen)


def ranking(
    loaded: Loaded,
    chosen: Policy,
    weighting: Weights,
    *,
    grouping: str = "category",
    by: str = "maturity",
    group: str | None = None,
    top: int | None = None,
) -> Ranking:
    """Tools ranked within each group (or one group), the first `top` of each kept."""
    result = scored(loaded, chosen, weighting, grouping)
    measures = qualify(loaded.table, loaded.info.snapshot_date, _judging(loaded, chosen))
    return rank(result, measures, by=by, group=group, top=top)


def _rows(loaded: Loaded, result: Scored, name: str) -> list[int]:
    rows = find_rows(loaded.table, name)
    if not rows:
        known = [str(t) for t in loaded.table["tool"]]
        known += [r for r in loaded.table["repo"] if isinstance(r, str)]
        close = difflib.get_close_matches(name.lower(), [k.lower() for k in known], n=3)
        by_lower = {k.lower(): k for k in known}
        hint = f"; did you mean {', '.join(repr(by_lower[c]) for c in close)}?" if close else ""
        raise RadarError(
            f"no tool or repository {name!r} in snapshot {loaded.info.id} "
            f"(database {loaded.store.label}){hint}"
        )
    return [int(i) for i in result.frame.index[result.frame["row"].isin(rows)]]


def _history(store: Store, name: str) -> pd.DataFrame:
    try:
        return store.history(name)
    except RadarError:
        return pd.DataFrame(columns=["snapshot_date", "stars", "total_commits"])


def comparison(
    loaded: Loaded, names: Sequence[str], chosen: Policy, weighting: Weights
) -> Comparison:
    """The named tools side by side (each in its first category), with their trends."""
    result = scored(loaded, chosen, weighting, "category")
    tools = tool_scores(result, [_rows(loaded, result, name)[0] for name in names])
    trends = tuple(trend(_history(loaded.store, name)) for name in names)
    return Comparison(tuple(tools), trends)


def tool_report(loaded: Loaded, name: str, chosen: Policy, weighting: Weights) -> ToolReport:
    """Everything known about one tool: facts, qualification, scores per category, history."""
    result = scored(loaded, chosen, weighting, "category")
    rows = _rows(loaded, result, name)
    position = int(result.frame["row"].to_numpy()[rows[0]])
    one = loaded.table.iloc[[position]]
    # the health columns are computed from the stored record, not stored facts: `health` has them
    facts = {str(k): v for k, v in one.iloc[0].to_dict().items() if k not in HEALTH_COLUMNS}
    judged = _judging(loaded, chosen)
    measured = qualification(qualify(one, loaded.info.snapshot_date, judged), judged)
    history = _history(loaded.store, name)
    return ToolReport(
        facts=facts,
        qualification=measured.tools[0],
        scores=tuple(tool_scores(result, rows)),
        history_snapshots=len(history),
        trend=trend(history),
        lock_in=_declared_lock_in(loaded, facts),
        health=None if loaded.health is None else loaded.health[position],
        health_collected=loaded.health is not None,
        license_history=_license_history(loaded, history, judged),
    )


def with_license_data(chosen: Policy) -> Policy:
    """`chosen` with the SPDX list data, which classifying a license change needs."""
    if chosen.license_data is not None:
        return chosen
    from mlops_radar.sources.licenses import load_license_data

    return dataclasses.replace(chosen, license_data=load_license_data())


def _license_history(loaded: Loaded, history: pd.DataFrame, chosen: Policy) -> LicenseHistory:
    """The tool's resolved license per snapshot, the snapshot's reviews applied to each; the SPDX
    list data is read only when there are two snapshots to compare."""
    judged = with_license_data(chosen) if len(history) > 1 else chosen
    return license_history(apply_reviews(history, loaded.reviews), judged)


def _declared_lock_in(loaded: Loaded, facts: dict[str, object]) -> tuple[object, ...] | None:
    """Cloud SDKs the tool's stored manifests declare (None: no manifest in this snapshot)."""
    from mlops_radar.advise.declared import declared_lock_in
    from mlops_radar.advise.lockin import load_cloud_sdks
    from mlops_radar.sources.github.groups.files import FILES
    from mlops_radar.store.queries import read_records

    repo = facts.get("repo")
    if not isinstance(repo, str):
        return None
    with loaded.store.transaction() as conn:
        found = read_records(conn, FILES, loaded.info.id, [repo.lower()])
    record = next(iter(found.values()), None)
    files = getattr(record, "files", None)
    if not files:
        return None
    ties = declared_lock_in(str(facts.get("tool")), files, load_cloud_sdks())
    return None if ties is None else tuple(ties)


def changes(store: Store, old: str | int, new: str | int, chosen: Policy) -> SnapshotChanges:
    """What changed between two snapshots, activity judged by `chosen`'s rule, licenses
    resolved as the license gate resolves them (the carried reviews applied, as `load` does)."""
    before, after = load(store, old), load(store, new)
    return compare(before.info, before.table, after.info, after.table, with_license_data(chosen))


def licenses(loaded: Loaded, chosen: Policy) -> LicenseSummary:
    """The snapshot's licenses as GitHub reports them and as resolved, with their classes."""
    from mlops_radar.model.license_summary import license_summary
    from mlops_radar.sources.licenses import load_license_data

    data: Any = loaded.license_data or load_license_data()
    judged = (
        chosen
        if chosen.license_data is not None
        else dataclasses.replace(chosen, license_data=data)
    )
    return license_summary(
        loaded.table, qualify(loaded.table, loaded.info.snapshot_date, judged), data
    )
