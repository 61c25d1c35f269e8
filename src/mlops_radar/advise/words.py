"""Moved: the advise stage's words are in `mlops_radar.report.advice` (words belong to report/).
This name is kept so that existing imports go on working."""

from __future__ import annotations

from mlops_radar.report.advice import candidate_json, checklist, stack_lines, verdict

__all__ = ["candidate_json", "checklist", "stack_lines", "verdict"]
