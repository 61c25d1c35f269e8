"""What a simulator serves and how it behaves."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from github_simulator.faults import Faults
from github_simulator.population import Population

__all__ = ["SimulatorConfig"]


@dataclass(frozen=True)
class SimulatorConfig:
    """A simulator's population, faults and GitHub's limits (defaults are github.com's).

    `rate_limited_status` is the HTTP status of an answer once the primary budget is spent
    (GitHub answers GraphQL with 200 and a `RATE_LIMITED` error; some clients see 403).
    `max_concurrent` is GitHub's cap on concurrent requests (more get a secondary-limit 403).
    `schema_path` overrides the packaged schema (plain or gzipped SDL).
    `tokens`: None accepts any non-empty bearer token (the default); otherwise only these tokens
    are accepted and any other gets GitHub's 401 `Bad credentials`. They are kept out of `repr`
    and never logged; the service keeps only their SHA-256 digests.
    """

    population: Population = field(default_factory=lambda: Population.synthetic(100, seed=0))
    faults: Faults = field(default_factory=Faults)
    primary_limit: int = 5000
    reset_seconds: float = 3600
    secondary_limit_per_minute: int = 2000
    max_concurrent: int = 100
    rate_limited_status: int = 200
    schema_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 0
    tokens: Collection[str] | None = field(default=None, repr=False)
    strict: bool = True
    cache_answers: bool = True
    schema_cache: bool = True

    def __post_init__(self) -> None:
        if self.primary_limit < 0 or self.secondary_limit_per_minute < 0:
            raise ValueError("rate limits cannot be negative")
        if self.reset_seconds <= 0:
            raise ValueError("reset_seconds must be positive")
        if self.rate_limited_status not in (200, 403, 429):
            raise ValueError("rate_limited_status must be 200, 403 or 429")
        if self.tokens is not None:
            object.__setattr__(self, "tokens", _accepted_tokens(self.tokens))


def _accepted_tokens(tokens: Collection[str]) -> frozenset[str]:
    """`tokens` as a frozenset, checked (messages never show a token's value)."""
    if isinstance(tokens, str):
        raise TypeError("SimulatorConfig.tokens is a collection of tokens, not one string")
    accepted = frozenset(tokens)
    if not accepted:
        raise ValueError("SimulatorConfig.tokens is empty: no request could authenticate")
    for token in accepted:
        if not isinstance(token, str) or not token or any(c.isspace() for c in token):
            raise ValueError("SimulatorConfig.tokens: a token is empty or contains whitespace")
    return accepted
