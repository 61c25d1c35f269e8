"""Rankings within groups: the one ordering rule, and the typed ranking built column-wise.

The rule (used for the maturity `rank` and for every `rank --by`): in each group, tools that pass
every gate come first; those needing review or failing a gate follow; within each tier by the
ordering value (highest first, unknown last), then completeness, then tool name. So a tool that is
unknown on a gate never outranks its fully known twin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from mlops_radar.errors import ModelError
from mlops_radar.model.explain import explain, gate_results, not_collected, unknown_everywhere
from mlops_radar.model.maturity import Scored, rank_order
from mlops_radar.model.results import Ranking, RankingGroup, Ring, Robustness, Status, ToolScore
from mlops_radar.model.robustness import robustness

__all__ = ["BY_COLUMNS", "find_rows", "rank", "tool_scores"]

#: Orderings: the maturity score or one of the study's measures (a column of the scored frame).
BY_COLUMNS = {"maturity": "score", "attractiveness": "attractiveness", "study-rank": "study_rank"}


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)  # type: ignore[arg-type]


def tool_scores(
    scored: Scored,
    rows: Sequence[int] | np.ndarray,
    ranks: Sequence[int] | np.ndarray | None = None,
    values: np.ndarray | None = None,
    measures: pd.DataFrame | None = None,
) -> list[ToolScore]:
    """Typed results for positional rows of `scored.frame`, built from its columns at once.

    `ranks` default to the frame's maturity rank; `values` (one per row of the frame) is what a
    ranking was ordered by; `measures` is `qualify`'s frame for the same table."""
    rows = np.asarray(rows, dtype=np.int64)
    frame = scored.frame
    gates = gate_results(scored, rows)
    explanations = explain(scored, rows, gates=gates)
    ranks = frame["rank"].to_numpy()[rows] if ranks is None else np.asarray(ranks)
    dims = [c for c in frame.columns if c.startswith("dim:")]
    dim_values = frame[dims].to_numpy(dtype="float64") if dims else np.empty((len(frame), 0))
    columns = {c: frame[c].to_numpy() for c in ("tool", "repo", "group", "status", "ring", "tier")}
    score, completeness = frame["score"].to_numpy(), frame["completeness"].to_numpy()
    positions = frame["row"].to_numpy()
    if measures is not None:
        attractiveness = measures["attractiveness"].to_numpy(dtype="float64")[positions]
        study = measures["study_rank"].to_numpy(dtype="float64")[positions]
    result = []
    for k, i in enumerate(rows):
        repo = columns["repo"][i]
        result.append(
            ToolScore(
                tool=str(columns["tool"][i]),
                repo=repo if isinstance(repo, str) else None,
                group=str(columns["group"][i]),
                rank=int(ranks[k]),
                status=Status(columns["status"][i]),
                ring=Ring(columns["ring"][i]),
                score=float(score[i]),
                completeness=float(completeness[i]),
                tier=int(columns["tier"][i]),
                dimensions={d[4:]: _number(dim_values[i, n]) for n, d in enumerate(dims)},
                explanation=explanations[k],
                gates=gates[k],
                value=None if values is None else _number(values[i]),
                attractiveness=None if measures is None else _number(attractiveness[i]),
                study_rank=None if measures is None else _number(study[i]),
            )
        )
    return result


def rank(
    scored: Scored,
    measures: pd.DataFrame,
    *,
    by: str = "maturity",
    group: str | None = None,
    top: int | None = None,
) -> Ranking:
    """Per group (alphabetical): its tools in the ranking order, the first `top` of each kept
    (all when None), with the group's robustness figure. `measures` is `qualify`'s frame for the
    same table (the study's attractiveness and rank per row)."""
    if by not in BY_COLUMNS:
        raise ModelError(f"unknown ordering {by!r}: use {', '.join(BY_COLUMNS)}")
    frame = scored.frame
    positions = frame["row"].to_numpy()
    if BY_COLUMNS[by] == "score":
        values = frame["score"].to_numpy(dtype="float64")
    else:
        values = measures[BY_COLUMNS[by]].to_numpy(dtype="float64")[positions]
    names = sorted(frame["group"].unique())
    if group is not None:
        matches = [g for g in names if g.lower() == group.lower()]
        if not matches:
            raise ModelError(
                f"no {scored.grouping} {group!r} in this snapshot; known: {', '.join(names)}"
            )
        names = matches
    order = rank_order(frame, values)
    groups_in_order = frame["group"].to_numpy()[order]
    stability = robustness(scored).set_index("group")
    chosen = [order[groups_in_order == name] for name in names]
    kept = [members[: top if top else None] for members in chosen]
    rows = np.concatenate(kept) if kept else np.empty(0, dtype=np.int64)
    ranks = np.concatenate([np.arange(1, len(k) + 1) for k in kept]) if kept else rows
    every = tool_scores(scored, rows, ranks, values=values, measures=measures)
    result = []
    start = 0
    for name, members, shown in zip(names, chosen, kept, strict=True):
        tools = every[start : start + len(shown)]
        start += len(shown)
        figures = stability.loc[name]
        result.append(
            RankingGroup(
                name=str(name),
                tools=tuple(tools),
                total=len(members),
                robustness=Robustness(
                    mean_tau=_number(figures["mean_tau"]),
                    min_tau=_number(figures["min_tau"]),
                    top3_unchanged=float(figures["top3_unchanged"]),
                    spread=scored.spread,
                    draws=scored.draws,
                ),
            )
        )
    return Ranking(
        scored.grouping, by, tuple(result), unknown_everywhere(scored),
        not_collected=not_collected(scored), coverage=scored.coverage,
    )  # fmt: skip


def find_rows(table: pd.DataFrame, name: str) -> list[int]:
    """Positions of the rows whose tool name or repository (owner/name) is `name`, any case."""
    wanted = name.strip().lower()
    tools = table["tool"].astype(str).str.lower().to_numpy()
    repos = table["repo"].map(lambda r: r.lower() if isinstance(r, str) else "").to_numpy()
    return [int(i) for i in np.flatnonzero((tools == wanted) | (repos == wanted))]
