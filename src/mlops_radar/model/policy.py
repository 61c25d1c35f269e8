"""Gate policies: which eliminatory gates apply, with their thresholds, and the license catalogue.

A policy is plain data. `study` reproduces the study's two eliminatory qualifiers; `radar` adds
ours; users may write their own (same keys, see `model/data/policies.toml`). Parsing turns a mapping
(already read from TOML by the caller) into a `Policy`, raising `ModelError` with the source named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlops_radar.errors import ModelError

__all__ = ["GATES", "LicenseCatalog", "Policy", "policy_from_mapping"]

#: Every gate the model knows, in report order.
GATES: tuple[str, ...] = ("license", "activity", "archived")


@dataclass(frozen=True, slots=True)
class LicenseCatalog:
    """What the license gate knows: OSI-approved SPDX ids, name -> SPDX tables (lower-case keys)."""

    osi_approved: frozenset[str]  # lower-case SPDX ids
    github_names: Mapping[str, str] = field(default_factory=dict)  # GitHub licenseInfo.name -> SPDX
    manual_names: Mapping[str, str] = field(default_factory=dict)  # the study's hand-written names


@dataclass(frozen=True, slots=True)
class Policy:
    """A named set of gates and their thresholds."""

    name: str
    gates: tuple[str, ...]
    licenses: LicenseCatalog
    activity_months: int = 6
    also_allow: frozenset[str] = frozenset()  # lower-case SPDX ids accepted besides OSI ones
    # the SPDX list data (`model.license_classes.LicenseData`) detected expressions are judged
    # with; None: detected licenses stay unknown (the caller loads it when a table has some)
    license_data: Any = None

    def applies(self, gate: str) -> bool:
        """Whether `gate` can eliminate a tool under this policy."""
        return gate in self.gates


def policy_from_mapping(
    mapping: Mapping[str, Any], *, name: str, licenses: LicenseCatalog, source: str
) -> Policy:
    """Build a `Policy` from a TOML-shaped mapping; `source` names the file for error messages."""
    unknown = set(mapping) - {"name", "gates", "activity", "license"}
    if unknown:
        raise ModelError(f"{source}: unknown policy keys: {', '.join(sorted(unknown))}")
    gates = mapping.get("gates", list(GATES))
    if not isinstance(gates, list) or not all(g in GATES for g in gates):
        raise ModelError(f"{source}: 'gates' must be a list drawn from {', '.join(GATES)}")
    activity = _table(mapping, "activity", source)
    months = activity.get("months", 6)
    if not isinstance(months, int) or isinstance(months, bool) or months <= 0:
        raise ModelError(f"{source}: activity.months must be a positive whole number of months")
    also = _table(mapping, "license", source).get("also_allow", [])
    if not isinstance(also, list) or not all(isinstance(x, str) for x in also):
        raise ModelError(f"{source}: license.also_allow must be a list of SPDX ids")
    return Policy(
        name=str(mapping.get("name", name)),
        gates=tuple(g for g in GATES if g in gates),
        licenses=licenses,
        activity_months=months,
        also_allow=frozenset(x.strip().lower() for x in also),
    )


def _table(mapping: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = mapping.get(key, {})
    if not isinstance(value, Mapping):
        raise ModelError(f"{source}: [{key}] must be a table")
    return value
