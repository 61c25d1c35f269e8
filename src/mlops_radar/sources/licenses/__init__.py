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

import importlib
from typing import Any

#: Name -> the module it comes from; imported on first use, so importing the fact set
#: (`sources.licenses.factset`, read by the registry on every command) costs nothing.
_FROM = {
    "COMMERCIAL": "detection", "detect": "detection", "detect_with": "detection",
    "DEFAULT_DETECTOR": "detector", "DETECTORS": "detector", "Detector": "detector",
    "DetectorError": "detector", "load_detector": "detector",
    "load_license_data": "listdata",
    "Detection": "records", "Evidence": "records", "FileProblem": "records", "Finding": "records",
    "MAX_TEXT_BYTES": "texts", "is_candidate": "texts", "license_texts": "texts",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


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
