"""Explanations in words: which signals help a tool most, which hurt it most, and why its ring.

A signal's pull on the score is its weight times (its score - 0.5): above the middle it helps, below
it hurts, and a missing signal (score 0) hurts by half its weight. The words come from the raw value
and the in-group percentile, e.g. "stars in the top 10% of Feature Store", "last commit 240 days
before the snapshot". Only the rows asked for are put into words, so scoring 100,000 tools stays
fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlops_radar.model.maturity import Scored
from mlops_radar.model.policy import GATES
from mlops_radar.model.weights import RingRules, SignalSpec

__all__ = ["Explanation", "describe", "explain", "ring_reason", "unknown_everywhere"]


@dataclass(frozen=True, slots=True)
class Explanation:
    """The three signals that help a tool most and the three that hurt it most, in words."""

    helps: tuple[str, ...]
    hurts: tuple[str, ...]
    ring_reason: str


#: Labels of the shipped count signals, for a count of one ("1 release in the last year").
_SINGULAR = {
    "stars": "star",
    "forks": "fork",
    "watchers": "watcher",
    "commits": "commit",
    "releases in the last year": "release in the last year",
    "mentionable users": "mentionable user",
}


def _count(value: float) -> str:
    return f"{int(value):,}"


def _standing(pct: float, group: str) -> str:
    if pct >= 0.5:
        return f"in the top {max(10, math.ceil((1.0 - pct) * 10) * 10)}% of {group}"
    return f"in the bottom {max(10, math.ceil(pct * 10) * 10)}% of {group}"


def describe(
    spec: SignalSpec, value: float, pct: float, group: str, pull: float | None = None
) -> str:
    """One signal of one tool in words. `pull` (its push on the score) explains a standing that
    seems to point the other way: a signal scores on its in-group percentile AND a global scale."""
    if math.isnan(value):
        return f"{spec.label}: unknown (counts as 0)"
    if spec.name == "days_since_commit":
        text = f"last commit {int(value)} days before the snapshot"
    elif spec.name == "issue_closure":
        return f"{value:.0%} of its issues closed"
    elif spec.name == "pr_merge":
        return f"{value:.0%} of its pull requests merged"
    elif spec.name == "license_clarity":
        return (
            "license clearly open source"
            if value >= 1
            else (
                "license open source by manual analysis only"
                if value > 0.5
                else "license unclear (needs review)"
                if value > 0
                else "license not open source"
            )
        )
    elif spec.name == "not_archived":
        return "not archived" if value >= 1 else "archived (read-only)"
    else:
        label = _SINGULAR.get(spec.label, spec.label) if int(value) == 1 else spec.label
        text = f"{_count(value)} {label}"
    if math.isnan(pct):
        return text
    standing = f"{text}, {_standing(pct, group)}"
    if pull is not None and pull < 0 and pct >= 0.5:
        return f"{standing}, but low on the global scale"
    if pull is not None and pull > 0 and pct < 0.5:
        return f"{standing}, but high on the global scale"
    return standing


def ring_reason(
    row: dict[str, Any], completeness: float, score: float, rings: RingRules | None = None
) -> str:
    """Why the row is in its ring, in one sentence."""
    basis = row["basis"]
    if basis in ("trial_floor", "assess_floor") and rings is not None:
        reached = (
            "Adopt"
            if score >= rings.adopt_score and completeness >= rings.adopt_completeness
            else "Trial"
        )
        wanted = "Adopt" if basis == "trial_floor" else "Trial"
        floor = rings.adopt_min_stars if basis == "trial_floor" else rings.trial_min_stars
        stars = row.get("stars")
        have = "unknown stars" if stars is None or math.isnan(stars) else f"{int(stars):,} stars"
        return (
            f"{row['ring']}: score {score:.0f} reaches {reached}, but {have} is below the "
            f"{int(floor):,} that {wanted} asks as evidence of adoption"
        )
    if basis == "gate":
        failed = [
            str(row[f"{g}_reason"])
            for g in GATES
            if row[f"{g}_applied"] and row[f"{g}_outcome"] == "fail"
        ]
        return "Hold: " + "; ".join(failed)
    if basis == "review":
        unknown = [
            str(row[f"{g}_reason"])
            for g in GATES
            if row[f"{g}_applied"] and row[f"{g}_outcome"] == "unknown"
        ]
        return "Assess at most until reviewed: " + "; ".join(unknown)
    if basis == "low_score":
        return f"Hold: score {score:.0f} is below the Hold threshold"
    known = f"{completeness:.0%} of the weight known"
    return f"{row['ring']}: score {score:.0f} with {known}"


def _unknown_columns(scored: Scored) -> np.ndarray:
    """Per signal: unknown for every row (a source that does not collect it, e.g. the study's
    CSVs have no commit dates). Such a signal still counts 0 for every tool, but it says nothing
    about one tool against another, so explanations leave it out and name it once instead."""
    if not len(scored.values):
        return np.zeros(len(scored.specs), dtype=bool)
    everywhere: np.ndarray = np.isnan(scored.values).all(axis=0)
    return everywhere


def unknown_everywhere(scored: Scored) -> tuple[str, ...]:
    """Labels of the signals unknown for every tool of the scoring."""
    gone = _unknown_columns(scored)
    return tuple(spec.label for j, spec in enumerate(scored.specs) if gone[j])


def explain(scored: Scored, rows: np.ndarray | list[int], top: int = 3) -> list[Explanation]:
    """Explanations for the given positional rows of `scored.frame` (signals unknown for every
    tool are left out: see `unknown_everywhere`)."""
    result = []
    frame = scored.frame
    uniform = _unknown_columns(scored)
    for i in rows:
        filled = np.nan_to_num(scored.scores[i], nan=0.0)
        pull = scored.weights * (filled - 0.5)
        order = np.argsort(-pull, kind="stable")
        group = str(frame["group"].iat[i])
        words = [
            describe(s, scored.values[i, j], scored.percentiles[i, j], group, float(pull[j]))
            for j, s in enumerate(scored.specs)
        ]
        telling = [j for j in order if not uniform[j]]
        helps = tuple(words[j] for j in telling[:top] if pull[j] > 0)
        hurts = tuple(words[j] for j in telling[::-1][:top] if pull[j] < 0)
        row = {str(k): v for k, v in frame.iloc[i].to_dict().items()}
        result.append(
            Explanation(
                helps,
                hurts,
                ring_reason(row, float(row["completeness"]), float(row["score"]), scored.rings),
            )
        )
    return result
