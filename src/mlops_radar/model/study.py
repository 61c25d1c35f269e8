"""The study's own measures, by its names, and `qualify` (gates + Quadro 1 qualifiers + measures).

attractiveness = mean(stars, forks, watchers), which the study computed for tools not eliminated.
study_rank = 0 if archived or eliminated, else (1.2 watchers + 1.1 stars + 1.0 forks + 0.9 commits)
/ 4.2, multiplied by closed / (open + closed) issues when that ratio is defined and not zero. Note
that the rank zeroes archived tools even under the `study` policy, whose gates keep them.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from mlops_radar.model.columns import flag, number, require_columns, timestamps
from mlops_radar.model.gates import evaluate_gates
from mlops_radar.model.policy import GATES, Policy
from mlops_radar.model.results import (
    GateOutcome,
    GateResult,
    Qualification,
    Status,
    ToolQualification,
)

__all__ = ["attractiveness", "qualification", "qualify", "study_rank", "summarise"]


def attractiveness(table: pd.DataFrame) -> pd.Series:
    """Mean of stars, forks and watchers; NaN if any of them is unknown."""
    parts = [number(table, c) for c in ("stars", "forks", "watchers")]
    return (parts[0] + parts[1] + parts[2]) / 3.0


def study_rank(table: pd.DataFrame, eliminated: pd.Series) -> pd.Series:
    """The study notebook's second rank; NaN where an input is unknown (never a made-up zero)."""
    weighted = (
        1.2 * number(table, "watchers")
        + 1.1 * number(table, "stars")
        + 1.0 * number(table, "forks")
        + 0.9 * number(table, "total_commits")
    ) / 4.2
    opened, closed = number(table, "open_issues"), number(table, "closed_issues")
    total = opened + closed
    ratio = (closed / total.where(total > 0)).to_numpy()
    factor = np.where(np.isnan(ratio) | (ratio == 0), 1.0, ratio)
    rank = weighted * factor
    zero = (flag(table, "archived") == 1.0) | eliminated.astype(bool)
    return rank.where(~zero, 0.0)


def qualify(table: pd.DataFrame, snapshot_date: date | datetime, policy: Policy) -> pd.DataFrame:
    """Per tool: identity, gates, status, Quadro 1 qualifiers, attractiveness, study rank."""
    require_columns(table, "tool")
    gates = evaluate_gates(table, snapshot_date, policy)
    out = pd.DataFrame(
        {
            "tool": table["tool"],
            "repo": table["repo"] if "repo" in table.columns else None,
            "categories": _lists(table, "categories"),
            "stages": _lists(table, "stages"),
        },
        index=table.index,
    )
    out = pd.concat([out, gates], axis=1)
    for column in ("stars", "forks", "watchers", "open_issues", "closed_issues", "total_commits"):
        out[column] = number(table, column)
    out["last_commit"] = timestamps(table, "last_commit_at")
    out["last_commit_stale"] = flag(table, "last_commit_stale")
    out["archived"] = flag(table, "archived")
    out["attractiveness"] = attractiveness(table)
    out["study_rank"] = study_rank(table, out["status"] == "eliminated")
    return out


def _lists(table: pd.DataFrame, column: str) -> pd.Series:
    if column not in table.columns:
        return pd.Series([[] for _ in range(len(table))], index=table.index, dtype=object)
    return table[column].map(lambda v: list(v) if isinstance(v, list | tuple) else [])


def _stats(values: pd.Series) -> tuple[float | None, float | None]:
    known = values.dropna()
    if known.empty:
        return None, None
    return float(known.mean()), float(known.median())


def summarise(qualified: pd.DataFrame) -> dict[str, object]:
    """Counts by status, and attractiveness over tools not eliminated (overall and per category)."""
    kept = qualified["status"] != "eliminated"
    counts = qualified["status"].value_counts()
    mean, _ = _stats(qualified.loc[kept, "attractiveness"])
    by_category: dict[str, dict[str, object]] = {}
    exploded = qualified.assign(category=qualified["categories"]).explode("category")
    exploded = exploded[exploded["category"].notna()]
    for name, group in exploded.groupby("category", sort=True):
        cat_mean, cat_median = _stats(group.loc[group["status"] != "eliminated", "attractiveness"])
        by_category[str(name)] = {
            "tools": len(group),
            "qualified": int((group["status"] == "qualified").sum()),
            "mean_attractiveness": cat_mean,
            "median_attractiveness": cat_median,
        }
    return {
        "total": len(qualified),
        "eliminated": int(counts.get("eliminated", 0)),
        "qualified": int(counts.get("qualified", 0)),
        "needs_review": int(counts.get("needs_review", 0)),
        "mean_attractiveness": mean,
        "by_category": by_category,
    }


_COUNTS = ("stars", "forks", "watchers", "open_issues", "closed_issues", "total_commits")


def _known(value: object) -> bool:
    return (
        value is not None
        and value is not pd.NaT
        and not (isinstance(value, float) and math.isnan(value))
    )


def qualification(qualified: pd.DataFrame, policy: Policy) -> Qualification:
    """`qualify`'s frame as typed results, built column by column."""
    columns = {c: qualified[c].to_numpy() for c in qualified.columns}
    gates = {
        g: (columns[f"{g}_outcome"], columns[f"{g}_applied"], columns[f"{g}_reason"]) for g in GATES
    }
    tools = []
    for i in range(len(qualified)):
        repo, last = columns["repo"][i], columns["last_commit"][i]
        stale, archived = columns["last_commit_stale"][i], columns["archived"][i]
        tools.append(
            ToolQualification(
                name=str(columns["tool"][i]),
                repo=repo if isinstance(repo, str) else None,
                categories=tuple(columns["categories"][i]),
                status=Status(columns["status"][i]),
                gates={
                    g: GateResult(g, GateOutcome(out[i]), bool(applied[i]), why[i])
                    for g, (out, applied, why) in gates.items()
                },
                counts={c: int(columns[c][i]) if _known(columns[c][i]) else None for c in _COUNTS},
                last_commit=pd.Timestamp(last) if _known(last) else None,
                last_commit_stale=bool(stale) if _known(stale) else None,
                archived=bool(archived) if _known(archived) else None,
                license=columns["license"][i] if isinstance(columns["license"][i], str) else None,
                attractiveness=_float(columns["attractiveness"][i]),
                study_rank=_float(columns["study_rank"][i]),
            )
        )
    return Qualification(policy.name, tuple(tools), summarise(qualified))


def _float(value: object) -> float | None:
    return float(value) if _known(value) else None  # type: ignore[arg-type]
