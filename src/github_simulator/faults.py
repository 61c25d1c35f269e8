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

__all__ = ["ABSURD_KINDS", "Fault", "Faults"]

#: The kinds of absurd values `Faults.absurd` can put into a repository's answer.
ABSURD_KINDS = ("huge", "negative", "surrogate", "all")


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
    ABSURD = "absurd"
    NULL_DATA = "null-data"
    HUGE_BODY = "huge-body"
    DRIP = "drip"


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
    - `absurd`: `owner/name` -> one of `ABSURD_KINDS`: that repository's answer carries values no
      GitHub would send: `huge` (a star count of 2**64), `negative` (a fork count of -33,334),
      `surrogate` (a description holding a lone surrogate), `all` (the three at once).
    - `null_data_on`: answer HTTP 200 `{"data": null, "errors": [...]}`, GitHub's answer when a
      whole query ran out of time on its side.
    - `huge_body_on`: answer with `huge_body_bytes` of whitespace before the real answer, with no
      `content-length` (read until the connection closes), so only a streamed cap stops it.
    - `drip_on`: send the answer one byte every `drip_interval` seconds.
    - `retry_after` may be any number (1e308 included), as a server may send it.
    - `reset_at`: epoch seconds reported as the primary budget's reset (`rateLimit.resetAt` and
      `x-ratelimit-reset`) instead of the real one (e.g. 4,102,444,800: the year 2100).
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
    retry_after: float = 1
    missing: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    renamed: Mapping[str, str] = field(default_factory=dict)
    absurd: Mapping[str, str] = field(default_factory=dict)
    null_data_on: frozenset[int] = frozenset()
    huge_body_on: frozenset[int] = frozenset()
    huge_body_bytes: int = 80 * 2**20
    drip_on: frozenset[int] = frozenset()
    drip_interval: float = 0.5
    reset_at: float | None = None

    def __post_init__(self) -> None:
        names = ("error_on", "reset_on", "malformed_on", "secondary_on", "null_data_on",
                 "huge_body_on", "drip_on")  # fmt: skip
        for name in names:
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
        absurd = {key.lower(): kind for key, kind in dict(self.absurd).items()}
        if unknown := sorted(set(absurd.values()) - set(ABSURD_KINDS)):
            raise ValueError(f"Faults.absurd: unknown kind {unknown[0]!r} (one of {ABSURD_KINDS})")
        object.__setattr__(self, "absurd", absurd)
        for name in ("error_rate", "reset_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Faults.{name} must be between 0 and 1")
        if self.latency < 0 or self.retry_after < 0 or self.drip_interval < 0:
            raise ValueError("Faults.latency, retry_after and drip_interval cannot be negative")
        if self.huge_body_bytes < 0:
            raise ValueError("Faults.huge_body_bytes cannot be negative")

    def transport_fault(self, request_number: int) -> Fault | None:
        """The fault (reset, malformed, 502/504) that replaces request `request_number`'s answer."""
        if request_number in self.reset_on or self._draw(request_number, "reset") < self.reset_rate:
            return Fault.CONNECTION_RESET
        if request_number in self.malformed_on:
            return Fault.MALFORMED_JSON
        if request_number in self.null_data_on:
            return Fault.NULL_DATA
        if request_number in self.error_on:
            return Fault.BAD_GATEWAY
        if self._draw(request_number, "error") < self.error_rate:
            coin = self._draw(request_number, "status") < 0.5
            return Fault.BAD_GATEWAY if coin else Fault.GATEWAY_TIMEOUT
        return None

    def secondary_limit(self, request_number: int) -> bool:
        """Whether request `request_number` gets an injected secondary-limit answer."""
        return request_number in self.secondary_on

    def body_fault(self, request_number: int) -> Fault | None:
        """How request `request_number`'s (otherwise normal) answer is sent: huge or dripped."""
        if request_number in self.huge_body_on:
            return Fault.HUGE_BODY
        if request_number in self.drip_on:
            return Fault.DRIP
        return None

    def spoil(self, data: object) -> int:
        """Put the `absurd` values into the repositories of an answer's `data`; how many."""
        if not self.absurd or not isinstance(data, dict):
            return 0
        spoiled = 0
        for node in data.values():
            if not isinstance(node, dict) or not isinstance(node.get("nameWithOwner"), str):
                continue
            kind = self.absurd.get(node["nameWithOwner"].lower())
            if kind is None:
                continue
            spoiled += 1
            if kind in ("huge", "all"):
                node["stargazerCount"] = 2**64
            if kind in ("negative", "all"):
                node["forkCount"] = -33_334
            if kind in ("surrogate", "all"):
                node["description"] = "broken \ud800 text"
        return spoiled

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
