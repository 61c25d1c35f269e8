"""Find the GitHub token, and keep its value out of every repr, log line and message.

Order: the environment variable (`GITHUB_TOKEN`, or the name given with `--token-env`), then the
GitHub CLI's `gh auth token` (run with a fixed argument list, no shell). Nothing found raises
`TokenError` with one line saying how to get a token.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping

from mlops_radar.errors import TokenError

__all__ = ["DEFAULT_TOKEN_ENV", "Token", "find_token"]

DEFAULT_TOKEN_ENV = "GITHUB_TOKEN"  # noqa: S105 (a variable name, not a secret)
_GH_TIMEOUT_SECONDS = 10


class Token:
    """A secret whose value is only reachable through `reveal()`; repr and str show a mask."""

    __slots__ = ("_source", "_value")

    def __init__(self, value: str, source: str) -> None:
        self._value = value
        self._source = source

    @property
    def source(self) -> str:
        """Where the token came from (a variable name or "gh auth token"), safe to show."""
        return self._source

    def reveal(self) -> str:
        """The token's value, for the Authorization header only."""
        return self._value

    def __repr__(self) -> str:
        return f"Token(from {self._source}, value hidden)"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Token cannot be pickled")


def _from_gh() -> str | None:
    """The token the GitHub CLI is logged in with, or None (no gh, not logged in, timeout)."""
    gh = shutil.which("gh")
    if gh is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 (fixed argument list, no shell, no untrusted text)
            [gh, "auth", "token"],
            capture_output=True,
            text=True,
            timeout=_GH_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None


def find_token(
    env_name: str = DEFAULT_TOKEN_ENV,
    *,
    environ: Mapping[str, str] | None = None,
    use_gh: bool = True,
) -> Token:
    """The GitHub token from `env_name`, else from `gh auth token`; raises `TokenError` if none."""
    environ = os.environ if environ is None else environ
    value = environ.get(env_name, "").strip()
    if value:
        return Token(value, env_name)
    if use_gh and (value := _from_gh() or ""):
        return Token(value, "gh auth token")
    raise TokenError(
        f"no GitHub token: set {env_name} to a token from https://github.com/settings/tokens "
        "(no scopes needed for public repositories), or log in with `gh auth login`"
    )
