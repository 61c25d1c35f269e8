"""A repository's license from its license files: one SPDX expression, a score, the evidence.

Per file, the detector's findings become one expression: the licenses it matched (full texts win
over references and tags found in the same file, which only repeat them), joined by AND; by OR
when the detector found a dual-licensing statement, or with `LicenseRef-Commercial` when it found
a commercial option. Across files, the files' expressions are joined by AND (two licenses in two
files both apply unless a file says otherwise) and simplified (the same license twice is once).
A file in which nothing is recognised adds nothing; when no file adds anything the answer is
unknown (`Detection.expression` None), never a guess.

A cut text (capped, or truncated by GitHub) keeps only whole license texts, and the license its
first lines name exactly (`OPENING_LINES`: a title such as "Apache License Version 2.0"): the
rest of its matches are fragments of what the missing tail would have shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from license_expression import ExpressionError, Licensing

from mlops_radar.sources.licenses.detector import Detector, load_detector
from mlops_radar.sources.licenses.records import Detection, Evidence, FileProblem, Finding
from mlops_radar.sources.licenses.texts import LicenseText, license_texts

__all__ = ["COMMERCIAL", "MIN_SCORE", "detect", "detect_with", "file_expression"]

MIN_SCORE = 0.8  # matches below this say too little to name a license
COMMERCIAL = "LicenseRef-Commercial"
_LICENSING = Licensing()
_DEFAULT: list[Detector] = []
# The SPDX text of the LGPL-3.0 holds the GPL-3.0's (the LGPL is additional permissions on it), and
# LGPL projects ship both (COPYING, COPYING.LESSER): the GPL-3.0 text found beside it says no more.
_INCLUDES = {"LGPL-3.0-only": "GPL-3.0-only", "LGPL-3.0-or-later": "GPL-3.0-or-later"}
_PARTIAL = frozenset({"capped", "truncated"})
# A cut text whose first lines name one license (a title: "Apache License Version 2.0") is taken
# for that license's text, cut: its tail, where the rest would be matched, is missing.
OPENING_LINES = 5


def _join(expressions: Iterable[str], operator: str) -> str | None:
    parts = list(dict.fromkeys(expressions))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    try:
        joined = _LICENSING.parse(f" {operator} ".join(f"({p})" for p in parts))
    except ExpressionError:
        return f" {operator} ".join(f"({p})" for p in parts)
    return str(joined.simplify())


def _kept(findings: list[Finding], partial: bool) -> list[Finding]:
    licenses = [f for f in findings if f.role == "license" and f.expression]
    licenses = [f for f in licenses if f.score >= MIN_SCORE]
    texts = {f.expression for f in licenses if f.full_text}
    opening = _opening(licenses) if partial else []
    if partial or texts:
        # a whole text's short matches repeat it; a cut text's are fragments of what it held.
        # A title naming a license whose text holds the one matched (LGPL-3.0) still counts.
        licenses = [
            f
            for f in licenses
            if f.full_text or _INCLUDES.get(f.expression or "") in texts or f in opening
        ]
    markers = [f for f in findings if f.role != "license"]  # phrases: a score says little
    return sorted(licenses + markers, key=lambda f: (f.start_line, f.end_line))


def _opening(licenses: list[Finding]) -> list[Finding]:
    """The finding that opens a cut text, when it is an exact match (a title, a tag) of one
    license within `OPENING_LINES`; a partial match there may be another license's beginning."""
    if not licenses:
        return []
    first = min(licenses, key=lambda f: (f.start_line, -f.end_line))
    if not first.exact or first.start_line > OPENING_LINES:
        return []
    rivals = {f.expression for f in licenses if f.start_line == first.start_line}
    return [first] if len(rivals) == 1 else []


def _without_included(expressions: list[str]) -> list[str]:
    return [e for e in expressions if not any(_INCLUDES.get(o) == e for o in expressions)]


def file_expression(
    findings: list[Finding], *, partial: bool = False
) -> tuple[str | None, list[Finding]]:
    """One file's expression from its findings (`partial`: a cut text), and those behind it."""
    kept = _kept(findings, partial)
    licenses = [f.expression for f in kept if f.role == "license" and f.expression]
    licenses = _without_included(licenses)
    if not licenses:
        return None, []
    roles = {f.role for f in kept}
    if "commercial" in roles:
        return _join([_join(licenses, "AND") or "", COMMERCIAL], "OR"), kept
    return _join(licenses, "OR" if "choice" in roles else "AND"), kept


def _evidence(path: str, finding: Finding, detector: Detector) -> Evidence:
    return Evidence(
        path,
        finding.start_line,
        finding.end_line,
        finding.expression,
        finding.score,
        finding.role,
        finding.rule,
        detector.name,
        detector.version,
    )


def detect_with(detector: Detector, files: Iterable[Mapping[str, Any]]) -> Detection | None:
    """The repository's license by `detector`; None when it has no candidate license file."""
    texts, problems = license_texts(files)
    if not texts and not problems:
        return None
    expressions: list[str] = []
    evidence: list[Evidence] = []
    partial = {p.path for p in problems if p.problem in _PARTIAL}
    for item in texts:
        cut = item.path in partial
        found = _file_findings(detector, item, problems, cut)
        expression, kept = file_expression(found, partial=cut)
        if expression is not None:
            expressions.append(expression)
            evidence += [_evidence(item.path, f, detector) for f in kept]
    expression = _join(_without_included(expressions), "AND")
    scores = [e.score for e in evidence if e.role == "license"]
    return Detection(
        expression=expression,
        score=min(scores) if expression is not None and scores else None,
        detector=detector.name,
        detector_version=detector.version,
        evidence=tuple(evidence),
        files=tuple(t.path for t in texts) + tuple(dict.fromkeys(p.path for p in problems)),
        problems=tuple(problems),
    )


def _file_findings(
    detector: Detector, item: LicenseText, problems: list[FileProblem], partial: bool
) -> list[Finding]:
    try:
        return detector.findings(item.text, partial=partial)
    except Exception as exc:  # a library's failure on one untrusted text is that file's problem
        problems.append(FileProblem(item.path, "detector failed", type(exc).__name__))
        return []


def detect(
    files: Iterable[Mapping[str, Any]], detector: Detector | None = None
) -> Detection | None:
    """`detect_with` the given detector, or the default one loaded once for the process."""
    if detector is None:
        if not _DEFAULT:
            _DEFAULT.append(load_detector())
        detector = _DEFAULT[0]
    return detect_with(detector, files)
