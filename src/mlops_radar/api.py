"""The Python entry point for notebooks: `mlops_radar.open(db_url)` -> `Radar`.

>>> import mlops_radar
>>> radar = mlops_radar.open("radar.sqlite3")
>>> radar.snapshots()                 # one row per snapshot
>>> radar.facts("2021-05-20")         # one row per tool: the model's input table
>>> radar.history("Metaflow")         # one row per snapshot for a tool
>>> radar.scores("latest")            # maturity score, ring, completeness per tool and category
>>> radar.qualify("latest", policy="study")   # gates and the study's measures per tool
>>> radar.ranking("latest", top=3)    # typed results (mlops_radar.model.results)

Frames carry each gate's reason in words (`<gate>_reason`); the typed results carry structured
reasons that `mlops_radar.report.words` puts into words.
"""

from __future__ import annotations

import pandas as pd

from mlops_radar.app import assessment
from mlops_radar.model import GATES, Policy, qualify, score
from mlops_radar.model.changes import SnapshotChanges
from mlops_radar.model.config import default_rings, default_weights
from mlops_radar.model.results import Ranking
from mlops_radar.report.words import gate_words
from mlops_radar.store import SnapshotInfo, Store

__all__ = ["Radar", "open"]


class Radar:
    """A database of snapshots, read as pandas DataFrames."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def snapshots(self) -> pd.DataFrame:
        """One row per snapshot, oldest first (every status; use `status == "complete"`)."""
        return self.store.snapshots()

    def snapshot(self, snapshot: str | int = "latest") -> SnapshotInfo:
        """A complete snapshot by id, date (`YYYY-MM-DD`) or `latest`."""
        return self.store.resolve_snapshot(snapshot)

    def facts(self, snapshot: str | int = "latest") -> pd.DataFrame:
        """The tools and facts of one complete snapshot (the model's input table)."""
        return self.store.tool_facts(self.store.resolve_snapshot(snapshot).id)

    tool_facts = facts

    def history(self, tool: str) -> pd.DataFrame:
        """A tool's facts in every snapshot, by name or owner/name, following renames."""
        return self.store.history(tool)

    def qualify(
        self, snapshot: str | int = "latest", policy: str | Policy = "radar"
    ) -> pd.DataFrame:
        """Per tool: gates with reasons, status, the study's qualifiers, attractiveness and rank.

        `policy` is "radar" (default), "study" (the study's two gates) or a `Policy` object.
        """
        info = self.store.resolve_snapshot(snapshot)
        table = self.store.tool_facts(info.id)
        return _in_words(qualify(table, info.snapshot_date, _policy(policy)))

    def scores(
        self,
        snapshot: str | int = "latest",
        policy: str | Policy = "radar",
        grouping: str = "category",
    ) -> pd.DataFrame:
        """Maturity scores, one row per (tool, category) or (tool, stage): score, dimension scores,
        completeness, ring and rank within the group. Weights and rings are the shipped defaults."""
        info = self.store.resolve_snapshot(snapshot)
        facts = self.store.fact_table(info.id)
        scored = score(
            facts.frame,
            info.snapshot_date,
            _policy(policy),
            default_weights(),
            default_rings(),
            grouping=grouping,
            collected=facts.collected,
        )
        return _in_words(scored.frame)

    def ranking(
        self,
        snapshot: str | int = "latest",
        policy: str | Policy = "radar",
        grouping: str = "category",
        by: str = "maturity",
        top: int | None = None,
    ) -> Ranking:
        """Tools ranked within each group, as typed results (rings, scores, structured reasons)."""
        loaded = assessment.load(self.store, snapshot)
        return assessment.ranking(
            loaded, _policy(policy), default_weights(), grouping=grouping, by=by, top=top
        )

    def changes(
        self, old: str | int, new: str | int = "latest", policy: str | Policy = "radar"
    ) -> SnapshotChanges:
        """What changed between two complete snapshots (activity by `policy`'s rule)."""
        return assessment.changes(self.store, old, new, _policy(policy))

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()

    def __enter__(self) -> Radar:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _policy(policy: str | Policy) -> Policy:
    return assessment.policy(policy)


def _in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each gate's structured reason put into words, for reading in a notebook."""
    for gate in GATES:
        frame[f"{gate}_reason"] = [gate_words(r) for r in frame[f"{gate}_reason"]]
    return frame


def open(db_url: str | None = None) -> Radar:
    """Open a database (None: $MLOPS_RADAR_DB or the default SQLite file)."""
    return Radar(Store.open(db_url))
