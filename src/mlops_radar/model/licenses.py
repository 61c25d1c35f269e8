"""The license gate: is a tool's license OSI-approved, not, or unknown (needs review)?

Resolution order: GitHub's SPDX id; else GitHub's license name mapped to SPDX where unambiguous;
else, when GitHub could not tell ("Other", NOASSERTION, nothing), the study's hand analysis
(`license_manual`), which may name alternatives ("AGPL / Commercial": open source if any alternative
is). Anything still unresolved is unknown, a state of its own: neither a silent pass nor a fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlops_radar.model.columns import number, text
from mlops_radar.model.policy import LicenseCatalog, Policy
from mlops_radar.model.results import GateOutcome, GateReason

PASS, FAIL, UNKNOWN = GateOutcome.PASS, GateOutcome.FAIL, GateOutcome.UNKNOWN

__all__ = [
    "RESOLVED_BY",
    "LicenseVerdict",
    "ResolvedLicense",
    "judge_license",
    "license_verdicts",
    "resolved_licenses",
]

_UNIDENTIFIED = {"noassertion", "other", "none", "unknown"}


#: The license-clarity signal (hygiene) by how the license was resolved.
CLARITY_CLEAR = 1.0  # GitHub identified an OSI-approved license
CLARITY_DETECTED = 0.9  # a detector found one in the license files
CLARITY_REVIEWED = 0.75  # a person's review (the study's hand analysis) says so
CLARITY_UNCLEAR = 0.25  # not resolved: needs review
CLARITY_CLOSED = 0.0  # resolved to a license that is not OSI-approved


@dataclass(frozen=True, slots=True)
class LicenseVerdict:
    """The license gate's answer for one tool."""

    outcome: GateOutcome
    spdx: str | None  # the resolved SPDX id, if any
    reason: GateReason
    clarity: float | None  # the hygiene signal: one of the CLARITY_* values, None: no facts


def _from_github(spdx: str | None, name: str | None, catalog: LicenseCatalog) -> str | None:
    if spdx and spdx.lower() not in _UNIDENTIFIED:
        return spdx
    if name and name.lower() not in _UNIDENTIFIED:
        return catalog.github_names.get(name.lower()) or (
            name if name.lower() in catalog.osi_approved else None
        )
    return None


def _from_manual(manual: str, catalog: LicenseCatalog) -> list[str]:
    found = []
    for part in manual.replace(" or ", "/").split("/"):
        key = part.strip().lower()
        spdx = catalog.manual_names.get(key) or catalog.github_names.get(key)
        if spdx is None and key in catalog.osi_approved:
            spdx = part.strip()
        if spdx:
            found.append(spdx)
    return found


def _accepted(spdx: str, policy: Policy) -> bool:
    key = spdx.lower()
    return key in policy.licenses.osi_approved or key in policy.also_allow


def judge_license(
    spdx: str | None,
    name: str | None,
    manual: str | None,
    policy: Policy,
    reviewer: str | None = None,
    reviewed_on: str | None = None,
    detected: tuple[str | None, float | None, str | None, str | None] | None = None,
) -> LicenseVerdict:
    """The license gate for one combination of the license facts; `reviewer` (and the day) name
    who gave `manual` when it is a review carried from elsewhere, not the snapshot's own."""
    github = _from_github(spdx, name, policy.licenses)
    said = spdx or name
    if github is not None:
        if _accepted(github, policy):
            return LicenseVerdict(PASS, github, GateReason("osi", {"spdx": github}), CLARITY_CLEAR)
        return LicenseVerdict(FAIL, github, GateReason("not_osi", {"spdx": github}), CLARITY_CLOSED)
    if not manual and detected is not None and detected[0]:
        return _judge_detected(said, detected, policy)
    if name and name.lower() not in _UNIDENTIFIED and not manual:
        return LicenseVerdict(
            UNKNOWN, None, GateReason("unrecognised", {"name": name}), CLARITY_UNCLEAR
        )
    if manual:
        facts: dict[str, object] = {"github": said, "manual": manual}
        if reviewer:
            facts.update(by=reviewer, on=reviewed_on)
        candidates = _from_manual(manual, policy.licenses)
        accepted = [c for c in candidates if _accepted(c, policy)]
        if accepted:
            found = GateReason("manual_osi", {**facts, "spdx": accepted[0]})
            return LicenseVerdict(PASS, accepted[0], found, CLARITY_REVIEWED)
        if candidates:
            found = GateReason("manual_not_osi", {**facts, "spdx": candidates[0]})
            return LicenseVerdict(FAIL, candidates[0], found, CLARITY_CLOSED)
        return LicenseVerdict(
            UNKNOWN, None, GateReason("manual_unrecognised", facts), CLARITY_UNCLEAR
        )
    if said:
        return LicenseVerdict(
            UNKNOWN, None, GateReason("no_manual", {"github": said}), CLARITY_UNCLEAR
        )
    return LicenseVerdict(UNKNOWN, None, GateReason("no_license"), None)


