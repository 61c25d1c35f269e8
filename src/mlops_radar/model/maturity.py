"""Maturity model v1: signals -> normalised scores -> dimension scores -> overall score, per group.

A tool in two categories (or stages) is scored in each: the table is exploded to one row per (tool,
group) and percentiles are taken within the group. Overall = weighted mean of signal scores, where a
missing signal counts 0 with its weight still in the denominator: it can only lower a score, never
raise it (unlike criticality_score, which drops it from the denominator). `completeness` is the
share of the weight whose signals are known. See docs/maturity-model.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError
from mlops_radar.model.columns import number
from mlops_radar.model.gates import evaluate_gates
from mlops_radar.model.normalise import signal_score
from mlops_radar.model.policy import GATES, Policy
from mlops_radar.model.results import Status
from mlops_radar.model.rings import assign_rings
from mlops_radar.model.signals import available_signals, signal_values
from mlops_radar.model.weights import RingRules, SignalSpec, Weights

__all__ = ["GROUPINGS", "Scored", "effective_weights", "rank_order", "score"]

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
    filled: np.ndarray, specs: tuple[SignalSpec, ...], weights: np.ndarray
) -> dict[str, np.ndarray]:
    result = {}
    for dimension in dict.fromkeys(s.dimension for s in specs):
        idx = np.array([i for i, s in enumerate(specs) if s.dimension == dimension])
        local = weights[idx]
        if local.sum() > 0:
            result[f"dim:{dimension}"] = 100.0 * filled[:, idx] @ local / local.sum()
    return result


def rank_order(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """The ranking rule, the only copy: row positions of `frame` ordered by group, then tools
    that pass every gate before those needing review or failing one (so missing gate data never
    lifts a tool above its fully known twin), then by `values` (highest first, unknown last),
    completeness and tool name."""
    keys = -np.asarray(values, dtype="float64")  # NaN stays NaN: lexsort puts it last
    order: np.ndarray = np.lexsort(
        (
            frame["tool"].astype(str).to_numpy(),
            -frame["completeness"].to_numpy(),
            keys,
            (frame["status"] != Status.QUALIFIED).to_numpy(),
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


def score(
    table: pd.DataFrame,
    snapshot_date: date | datetime,
    policy: Policy,
    weights: Weights,
    rings: RingRules,
    *,
    grouping: str = "category",
) -> Scored:
    """Score every tool of a snapshot within its categories (or stages)."""
    if grouping not in GROUPINGS:
        raise ModelError(f"unknown grouping {grouping!r}: use category or stage")
    gates = evaluate_gates(table, snapshot_date, policy)
    names = available_signals(table, weights)
    specs = tuple(s for s in weights.signals if s.name in names)
    raw = signal_values(table, snapshot_date, specs, gates["license_clarity"]).to_numpy()
    positions, groups = _explode(table, grouping)
    codes, _ = pd.factorize(groups)
    status = gates["status"].to_numpy()[positions]
    values = raw[positions]
    scores = np.empty_like(values)
    percentiles = np.empty_like(values)
    for j, spec in enumerate(specs):
        scores[:, j], percentiles[:, j] = signal_score(
            values[:, j], codes, status == "qualified", spec, weights.category_share
        )
    w = effective_weights(specs, weights)
    filled = np.nan_to_num(scores, nan=0.0)
    frame = pd.DataFrame(
        {
            "row": positions,
            "tool": table["tool"].to_numpy()[positions],
            "repo": table["repo"].to_numpy()[positions] if "repo" in table.columns else None,
            "group": groups,
            "status": status,
            "score": 100.0 * filled @ w,
            "completeness": (~np.isnan(scores)).astype("float64") @ w,
        }
    )
    for name, column in _dimension_scores(filled, specs, w).items():
        frame[name] = column
    stars = number(table, "stars").to_numpy()[positions]
    frame["stars"] = stars
    frame["ring"], frame["basis"] = assign_rings(
        frame["score"].to_numpy(), frame["completeness"].to_numpy(), status, rings, stars
    )
    for gate in GATES:
        for part in ("outcome", "reason", "applied"):
            frame[f"{gate}_{part}"] = gates[f"{gate}_{part}"].to_numpy()[positions]
    frame["license"] = gates["license"].to_numpy()[positions]
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
    )
