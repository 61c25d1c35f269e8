"""ScanCode toolkit (`scancode-toolkit-mini`) as a detector: the default (see docs/licenses.md).

ScanCode matches a text against its license index (texts, notices, references, SPDX tags, about
40,000 rules), gives each match a score, its line range and its rule, and converts its license
keys to SPDX (unlisted ones as `LicenseRef-scancode-...`). This module keeps what matters for a
repository's license: matches of licenses, ScanCode's "dual-licensed" reference (a choice marker)
and its "commercial license" clue (a commercial option); other clues, introductions and unknown
references say nothing about which license it is and are dropped.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from importlib.metadata import version
from typing import Any

from mlops_radar.sources.licenses.records import Finding

__all__ = ["ScanCodeDetector", "load"]

# Our names for the ScanCode keys that mean the same as the project's LicenseRefs.
_OUR_REFS = {
    "LicenseRef-scancode-commercial-license": "LicenseRef-Commercial",
    "LicenseRef-scancode-proprietary-license": "LicenseRef-Proprietary",
}
_CHOICE_RULE = "dual-licens"  # ScanCode's unknown-license-reference_dual-licensed rule
_COMMERCIAL_KEY = "commercial-license"
_WHOLE = 0.8  # below this share of a rule matched, the rule's license is not said
DEADLINE_S = 20.0  # ScanCode's own per-text deadline: it answers what it matched by then
_REMEMBERED = 4096  # texts whose findings are kept: the same LICENSE recurs across repositories


class ScanCodeDetector:
    """ScanCode's license index, loaded once (a few seconds; the index is cached on disk)."""

    name = "scancode"

    def __init__(self) -> None:
        with warnings.catch_warnings():
            # typecode warns at import that it uses the system's libmagic: true and harmless.
            warnings.simplefilter("ignore")
            from licensedcode.cache import get_index
            from licensedcode.detection import detect_licenses

            self._index = get_index()
        self._detect = detect_licenses
        self.version = f"scancode-toolkit {version('scancode-toolkit-mini')}"
        self._seen: dict[bytes, list[Finding]] = {}

    def findings(self, text: str) -> list[Finding]:
        digest = hashlib.sha256(text.encode("utf-8", errors="replace")).digest()
        if digest in self._seen:
            return list(self._seen[digest])
        found = []
        deadline = time.time() + DEADLINE_S
        for detection in self._detect(index=self._index, query_string=text, deadline=deadline):
            for match in detection.matches:
                finding = _finding(match)
                if finding is not None:
                    found.append(finding)
        if len(self._seen) >= _REMEMBERED:
            self._seen.pop(next(iter(self._seen)))
        self._seen[digest] = found
        return list(found)


def _finding(match: Any) -> Finding | None:
    rule = match.rule
    start, end = match.lines()
    score = float(match.score()) / 100
    key = str(rule.license_expression)
    if _COMMERCIAL_KEY in key and (rule.is_license_clue or score < _WHOLE):
        # "a commercial license" said in passing, or a rule about one matched in part
        return Finding(None, score, start, end, "commercial", rule.identifier)
    if rule.is_license_clue:
        return None
    if "unknown" in key:
        if _CHOICE_RULE in rule.identifier:
            return Finding(None, score, start, end, "choice", rule.identifier)
        return None
    if rule.is_license_intro:
        return None
    spdx = str(rule.spdx_license_expression())
    for theirs, ours in _OUR_REFS.items():
        spdx = spdx.replace(theirs, ours)
    # ScanCode's own test for a whole license text (index.py, match_query), on the matched part
    whole = bool(rule.is_license_text) or (rule.length > 120 and match.coverage() > 90)
    return Finding(spdx, score, start, end, "license", rule.identifier, full_text=whole)


def load() -> ScanCodeDetector:
    return ScanCodeDetector()
