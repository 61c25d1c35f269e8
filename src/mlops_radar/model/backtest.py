"""Backtest: how well what the model said of a snapshot predicted what later happened to each tool.

Pure: the inputs are the model's scored results for the `--from` snapshot (`Scored`, scored with
that snapshot's date), the study's measures for it (`qualify`'s frame) and each tool's later fate
(`Fate` per input row, found by the caller from a later snapshot or a later list). A tool whose fate
is unknown is counted and left out of every figure, never guessed; a predictor unknown for a tool
(the model's score on nothing known, stars not collected) leaves that tool out of that predictor's
figures only, and each predictor says on how many tools it was measured.

Figures: per ring the fates; precision and recall of Hold for dead and of Adopt + Trial for alive;
the ROC AUC (scikit-learn's `roc_auc_score`) of the score and of the baselines (stars, the study's
attractiveness, the study's rank, the study's activity gate), each with a seeded bootstrap
confidence interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from mlops_radar.errors import ModelError
from mlops_radar.model.maturity import Scored
from mlops_radar.model.results import GateOutcome, Ring

__all__ = [
    "BASELINES",
    "Backtest",
    "Fate",
    "PredictorFigures",
    "RingFates",
    "RingPrecision",
    "auc_interval",
    "backtest",
    "per_tool",
]


class Fate(StrEnum):
    """What became of a tool by the later evidence."""

    ALIVE = "alive"
    DEAD = "dead"
    UNKNOWN = "unknown"


#: Fewest tools of each fate for a bootstrap interval (fewer: the AUC alone, no interval).
MIN_PER_FATE = 5

#: The predictors every backtest reports, model first: name -> column of `per_tool`'s frame.
BASELINES = ("stars", "attractiveness", "study_rank", "activity_gate")
PREDICTORS = ("score", *BASELINES)


@dataclass(frozen=True, slots=True)
class RingFates:
    """How the tools of one ring fared."""

    ring: Ring
    alive: int
    dead: int
    unknown: int


@dataclass(frozen=True, slots=True)
class RingPrecision:
    """Rings `rings` read as predicting `fate`: precision = share of the tools in them with that
    fate; recall = share of the tools with that fate that are in them (None when undefined)."""

    rings: tuple[Ring, ...]
    fate: Fate
    predicted: int  # tools (of known fate) in the rings
    hits: int  # of those, with the fate
    actual: int  # tools with the fate
    precision: float | None
    recall: float | None


@dataclass(frozen=True, slots=True)
class PredictorFigures:
    """One predictor's ROC AUC for "alive", on the tools whose fate and value are known."""

    name: str  # "score" or a baseline of BASELINES
    tools: int
    alive: int
    dead: int
    auc: float | None  # None when only one fate is present
    low: float | None  # bootstrap confidence interval
    high: float | None


@dataclass(frozen=True, slots=True)
class Backtest:
    """A backtest's figures."""

    tools: int  # tools of the --from snapshot
    alive: int
    dead: int
    unknown: int  # fate unknown: counted, left out
    rings: tuple[RingFates, ...]
    hold_dead: RingPrecision
    adopt_trial_alive: RingPrecision
    predictors: tuple[PredictorFigures, ...]
    confidence: float
    resamples: int
    seed: int

    def predictor(self, name: str) -> PredictorFigures:
        """The figures of one predictor by name."""
        return next(p for p in self.predictors if p.name == name)


def per_tool(scored: Scored, measures: pd.DataFrame) -> pd.DataFrame:
    """One row per tool of the input table (indexed by its position): ring and score in its first
    group, and the baselines. The score is NaN (unknown) where nothing is known of the tool."""
    frame = scored.frame
    first = frame.drop_duplicates("row").set_index("row")
    rows = np.arange(len(measures))
    out = pd.DataFrame(index=rows)
    out["tool"] = measures["tool"].to_numpy()
    out["repo"] = measures["repo"].to_numpy() if "repo" in measures.columns else None
    out["group"] = first["group"].reindex(rows).to_numpy()
    out["ring"] = first["ring"].reindex(rows).to_numpy()
    known = first["completeness"].reindex(rows).to_numpy() > 0
    out["score"] = np.where(known, first["score"].reindex(rows).to_numpy(dtype=float), np.nan)
    out["stars"] = measures["stars"].to_numpy(dtype=float)
    out["attractiveness"] = measures["attractiveness"].to_numpy(dtype=float)
    out["study_rank"] = measures["study_rank"].to_numpy(dtype=float)
    activity = measures["activity_outcome"].to_numpy()
    out["activity_gate"] = np.select(
        [activity == GateOutcome.PASS, activity == GateOutcome.FAIL], [1.0, 0.0], np.nan
    )
    return out


