"""How fast and how big: the adaptive batch size, the backoff between retries, the point budget.

Batch sizes walk a fixed ladder (the preferred size halved down to 1: 50, 25, 12, 6, 3, 1), so
a run sends only a handful of distinct documents. A batch that the server cannot finish in time
(502, 504, timeout) moves the size one rung down; a few successes in a row move it one rung back up.
Budgets are what a source reports (GitHub: `rateLimit` and `x-ratelimit-*`), checked for sanity:
the server is not trusted to ask for an absurd wait or to report an absurd cost.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Final

__all__ = ["HOLD", "MAX_POINTS", "SEND", "Backoff", "BatchSizer", "PointBudget", "RateBudget"]

#: The largest hourly budget any documented rate limit grants (GitHub: 5,000 points for a user,
#: 10,000 for some apps, 12,500 for Enterprise Cloud apps); reports above it are not believed.
MAX_POINTS: Final = 12_500


@dataclass(frozen=True, slots=True)
class RateBudget:
    """A rate-limit budget as last reported (None where the answer did not say, or nonsense)."""

    limit: int | None = None
    remaining: int | None = None
    used: int | None = None
    reset_at: datetime | None = None
    cost: int | None = None  # what the request cost (GitHub: `rateLimit { cost }`)

    @classmethod
    def checked(
        cls,
        *,
        limit: int | None,
        remaining: int | None,
        used: int | None,
        reset_at: datetime | None,
        cost: int | None,
    ) -> RateBudget:
        """A budget with every value outside the documented ranges dropped (made unknown)."""

        def sane(value: int | None) -> int | None:
            return value if value is not None and 0 <= value <= MAX_POINTS else None

        limit, remaining, used = sane(limit), sane(remaining), sane(used)
        if limit is not None and remaining is not None and remaining > limit:
            remaining = None
        return cls(limit, remaining, used, reset_at, sane(cost))


class BatchSizer:
    """The current batch size: halves on heavy-query failures, grows back after successes.

    Each failure of a size doubles the successes needed before that size is tried again, so a
    size GitHub keeps refusing is retried ever more rarely instead of failing every third batch.
    """

    def __init__(self, size: int, *, grow_after: int = 2) -> None:
        ladder = [size]
        while ladder[-1] > 1:
            ladder.append(ladder[-1] // 2)
        self.ladder = tuple(ladder)
        self._rung = 0
        self._needed = [grow_after] * len(ladder)  # successes needed to climb to each rung
        self._successes = 0
        self.shrinks = 0

    @property
    def size(self) -> int:
        """How many aliases the next batch may hold."""
        return self.ladder[self._rung]

    def shrink(self, failed_size: int) -> None:
        """A batch of `failed_size` was too heavy: the next batches are at most half of it."""
        failed_rung = self.ladder.index(failed_size) if failed_size in self.ladder else None
        if failed_rung is not None:
            self._needed[failed_rung] *= 2
        below = (i for i, s in enumerate(self.ladder) if s < failed_size)
        target = next(below, len(self.ladder) - 1)
        if target > self._rung:
            self._rung = target
            self.shrinks += 1
        self._successes = 0

    def succeeded(self) -> None:
        """A batch passed; after enough in a row, move one rung back up."""
        self._successes += 1
        if self._rung > 0 and self._successes >= self._needed[self._rung - 1]:
            self._rung -= 1
            self._successes = 0


class Backoff:
    """Exponential backoff with jitter: base * 2**streak, capped, times a factor in [0.5, 1.5)."""

    def __init__(self, base: float, cap: float, rng: random.Random) -> None:
        self._base = base
        self._cap = cap
        self._rng = rng
        self._streak = 0

    def failed(self) -> float:
        """Seconds to wait after one more failure in a row."""
        delay = min(self._cap, self._base * 2**self._streak)
        self._streak += 1
        return float(delay * (0.5 + self._rng.random()))

    def succeeded(self) -> None:
        """A success resets the streak."""
        self._streak = 0


#: `PointBudget.verdict`: send now, or hold until a request in flight answers (else: seconds).
SEND: Final = "send"
HOLD: Final = "hold"


class PointBudget:
    """The primary budget as last reported, minus points reserved by requests in flight.

    Until the source has reported the budget once, one request probes it while the others hold; a
    batch is sent only if its estimated cost fits what is left, so the collector waits for the
    reset instead of being refused. Estimates come from the source (GitHub's formula) and are
    corrected by how far the reported costs differ from them.
    """

    def __init__(self) -> None:
        self.reported = RateBudget()
        self._factor = 1.0  # reported cost / estimated cost, learned from each answer
        self._reserved = 0
        self._in_flight = 0

    def estimate(self, points: int) -> int:
        """What a batch the source estimates at `points` is expected to cost."""
        return max(1, math.ceil(points * self._factor - 1e-9))

    def verdict(self, points: int, now: datetime) -> str | float:
        """SEND, HOLD, or the seconds to wait for the budget's reset."""
        remaining = self.reported.remaining
        if remaining is None:
            return HOLD if self._in_flight else SEND
        if remaining - self._reserved >= self.estimate(points):
            return SEND
        if self._in_flight:
            return HOLD
        reset_at = self.reported.reset_at
        seconds = (reset_at - now).total_seconds() + 1.0 if reset_at else 0.0
        if seconds <= 0:
            self.reported = RateBudget(limit=self.reported.limit)  # stale: probe again
            return SEND
        return seconds

    def reserve(self, points: int) -> int:
        """Count a request estimated at `points` as in flight; returns the points reserved."""
        reserved = self.estimate(points)
        self._reserved += reserved
        self._in_flight += 1
        return reserved

    def release(self, points: int) -> None:
        """A request reserved with `reserve` has returned (answered or failed)."""
        self._reserved -= points
        self._in_flight -= 1

    def update(self, budget: RateBudget, estimated: int) -> None:
        """Take the budget an answer reported, and learn how far costs differ from estimates."""
        if budget.cost is not None and estimated > 0:
            self._factor = min(10.0, max(0.1, budget.cost / estimated))
        if budget.remaining is None:
            return
        current = self.reported
        late = (
            current.remaining is not None
            and current.reset_at == budget.reset_at
            and budget.remaining > current.remaining
        )
        if not late:  # with requests in flight, an older answer can arrive after a newer one
            self.reported = budget

    def after_reset(self) -> None:
        """The reset time has passed: the budget is unknown until the next answer."""
        self.reported = RateBudget(limit=self.reported.limit)
