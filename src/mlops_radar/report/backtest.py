"""Backtest and calibration results in words: a terminal table and a JSON document.

The figures come from `model.backtest` / `model.calibrate` (typed, no words); the names of the
predictors, the rules' sentences and the JSON shape are here only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlops_radar.model.backtest import MIN_PER_FATE
from mlops_radar.report.terminal import fmt, safe

if TYPE_CHECKING:
    from rich.console import Console

    from mlops_radar.app.backtest import BacktestRun
    from mlops_radar.model.backtest import Backtest, PredictorFigures, RingPrecision
    from mlops_radar.model.calibrate import Calibration

__all__ = ["PREDICTOR_LABELS", "backtest_json", "calibration_json", "render_backtest",
           "render_calibration", "rule_sentence"]  # fmt: skip

PREDICTOR_LABELS = {
    "score": "maturity score",
    "stars": "stars (baseline)",
    "attractiveness": "study attractiveness (baseline)",
    "study_rank": "study rank (baseline)",
    "activity_gate": "study activity gate (baseline)",
}


def rule_sentence(run: BacktestRun) -> str:
    """What decided each tool's fate, in one sentence."""
    if run.rule == "listed":
        return f"alive: listed in {run.evidence}; dead: not in it (dropped, or never listed there)"
    if run.rule == "archived":
        return f"alive: found and not archived in {run.evidence}; dead: archived or gone"
    return (
        f"alive: a commit in the {run.months} months before {run.evidence}; dead: archived, "
        "gone, or no commit in the 12 months before it"
    )


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _interval(p: PredictorFigures) -> str:
    if p.low is None or p.high is None:
        return "too few" if p.auc is not None else "-"
    return f"{p.low:.2f}-{p.high:.2f}"


def _precision_line(name: str, p: RingPrecision) -> str:
    return (
        f"{name}: precision {_ratio(p.precision)} ({p.hits} of {p.predicted}), "
        f"recall {_ratio(p.recall)} ({p.hits} of {p.actual})"
    )


def render_backtest(run: BacktestRun, console: Console) -> None:
    """The backtest as the terminal shows it: fates per ring, ring precision, AUC per predictor."""
    from rich.table import Table

    r = run.result
    console.print(
        f"Backtest of snapshot {run.origin.id} ({run.origin.snapshot_date}, policy "
        f"{safe(run.policy)}) against {safe(run.evidence)}"
    )
    console.print(safe(rule_sentence(run)))
    console.print(
        f"{r.tools} tools: {r.alive} alive, {r.dead} dead, {r.unknown} unknown "
        "(unknown fates are left out of every figure)"
    )
    rings = Table(title="Fates per ring")
    for column in ("ring", "alive", "dead", "unknown"):
        rings.add_column(column, justify="left" if column == "ring" else "right")
    for ring in r.rings:
        rings.add_row(str(ring.ring), fmt(ring.alive), fmt(ring.dead), fmt(ring.unknown))
    console.print(rings)
    console.print(_precision_line("Hold for dead", r.hold_dead))
    console.print(_precision_line("Adopt + Trial for alive", r.adopt_trial_alive))
    auc = Table(title=f"ROC AUC for alive ({r.confidence:.0%} bootstrap interval, {r.resamples} "
                f"resamples, seed {r.seed})")  # fmt: skip
    for column in ("predictor", "tools", "alive", "dead", "AUC", "interval"):
        auc.add_column(column, justify="left" if column == "predictor" else "right")
    for p in r.predictors:
        auc.add_row(
            PREDICTOR_LABELS[p.name], fmt(p.tools), fmt(p.alive), fmt(p.dead), _ratio(p.auc),
            _interval(p),
        )  # fmt: skip
    console.print(auc)
    fewest = min(r.dead, r.alive)
    if fewest < MIN_PER_FATE:
        console.print(
            f"Only {fewest} tool(s) of one fate: each AUC rests on them alone, so no interval "
            f"(under {MIN_PER_FATE}); read these AUCs as anecdotes, not measurements."
        )
    elif fewest < 20:
        console.print(
            f"Only {fewest} tools of one fate: the AUCs are imprecise, see the intervals."
        )