def auc_interval(
    alive: np.ndarray, values: np.ndarray, *, resamples: int, confidence: float, seed: int
) -> tuple[float | None, float | None, float | None]:
    """(AUC, low, high): the ROC AUC of `values` for `alive` (booleans) and a percentile
    bootstrap interval (resampling tools with a seeded generator; draws with one fate skipped;
    no interval with fewer than `MIN_PER_FATE` tools of a fate)."""
    alive = np.asarray(alive, dtype=bool)
    values = np.asarray(values, dtype=float)
    if alive.all() or not alive.any():
        return None, None, None
    auc = float(roc_auc_score(alive, values))
    if min(alive.sum(), (~alive).sum()) < MIN_PER_FATE:
        return auc, None, None  # resampling one or two tools says nothing of its spread
    rng = np.random.default_rng(seed)
    n = len(alive)
    found: list[np.ndarray] = []
    for start in range(0, resamples, 200):  # in chunks: a resamples x n matrix at a time
        picks = rng.integers(0, n, (min(200, resamples - start), n))
        found.append(_rank_auc(alive[picks], values[picks]))
    draws = np.concatenate(found) if found else np.array([])
    draws = draws[~np.isnan(draws)]  # draws with one fate only
    if not len(draws):
        return auc, None, None
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(draws, [tail, 1.0 - tail])
    return auc, float(low), float(high)


def _rank_auc(positive: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Row-wise ROC AUC by the rank-sum identity (ties share their mean rank), as
    `roc_auc_score` computes it; NaN for a row with one class only."""
    ranks = rankdata(values, axis=1)
    ones = positive.sum(axis=1).astype(float)
    zeros = positive.shape[1] - ones
    total = (ranks * positive).sum(axis=1) - ones * (ones + 1) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        result: np.ndarray = np.where((ones > 0) & (zeros > 0), total / (ones * zeros), np.nan)
    return result


def _precision(
    rings: np.ndarray, fate: np.ndarray, chosen: tuple[Ring, ...], wanted: Fate
) -> RingPrecision:
    inside = np.isin(rings, list(chosen))
    hit = fate == wanted
    predicted, hits, actual = int(inside.sum()), int((inside & hit).sum()), int(hit.sum())
    return RingPrecision(
        rings=chosen,
        fate=wanted,
        predicted=predicted,
        hits=hits,
        actual=actual,
        precision=hits / predicted if predicted else None,
        recall=hits / actual if actual else None,
    )


def backtest(
    scored: Scored,
    measures: pd.DataFrame,
    fates: Sequence[Fate] | Mapping[int, Fate] | pd.Series,
    *,
    resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Backtest:
    """The figures of one backtest. `fates`: per row of the `--from` table (a sequence in table
    order, or a mapping position -> fate; positions missing are unknown)."""
    tools = per_tool(scored, measures)
    if isinstance(fates, Mapping):
        fate = np.array([fates.get(i, Fate.UNKNOWN) for i in range(len(tools))], dtype=object)
    else:
        fate = np.asarray(list(fates), dtype=object)
    if len(fate) != len(tools):
        raise ModelError(f"backtest: {len(fate)} fates for {len(tools)} tools")
    fate = np.array([Fate(f) for f in fate], dtype=object)
    known = fate != Fate.UNKNOWN
    rings = tools["ring"].to_numpy()
    ring_fates = tuple(
        RingFates(
            ring=ring,
            alive=int(((rings == ring) & (fate == Fate.ALIVE)).sum()),
            dead=int(((rings == ring) & (fate == Fate.DEAD)).sum()),
            unknown=int(((rings == ring) & ~known).sum()),
        )
        for ring in Ring
    )
    predictors = []
    for name in PREDICTORS:
        values = tools[name].to_numpy(dtype=float)
        use = known & ~np.isnan(values)
        alive = fate[use] == Fate.ALIVE
        auc, low, high = auc_interval(
            alive, values[use], resamples=resamples, confidence=confidence, seed=seed
        )
        predictors.append(
            PredictorFigures(
                name, int(use.sum()), int(alive.sum()), int((~alive).sum()), auc, low, high
            )
        )
    return Backtest(
        tools=len(tools),
        alive=int((fate == Fate.ALIVE).sum()),
        dead=int((fate == Fate.DEAD).sum()),
        unknown=int((~known).sum()),
        rings=ring_fates,
        hold_dead=_precision(rings[known], fate[known], (Ring.HOLD,), Fate.DEAD),
        adopt_trial_alive=_precision(
            rings[known], fate[known], (Ring.ADOPT, Ring.TRIAL), Fate.ALIVE
        ),
        predictors=tuple(predictors),
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )
