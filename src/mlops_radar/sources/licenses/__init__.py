"""License detection from a repository's license files (issue 11's detection part).

    from mlops_radar.sources.licenses import detect, load_detector

    detector = load_detector()                 # once per run: ScanCode loads its index
    found = detect(record.files, detector)     # record: a `github.files` fact set record
    found.expression, found.score, found.evidence

`detect` returns None when the repository has no candidate license file; a `Detection` whose
`expression` is None when the files hold no license a detector recognises (unknown, not a guess).
`load_license_data()` reads the lists `mlops_radar.model.license_classes` classifies with.
"""

from __future__ import annotations

from mlops_radar.sources.licenses.detection import COMMERCIAL, detect, detect_with
from mlops_radar.sources.licenses.detector import (
    DEFAULT_DETECTOR,
    DETECTORS,
    Detector,
    DetectorError,
    load_detector,
)
from mlops_radar.sources.licenses.listdata import load_license_data
from mlops_radar.sources.licenses.records import Detection, Evidence, FileProblem, Finding
from mlops_radar.sources.licenses.texts import MAX_TEXT_BYTES, is_candidate, license_texts

__all__ = [
    "COMMERCIAL",
    "DEFAULT_DETECTOR",
    "DETECTORS",
    "MAX_TEXT_BYTES",
    "Detection",
    "Detector",
    "DetectorError",
    "Evidence",
    "FileProblem",
    "Finding",
    "detect",
    "detect_with",
    "is_candidate",
    "license_texts",
    "load_detector",
    "load_license_data",
]
