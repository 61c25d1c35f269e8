"""The license gate: is a tool's license OSI-approved, not, or unknown (needs review)?

Resolution order: GitHub's SPDX id; else GitHub's license name mapped to SPDX where unambiguous;
else, when GitHub could not tell ("Other", NOASSERTION, nothing), the study's hand analysis
(`license_manual`), which may name alternatives ("AGPL / Commercial": open source if any alternative
is). Anything still unresolved is unknown, a state of its own: neither a silent pass nor a fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlops_radar.model.columns import text
from mlops_radar.model.policy import LicenseCatalog, Policy

__all__ = ["LicenseVerdict", "judge_license", "license_verdicts"]

_UNIDENTIFIED = {"noassertion", "other", "none", "unknown"}


@dataclass(frozen=True, slots=True)
class LicenseVerdict:
    """The license gate's answer for one tool."""

    outcome: str  # pass | fail | unknown
    spdx: str | None  # the resolved SPDX id, if any
    reason: str
    clarity: (
        float | None
    )  # the hygiene signal: 1 clear and open, 0.75 by hand, 0.25 unclear, 0 closed


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
    spdx: str | None, name: str | None, manual: str | None, policy: Policy
) -> LicenseVerdict:
    """The license gate for one combination of the three license facts."""
    github = _from_github(spdx, name, policy.licenses)
    said = spdx or name
    if github is not None:
        if _accepted(github, policy):
            return LicenseVerdict("pass", github, f"{github} is OSI-approved", 1.0)
        return LicenseVerdict("fail", github, f"{github} is not an OSI-approved license", 0.0)
    if name and name.lower() not in _UNIDENTIFIED and not manual:
        return LicenseVerdict(
            "unknown", None, f"license {name!r} not recognised: needs review", 0.25
        )
    prefix = f"GitHub says {said!r}" if said else "no license from GitHub"
    if manual:
        candidates = _from_manual(manual, policy.licenses)
        accepted = [c for c in candidates if _accepted(c, policy)]
        if accepted:
            return LicenseVerdict(
                "pass",
                accepted[0],
                f"{prefix}; the study's manual analysis says {manual!r} "
                f"({accepted[0]}, OSI-approved)",
                0.75,
            )
        if candidates:
            return LicenseVerdict(
                "fail",
                candidates[0],
                f"{prefix}; the study's manual analysis says {manual!r}, not OSI-approved",
                0.0,
            )
        return LicenseVerdict(
            "unknown",
            None,
            f"{prefix}; manual analysis {manual!r} not recognised: needs review",
            0.25,
        )
    if said:
        return LicenseVerdict(
            "unknown", None, f"{prefix} and no manual analysis: needs review", 0.25
        )
    return LicenseVerdict("unknown", None, "no license information: needs review", None)


def license_verdicts(table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per row: license_outcome, license, license_reason, license_clarity."""
    keys = pd.DataFrame(
        {
            "spdx": text(table, "license_spdx"),
            "name": text(table, "license_name"),
            "manual": text(table, "license_manual"),
        },
        index=table.index,
    )
    combos = keys.drop_duplicates()
    judged = {
        (s, n, m): judge_license(s, n, m, policy)
        for s, n, m in combos.itertuples(index=False, name=None)
    }
    verdicts = [judged[k] for k in keys.itertuples(index=False, name=None)]
    return pd.DataFrame(
        {
            "license_outcome": [v.outcome for v in verdicts],
            "license": [v.spdx for v in verdicts],
            "license_reason": [v.reason for v in verdicts],
            "license_clarity": np.array(
                [np.nan if v.clarity is None else v.clarity for v in verdicts], dtype="float64"
            ),
        },
        index=table.index,
    )
