"""GitHub's primary point budget (per token, per window) and per-minute secondary limit.

Budgets are keyed by a hash of the token, never the token itself. The primary window starts
with a token's first charged request and lasts `reset_seconds`, like GitHub's hourly window.
The secondary limit counts GitHub's secondary points (1 per query request, 5 per mutation)
over a sliding minute.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Budget", "RateLimiter"]


@dataclass(frozen=True)
class Budget:
    """A token's primary budget as `rateLimit` and the `x-ratelimit-*` headers report it."""

    limit: int
    remaining: int
    used: int
    reset_at: int  # epoch seconds

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-resource": "graphql",
        }


class RateLimiter:
    """Thread-safe primary and secondary limits for every token."""

    def __init__(
        self,
        primary_limit: int,
        reset_seconds: float,
        secondary_per_minute: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.primary_limit = primary_limit
        self.reset_seconds = reset_seconds
        self.secondary_per_minute = secondary_per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}  # token key -> (window start, used)
        self._recent: dict[str, deque[tuple[float, int]]] = {}

    def budget(self, token_key: str) -> Budget:
        """The token's budget now, without charging anything."""
        with self._lock:
            start, used = self._window(token_key)
            return self._budget(start, used)

    def charge(self, token_key: str, cost: int) -> tuple[bool, Budget]:
        """Charge `cost` points; `(False, budget)` without charging when it does not fit."""
        with self._lock:
            start, used = self._window(token_key)
            if used + cost > self.primary_limit:
                return False, self._budget(start, used)
            self._windows[token_key] = (start, used + cost)
            return True, self._budget(start, used + cost)

    def secondary(self, token_key: str, points: int) -> int | None:
        """Count a request's secondary points; seconds to wait instead when over the limit."""
        now = self.clock()
        with self._lock:
            recent = self._recent.setdefault(token_key, deque())
            while recent and recent[0][0] <= now - 60:
                recent.popleft()
            if sum(p for _, p in recent) + points > self.secondary_per_minute:
                return max(1, math.ceil(recent[0][0] + 60 - now)) if recent else 60
            recent.append((now, points))
            return None

    def _window(self, token_key: str) -> tuple[float, int]:
        now = self.clock()
        start, used = self._windows.get(token_key, (now, 0))
        if now >= start + self.reset_seconds:
            start, used = now, 0
        self._windows[token_key] = (start, used)
        return start, used

    def _budget(self, start: float, used: int) -> Budget:
        reset_at = math.ceil(start + self.reset_seconds)
        return Budget(self.primary_limit, self.primary_limit - used, used, reset_at)
