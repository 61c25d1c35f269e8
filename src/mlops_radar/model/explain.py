"""Explanations as structured reasons: which signals help a tool most, which hurt it most, and why
its ring.

A signal's pull on the score is its weight times (its score - 0.5): above the middle it helps, below
it hurts, and a missing signal (score 0) hurts by half its weight. Each reason carries the raw
value, the in-group percentile, the group and the direction; `report/words.py` puts it into words.
Only the
rows asked for are explained, in one pass over their matrices, so scoring 100,000 tools stays fast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mlops_radar.model.maturity import Scored
from mlops_radar.model.policy import GATES
from mlops_radar.model.results import (
    Direction,
    Explanation,
    GateOutcome,
    GateResult,
    Ring,
    RingBasis,
    RingReason,
    SignalReason,
)
from mlops_radar.model.weights import RingRules

__all__ = [
    "explain",
    "gate_results",
    "not_collected",
    "ring_reason",
    "standings",
    "unknown_everywhere",
]


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def gate_results(scored: Scored, rows: Sequence[int] | np.ndarray) -> list[dict[str, GateResult]]:
    """Per asked row of `scored.frame`: every gate's typed verdict."""
    frame = scored.frame
    columns = {
        g: (
            frame[f"{g}_outcome"].to_numpy(),
            frame[f"{g}_applied"].to_numpy(),
            frame[f"{g}_reason"].to_numpy(),
        )
        for g in GATES
    }
    return [
        {
            g: GateResult(g, GateOutcome(out[i]), bool(applied[i]), why[i])
            for g, (out, applied, why) in columns.items()
        }
        for i in rows
    ]


def ring_reason(
    ring: str,
    basis: str,
    score: float,
    completeness: float,
    stars: float | None,
    gates: Mapping[str, GateResult],
    rings: RingRules | None = None,
    *,
    outcome: str | None = None,
) -> RingReason:
    """Why a row is in its ring, with the figures it was decided on."""
    kind = RingBasis(basis)
    reason = RingReason(Ring(ring), kind, float(score), float(completeness), stars)
    if kind is RingBasis.NO_DATA:
        return RingReason(reason.ring, kind, reason.score, reason.completeness, stars, outcome)
    if kind in (RingBasis.TRIAL_FLOOR, RingBasis.ASSESS_FLOOR) and rings is not None:
        adopt = score >= rings.adopt_score and completeness >= rings.adopt_completeness
        trial_floor = kind is RingBasis.TRIAL_FLOOR
        floor = rings.adopt_min_stars if trial_floor else rings.trial_min_stars
        return RingReason(
            reason.ring, kind, reason.score, reason.completeness, stars,
            reached=Ring.ADOPT if adopt else Ring.TRIAL,
            wanted=Ring.ADOPT if trial_floor else Ring.TRIAL,
            floor=int(floor),
        )  # fmt: skip
    wanted = {RingBasis.GATE: GateOutcome.FAIL, RingBasis.REVIEW: GateOutcome.UNKNOWN}.get(kind)
    if wanted is not None:
        chosen = tuple(g for g in gates.values() if g.applied and g.outcome == wanted)
        return RingReason(reason.ring, kind, reason.score, reason.completeness, stars, gates=chosen)
    return reason


def _unknown_columns(scored: Scored) -> np.ndarray:
    """Per signal: unknown for every row although judged (a source that collects it found it
    nowhere). Such a signal still counts 0 for every tool, but it says nothing about one tool
    against another, so explanations leave it out and name it once instead."""
    if not len(scored.values):
        return np.zeros(len(scored.specs), dtype=bool)
    everywhere: np.ndarray = np.isnan(scored.values).all(axis=0)
    judged = scored.judged if scored.judged is not None else np.ones(len(scored.specs), bool)
    found: np.ndarray = everywhere & judged
    return found


def unknown_everywhere(scored: Scored) -> tuple[str, ...]:
    """Labels of the judged signals unknown for every tool of the scoring."""
    gone = _unknown_columns(scored)
    return tuple(spec.label for j, spec in enumerate(scored.specs) if gone[j])


def not_collected(scored: Scored) -> tuple[str, ...]:
    """Labels of the signals no source of the snapshot collects (left out of every score)."""
    if scored.judged is None:
        return ()
    return tuple(spec.label for j, spec in enumerate(scored.specs) if not scored.judged[j])


