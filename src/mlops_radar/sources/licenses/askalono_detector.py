"""askalono (`pyaskalono`) as a detector: one best-matching SPDX license per text, with a score.

askalono's Python binding answers the single closest license of its SPDX store (Sørensen-Dice
over word bigrams); it gives no line range, so a finding spans the whole text. Below
`MIN_SCORE` its answer is no finding (askalono always names some license).
"""

from __future__ import annotations

from importlib.metadata import version

from mlops_radar.sources.licenses.records import Finding

__all__ = ["MIN_SCORE", "AskalonoDetector", "load"]

MIN_SCORE = 0.8  # askalono's CLI reports "confident" matches from 0.8 up


class AskalonoDetector:
    """askalono's embedded SPDX store (loaded by the binding on first use)."""

    name = "askalono"

    def __init__(self) -> None:
        import askalono

        self._identify = askalono.identify
        self._identify("warm up: load the store")
        self.version = f"pyaskalono {version('pyaskalono')}"

    def findings(self, text: str, *, partial: bool = False) -> list[Finding]:
        if not text.strip():
            return []
        found = self._identify(text)
        score = float(found.score)
        if score < MIN_SCORE:
            return []
        lines = text.count("\n") + 1
        return [Finding(str(found.name), score, 1, lines, "license", None, full_text=True)]


def load() -> AskalonoDetector:
    return AskalonoDetector()
