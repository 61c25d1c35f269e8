"""mlops-radar: which open-source MLOps tools are mature enough to adopt, and why.

Stages, data flowing one way: `catalog` -> `sources` -> `store` -> `model` -> `report` (+ `advise`).
For notebooks, `mlops_radar.open(db_url)` gives pandas DataFrames of snapshots, facts, scores and
history (see `mlops_radar.api`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0.dev0"
__all__ = ["__version__", "open"]

if TYPE_CHECKING:
    from mlops_radar.api import open


def __getattr__(name: str) -> Any:
    # `open` is loaded on first use, so `import mlops_radar` (and the CLI's start) stays light.
    if name == "open":
        from mlops_radar.api import open as open_database

        return open_database
    raise AttributeError(f"module 'mlops_radar' has no attribute {name!r}")
