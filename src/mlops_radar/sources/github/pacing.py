"""How fast and how big: the adaptive batch size, the backoff between retries, the point budget.

Batch sizes walk a fixed ladder (the configured size halved down to 1: 50, 25, 12, 6, 3, 1), so
a run sends only a handful of distinct documents. A batch that GitHub cannot finish in time (502,
504, timeout) moves the size one rung down; a few successes in a row move it one rung back up.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Final

from mlops_radar.sources.github.client import RateBudget

__all__ = ["HOLD", "SEND", "Backoff", "BatchSizer", "PointBudget"]


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

    Until GitHub has reported the budget once, one request probes it while the others hold; a batch
    is sent only if its estimated cost fits what is left, so the collector waits for the reset
    instead of being refused.
    """

    def __init__(self, per_item: float = 0.1) -> None:
        self.reported = RateBudget()
        self._per_item = per_item  # points per alias, learned from each answer
        self._reserved = 0
        self._in_flight = 0

    def estimate(self, size: int) -> int:
        """Points a batch of `size` aliases is expected to cost."""
        return max(1, round(size * self._per_item))

    def verdict(self, size: int, now: datetime) -> str | float:
        """SEND, HOLD, or the seconds to wait for the budget's reset."""
        remaining = self.reported.remaining
        if remaining is None:
            return HOLD if self._in_flight else SEND
        if remaining - self._reserved >= self.estimate(size):
            return SEND
        if self._in_flight:
            return HOLD
        reset_at = self.reported.reset_at
        seconds = (reset_at - now).total_seconds() + 1.0 if reset_at else 0.0
        if seconds <= 0:
            self.reported = RateBudget(limit=self.reported.limit)  # stale: probe again
            return SEND
        return seconds

    def reserve(self, size: int) -> int:
        """Count a request of `size` aliases as in flight; returns the points reserved."""
        points = self.estimate(size)
        self._reserved += points
        self._in_flight += 1
        return points

    def release(self, points: int) -> None:
        """A request reserved with `reserve` has returned (answered or failed)."""
        self._reserved -= points
        self._in_flight -= 1

    def update(self, budget: RateBudget, size: int) -> None:
        """Take the budget an answer reported, and learn the cost per alias from it."""
        if budget.cost is not None and size:
            self._per_item = budget.cost / size
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