#: A signal on which a tool equals more than this share of its group does not set it apart.
SHARED = 0.5


def standings(scored: Scored) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(position, group size, tied, shared) per row and signal: 1 + the group's rows with a
    better known value, the group's rows with a known value, other rows with the same value, and
    the share of the group's rows (known or not) that have the same value (NaN counts as one
    value, "unknown")."""
    rows, signals = scored.values.shape
    position = np.full((rows, signals), -1, dtype=np.int64)
    size = np.zeros((rows, signals), dtype=np.int64)
    tied = np.zeros((rows, signals), dtype=np.int64)
    shared = np.zeros((rows, signals))
    if not rows:
        return position, size, tied, shared
    codes = pd.factorize(scored.frame["group"].to_numpy())[0]
    members = np.bincount(codes)[codes]
    for j, spec in enumerate(scored.specs):
        column = pd.DataFrame({"g": codes, "v": scored.values[:, j]})
        known = column["v"].notna().to_numpy()
        same = column.groupby(["g", "v"], dropna=False)["v"].transform("size").to_numpy()
        if not known.all():
            missing = pd.Series(~known).groupby(codes).transform("sum").to_numpy()
            same = np.where(known, same, missing)
        shared[:, j] = same / members
        tied[:, j] = np.where(known, same - 1, 0)
        size[:, j] = pd.Series(known).groupby(codes).transform("sum").to_numpy()
        ascending = spec.scale == "inverse_log"  # fewer days since the last commit is better
        ranks = column.groupby("g")["v"].rank(method="min", ascending=ascending).to_numpy()
        position[:, j] = np.where(known, np.nan_to_num(ranks, nan=-1), -1).astype(np.int64)
    return position, size, tied, shared


def explain(
    scored: Scored,
    rows: Sequence[int] | np.ndarray,
    top: int = 3,
    gates: Sequence[Mapping[str, GateResult]] | None = None,
) -> list[Explanation]:
    """Explanations for the given positional rows of `scored.frame` (signals unknown for every
    tool are left out: see `unknown_everywhere`). `gates`: the rows' `gate_results`, if known."""
    rows = np.asarray(rows, dtype=np.int64)
    if gates is None:
        gates = gate_results(scored, rows)
    frame = scored.frame
    filled = np.nan_to_num(scored.scores[rows], nan=0.0)
    shares = scored.row_shares(rows)
    pull = shares * (filled - 0.5)
    order = np.argsort(-pull, axis=1, kind="stable")
    telling = ~_unknown_columns(scored)
    position, size, tied, shared = (m[rows] for m in standings(scored))
    # a reason sets the tool apart: counted for it, and not a value most of its group shares
    apart = (shares > 0) & ~((shared > SHARED) & (size >= 2))
    group, ring, basis = (frame[c].to_numpy() for c in ("group", "ring", "basis"))
    score, completeness = frame["score"].to_numpy(), frame["completeness"].to_numpy()
    stars = frame["stars"].to_numpy() if "stars" in frame.columns else np.full(len(frame), np.nan)
    result = []
    outcome = frame["outcome"].to_numpy() if "outcome" in frame.columns else None
    quiet = frame["quiet"].to_numpy() if "quiet" in frame.columns else None
    for k, i in enumerate(rows):
        kept = [int(j) for j in order[k] if telling[j] and apart[k, j]]

        def reason(j: int, direction: Direction, k: int = k, i: int = int(i)) -> SignalReason:
            spec = scored.specs[j]
            known = position[k, j] > 0
            return SignalReason(
                spec.name, spec.label, _number(scored.values[i, j]),
                _number(scored.percentiles[i, j]), str(group[i]), direction, float(pull[k, j]),
                position=int(position[k, j]) if known else None,
                group_size=int(size[k, j]), tied=int(tied[k, j]),
            )  # fmt: skip

        helps = tuple(reason(j, Direction.HELPS) for j in kept[:top] if pull[k, j] > 0)
        hurts = tuple(reason(j, Direction.HURTS) for j in kept[::-1][:top] if pull[k, j] < 0)
        why = ring_reason(
            ring[i], basis[i], float(score[i]), float(completeness[i]), _number(stars[i]),
            gates[k], scored.rings,
            outcome=None if outcome is None or not isinstance(outcome[i], str) else outcome[i],
        )  # fmt: skip
        result.append(Explanation(helps, hurts, why, None if quiet is None else quiet[i]))
    return result
