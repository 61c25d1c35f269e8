"""mlops-radar: which open-source MLOps tools are mature enough to adopt, and why.

Stages, data flowing one way: `catalog` -> `sources` -> `store` -> `model` -> `report` (+ `advise`).
For notebooks, `mlops_radar.open(db_url)` gives pandas DataFrames of snapshots, facts, scores and history.
"""

from __future__ import annotations

__version__ = "0.1.0.dev0"
__all__ = ["__version__"]
