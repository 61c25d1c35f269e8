"""How a snapshot's licenses are distributed: as GitHub reports them, and as resolved (GitHub's
identification, then a person's review, then detection in the license files), with each
resolved license's class (issue 11, item 4). Pure: the tables and the SPDX list data passed in."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mlops_radar.model.columns import number, text
from mlops_radar.model.license_classes import LicenseClass, LicenseData, classify

__all__ = ["Detected", "LicenseShare", "LicenseSummary", "license_summary"]

NONE = "(none)"


@dataclass(frozen=True, slots=True)
class LicenseShare:
    """One license's count and share of the snapshot's repositories."""

    license: str
    count: int
    share: float
    license_class: LicenseClass | None = None  # for resolved licenses


@dataclass(frozen=True, slots=True)
class Detected:
    """A license GitHub could not identify, found in the repository's license files."""

    tool: str
    repo: str | None
    spdx: str | None
    score: float | None
    detector: str | None
    evidence: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class LicenseSummary:
    reported: tuple[LicenseShare, ...]  # by GitHub's name ("Other" included); shares sum to 1
    resolved: tuple[LicenseShare, ...]  # after reviews and detection; shares sum to 1
    from_other: tuple[Detected, ...]
    manual: tuple[LicenseShare, ...] = ()  # the study's hand analysis, where the snapshot has one


def _shares(values: list[str], data: LicenseData | None = None) -> tuple[LicenseShare, ...]:
    counts = Counter(values)
    total = sum(counts.values())
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(
        LicenseShare(name, n, n / total if total else 0.0,
                     classify(name, data) if data is not None and name != NONE else None)
        for name, n in ordered
    )  # fmt: skip


def license_summary(
    table: pd.DataFrame, qualified: pd.DataFrame, data: LicenseData | None
) -> LicenseSummary:
    """`table`: the model's input (one row per tool); `qualified`: `qualify`'s frame for it.
    Only tools with a repository count (a website has no license to report)."""
    has_repo = table["repo"].map(lambda r: isinstance(r, str) and bool(r)).to_numpy()
    names = text(table, "license_name").to_numpy()
    spdx = text(table, "license_spdx").to_numpy()
    reported = [
        str(n or s or NONE) for n, s, keep in zip(names, spdx, has_repo, strict=True) if keep
    ]
    resolved_ids = qualified["license"].to_numpy()
    resolved = [
        str(r) if isinstance(r, str) and r else NONE
        for r, keep in zip(resolved_ids, has_repo, strict=True)
        if keep
    ]
    manual = [m for m, keep in zip(text(table, "license_manual"), has_repo, strict=True) if keep]
    found = text(table, "license_detected").to_numpy()
    scores = number(table, "license_detected_score").to_numpy()
    detectors = text(table, "license_detector").to_numpy()
    evidence = table["license_evidence"] if "license_evidence" in table.columns else None
    other = []
    for i in range(len(table)):
        if found[i] is None:
            continue
        repo = table["repo"].iat[i]
        proof = evidence.iat[i] if evidence is not None else None
        other.append(
            Detected(
                str(table["tool"].iat[i]), repo if isinstance(repo, str) else None, found[i],
                None if pd.isna(scores[i]) else float(scores[i]), detectors[i],
                tuple(proof) if isinstance(proof, list | tuple) else (),
            )
        )  # fmt: skip
    return LicenseSummary(
        reported=_shares(reported),
        resolved=_shares(resolved, data),
        from_other=tuple(other),
        manual=_shares([m for m in manual if m]) if any(manual) else (),
    )
