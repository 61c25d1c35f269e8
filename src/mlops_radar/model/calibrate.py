"""Calibration: the signal weights and the ring thresholds that best predict the later fates,
judged only out of sample.

Pure. The input is the model's `Scored` result of the `--from` snapshot (its per-signal scores are
kept: percentiles and scales use no fate, so they are computed once on every tool) and each tool's
fate. A candidate weight vector scores a tool as the weighted mean of its signal scores over the
signals that apply to it (the model's own rule). Candidates are searched on the training folds
only (a clipped logistic regression, seeded random draws, then local refinement of the best),
and each fold's winner scores the tools of its held-out fold: folds by category (`GroupKFold`),
so no category's tools are split between fitting and scoring, and no tool is ever fitted and
scored at once. The pooled held-out
scores give the calibrated AUC; the current weights' AUC is measured on the same tools. A set is
accepted only when a paired bootstrap of the gain over the current weights has its lower bound
above zero.

Ring thresholds are read off the same pooled held-out scores (never the scores a fold was fitted
on), on a 5-point grid, each by what its ring promises in words a reader can check ("of the tools
rated Adopt, 9 in 10 were alive"), with at least `MIN_PER_FATE` tools behind each figure:
- `hold_below`: the highest score below which at least `HOLD_DEAD` (2 in 3) of the tools died;
- `adopt_score`: the lowest score, not below `hold_below`, from which at least `ADOPT_ALIVE`
  (9 in 10) lived;
- `trial_score`: the lowest score from `hold_below` up to `adopt_score` from which, below
  `adopt_score`, at least `TRIAL_ALIVE` (2 in 3) lived.
A threshold no grid value satisfies is None ("keep the current one"); the three are ordered
(hold <= trial <= adopt) by construction. Completeness thresholds and the stars floors are not
searched: neither the simulator's population nor the study's holds a fate that depends on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from mlops_radar.errors import ModelError
from mlops_radar.model.backtest import MIN_PER_FATE, Fate, _rank_auc
from mlops_radar.model.maturity import Scored
from mlops_radar.model.weights import Weights

__all__ = ["Calibration", "calibrate", "weights_toml"]


@dataclass(frozen=True, slots=True)
class Calibration:
    """What a calibration reached, out of sample, and whether it beats the current weights."""

    folds: int
    tools: int  # tools of known fate it was measured on
    current_auc: float
    calibrated_auc: float
    gain_low: float  # paired bootstrap interval of calibrated - current
    gain_high: float
    accepted: bool
    signal_weights: Mapping[str, float]  # fitted on every tool, each signal's share (sum 1)
    hold_below: float | None
    current_weights: Mapping[str, float]
    adopt_score: float | None = None
    trial_score: float | None = None


def _features(scored: Scored) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Per tool (its first group): signal scores (0 where unknown), the mask of signals that
    apply, the current score, and the judged signals' names."""
    frame = scored.frame
    first = ~frame["row"].duplicated().to_numpy()
    judged = scored.judged if scored.judged is not None else np.ones(len(scored.specs), bool)
    shares = scored.row_shares()[first]
    mask = ((shares > 0) | (scored.weights == 0)) & judged
    filled = np.nan_to_num(scored.scores[first], nan=0.0)
    names = [s.name for s, j in zip(scored.specs, judged, strict=True) if j]
    current = frame["score"].to_numpy()[first]
    return filled[:, judged], mask[:, judged].astype(float), current, names


def _scores(filled: np.ndarray, mask: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """(tools x candidates): each candidate's weighted mean over the signals that apply."""
    top = (filled * mask) @ candidates.T
    bottom = mask @ candidates.T
    out: np.ndarray = np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)
    return out


