"""The model's ranking of one stage or category of a snapshot, with the tools' packages: what
`advise` shortlists from (the store and the model are called as `rank` calls them)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import pandas as pd

from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.mapping import PackageMapping
from mlops_radar.advise.tools import snapshot_mappings
from mlops_radar.app import assessment
from mlops_radar.model import Policy, score
from mlops_radar.model.config import default_rings, default_weights, weights_from_toml
from mlops_radar.model.license_classes import classify
from mlops_radar.model.weights import Weights
from mlops_radar.store import Store

__all__ = ["RankedGroup", "adoption_weights", "ranked_group", "rescored", "with_license_families"]

_FACTS = ("last_commit_at", "closed_issues", "open_issues", "releases_last_year", "stars")


@dataclass(frozen=True, slots=True)
class RankedGroup:
    """One group of the model's frame, and what advise needs beside it."""

    name: str
    grouping: str  # "stage" or "category"
    date: date
    snapshot: dict[str, Any]
    frame: pd.DataFrame  # Scored.frame rows of the group
    mappings: dict[str, PackageMapping]  # lower-case tool name -> mapping
    facts: dict[str, dict[str, Any]]  # lower-case tool name -> checklist facts
    table: pd.DataFrame | None = None  # the snapshot's whole input table (for a re-scoring)
    policy: Policy | None = None
    collected: frozenset[str] | None = None  # the fact columns the snapshot's sources collect
    license_data: Any = None  # the SPDX list data the families were classified with


def _plain(value: Any) -> Any:
    """A table value as plain Python: None for unknown, datetime, int or float."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _facts(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    present = [c for c in _FACTS if c in table.columns]
    rows = table[["tool", *present]].to_dict("records")
    return {str(r["tool"]).lower(): {k: _plain(r[k]) for k in present} for r in rows}


def ranked_group(
    db_url: str | None, ref: str, policy: str, stage: str | None, category: str | None
) -> RankedGroup:
    """The scored rows of `stage` (or `category`) in snapshot `ref`, with the tools' packages."""
    grouping, wanted = ("stage", stage) if stage is not None else ("category", category)
    assert wanted is not None
    chosen = assessment.policy(policy)
    with Store.open(db_url) as store:
        loaded = assessment.load(store, ref)
        info, table = loaded.info, loaded.table
        mappings = {k: m for k, (_, m) in snapshot_mappings(store, info.id).items()}
    frame = assessment.scored(loaded, chosen, default_weights(), grouping).frame
    data = loaded.license_data
    if data is None:
        from mlops_radar.sources.licenses import load_license_data

        data = load_license_data()
    frame = with_license_families(frame, data)
    groups = sorted({str(g) for g in frame["group"].dropna()})
    name = next((g for g in groups if g.lower() == wanted.lower()), None)
    if name is None:
        raise AdviseError(
            f"{grouping} {wanted!r}: not in snapshot {info.id}; known: {', '.join(groups)}"
        )
    snapshot = {"id": int(info.id), "date": info.snapshot_date.isoformat()}
    return RankedGroup(
        name,
        grouping,
        info.snapshot_date,
        snapshot,
        frame[frame["group"] == name],
        mappings,
        _facts(table),
        table,
        chosen,
        loaded.collected,
        data,
    )


def with_license_families(frame: pd.DataFrame, data: Any) -> pd.DataFrame:
    """`frame` with `license_family`: the model's family (`model.license_classes.Family` value)
    of each resolved license expression, None where no license is resolved; `data` is the SPDX
    list data (`sources.licenses.load_license_data()`)."""
    licenses = frame["license"] if "license" in frame.columns else pd.Series(None, frame.index)
    known = {v: classify(v, data).family.value for v in licenses.dropna().unique()}
    families = [known.get(v) if isinstance(v, str) else None for v in licenses]
    return frame.assign(license_family=pd.Series(families, index=frame.index, dtype=object))


def adoption_weights() -> Weights:
    """The shipped weights with the adoption-cost dimension (advise/data/adoption_weights.toml)."""
    text = resources.files("mlops_radar.advise").joinpath("data/adoption_weights.toml")
    return weights_from_toml(text.read_text(encoding="utf-8"), source="adoption_weights.toml")


def rescored(
    group: RankedGroup, costs: Mapping[str, tuple[float | None, float | None]]
) -> RankedGroup:
    """`group` scored again with the adoption-cost signals: `costs` maps a lower-case tool name
    to (no lock-in 1/0, packages) from advise's checks; tools without them have them unknown."""
    assert group.table is not None
    assert group.policy is not None
    table = group.table.copy()
    names = table["tool"].astype(str).str.lower()
    for index, column in enumerate(("advise_no_lock_in", "advise_packages")):
        values = [costs.get(n, (None, None))[index] for n in names]
        table[column] = pd.array(values, dtype="Float64")
    scored = score(
        table,
        group.date,
        group.policy,
        adoption_weights(),
        default_rings(),
        grouping=group.grouping,
        collected=None
        if group.collected is None
        else group.collected | {"advise_no_lock_in", "advise_packages"},
    )
    frame = with_license_families(scored.frame, group.license_data)
    return dataclasses.replace(group, frame=frame[frame["group"] == group.name])