def _judge_detected(
    said: str | None,
    detected: tuple[str | None, float | None, str | None, str | None],
    policy: Policy,
) -> LicenseVerdict:
    """The gate on what a detector found in the license files (GitHub could not tell)."""
    from mlops_radar.model.license_classes import Approval, classify

    expression, score, detector, file = detected
    facts = {"github": said, "expression": expression, "score": score, "detector": detector,
             "file": file}  # fmt: skip
    if policy.license_data is None:
        return LicenseVerdict(
            UNKNOWN, None, GateReason("detected_unjudged", facts), CLARITY_UNCLEAR
        )
    found = classify(expression, policy.license_data, policy.also_allow)
    if found.approval is Approval.APPROVED:
        return LicenseVerdict(PASS, expression, GateReason("detected_osi", facts), CLARITY_DETECTED)
    if found.approval is Approval.NOT_APPROVED:
        return LicenseVerdict(
            FAIL, expression, GateReason("detected_not_osi", facts), CLARITY_CLOSED
        )
    return LicenseVerdict(
        UNKNOWN, expression, GateReason("detected_unknown", facts), CLARITY_UNCLEAR
    )


def license_verdicts(table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per row: license_outcome, license, license_reason, license_clarity."""
    keys = pd.DataFrame(
        {
            "spdx": text(table, "license_spdx"),
            "name": text(table, "license_name"),
            "manual": text(table, "license_manual"),
            "by": text(table, "license_reviewer"),
            "on": text(table, "license_reviewed_on"),
            "found": text(table, "license_detected"),
            "score": number(table, "license_detected_score").astype(object),
            "detector": text(table, "license_detector"),
            "file": text(table, "license_detected_file"),
        },
        index=table.index,
    )
    keys["score"] = keys["score"].where(keys["score"].notna(), None)
    combos = keys.drop_duplicates()
    judged = {
        (s, n, m, b, o, f, sc, d, fi): judge_license(
            s, n, m, policy, b, o, None if f is None else (f, sc, d, fi)
        )
        for s, n, m, b, o, f, sc, d, fi in combos.itertuples(index=False, name=None)
    }
    verdicts = [judged[k] for k in keys.itertuples(index=False, name=None)]
    return pd.DataFrame(
        {
            "license_outcome": [v.outcome for v in verdicts],
            "license": [v.spdx for v in verdicts],
            "license_reason": pd.Series(
                [v.reason for v in verdicts], index=table.index, dtype=object
            ),
            "license_clarity": np.array(
                [np.nan if v.clarity is None else v.clarity for v in verdicts], dtype="float64"
            ),
        },
        index=table.index,
    )


#: How the license gate's reasons resolved a license: from GitHub's own identification, a
#: person's review (the study's hand analysis included), or a detector reading the license files.
#: The precedence is `judge_license`'s: GitHub, then a review, then detection. Reasons not
#: listed resolved nothing.
RESOLVED_BY: Mapping[str, str] = {
    "osi": "github",
    "not_osi": "github",
    "manual_osi": "review",
    "manual_not_osi": "review",
    "detected_osi": "detector",
    "detected_not_osi": "detector",
    "detected_unknown": "detector",
    "detected_unjudged": "detector",
}


@dataclass(frozen=True, slots=True)
class ResolvedLicense:
    """One tool's license as the license gate resolved it, and how."""

    spdx: str | None  # None: not resolved (unknown)
    by: str | None  # "github", "review", "detector" (RESOLVED_BY); None when unresolved
    reason: GateReason  # the gate's reason: who reviewed, which detector with what score


def resolved_licenses(table: pd.DataFrame, policy: Policy) -> list[ResolvedLicense]:
    """Per row of `table`, its resolved license by the gate's one rule (`license_verdicts`)."""
    verdicts = license_verdicts(table, policy)
    found = []
    for spdx, reason in zip(verdicts["license"], verdicts["license_reason"], strict=True):
        by = RESOLVED_BY.get(reason.code)
        known = isinstance(spdx, str) and bool(spdx) and by is not None
        found.append(ResolvedLicense(spdx if known else None, by if known else None, reason))
    return found
