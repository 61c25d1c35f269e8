"""Plain-dict views of the model's results, for JSON output and terminal tables.

Pure shaping: no I/O. Unknown values are None, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError
from mlops_radar.model.explain import explain
from mlops_radar.model.maturity import Scored
from mlops_radar.model.policy import GATES
from mlops_radar.model.robustness import robustness

__all__ = ["find_rows", "qualify_records", "ranking_groups", "scored_record", "trend"]

_COUNTS = ("stars", "forks", "watchers", "open_issues", "closed_issues", "total_commits")
BY_COLUMNS = {"maturity": "score", "attractiveness": "attractiveness", "study-rank": "study_rank"}


def _value(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _gates(row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        g: {
            "outcome": row[f"{g}_outcome"],
            "reason": row[f"{g}_reason"],
            "applied": bool(row[f"{g}_applied"]),
        }
        for g in GATES
    }


def qualify_records(qualified: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per tool in the JSON shape of `mlops-radar qualify --json`."""
    records = []
    for raw in qualified.to_dict("records"):
        row = {str(k): v for k, v in raw.items()}
        last = row["last_commit"]
        records.append(
            {
                "name": row["tool"],
                "repo": _value(row["repo"]),
                "categories": row["categories"],
                "status": row["status"],
                "gates": _gates(row),
                **{c: None if _value(row[c]) is None else int(row[c]) for c in _COUNTS},
                "last_commit": None if pd.isna(last) else last.isoformat(),
                "last_commit_stale": None
                if _value(row["last_commit_stale"]) is None
                else bool(row["last_commit_stale"]),
                "archived": None if _value(row["archived"]) is None else bool(row["archived"]),
                "license": _value(row["license"]),
                "attractiveness": _value(row["attractiveness"]),
                "study_rank": _value(row["study_rank"]),
            }
        )
    return records


def scored_record(scored: Scored, i: int) -> dict[str, Any]:
    """One (tool, group) row of a scoring with its dimensions and explanation."""
    row = scored.frame.iloc[i]
    why = explain(scored, [i])[0]
    return {
        "tool": row["tool"],
        "repo": _value(row["repo"]),
        "group": row["group"],
        "rank": int(row["rank"]),
        "status": row["status"],
        "ring": row["ring"],
        "ring_reason": why.ring_reason,
        "score": float(row["score"]),
        "completeness": float(row["completeness"]),
        "dimensions": {c[4:]: float(row[c]) for c in scored.frame.columns if c.startswith("dim:")},
        "helps": list(why.helps),
        "hurts": list(why.hurts),
        "gates": _gates({str(k): v for k, v in row.to_dict().items()}),
    }


def ranking_groups(
    scored: Scored,
    measures: pd.DataFrame,
    *,
    by: str = "maturity",
    group: str | None = None,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Per group: the ordered tools (by maturity score or one of the study's measures) with their
    ring, score, completeness and explanation, plus the group's robustness figure.

    `measures` is `qualify`'s frame for the same table (attractiveness, study_rank per row).
    """
    if by not in BY_COLUMNS:
        raise ModelError(f"unknown ordering {by!r}: use {', '.join(BY_COLUMNS)}")
    frame = scored.frame.assign(
        attractiveness=measures["attractiveness"].to_numpy()[scored.frame["row"].to_numpy()],
        study_rank=measures["study_rank"].to_numpy()[scored.frame["row"].to_numpy()],
    )
    groups = sorted(frame["group"].unique())
    if group is not None:
        matches = [g for g in groups if g.lower() == group.lower()]
        if not matches:
            raise ModelError(
                f"no {scored.grouping} {group!r} in this snapshot; known: {', '.join(groups)}"
            )
        groups = matches
    stability = robustness(scored).set_index("group")
    column = BY_COLUMNS[by]
    result = []
    for name in groups:
        members = frame[frame["group"] == name].assign(
            _name=lambda f: f["tool"].astype(str), _held=lambda f: f["status"] != "qualified"
        )
        # Tools that pass every gate come first; those needing review or failing a gate follow,
        # by score (so a tool that is unknown on a gate never outranks its fully known twin).
        members = members.sort_values(
            ["_held", column, "completeness", "_name"],
            ascending=[True, False, False, True],
            na_position="last",
        )
        shown = members.index[: top if top else None]
        tools = []
        for position, i in enumerate(shown, start=1):
            record = scored_record(scored, int(i))
            record["rank"] = position
            record["value"] = _value(members.at[i, column])
            record["attractiveness"] = _value(members.at[i, "attractiveness"])
            record["study_rank"] = _value(members.at[i, "study_rank"])
            tools.append(record)
        figures = stability.loc[name]
        result.append(
            {
                scored.grouping: name,
                "by": by,
                "tools": tools,
                "robustness": {
                    "mean_tau": _value(figures["mean_tau"]),
                    "min_tau": _value(figures["min_tau"]),
                    "top3_unchanged": float(figures["top3_unchanged"]),
                    "spread": scored.spread,
                    "draws": scored.draws,
                },
            }
        )
    return result


def find_rows(table: pd.DataFrame, name: str) -> list[int]:
    """Positions of the rows whose tool name or repository (owner/name) is `name`, any case."""
    wanted = name.strip().lower()
    tools = table["tool"].astype(str).str.lower().to_numpy()
    repos = table["repo"].map(lambda r: r.lower() if isinstance(r, str) else "").to_numpy()
    return [int(i) for i in np.flatnonzero((tools == wanted) | (repos == wanted))]


def trend(history: pd.DataFrame) -> dict[str, Any]:
    """How a tool's stars and commits moved over its history (first -> last known snapshot)."""
    result: dict[str, Any] = {"snapshots": len(history)}
    for column in ("stars", "total_commits"):
        known = history[["snapshot_date", column]].dropna() if column in history else pd.DataFrame()
        if len(known) < 2:
            result[column] = "no trend (fewer than two snapshots)"
            continue
        first, last = known.iloc[0], known.iloc[-1]
        change = int(last[column]) - int(first[column])
        result[column] = (
            f"{int(first[column]):,} on {first['snapshot_date']} -> {int(last[column]):,} on "
            f"{last['snapshot_date']} ({change:+,})"
        )
    return result
