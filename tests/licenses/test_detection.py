"""`detect` over a `github.files` record's files: evidence, candidates, hostile input."""

from __future__ import annotations

import time

import pytest

from github_simulator.synthetic_files import license_text
from mlops_radar.sources.licenses import (
    MAX_TEXT_BYTES,
    Detector,
    DetectorError,
    Finding,
    detect,
    load_detector,
)
from mlops_radar.sources.licenses.detection import file_expression


def _file(path: str, text: str | bytes | None, **extra: object) -> dict[str, object]:
    return {"path": path, "text": text, "is_binary": False, "is_truncated": False,
            "capped": False, "skipped": None, **extra}  # fmt: skip


def test_evidence_names_file_lines_and_detector(detector: Detector) -> None:
    mit = license_text("MIT").replace("<year>", "2020").replace("<copyright holders>", "Ada")
    found = detect([_file("LICENSE.md", mit), _file("pyproject.toml", "[project]\n")], detector)
    assert found is not None
    assert found.expression == "MIT"
    assert found.files == ("LICENSE.md",)  # the manifest is no candidate
    assert 0.99 <= (found.score or 0) <= 1
    (text,) = [e for e in found.evidence if e.rule == "mit.LICENSE"]
    assert text.path == "LICENSE.md"
    assert (text.start_line, text.end_line) == (5, mit.rstrip("\n").count("\n") + 1)
    assert text.detector == "scancode"
    assert text.detector_version.startswith("scancode-toolkit 32.")


def test_two_licenses_in_two_files_both_apply(detector: Detector) -> None:
    files = [
        _file("LICENSE-APACHE", license_text("Apache-2.0")),
        _file("LICENSES/MIT.txt", license_text("MIT")),
    ]
    found = detect(files, detector)
    assert found is not None
    assert found.expression == "Apache-2.0 AND MIT"
    assert {e.path for e in found.evidence} == {"LICENSE-APACHE", "LICENSES/MIT.txt"}


def test_the_same_license_twice_is_once(detector: Detector) -> None:
    files = [_file("LICENSE", license_text("Apache-2.0")),
             _file("LICENSES/Apache-2.0.txt", license_text("Apache-2.0"))]  # fmt: skip
    found = detect(files, detector)
    assert found is not None
    assert found.expression == "Apache-2.0"


def test_no_candidate_file_is_no_detection(detector: Detector) -> None:
    assert detect([], detector) is None
    assert detect([_file("README.md", license_text("MIT"))], detector) is None


def test_a_five_megabyte_file_is_capped_and_reported(detector: Detector) -> None:
    filler = "This paragraph is not a license; it only takes room in the file.\n"
    text = license_text("MIT") + filler * (5_000_000 // len(filler))
    started = time.perf_counter()
    found = detect([_file("LICENSE", text)], detector)
    assert time.perf_counter() - started < 30
    assert found is not None
    assert found.expression == "MIT"
    (problem,) = found.problems
    assert problem.problem == "capped"
    assert f"{MAX_TEXT_BYTES:,}" in (problem.detail or "")


def test_non_utf8_bytes_are_replaced_and_reported(detector: Detector) -> None:
    latin1 = license_text("MIT").replace("<copyright holders>", "José Müller").encode("latin-1")
    found = detect([_file("LICENSE", latin1)], detector)
    assert found is not None
    assert found.expression == "MIT"
    assert [p.problem for p in found.problems] == ["not utf-8"]


def test_binary_skipped_and_textless_files_are_reported_unknown(detector: Detector) -> None:
    files = [
        _file("LICENSE", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        _file("COPYING", None, skipped="over the 1,048,576-byte fetch cap"),
        _file("LICENSE.txt", None),
    ]
    found = detect(files, detector)
    assert found is not None
    assert found.expression is None
    assert [(p.path, p.problem) for p in found.problems] == [
        ("LICENSE", "binary"), ("COPYING", "skipped"), ("LICENSE.txt", "no text")]  # fmt: skip


class _Failing:
    name = "failing"
    version = "0"

    def findings(self, text: str, *, partial: bool = False) -> list[Finding]:
        raise ValueError("the library choked on this text")


def test_a_detector_failing_on_one_file_is_that_files_problem() -> None:
    found = detect([_file("LICENSE", "anything")], _Failing())
    assert found is not None
    assert found.expression is None
    assert [(p.problem, p.detail) for p in found.problems] == [("detector failed", "ValueError")]


def test_an_unknown_detector_is_one_clear_error() -> None:
    with pytest.raises(DetectorError, match="unknown license detector 'nope'"):
        load_detector("nope")


def _found(spdx: str, line: int, *, exact: bool = True, score: float = 1.0) -> Finding:
    return Finding(spdx, score, line, line + 1, "license", "rule", exact=exact)


def test_a_cut_text_is_the_license_its_first_lines_name_exactly() -> None:
    title = _found("Apache-2.0", 1)
    mention = _found("GPL-2.0-only", 40)
    assert file_expression([title, mention], partial=True)[0] == "Apache-2.0"
    assert file_expression([title, mention], partial=False)[0] == "Apache-2.0 AND GPL-2.0-only"
    # a partial match at the top may be another license's beginning (BSD-4-Clause's is BSD-3's)
    assert (
        file_expression([_found("BSD-3-Clause", 2, exact=False, score=0.88)], partial=True)[0]
        is None
    )
    assert file_expression([_found("MIT", 6)], partial=True)[0] is None  # not an opening
    assert file_expression([_found("MIT", 1), _found("ISC", 1)], partial=True)[0] is None


def test_a_cut_text_is_remembered_apart_from_the_same_text_read_whole() -> None:
    """scancode-fast reads a cut text otherwise (approximate matching at once): a remembered
    whole reading must not answer for it, nor the other way round."""
    fast = load_detector("scancode-fast")
    text = license_text("MIT").replace("<year>", "2020")
    whole = fast.findings(text)
    cut = fast.findings(text, partial=True)
    assert fast.findings(text) == whole
    assert fast.findings(text, partial=True) == cut
    assert len(fast._seen) == 2  # type: ignore[attr-defined]
