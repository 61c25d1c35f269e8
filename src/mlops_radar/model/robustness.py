"""How stable a ranking is when the weights move: Kendall's tau over seeded weight perturbations.

Each draw multiplies every signal's weight by an independent U(1 - spread, 1 + spread) factor
(seeded, so the figure is reproducible), re-scores, and compares the new order with the base order
in each group: Kendall's tau-b (1 = same order) and whether the top three stay the same, in the same
order. Tau-b is computed for all draws at once by counting discordant pairs as merge-sort
inversions, vectorised with numpy (O(n log^2 n) per draw), so no scipy is needed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlops_radar.model.maturity import Scored

__all__ = ["kendall_tau_b", "robustness"]


def _dense_ranks(columns: np.ndarray) -> np.ndarray:
    """Dense ranks (0 = smallest, ties share a rank) of each column of a 2-D array."""
    order = np.argsort(columns, axis=0, kind="stable")
    ordered = np.take_along_axis(columns, order, axis=0)
    steps = np.vstack(
        [
            np.zeros((1, columns.shape[1]), dtype=np.int64),
            (np.diff(ordered, axis=0) != 0).astype(np.int64),
        ]
    )
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.cumsum(steps, axis=0), axis=0)
    return ranks


def _inversions(rows: np.ndarray) -> np.ndarray:
    """Per row of a (draws x n) int array of ranks: pairs i < j with rows[i] > rows[j]."""
    draws, n = rows.shape
    base = np.int64(n + 1)
    values = rows.astype(np.int64)
    row_of = np.repeat(np.arange(draws, dtype=np.int64), n)
    position = np.tile(np.arange(n, dtype=np.int64), draws)
    counts = np.zeros(draws, dtype=np.int64)
    width = 1
    while width < n:
        blocks = (n + width - 1) // width
        block = position // width
        keys = (row_of * blocks + block) * base + values.ravel()
        right = block % 2 == 1
        left_id = (row_of[right] * blocks + block[right] - 1) * base
        left_start = row_of[right] * n + (block[right] - 1) * width
        not_greater = (
            np.searchsorted(keys, left_id + values.ravel()[right], side="right") - left_start
        )
        np.add.at(counts, row_of[right], width - not_greater)
        width *= 2
        blocks = (n + width - 1) // width
        merged = np.sort((row_of * blocks + position // width) * base + values.ravel())
        values = (merged % base).reshape(draws, n)
    return counts


def _tied_pairs(keys: np.ndarray) -> np.ndarray:
    """Per column of a 2-D int array: number of pairs with equal keys."""
    pairs = np.zeros(keys.shape[1], dtype=np.int64)
    for j in range(keys.shape[1]):
        _, counts = np.unique(keys[:, j], return_counts=True)
        pairs[j] = int((counts * (counts - 1) // 2).sum())
    return pairs


def kendall_tau_b(x: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Kendall's tau-b between `x` (n,) and each column of `ys` (n, draws); NaN if undefined."""
    n = len(x)
    ys = ys.reshape(n, -1)
    if n < 2:
        return np.full(ys.shape[1], np.nan)
    xr = _dense_ranks(x.reshape(n, 1))[:, 0].astype(np.int64)
    yr = _dense_ranks(ys).astype(np.int64)
    joint = xr[:, None] * (n + 1) + yr
    order = np.argsort(joint, axis=0, kind="stable")
    discordant = _inversions(np.take_along_axis(yr, order, axis=0).T)
    total = n * (n - 1) // 2
    tied_x = _tied_pairs(xr.reshape(n, 1))[0]
    tied_y, tied_xy = _tied_pairs(yr), _tied_pairs(joint)
    concordant_minus = total - tied_x - tied_y + tied_xy - 2 * discordant
    denominator = np.sqrt((total - tied_x).astype(float) * (total - tied_y).astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, concordant_minus / denominator, np.nan)


def _order(scores: np.ndarray, names: np.ndarray) -> np.ndarray:
    """Row order by score descending, ties by tool name, for each column of `scores`."""
    by_name = np.argsort(names, kind="stable")
    ranked = np.argsort(-scores[by_name], axis=0, kind="stable")
    return by_name[ranked]


def robustness(scored: Scored) -> pd.DataFrame:
    """Per group: tools, mean and minimum tau over the draws, share of draws with the same top 3."""
    rng = np.random.default_rng(scored.seed)
    factors = rng.uniform(
        1 - scored.spread, 1 + scored.spread, size=(scored.draws, len(scored.weights))
    )
    perturbed = scored.weights * factors
    perturbed /= perturbed.sum(axis=1, keepdims=True)
    filled = np.nan_to_num(scored.scores, nan=0.0)
    shares = scored.row_shares()
    counted = (shares > 0).astype("float64")  # the signals judged and applicable per row
    base_all = (filled * shares).sum(axis=1)
    total = counted @ perturbed.T
    moved_all = np.divide(
        (filled * counted) @ perturbed.T, total, out=np.zeros_like(total), where=total > 0
    )
    frame = scored.frame
    rows = []
    for group, index in frame.groupby("group", sort=True).indices.items():
        names = frame["tool"].astype(str).to_numpy()[index]
        base, moved = base_all[index], moved_all[index]
        taus = kendall_tau_b(base, moved)
        top = _order(base.reshape(-1, 1), names)[:3, 0]
        same = (_order(moved, names)[:3] == top[:, None]).all(axis=0)
        rows.append(
            {
                "group": group,
                "tools": len(index),
                "mean_tau": float(np.nanmean(taus)) if np.isfinite(taus).any() else None,
                "min_tau": float(np.nanmin(taus)) if np.isfinite(taus).any() else None,
                "top3_unchanged": float(same.mean()),
            }
        )
    return pd.DataFrame(rows, columns=["group", "tools", "mean_tau", "min_tau", "top3_unchanged"])
