"""The `licenses.detected` fact set: what the license files say, for repositories whose license
GitHub could not identify, detected after the GitHub source fetched their texts (same run)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_radar.sources.factsets import FactSet

__all__ = ["DETECTED", "LicensesDetected"]


@dataclass(frozen=True, slots=True)
class LicensesDetected:
    """A repository's license as detected in its license files (None: unknown)."""

    license_detected: str | None = None  # SPDX expression; None: files read, no license found
    license_detected_score: float | None = None  # 0..1, the weakest match behind it
    license_detector: str | None = None  # "scancode 32.5.0"
    license_detected_file: str | None = None  # the file the first evidence is in
    license_evidence: list[Any] | None = None  # [{path, start_line, end_line, expression, ...}]


DETECTED = FactSet("licenses.detected", LicensesDetected, source="licenses")
