"""The detector interface: one object per run, loaded once, that finds licenses in a text.

Implementations (one module each): `scancode` (ScanCode toolkit, the default; `scancode-fast`
its exact-matches-first option; `scancode-plain` ScanCode's own candidate route, the benchmark's
baseline), `askalono` (pyaskalono) and `licenseid`. `load_detector(name)`
imports and loads one; the library behind it is imported only then, so an extra that is not
installed costs nothing until it is asked for.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from mlops_radar.errors import SourceError
from mlops_radar.sources.licenses.records import Finding

__all__ = ["DEFAULT_DETECTOR", "DETECTORS", "Detector", "DetectorError", "load_detector"]

DEFAULT_DETECTOR = "scancode"
# name -> (module below this package, the distribution to install, the module's loader)
DETECTORS = {
    "scancode": ("scancode", "scancode-toolkit-mini", "load"),
    "scancode-fast": ("scancode", "scancode-toolkit-mini", "load_fast"),
    "scancode-plain": ("scancode", "scancode-toolkit-mini", "load_plain"),
    "askalono": ("askalono_detector", "pyaskalono", "load"),
    "licenseid": ("licenseid_detector", "licenseid", "load"),
}


class DetectorError(SourceError):
    """A detector cannot be loaded (not installed, its data missing) or failed on a text."""


class Detector(Protocol):
    """Finds licenses in one text. Loading (indexes, databases) happens in the constructor."""

    name: str
    version: str  # the library's version (and its license data's, where it says)

    def findings(self, text: str, *, partial: bool = False) -> list[Finding]:
        """Every match in `text`, in no particular order; [] when nothing is recognised.
        `partial`: the text was cut (capped, truncated by GitHub)."""
        ...


def load_detector(name: str = DEFAULT_DETECTOR) -> Detector:
    """The detector called `name`, loaded (seconds for ScanCode: call once per run)."""
    if name not in DETECTORS:
        raise DetectorError(f"unknown license detector {name!r}; choose one of {sorted(DETECTORS)}")
    module_name, distribution, loader = DETECTORS[name]
    try:
        module = importlib.import_module(f"mlops_radar.sources.licenses.{module_name}")
        detector: Detector = getattr(module, loader)()
    except ImportError as exc:
        raise DetectorError(
            f"license detector {name!r} needs the package {distribution!r}: pip install "
            f"{distribution} ({exc})"
        ) from exc
    return detector
