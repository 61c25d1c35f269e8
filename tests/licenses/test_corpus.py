"""The default detector on the corpus of the ten shipped SPDX texts: the right expression for
every kind of variant, unknown (never a guess) for files that are not licenses."""

from __future__ import annotations

import pytest
from license_expression import Licensing

from license_corpus import KINDS, Case
from mlops_radar.sources.licenses import Detector, detect

_LICENSING = Licensing()


def _same(found: str | None, expected: str) -> bool:
    return found is not None and bool(_LICENSING.is_equivalent(found, expected))


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("truncated", "not a license")])
def test_every_variant_of_a_kind_gives_its_expression(
    kind: str, shipped_corpus: list[Case], detector: Detector
) -> None:
    cases = [c for c in shipped_corpus if c.kind == kind]
    assert cases, f"the corpus has no {kind!r} case"
    wrong = {}
    for case in cases:
        assert case.expected is not None
        found = detect(case.files, detector)
        expression = found.expression if found else None
        if not _same(expression, case.expected):
            wrong[case.name] = expression
    assert wrong == {}


def test_a_truncated_text_is_never_a_wrong_license(
    shipped_corpus: list[Case], detector: Detector
) -> None:
    """A cut text yields its license or unknown; ScanCode's fragments of it are no answer."""
    for case in (c for c in shipped_corpus if c.kind == "truncated"):
        found = detect(case.files, detector)
        assert found is not None
        assert found.expression is None or _same(found.expression, str(case.expected)), case.name
        assert [p.problem for p in found.problems] == ["truncated"]


def test_a_truncated_text_that_opens_with_its_licenses_title_is_that_license(
    shipped_corpus: list[Case], detector: Detector
) -> None:
    """GitHub cuts long files: a cut text whose first lines name one license exactly (its title)
    is that license; the others stay unknown (above)."""
    resolved = {}
    for case in (c for c in shipped_corpus if c.kind == "truncated"):
        found = detect(case.files, detector)
        if found is not None and found.expression is not None:
            resolved[case.name.removeprefix("truncated/")] = found.expression
    # BSD-3-Clause and its no-nuclear variant have no title, and ScanCode matches GPL-3.0's
    # only in part (a rule that holds it among other words): those three stay unknown
    titled = ("MIT", "Apache-2.0", "AGPL-3.0-only", "MPL-2.0", "BUSL-1.1", "SSPL-1.0")
    assert resolved == {spdx: spdx for spdx in (*titled, "CC-BY-NC-4.0")}


def test_a_file_that_is_no_license_is_unknown(
    shipped_corpus: list[Case], detector: Detector
) -> None:
    for case in (c for c in shipped_corpus if c.kind == "not a license"):
        found = detect(case.files, detector)
        assert found is not None, case.name  # a LICENSE file was there: examined, not absent
        assert found.expression is None, (case.name, found.expression)
        assert found.score is None
        assert found.evidence == ()


def test_dual_licensing_with_a_commercial_option(detector: Detector) -> None:
    from github_simulator.synthetic_files import license_text

    text = (
        "Copyright (c) 2024 Example Inc.\n\nThis program is available under the license "
        "reproduced below, or under a commercial license. For a commercial license, contact "
        "sales@example.com.\n\n" + license_text("AGPL-3.0-only")
    )
    found = detect([{"path": "LICENSE", "text": text}], detector)
    assert found is not None
    assert found.expression == "AGPL-3.0-only OR LicenseRef-Commercial"
    assert {e.role for e in found.evidence} == {"license", "commercial"}
