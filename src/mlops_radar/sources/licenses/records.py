"""What license detection gives: a finding in one text, evidence, a repository's detection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Detection", "Evidence", "FileProblem", "Finding", "Role"]

#: What a finding says: a license, a "dual-licensed"/"either" choice marker, or a commercial option.
Role = Literal["license", "choice", "commercial"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One match a detector reports in one text (lines are 1-based, inclusive)."""

    expression: str | None  # SPDX expression of a "license" finding; None for markers
    score: float  # 0..1, the detector's own measure of the match
    start_line: int
    end_line: int
    role: Role = "license"
    rule: str | None = None  # the detector's rule or template that matched
    full_text: bool = False  # the match is a license's text, not a reference, notice or tag
    exact: bool = False  # the detector's rule matched whole, word for word (a title, a tag)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a detection says what it says: which file, which lines, which detector."""

    path: str
    start_line: int
    end_line: int
    expression: str | None  # what these lines say (None: a choice or commercial marker)
    score: float
    role: Role
    rule: str | None
    detector: str
    detector_version: str


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A candidate file that could not be read whole: capped, not UTF-8, binary, missing."""

    path: str
    problem: Literal[
        "capped", "not utf-8", "binary", "truncated", "no text", "skipped", "detector failed"
    ]
    detail: str | None = None  # e.g. the byte cap, or the collector's reason for skipping


@dataclass(frozen=True, slots=True)
class Detection:
    """A repository's license as its license files say it.

    `expression` is None when the files were read but hold no license a detector recognises
    (unknown: never a guess). `score` is the weakest match behind the expression (0..1).
    """

    expression: str | None
    score: float | None
    detector: str
    detector_version: str
    evidence: tuple[Evidence, ...]
    files: tuple[str, ...]  # the candidate files examined
    problems: tuple[FileProblem, ...] = ()

    @property
    def known(self) -> bool:
        return self.expression is not None
