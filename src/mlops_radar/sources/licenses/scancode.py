"""ScanCode toolkit (`scancode-toolkit-mini`) as a detector: the default (see docs/licenses.md).

ScanCode matches a text against its license index (texts, notices, references, SPDX tags, about
40,000 rules), gives each match a score, its line range and its rule, and converts its license
keys to SPDX (unlisted ones as `LicenseRef-scancode-...`). This module keeps what matters for a
repository's license: matches of licenses, ScanCode's "dual-licensed" reference (a choice marker)
and its "commercial license" clue (a commercial option); other clues, introductions and unknown
references say nothing about which license it is and are dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import warnings
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from mlops_radar.sources.licenses import scancode_candidates
from mlops_radar.sources.licenses.records import Finding

__all__ = ["ScanCodeDetector", "alignment", "load", "load_fast", "load_plain"]

# Our names for the ScanCode keys that mean the same as the project's LicenseRefs.
_OUR_REFS = {
    "LicenseRef-scancode-commercial-license": "LicenseRef-Commercial",
    "LicenseRef-scancode-proprietary-license": "LicenseRef-Proprietary",
}
_CHOICE_RULE = "dual-licens"  # ScanCode's unknown-license-reference_dual-licensed rule
_COMMERCIAL_KEY = "commercial-license"
_WHOLE = 0.8  # below this share of a rule matched, the rule's license is not said
# Approximate matching of one long run of unusual text can take minutes (its candidate ranking
# does not look at the deadline): longer texts, no single license anyway (the longest common
# ones, GPL-3.0 and AGPL-3.0, are about 35,000 characters), get ScanCode's exact matchers only.
APPROXIMATE_MAX_CHARS = 98_304
DEADLINE_S = 20.0  # ScanCode's own per-text deadline: it answers what it matched by then
EXACT_LEFT_TOKENS = 10  # scancode-fast: benchmarked at 5, 10, 20 (all right) and 40 (wrong)
_REMEMBERED = 4096  # texts whose findings are kept: the same LICENSE recurs across repositories
_EXACT_MATCHERS = frozenset({"1-hash", "1-spdx-id", "2-aho"})  # ScanCode's word-for-word ones


class ScanCodeDetector:
    """ScanCode's license index, loaded once (a few seconds; the index is cached on disk).

    `exact_first` (the `scancode-fast` detector) tries ScanCode's exact matchers alone first and
    runs its approximate matching, the slow part, only when more than `EXACT_LEFT_TOKENS`
    legal words stay unmatched (ScanCode itself goes on when any is), or for a cut text. It
    reads ScanCode's query internals, so it is an option measured by the benchmark, not the
    default.

    `accelerate` (on unless the `scancode-plain` detector is asked for) selects the candidates
    of ScanCode's approximate matching through `scancode_candidates`: the same matches for
    5.3-7.7x less CPU time with cyseq (docs/licenses.md), on the ScanCode versions that route
    was verified on (elsewhere it is ScanCode's own route; `accelerated` says which).

    The sequence alignment that follows is ScanCode's too: it takes `cyseq`, its authors'
    compiled copy of `licensedcode.seq`, when that is installed (the `licenses` extra brings
    it), else its pure-Python one; the same matches either way. `alignment` says which.
    """

    name = "scancode"

    def __init__(self, *, exact_first: bool = False, accelerate: bool = True) -> None:
        with warnings.catch_warnings():
            # typecode warns at import that it uses the system's libmagic: true and harmless.
            warnings.simplefilter("ignore")
            from licensedcode import query
            from licensedcode.cache import get_index

            self._index = get_index()
        self._query = query
        self._exact_first = exact_first
        self._tables = None
        if accelerate and scancode_candidates.available():
            # an index not shaped as in the verified release keeps ScanCode's own route
            with contextlib.suppress(AttributeError, TypeError, ValueError):
                self._tables = scancode_candidates.CandidateTables(self._index)
        if exact_first:
            self.name = "scancode-fast"
        elif not accelerate:
            self.name = "scancode-plain"
        self.version = f"scancode-toolkit {version('scancode-toolkit-mini')}"
        self._seen: dict[bytes, list[Finding]] = {}

    def findings(self, text: str, *, partial: bool = False) -> list[Finding]:
        digest = hashlib.sha256(text.encode("utf-8", errors="replace")).digest()
        if partial:  # scancode-fast reads a cut text otherwise
            digest = hashlib.sha256(digest + b"cut").digest()
        if digest in self._seen:
            return list(self._seen[digest])
        matches = None
        if len(text) > APPROXIMATE_MAX_CHARS:
            matches = self._exact(text, always=True)
        elif self._exact_first and not partial:
            matches = self._exact(text)
        if matches is None:
            deadline = time.time() + DEADLINE_S
            with scancode_candidates.accelerated(self._tables):
                matches = self._index.match(query_string=text, deadline=deadline)
        found = [f for f in map(_finding, matches) if f is not None]
        if len(self._seen) >= _REMEMBERED:
            self._seen.pop(next(iter(self._seen)))
        self._seen[digest] = found
        return list(found)

    @property
    def accelerated(self) -> bool:
        """Whether approximate matching takes the faster candidate route (same matches)."""
        return self._tables is not None

    @property
    def alignment(self) -> str:
        """Which of ScanCode's sequence alignments its matching takes (it chooses, not us)."""
        return alignment()

    def forget(self) -> None:
        """Drop the texts remembered so far (the benchmark measures every file)."""
        self._seen.clear()

    def _exact(self, text: str, *, always: bool = False) -> list[Any] | None:
        """ScanCode's exact matches; None when they leave too much to approximate matching
        (unless `always`)."""
        if not text.strip():
            return []
        qry = self._query.build_query(
            query_string=text, idx=self._index, text_line_threshold=15, bin_line_threshold=50
        )
        if qry is None:
            return []
        matches: list[Any] = self._index.match_query(qry, approximate=False)
        whole = [m.qspan for m in matches if m.coverage() == 100]
        left = qry.whole_query_run().is_matchable(include_low=False, qspans=whole)
        if always:
            return matches
        return None if left and len(left) > EXACT_LEFT_TOKENS else matches


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
    exact = match.matcher in _EXACT_MATCHERS and match.coverage() == 100
    return Finding(
        spdx, score, start, end, "license", rule.identifier, full_text=whole, exact=exact
    )


def alignment() -> str:
    """`cyseq VERSION` when ScanCode's matching can import it (it tries on every match), else
    `Python`: `licensedcode.match_seq` falls back to its pure-Python `licensedcode.seq`."""
    try:
        import cyseq  # noqa: F401
    except ImportError:
        return "Python"
    try:
        return f"cyseq {version('cyseq')}"
    except PackageNotFoundError:
        return "cyseq"


def load() -> ScanCodeDetector:
    return ScanCodeDetector()


def load_fast() -> ScanCodeDetector:
    return ScanCodeDetector(exact_first=True)


def load_plain() -> ScanCodeDetector:
    """ScanCode's own candidate route: the benchmark's baseline for the accelerated one."""
    return ScanCodeDetector(accelerate=False)
