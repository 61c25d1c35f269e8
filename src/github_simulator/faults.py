"""Faults to inject, and the seeded per-request decisions drawn from them.

Each random decision depends only on (seed, request number, kind of fault), never on a shared
random stream, so the same request number gets the same fate whatever the thread interleaving.
Explicit `*_on` sets of request numbers (1-based, in arrival order) make tests exact.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Fault", "Faults"]


class Fault(enum.Enum):
    """A kind of injected fault (also the keys of `SimulatorStats.faults`)."""

    LATENCY = "latency"
    BAD_GATEWAY = "502"
    GATEWAY_TIMEOUT = "504"
    QUERY_TIMEOUT = "timeout"
    CONNECTION_RESET = "reset"
    MALFORMED_JSON = "malformed"
    SECONDARY_LIMIT = "secondary"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class Faults:
    """Which faults the simulator injects; everything is off by default.

    - `latency`: seconds added to every request.
    - `error_rate`: share of requests answered 502 or 504 at random; `error_on`: request
      numbers always answered 502.
    - `max_repositories`: a query with more `repository` fields than this is answered 502 with
      GitHub's timeout message (GitHub kills queries that run over 10 s).
    - `reset_rate` / `reset_on`: close the connection without an answer.
    - `malformed_on`: answer HTTP 200 with truncated JSON.
    - `secondary_on`: answer one secondary-rate-limit 403 with `retry-after: retry_after`.
    - `missing`: `owner/name`s answered `NOT_FOUND` even if the population has them.
    - `forbidden`: `owner/name`s answered `FORBIDDEN` (an organisation's SAML or IP allow-list
      protection): the alias answers null with GitHub's error, the other aliases are answered.
    - `renamed`: old `owner/name` -> new `owner/name`; the repository is served under the new
      name, and queries by the old name answer with the new `nameWithOwner`.
    """

    seed: int = 0
    latency: float = 0.0
    error_rate: float = 0.0
    error_on: frozenset[int] = frozenset()
    max_repositories: int | None = None
    reset_rate: float = 0.0
    reset_on: frozenset[int] = frozenset()
    malformed_on: frozenset[int] = frozenset()
    secondary_on: frozenset[int] = frozenset()
    retry_after: int = 1
    missing: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    renamed: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("error_on", "reset_on", "malformed_on", "secondary_on"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        for name in ("missing", "forbidden"):
            names = getattr(self, name)
            if isinstance(names, str):
                raise TypeError(f"Faults.{name} is a collection of owner/name, not one string")
            object.__setattr__(self, name, frozenset(_lower(names)))
        if both := sorted(self.missing & self.forbidden):
            raise ValueError(f"a repository cannot be both missing and forbidden: {both[0]}")
        object.__setattr__(
            self, "renamed", {old.lower(): new for old, new in dict(self.renamed).items()}
        )
        for name in ("error_rate", "reset_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Faults.{name} must be between 0 and 1")
        if self.latency < 0 or self.retry_after < 0:
            raise ValueError("Faults.latency and Faults.retry_after cannot be negative")

    def transport_fault(self, request_number: int) -> Fault | None:
        """The fault (reset, malformed, 502/504) that replaces request `request_number`'s answer."""
        if request_number in self.reset_on or self._draw(request_number, "reset") < self.reset_rate:
            return Fault.CONNECTION_RESET
        if request_number in self.malformed_on:
            return Fault.MALFORMED_JSON
        if request_number in self.error_on:
            return Fault.BAD_GATEWAY
        if self._draw(request_number, "error") < self.error_rate:
            coin = self._draw(request_number, "status") < 0.5
            return Fault.BAD_GATEWAY if coin else Fault.GATEWAY_TIMEOUT
        return None

    def secondary_limit(self, request_number: int) -> bool:
        """Whether request `request_number` gets an injected secondary-limit answer."""
        return request_number in self.secondary_on

    def too_big(self, repository_fields: int) -> bool:
        """Whether a query with this many `repository` fields times out (502)."""
        return self.max_repositories is not None and repository_fields > self.max_repositories

    def is_forbidden(self, *keys: str) -> bool:
        """Whether any of these `owner/name`s (any case) is answered `FORBIDDEN`."""
        return any(key.lower() in self.forbidden for key in keys)

    def _draw(self, request_number: int, kind: str) -> float:
        return random.Random(f"{self.seed}:{request_number}:{kind}").random()


def _lower(names: Iterable[str]) -> Iterable[str]:
    return (name.lower() for name in names)
