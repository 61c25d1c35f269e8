"""Normalisation of raw signal values: percentile within a group, and a global log scale.

In-group percentiles follow best-of-generator's in-category comparison; the global log scale against
a threshold follows OpenSSF criticality_score (log(1 + v) / log(1 + threshold), capped at 1). Both
are vectorised over all groups at once with sorted integer keys, so 100,000 rows take milliseconds.
"""

from __future__ import annotations

import numpy as np

from mlops_radar.model.weights import SignalSpec

__all__ = ["global_scale", "group_percentile", "signal_score"]


def global_scale(values: np.ndarray, spec: SignalSpec) -> np.ndarray:
    """The value on a 0..1 scale shared by every category; NaN stays NaN."""
    if spec.scale == "ratio":
        ratio: np.ndarray = np.clip(values / spec.threshold, 0.0, 1.0)
        return ratio
    logged = np.log1p(np.clip(values, 0.0, spec.threshold)) / np.log1p(spec.threshold)
    result: np.ndarray = 1.0 - logged if spec.scale == "inverse_log" else logged
    return result


def group_percentile(
    values: np.ndarray, codes: np.ndarray, reference: np.ndarray, *, lower_is_better: bool
) -> np.ndarray:
    """Share of the group's reference rows that this row's value matches or beats (0..1].

    `reference` marks the rows to compare against (a category's qualified tools); a group with no
    reference row with a known value falls back to all its rows with a known value. NaN stays NaN.
    """
    present = ~np.isnan(values)
    result = np.full(values.shape, np.nan)
    if not present.any():
        return result
    groups = int(codes.max()) + 1
    ref = reference & present
    has_ref = np.bincount(codes[ref], minlength=groups) > 0
    ref = ref | (present & ~has_ref[codes])
    uniq, dense = np.unique(values[present], return_inverse=True)
    width = np.int64(len(uniq) + 1)
    keys = np.full(values.shape, -1, dtype=np.int64)
    keys[present] = codes[present].astype(np.int64) * width + dense
    ref_keys = np.sort(keys[ref])
    n_ref = np.bincount(codes[ref], minlength=groups)
    own = keys[present]
    start = np.searchsorted(ref_keys, codes[present].astype(np.int64) * width, side="left")
    if lower_is_better:
        beaten = n_ref[codes[present]] - (np.searchsorted(ref_keys, own, side="left") - start)
    else:
        beaten = np.searchsorted(ref_keys, own, side="right") - start
    result[present] = beaten / n_ref[codes[present]]
    return result


def signal_score(
    values: np.ndarray,
    codes: np.ndarray,
    reference: np.ndarray,
    spec: SignalSpec,
    category_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(score 0..1, percentile or NaN) for one signal; NaN where the value is unknown."""
    scaled = global_scale(values, spec)
    if not spec.percentile:
        return scaled, np.full(values.shape, np.nan)
    pct = group_percentile(values, codes, reference, lower_is_better=spec.scale == "inverse_log")
    return category_share * pct + (1.0 - category_share) * scaled, pct
