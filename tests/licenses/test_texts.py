"""Candidate files and their texts, before any detector: caps, encodings, names."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_radar.sources.licenses import MAX_TEXT_BYTES, is_candidate, license_texts


def test_license_file_names_are_candidates() -> None:
    for path in ("LICENSE", "LICENSE.md", "licence.txt", "COPYING", "COPYING.LESSER",
                 "UNLICENSE", "LICENSE-APACHE", "LICENSES/MIT.txt"):  # fmt: skip
        assert is_candidate(path), path
    for path in ("README.md", "pyproject.toml", "setup.py", "docs/LICENSE-notes", "licensed.py"):
        assert not is_candidate(path), path


def test_a_cap_inside_a_character_is_no_encoding_problem() -> None:
    text = "é" * (MAX_TEXT_BYTES // 2 + 10)  # two bytes each: the cap falls between them
    texts, problems = license_texts([{"path": "LICENSE", "text": text.encode("utf-8")[:-1]}])
    assert [p.problem for p in problems] == ["capped"]
    assert len(texts[0].text.encode("utf-8")) <= MAX_TEXT_BYTES
    assert set(texts[0].text) == {"é"}


def test_invalid_utf8_is_replaced_and_reported() -> None:
    texts, problems = license_texts([{"path": "LICENSE", "text": b"MIT \xff\xfe License"}])
    assert texts[0].text == "MIT \ufffd\ufffd License"
    assert [p.problem for p in problems] == ["not utf-8"]


def test_what_the_collector_cut_is_reported() -> None:
    files = [{"path": "LICENSE", "text": "x", "capped": True, "is_truncated": True}]
    _, problems = license_texts(files)
    assert [p.problem for p in problems] == ["capped", "truncated"]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "path": st.one_of(st.none(), st.integers(), st.sampled_from(["LICENSE", "COPYING", "x"])),
    "text": st.one_of(st.none(), st.integers(), st.text(max_size=200), st.binary(max_size=200)),
    "is_binary": st.one_of(st.none(), st.booleans()),
    "skipped": st.one_of(st.none(), st.text(max_size=10)),
}), max_size=5))  # fmt: skip
def test_any_record_gives_texts_or_problems_never_an_error(files: list[dict[str, object]]) -> None:
    texts, problems = license_texts(files)
    for item in texts:
        assert isinstance(item.text, str)
        assert "\x00" not in item.text
    assert all(p.path in ("LICENSE", "COPYING") for p in problems)
