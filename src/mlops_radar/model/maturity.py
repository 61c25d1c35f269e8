"""Maturity model v1: signals -> normalised scores -> dimension scores -> overall score, per group.

A tool in two categories (or stages) is scored in each: the table is exploded to one row per (tool,
group) and percentiles are taken within the group. Overall = weighted mean of signal scores, where a
missing signal counts 0 with its weight still in the denominator: it can only lower a score, never
raise it (unlike criticality_score, which drops it from the denominator). `completeness` is the
share of the weight whose signals are known. A signal marked neutral (`unknown = "neutral"`, the
community-health signals) is the exception: its unknown value is left out of that tool's score
(neither lowering nor raising it) but still lowers its completeness. See docs/maturity-model.md.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError
from mlops_radar.model.columns import flag, number
from mlops_radar.model.gates import evaluate_gates
from mlops_radar.model.health.columns import health_column
from mlops_radar.model.health.quiet import quiet_but_maintained
from mlops_radar.model.normalise import signal_score
from mlops_radar.model.policy import GATES, Policy
from mlops_radar.model.results import Ring, Status
from mlops_radar.model.rings import assign_rings
from mlops_radar.model.signals import SIGNAL_SOURCES, available_signals, signal_values
from mlops_radar.model.weights import RingRules, SignalSpec, Weights

__all__ = [
    "GROUPINGS",
    "Scored",
    "applicable_cells",
    "effective_weights",
    "judged_signals",
    "rank_order",
    "score",
    "tiers",
]

#: Groupings for percentiles and rankings: (table column, label for tools without one).
GROUPINGS: dict[str, tuple[str, str]] = {
    "category": ("categories", "(no category)"),
    "stage": ("stages", "(no stage)"),
}


@dataclass(frozen=True)
class Scored:
    """The model's output: one row per (tool, group), plus the matrices explanations need."""

    # row (position in the input), tool, repo, group, status, score, completeness, dim:<d>, ring,
    # basis, <gate>_outcome/_reason/_applied, license, rank
    frame: pd.DataFrame
    specs: tuple[SignalSpec, ...]  # the signals used, in matrix column order
    weights: np.ndarray  # effective weight per signal, summing to 1
    values: np.ndarray  # raw signal values (rows x signals), NaN unknown
    scores: np.ndarray  # signal scores 0..1 (rows x signals), NaN unknown
    percentiles: np.ndarray  # in-group percentile (rows x signals), NaN if unknown or not used
    grouping: str  # "category" or "stage"
    seed: int
    spread: float
    draws: int
    rings: RingRules | None = None  # the thresholds the rings were assigned with
    # each row's share per signal (rows x signals): the judged weights over the signals that
    # apply to the row; None: `weights` for every row
    shares: np.ndarray | None = None
    judged: np.ndarray | None = None  # per signal: collected by the snapshot's sources
    coverage: float = 1.0  # share of the full model's weight that the judged signals carry

    def row_shares(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The per-signal shares of the given rows (all rows when None)."""
        shares = self.shares
        if shares is None:
            shares = np.broadcast_to(self.weights, self.scores.shape)
        return shares if rows is None else shares[rows]


def effective_weights(specs: tuple[SignalSpec, ...], weights: Weights) -> np.ndarray:
    """Each signal's share of the overall score: dimension weight x share within the dimension."""
    result = np.zeros(len(specs))
    for dimension, dim_weight in weights.dimensions.items():
        members = [i for i, s in enumerate(specs) if s.dimension == dimension]
        total = sum(specs[i].weight for i in members)
        for i in members:
            result[i] = dim_weight * specs[i].weight / total if total > 0 else 0.0
    if result.sum() <= 0:
        raise ModelError("weights: every signal has weight 0")
    shares: np.ndarray = result / result.sum()
    return shares


def _explode(table: pd.DataFrame, grouping: str) -> tuple[np.ndarray, np.ndarray]:
    """(position of the tool's row, group name) for every (tool, group) pair."""
    column, fallback = GROUPINGS[grouping]
    lists = (
        table[column].map(
            lambda v: list(v) if isinstance(v, list | tuple) and len(v) else [fallback]
        )
        if column in table.columns
        else pd.Series([[fallback]] * len(table), index=table.index)
    )
    lengths = lists.map(len).to_numpy()
    positions = np.repeat(np.arange(len(table)), lengths)
    groups = np.array([g for gs in lists for g in gs], dtype=object)
    return positions, groups


def _dimension_scores(
    filled: np.ndarray, specs: tuple[SignalSpec, ...], shares: np.ndarray
) -> dict[str, np.ndarray]:
    """Per dimension: each row's score over the dimension's signals that are judged and apply."""
    result = {}
    for dimension in dict.fromkeys(s.dimension for s in specs):
        idx = np.array([i for i, s in enumerate(specs) if s.dimension == dimension])
        local = shares[:, idx]
        total = local.sum(axis=1)
        weighted = (filled[:, idx] * local).sum(axis=1)
        # NaN where none of the dimension's signals is judged or applies: unknown, not 0
        result[f"dim:{dimension}"] = 100.0 * np.divide(
            weighted, total, out=np.full_like(total, np.nan), where=total > 0
        )
    return result


def rank_order(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """The ranking rule, the only copy: row positions of `frame` ordered by group, then by tier
    (tools that pass every gate, then those needing review or failing one, then the unrated: so
    missing gate data never lifts a tool above its fully known twin), then by `values` (highest
    first, unknown last), completeness and tool name."""
    keys = -np.asarray(values, dtype="float64")  # NaN stays NaN: lexsort puts it last
    tier = (
        frame["tier"].to_numpy()
        if "tier" in frame.columns
        else (frame["status"] != Status.QUALIFIED).to_numpy().astype(np.int64)
    )
    order: np.ndarray = np.lexsort(
        (
            frame["tool"].astype(str).to_numpy(),
            -frame["completeness"].to_numpy(),
            keys,
            tier,
            frame["group"].astype(str).to_numpy(),
        )
    )
    return order


def _rank_within_groups(frame: pd.DataFrame) -> np.ndarray:
    """1-based rank inside each group by the ranking rule on the score."""
    order = rank_order(frame, frame["score"].to_numpy())
    ranks = np.empty(len(frame), dtype=np.int64)
    groups = frame["group"].to_numpy()[order]
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    run = np.diff(np.r_[starts, len(order)])
    ranks[order] = np.arange(len(order)) - np.repeat(starts, run) + 1
    return ranks


def _columns_of(spec: SignalSpec) -> tuple[str, ...]:
    if spec.column is not None:
        return (spec.column,)
    return SIGNAL_SOURCES[spec.name][0] if spec.name in SIGNAL_SOURCES else ()


def judged_signals(specs: tuple[SignalSpec, ...], collected: Collection[str] | None) -> np.ndarray:
    """Per signal: whether the snapshot's sources collect what it needs (all, when not said).
    A signal no source collects is held against no one: it is left out of the scores."""
    if collected is None:
        return np.ones(len(specs), dtype=bool)
    wanted = set(collected)
    return np.array([all(c in wanted for c in _columns_of(s)) for s in specs], dtype=bool)


def applicable_cells(table: pd.DataFrame, specs: tuple[SignalSpec, ...]) -> np.ndarray:
    """(tools x signals): False where a signal does not apply to a tool (not unknown: issues
    kept outside GitHub, `has_issues` False, leave the issue-closure ratio without meaning)."""
    cells = np.ones((len(table), len(specs)), dtype=bool)
    if "has_issues" in table.columns:
        disabled = (flag(table, "has_issues") == 0.0).to_numpy()
        for j, spec in enumerate(specs):
            if spec.name == "issue_closure":
                cells[:, j] = ~disabled
    return cells


def _row_weights(weights: np.ndarray, applicable: np.ndarray) -> np.ndarray:
    """Each row's share per signal: the judged weights over the signals that apply to it."""
    cells = weights * applicable
    total = cells.sum(axis=1, keepdims=True)
    shares: np.ndarray = np.divide(cells, total, out=np.zeros_like(cells), where=total > 0)
    return shares


def _neutral_shares(
    specs: tuple[SignalSpec, ...],
    weights: Weights,
    judged: np.ndarray,
    applicable: np.ndarray,
    unknown: np.ndarray,
    counted: np.ndarray,
) -> np.ndarray:
    """Each row's score shares with its unknown neutral signals left out: the row's weights are
    those of a model without them (each dimension's weight split over its remaining signals),
    so an unknown neutral value neither lowers nor raises the score. Rows without such a cell
    keep `counted`, the shares completeness is measured with."""
    neutral = np.array([s.neutral for s in specs], dtype=bool)
    dropped = unknown & neutral
    affected = dropped.any(axis=1)
    if not affected.any():
        return counted
    keep = ~dropped[affected]
    own = np.array([s.weight for s in specs]) * keep
    full = np.zeros(own.shape)
    for dimension, dim_weight in weights.dimensions.items():
        idx = np.array([i for i, s in enumerate(specs) if s.dimension == dimension], dtype=int)
        if not len(idx):
            continue
        total = own[:, idx].sum(axis=1, keepdims=True)
        full[:, idx] = dim_weight * np.divide(
            own[:, idx], total, out=np.zeros_like(own[:, idx]), where=total > 0
        )
    judged_full = full * judged
    total = judged_full.sum(axis=1, keepdims=True)
    w = np.divide(judged_full, total, out=np.zeros_like(judged_full), where=total > 0)
    shares = counted.copy()
    shares[affected] = _row_weights(w, applicable[affected])
    return shares


def score(
    table: pd.DataFrame,
    snapshot_date: date | datetime,
    policy: Policy,
    weights: Weights,
    rings: RingRules,
    *,
    grouping: str = "category",
    collected: Collection[str] | None = None,
) -> Scored:
    """Score every tool of a snapshot within its categories (or stages).

    `collected`: the fact columns the snapshot's sources collect (`FactTable.collected`); signals
    needing others are left out for everyone, and `coverage` says how much of the full model's
    weight the rest is. None: every configured signal is judged."""
    if grouping not in GROUPINGS:
        raise ModelError(f"unknown grouping {grouping!r}: use category or stage")
    gates = evaluate_gates(table, snapshot_date, policy)
    names = available_signals(table, weights)
    specs = tuple(s for s in weights.signals if s.name in names)
    raw = signal_values(table, snapshot_date, specs, gates["license_clarity"]).to_numpy()
    positions, groups = _explode(table, grouping)
    codes, _ = pd.factorize(groups)
    status = gates["status"].to_numpy()[positions]
    applicable = applicable_cells(table, specs)[positions]
    values = np.where(applicable, raw[positions], np.nan)
    scores = np.empty_like(values)
    percentiles = np.empty_like(values)
    for j, spec in enumerate(specs):
        scores[:, j], percentiles[:, j] = signal_score(
            values[:, j], codes, status == "qualified", spec, weights.category_share
        )
    full = effective_weights(specs, weights)
    judged = judged_signals(specs, collected)
    if not judged.any():
        judged = np.ones(len(specs), dtype=bool)
    w = full * judged
    w = w / w.sum()
    # completeness counts every judged, applicable signal; the score leaves out the unknown
    # values of neutral signals (health), as if they were not configured for that row
    counted = _row_weights(w, applicable)
    shares = _neutral_shares(specs, weights, judged, applicable, np.isnan(scores), counted)
    filled = np.nan_to_num(scores, nan=0.0)
    frame = pd.DataFrame(
        {
            "row": positions,
            "tool": table["tool"].to_numpy()[positions],
            "repo": table["repo"].to_numpy()[positions] if "repo" in table.columns else None,
            "group": groups,
            "status": status,
            "score": 100.0 * (filled * shares).sum(axis=1),
            "completeness": ((~np.isnan(scores)) * counted).sum(axis=1),
        }
    )
    for name, column in _dimension_scores(filled, specs, shares).items():
        frame[name] = column
    stars = number(table, "stars").to_numpy()[positions]
    frame["stars"] = stars
    frame["ring"], frame["basis"] = assign_rings(
        frame["score"].to_numpy(), frame["completeness"].to_numpy(), status, rings, stars
    )
    frame["tier"] = tiers(status, frame["ring"].to_numpy())
    for gate in GATES:
        for part in ("outcome", "reason", "applied"):
            frame[f"{gate}_{part}"] = gates[f"{gate}_{part}"].to_numpy()[positions]
    frame["license"] = gates["license"].to_numpy()[positions]
    if "outcome" in table.columns:
        frame["outcome"] = table["outcome"].to_numpy()[positions]
    if health_column("commits_90d") in table.columns:  # the snapshot collected github.health
        quiet = np.array([*quiet_but_maintained(table), None], dtype=object)[:-1]
        frame["quiet"] = quiet[positions]
    frame["rank"] = _rank_within_groups(frame)
    return Scored(
        frame=frame,
        specs=specs,
        weights=w,
        values=values,
        scores=scores,
        percentiles=percentiles,
        grouping=grouping,
        seed=weights.seed,
        spread=weights.spread,
        draws=weights.draws,
        rings=rings,
        shares=shares,
        judged=judged,
        coverage=float(full[judged].sum()),
    )


def tiers(status: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Ranking tiers: 1 passes every gate, 2 needs review or failed a gate, 3 unrated (nothing
    known). A tool of a later tier never ranks above one of an earlier tier."""
    found: np.ndarray = np.select(
        [ring == Ring.UNRATED, status != Status.QUALIFIED], [3, 2], default=1
    ).astype(np.int64)
    return found