def _predictor_json(p: PredictorFigures) -> dict[str, Any]:
    return {"name": p.name, "tools": p.tools, "alive": p.alive, "dead": p.dead, "auc": p.auc,
            "interval": [p.low, p.high] if p.low is not None else None}  # fmt: skip


def _precision_json(p: RingPrecision) -> dict[str, Any]:
    return {
        "rings": [str(x) for x in p.rings],
        "fate": str(p.fate),
        "predicted": p.predicted,
        "hits": p.hits,
        "actual": p.actual,
        "precision": p.precision,
        "recall": p.recall,
    }


def figures_json(r: Backtest) -> dict[str, Any]:
    """The figures of a backtest as JSON-ready data."""
    return {
        "tools": r.tools,
        "alive": r.alive,
        "dead": r.dead,
        "unknown": r.unknown,
        "rings": [
            {"ring": str(x.ring), "alive": x.alive, "dead": x.dead, "unknown": x.unknown}
            for x in r.rings
        ],
        "hold_for_dead": _precision_json(r.hold_dead),
        "adopt_trial_for_alive": _precision_json(r.adopt_trial_alive),
        "predictors": [_predictor_json(p) for p in r.predictors],
        "bootstrap": {"confidence": r.confidence, "resamples": r.resamples, "seed": r.seed},
    }


def _number(value: object) -> float | None:
    """A float, or None for unknown (NaN)."""
    if isinstance(value, int | float) and value == value:
        return float(value)
    return None


def backtest_json(run: BacktestRun) -> dict[str, Any]:
    """The backtest as a JSON document, with every tool's ring, score, baselines and fate."""
    tools = [
        {
            "tool": row.tool,
            "repo": row.repo if isinstance(row.repo, str) else None,
            "ring": str(row.ring) if isinstance(row.ring, str) else None,
            "score": _number(row.score),
            "fate": row.fate,
        }
        for row in run.tools.itertuples()
    ]
    return {
        "from": {"snapshot": run.origin.id, "date": run.origin.snapshot_date.isoformat()},
        "evidence": run.evidence,
        "evidence_date": run.evidence_date.isoformat() if run.evidence_date else None,
        "outcome": str(run.rule),
        "months": run.months,
        "policy": run.policy,
        "rule": rule_sentence(run),
        **figures_json(run.result),
        "per_tool": tools,
    }


def calibration_json(found: Calibration) -> dict[str, Any]:
    """A calibration's figures as JSON-ready data."""
    return {
        "folds": found.folds,
        "accepted": found.accepted,
        "current_auc": found.current_auc,
        "calibrated_auc": found.calibrated_auc,
        "gain_interval": [found.gain_low, found.gain_high],
        "weights": dict(found.signal_weights),
        "hold_below": found.hold_below,
        "trial_score": found.trial_score,
        "adopt_score": found.adopt_score,
    }


def render_calibration(found: Calibration, console: Console) -> None:
    """The calibration's figures for the terminal."""
    console.print(
        f"Calibration, {found.folds}-fold cross-validation by category: out-of-sample AUC "
        f"{_ratio(found.calibrated_auc)} against {_ratio(found.current_auc)} for the current "
        f"weights (gain {_ratio(found.gain_low)} to {_ratio(found.gain_high)}, 95% paired "
        "bootstrap)"
    )
    suggested = [
        f"{name} {value:g}"
        for name, value in (
            ("hold below", found.hold_below),
            ("trial from", found.trial_score),
            ("adopt from", found.adopt_score),
        )
        if value is not None
    ]
    if suggested:
        console.print(
            "Ring thresholds read off the held-out scores: "
            + ", ".join(suggested)
            + " (rings.toml; unset ones keep their current value)"
        )
