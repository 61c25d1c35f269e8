"""Extras a project keeps for its own developers (kedro's [test] brings s3fs) are told apart from
the options its users have (feast's [aws]): in the JSON, in stack-check's lock-in lines and in
advise's verdict. Unit tests of the rule and of the words, on `LockIn` items."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlops_radar.advise.lockin import LockIn, developer_extra, extra_lock_in, load_cloud_sdks
from mlops_radar.report.advice import _cloud_words, _lock_lines


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("test", True), ("Tests", True), ("testing", True), ("dev", True), ("docs", True),
        ("doc_build", True), ("dev-all", True), ("lint", True), ("typing", True),
        ("aws", False), ("s3", False), ("gcp", False), ("all", False), ("all-dev", False),
        ("devops", False), ("docker", False), ("databricks", False), ("extras", False),
    ],
)  # fmt: skip
def test_developer_extra(name: str, expected: bool) -> None:
    assert developer_extra(name) is expected


def _extras(*requires: str) -> list[LockIn]:
    return extra_lock_in("kedro", requires, load_cloud_sdks())


def test_an_extra_for_developers_is_marked_in_the_json() -> None:
    found = _extras('s3fs>=2021.4; extra == "test"', 'boto3; extra == "aws"')
    assert [(i.extra, i.as_json()["developer"]) for i in found] == [("test", True), ("aws", False)]


def test_the_words_tell_developer_extras_from_users_options() -> None:
    only_developers = SimpleNamespace(lock_in=_extras('s3fs; extra == "test"'))
    assert _cloud_words(only_developers) == (  # type: ignore[arg-type]
        "no cloud SDK (only its developers' extras [test] bring one)"
    )
    both = SimpleNamespace(lock_in=_extras('s3fs; extra == "test"', 'boto3; extra == "aws"'))
    assert _cloud_words(both) == (  # type: ignore[arg-type]
        "no cloud SDK (extras [aws] bring one; its developers' [test] too)"
    )
    users = SimpleNamespace(lock_in=_extras('boto3; extra == "aws"'))
    assert _cloud_words(users) == "no cloud SDK (extras [aws] bring one)"  # type: ignore[arg-type]
    assert _lock_lines(both) == [  # type: ignore[arg-type]
        "  kedro: extra [test] (for its developers) brings s3fs (AWS)",
        "  kedro: extra [aws] brings boto3 (AWS)",
    ]
