"""uv's --verbose log read into selections with the wheel each was read from (unit tests of the
reader; the end-to-end effect on the index reads is in test_index_address.py)."""

from __future__ import annotations

from mlops_radar.advise.uvlog import MAX_ADDRESSES, Selected, UvLog

WHEEL = "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"
HOST = "https://files.example.org/packages/02/03/abc"


def _read(*lines: str) -> tuple[list[Selected], list[str]]:
    seen: list[Selected] = []
    log = UvLog(seen.append)
    kept = [line for line in lines if not log.feed(line)]
    log.finish()
    return seen, kept


def test_a_selection_gets_the_address_that_follows_it() -> None:
    seen, kept = _read(
        f"DEBUG Selecting: numpy==2.4.6 [compatible] ({WHEEL})\n",
        f"DEBUG No cache entry for: {HOST}/{WHEEL}.metadata\n",
        f"DEBUG Sending fresh GET request for: {HOST}/{WHEEL}.metadata\n",
    )
    assert seen == [Selected("numpy", "2.4.6", f"{HOST}/{WHEEL}", True)]
    assert kept == []


def test_an_address_read_ahead_serves_a_later_selection() -> None:
    # uv fetches candidates' metadata before it selects them; a HEAD of the wheel means the
    # index declares no metadata file (uv reads ranges of the wheel)
    seen, _ = _read(
        f"DEBUG Sending fresh HEAD request for: {HOST}/{WHEEL}\n",
        f"DEBUG Selecting: NumPy==2.4.6 [compatible] ({WHEEL})\n",
    )
    assert seen == [Selected("numpy", "2.4.6", f"{HOST}/{WHEEL}", False)]


def test_an_sdist_or_a_line_without_a_file_is_handed_on_at_once_without_an_address() -> None:
    seen: list[Selected] = []
    log = UvLog(seen.append)
    log.feed("DEBUG Selecting: pkg==1.0 [compatible] (pkg-1.0.tar.gz)\n")
    log.feed("DEBUG Selecting: other[extra]==2.0\n")
    assert seen == [Selected("pkg", "1.0"), Selected("other", "2.0")]


def test_a_selection_whose_address_never_shows_is_handed_on_at_the_end() -> None:
    seen: list[Selected] = []
    log = UvLog(seen.append)
    log.feed(f"DEBUG Selecting: numpy==2.4.6 [compatible] ({WHEEL})\n")
    assert seen == []
    log.feed("DEBUG Sending fresh GET request for: https://pypi.org/simple/pandas/\n")
    assert seen == []  # a page, not a wheel
    log.finish()
    assert seen == [Selected("numpy", "2.4.6")]


def test_credentials_fragments_and_queries() -> None:
    seen, _ = _read(
        f"DEBUG Selecting: numpy==2.4.6 [compatible] ({WHEEL})\n",
        f"DEBUG Found fresh response for: https://user:****@private.example/{WHEEL}\n",
    )
    assert seen == [Selected("numpy", "2.4.6")]  # a masked credential: the page says instead
    seen, _ = _read(
        f"DEBUG Found fresh response for: {HOST}/{WHEEL}.metadata?sig=1#sha256=00\n",
        f"DEBUG Selecting: numpy==2.4.6 [compatible] ({WHEEL})\n",
    )
    assert seen == [Selected("numpy", "2.4.6", f"{HOST}/{WHEEL}?sig=1", True)]


def test_percent_encoded_file_names_match_the_selection() -> None:
    wheel = "pkg-1.0+local-py3-none-any.whl"
    seen, _ = _read(
        f"DEBUG Selecting: pkg==1.0+local [compatible] ({wheel})\n",
        f"DEBUG Sending fresh GET request for: {HOST}/pkg-1.0%2Blocal-py3-none-any.whl.metadata\n",
    )
    assert seen == [Selected("pkg", "1.0+local", f"{HOST}/pkg-1.0%2Blocal-py3-none-any.whl", True)]


def test_answer_lines_are_kept_and_odd_log_lines_skipped() -> None:
    seen, kept = _read(
        "DEBUG Selecting: \n",
        "DEBUG Selecting: ==1.0 (x.whl)\n",
        "DEBUG Sending fresh GET request for: ftp://example/x-1.0-py3-none-any.whl\n",
        "TRACE something else entirely\n",
        "  x Because alpha depends on common<2 ...\n",
        "No solution found when resolving dependencies:\n",
    )
    assert seen == []
    assert kept == [
        "  x Because alpha depends on common<2 ...\n",
        "No solution found when resolving dependencies:\n",
    ]


def test_a_log_of_endless_addresses_is_capped() -> None:
    seen: list[Selected] = []
    log = UvLog(seen.append)
    for i in range(MAX_ADDRESSES + 10):
        log.feed(f"DEBUG Sending fresh HEAD request for: {HOST}/p{i}-1.0-py3-none-any.whl\n")
    log.feed(
        f"DEBUG Selecting: p{MAX_ADDRESSES + 5}==1.0 (p{MAX_ADDRESSES + 5}-1.0-py3-none-any.whl)\n"
    )
    log.feed("DEBUG Selecting: p0==1.0 (p0-1.0-py3-none-any.whl)\n")
    log.finish()
    assert seen == [
        Selected("p0", "1.0", f"{HOST}/p0-1.0-py3-none-any.whl", False),
        Selected(f"p{MAX_ADDRESSES + 5}", "1.0"),  # past the cap: no address kept for it
    ]
