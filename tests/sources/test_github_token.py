"""Finding the token, and keeping its value out of every text."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest

from mlops_radar.errors import TokenError
from mlops_radar.sources.github.token import Token, find_token

SECRET = "ghp_token_test_value_987"


def fake_gh(folder: Path, script: str) -> None:
    """A `gh` executable on PATH that runs `script` (a real subprocess, no network)."""
    gh = folder / "gh"
    gh.write_text("#!/bin/sh\n" + script + "\n")
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)


def test_from_the_environment_variable() -> None:
    token = find_token(environ={"GITHUB_TOKEN": SECRET + "\n"}, use_gh=False)
    assert token.reveal() == SECRET
    assert token.source == "GITHUB_TOKEN"


def test_from_a_named_variable() -> None:
    token = find_token("MY_TOKEN", environ={"MY_TOKEN": SECRET, "GITHUB_TOKEN": "other"})
    assert token.reveal() == SECRET


def test_from_gh_auth_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_gh(tmp_path, f'[ "$1 $2" = "auth token" ] && echo {SECRET}')
    monkeypatch.setenv("PATH", str(tmp_path))
    token = find_token(environ={})
    assert token.reveal() == SECRET
    assert token.source == "gh auth token"


def test_gh_not_logged_in_or_missing_gives_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_gh(tmp_path, "echo 'not logged in' >&2; exit 1")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TokenError) as caught:
        find_token(environ={})
    message = str(caught.value)
    assert "\n" not in message
    assert "GITHUB_TOKEN" in message
    assert "gh auth login" in message
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(TokenError):
        find_token(environ={})


def test_the_value_never_shows() -> None:
    token = Token(SECRET, "GITHUB_TOKEN")
    for text in (repr(token), str(token), f"{token}", f"{token!r}", repr([token])):
        assert SECRET not in text
    with pytest.raises(TypeError):
        pickle.dumps(token)


def test_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_TEST_TOKEN", SECRET)
    assert find_token("RADAR_TEST_TOKEN", use_gh=False).reveal() == os.environ["RADAR_TEST_TOKEN"]
