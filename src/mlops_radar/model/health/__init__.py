"""Community-health metrics (CHAOSS, OpenSSF) from a repository's `github.health` record.

One metric per module over a shared base (`base.py`: the typed history, the snapshot's moment,
median, nearest-rank percentile, the 50% rule); `health_metrics(record, snapshot_date)` computes
them all. Pure: no I/O, no clock. Definitions and their sources: docs/health.md.
"""

from mlops_radar.model.health.metrics import METRIC_KEYS, HealthMetrics, health_metrics

__all__ = ["METRIC_KEYS", "HealthMetrics", "health_metrics"]