def _aucs(alive: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return _rank_auc(np.broadcast_to(alive, scores.T.shape), scores.T)


def _search(
    filled: np.ndarray, mask: np.ndarray, alive: np.ndarray, rng: np.random.Generator,
    start: np.ndarray, draws: int, rounds: int,
) -> np.ndarray:  # fmt: skip
    """The candidate with the best AUC on these tools: `start`, uniform, each signal alone, a
    logistic regression's coefficients (clipped at 0: a weight is never negative), Dirichlet
    draws, then refinements of the best."""
    k = filled.shape[1]
    fitted = LogisticRegression(max_iter=500).fit(filled * mask, alive).coef_[0]
    regression = np.clip(fitted, 0.0, None)
    if regression.sum() <= 0:
        regression = np.ones(k)
    pool = np.vstack(
        [start, np.ones(k) / k, regression / regression.sum(), np.eye(k),
         rng.dirichlet(np.ones(k), draws)]
    )  # fmt: skip
    best = pool[np.argsort(-np.nan_to_num(_aucs(alive, _scores(filled, mask, pool))))[:8]]
    for _ in range(rounds):
        best = best / best.sum(axis=1, keepdims=True)
        noise = rng.lognormal(0.0, 0.6, (len(best) * 30, k))
        nudge = rng.exponential(0.03, (len(best) * 30, k))  # lets a zero weight grow again
        pool = np.vstack([best, (np.repeat(best, 30, axis=0) + nudge) * noise])
        found = np.nan_to_num(_aucs(alive, _scores(filled, mask, pool)))
        best = pool[np.argsort(-found)[:8]]
    winner: np.ndarray = best[0] / best[0].sum()
    return winner


HOLD_DEAD = 2 / 3
ADOPT_ALIVE = 0.9
TRIAL_ALIVE = 2 / 3


def _grid() -> np.ndarray:
    """The thresholds tried: 5, 10, ..., 95."""
    return np.arange(5.0, 100.0, 5.0)


def _hold(dead: np.ndarray, scores: np.ndarray) -> float | None:
    """The highest grid score below which at least `HOLD_DEAD` of the tools died."""
    for t in _grid()[::-1]:
        below = scores < t
        if below.sum() >= MIN_PER_FATE and dead[below].mean() >= HOLD_DEAD:
            return float(t)
    return None


def _adopt(dead: np.ndarray, scores: np.ndarray, hold: float | None) -> float | None:
    """The lowest grid score (not below `hold`) from which at least `ADOPT_ALIVE` lived."""
    grid = _grid()
    for t in grid[grid >= (hold or 0.0)]:
        above = scores >= t
        if above.sum() >= MIN_PER_FATE and 1 - dead[above].mean() >= ADOPT_ALIVE:
            return float(t)
    return None


def _trial(
    dead: np.ndarray, scores: np.ndarray, hold: float | None, adopt: float | None
) -> float | None:
    """The lowest grid score from `hold` up to `adopt` from which, below `adopt`, at least
    `TRIAL_ALIVE` lived."""
    if adopt is None:
        return None
    grid = _grid()
    for t in grid[(grid >= (hold or 0.0)) & (grid < adopt)]:
        band = (scores >= t) & (scores < adopt)
        if band.sum() >= MIN_PER_FATE and 1 - dead[band].mean() >= TRIAL_ALIVE:
            return float(t)
    return None


def calibrate(
    scored: Scored,
    fates: Sequence[Fate],
    *,
    folds: int = 5,
    seed: int = 0,
    draws: int = 300,
    rounds: int = 3,
    resamples: int = 1000,
    start: Mapping[str, float] | None = None,
) -> Calibration:
    """Search weights by `folds`-fold cross-validation grouped by category (see the module).
    `start`: the weights the search starts from (default: the current ones)."""
    filled, mask, current, names = _features(scored)
    fate = np.asarray([Fate(f) for f in fates], dtype=object)
    if len(fate) != len(current):
        raise ModelError(f"calibrate: {len(fate)} fates for {len(current)} tools")
    known = fate != Fate.UNKNOWN
    groups = scored.frame.drop_duplicates("row")["group"].astype(str).to_numpy()[known]
    filled, mask, current = filled[known], mask[known], current[known]
    alive = fate[known] == Fate.ALIVE
    fewest = min(int(alive.sum()), int((~alive).sum()))
    if fewest < MIN_PER_FATE:
        which = "alive" if alive.sum() < (~alive).sum() else "dead"
        raise ModelError(
            f"calibration refused: only {fewest} tool(s) of known fate are {which}; at least "
            f"{MIN_PER_FATE} of each fate are needed"
        )
    n_groups = len(set(groups))
    if n_groups < 2:
        raise ModelError("calibrate: cross-validation by category needs two categories or more")
    folds = min(folds, n_groups)
    judged_w = scored.weights[scored.judged if scored.judged is not None else slice(None)]
    base = np.array([start.get(n, 0.0) for n in names]) if start else judged_w.copy()
    if base.sum() <= 0:
        base = np.ones(len(names))
    base = base / base.sum()
    rng = np.random.default_rng(seed)
    held_out = np.empty(len(alive))
    for train, test in GroupKFold(n_splits=folds).split(filled, alive, groups):
        if alive[train].all() or not alive[train].any():
            held_out[test] = _scores(filled[test], mask[test], base[None, :])[:, 0]
            continue
        best = _search(filled[train], mask[train], alive[train], rng, base, draws, rounds)
        held_out[test] = _scores(filled[test], mask[test], best[None, :])[:, 0]
    both = np.vstack([held_out, current]).T
    aucs = _aucs(alive, both)
    picks = rng.integers(0, len(alive), (resamples, len(alive)))
    gains = _rank_auc(alive[picks], held_out[picks]) - _rank_auc(alive[picks], current[picks])
    gains = gains[~np.isnan(gains)]
    low, high = np.quantile(gains, [0.025, 0.975]) if len(gains) else (np.nan, np.nan)
    final = _search(filled, mask, alive, rng, base, draws, rounds)
    pooled = 100.0 * held_out
    hold = _hold(~alive, pooled)
    adopt = _adopt(~alive, pooled, hold)
    return Calibration(
        folds=folds,
        tools=len(alive),
        current_auc=float(aucs[1]),
        calibrated_auc=float(aucs[0]),
        gain_low=float(low),
        gain_high=float(high),
        accepted=bool(low > 0),
        signal_weights=dict(zip(names, map(float, final), strict=True)),
        hold_below=hold,
        current_weights=dict(zip(names, map(float, base), strict=True)),
        adopt_score=adopt,
        trial_score=_trial(~alive, pooled, hold, adopt),
    )


def weights_toml(found: Calibration, weights: Weights, *, evidence: str) -> str:
    """A weights file (TOML, laid over the shipped weights) holding the calibrated shares: each
    calibrated signal's weight is its share, each dimension's weight the sum of its signals'
    (plus the current weights of signals this backtest could not judge), so the model's effective
    weights equal the calibrated shares. The figures reached are in comments."""
    lines = [
        f"# Calibrated by `mlops-radar backtest --calibrate` against {evidence}",
        f"# {found.folds}-fold cross-validation by category, {found.tools} tools of known fate",
        f"# out-of-sample ROC AUC {found.calibrated_auc:.3f}; current weights "
        f"{found.current_auc:.3f} (paired bootstrap gain {found.gain_low:+.3f} to "
        f"{found.gain_high:+.3f})",
        "# current weights (shares): "
        + ", ".join(f"{k} {v:.3f}" for k, v in found.current_weights.items()),
    ]
    if found.hold_below is not None:
        lines.append(
            f"# suggested rings.toml hold_below = {found.hold_below:g} (below it, at least 2 in "
            "3 died)"
        )
    if found.trial_score is not None:
        lines.append(
            f"# suggested rings.toml [trial] score = {found.trial_score:g} (from it to Adopt, at "
            "least 2 in 3 lived)"
        )
    if found.adopt_score is not None:
        lines.append(
            f"# suggested rings.toml [adopt] score = {found.adopt_score:g} (from it, at least 9 "
            "in 10 lived)"
        )
    by_dimension: dict[str, float] = {}
    for spec in weights.signals:
        share = found.signal_weights.get(spec.name)
        by_dimension[spec.dimension] = by_dimension.get(spec.dimension, 0.0) + (
            share if share is not None else spec.weight
        )
    lines += ["", "[dimensions]"]
    lines += [f"{d} = {w:.6f}" for d, w in by_dimension.items()]
    for name, share in found.signal_weights.items():
        lines += ["", f"[signals.{name}]", f"weight = {share:.6f}"]
    return "\n".join(lines) + "\n"
