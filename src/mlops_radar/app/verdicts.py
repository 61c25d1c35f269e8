"""The maturity model's verdict for every tool of a snapshot, one per tool, for exports.

The model scores each (tool, group); an export has one row per tool, so each tool gets the
verdict of its first category (the group its list put it in first), or of its first group when
it has none. Status and tier are the tool's whatever the group.
"""

from __future__ import annotations

from mlops_radar.app.assessment import load, policy, scored, weights
from mlops_radar.model.ranking import tool_scores
from mlops_radar.model.results import ToolScore
from mlops_radar.store import Store

__all__ = ["tool_verdicts"]


def tool_verdicts(
    store: Store,
    ref: str | int = "latest",
    *,
    policy_name: str = "radar",
    reviews: str | None = None,
) -> list[ToolScore | None]:
    """One verdict per tool of snapshot `ref`, in the snapshot's tool order (None: not scored)."""
    loaded = load(store, ref, reviews)
    result = scored(loaded, policy(policy_name), weights(None), "category")
    frame = result.frame
    first_category = [
        (next(iter(c)) if c is not None and len(c) else None) for c in loaded.table["categories"]
    ]
    chosen: dict[int, int] = {}
    for position, (row, group) in enumerate(zip(frame["row"], frame["group"], strict=True)):
        row = int(row)
        if row not in chosen or group == first_category[row]:
            if row in chosen and frame["group"].iloc[chosen[row]] == first_category[row]:
                continue
            chosen[row] = position
    rows = sorted(chosen)
    scores = tool_scores(result, [chosen[r] for r in rows]) if rows else []
    found: dict[int, ToolScore] = dict(zip(rows, scores, strict=True))
    return [found.get(i) for i in range(len(loaded.table))]
