"""The collector: runs any `Source` over a catalog's entries, and only coordinates.

It keeps the queue of work items, packs them into batches (the source says which items may share a
batch and which size is cheapest; the collector halves a size the server cannot finish), sends a
few batches at a time, retries, paces itself on the budget the source reports, writes each batch's
facts and outcomes through a `FactSink` as soon as it is read, and reports progress. A crash loses
at most the batches in flight; `--resume` plans only what the store does not hold yet.

Every key ends with exactly one outcome per run, written with its last item; a key whose items
failed after their retries ends `failed` (a resume tries it again), the rest stay unrecorded when
the run stops early (the summary then says `partial`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime

from mlops_radar.catalog.records import ToolEntry
from mlops_radar.sources.factsets import FactRecord, RepoKey
from mlops_radar.sources.outcomes import FactSink, Outcome, RepoOutcome
from mlops_radar.sources.pacing import HOLD, SEND, Backoff, BatchSizer, PointBudget
from mlops_radar.sources.protocol import (
    Answered,
    BatchResult,
    Plan,
    RateLimited,
    ShrinkBatch,
    Source,
    TransientError,
    WorkItem,
)
from mlops_radar.sources.summary import (
    CollectConfig,
    CollectProgress,
    CollectSummary,
    GroupCost,
    ProgressStatus,
    SummaryTally,
)

__all__ = ["Collector"]


class _Stop(Exception):
    """The run cannot go on within its limits (a wait longer than `max_wait`, an outage)."""


class _Queue:
    """Work items waiting to be sent: per shape in arrival order, riders apart."""

    def __init__(self) -> None:
        self._shapes: OrderedDict[Hashable, deque[WorkItem]] = OrderedDict()
        self._riders: deque[WorkItem] = deque()

    def __bool__(self) -> bool:
        return bool(self._shapes) or bool(self._riders)

    def add(self, items: Iterable[WorkItem], *, front: bool = False) -> None:
        for item in reversed(list(items)) if front else items:
            if item.rider:
                line = self._riders
            else:
                line = self._shapes.setdefault(item.shape, deque())
                if front:
                    self._shapes.move_to_end(item.shape, last=False)
            line.appendleft(item) if front else line.append(item)

    def take(self, sizes: Callable[[Hashable], int], riders: int) -> list[WorkItem]:
        """The next batch: up to `sizes(shape)` items of the oldest shape, plus up to `riders`."""
        batch: list[WorkItem] = []
        if self._shapes:
            shape, line = next(iter(self._shapes.items()))
            for _ in range(min(len(line), sizes(shape))):
                batch.append(line.popleft())
            if not line:
                del self._shapes[shape]
        elif self._riders:
            riders = max(riders, 1)
        for _ in range(min(riders, len(self._riders))):
            batch.append(self._riders.popleft())
        return batch


class Collector:
    """Collects a catalog's entries from `source` into `sink`."""

    def __init__(
        self,
        source: Source,
        sink: FactSink,
        config: CollectConfig | None = None,
        progress: CollectProgress | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._source = source
        self._sink = sink
        self._config = config or CollectConfig()
        self._progress = progress
        self._now = now
        self._sizers: dict[Hashable, BatchSizer] = {}
        self._rider_sizer = BatchSizer(max(1, source.max_riders), grow_after=2)
        self._backoff = Backoff(
            self._config.backoff_base, self._config.backoff_cap, random.Random(self._config.seed)
        )
        self._queue = _Queue()
        self._attempts: dict[tuple[RepoKey, frozenset[str]], int] = {}
        self._open: dict[RepoKey, int] = {}  # items of a key queued or in flight
        self._provisional: dict[RepoKey, RepoOutcome] = {}
        self._failures: dict[RepoKey, str] = {}
        self._finished: set[RepoKey] = set()
        self._tally = SummaryTally()
        self._in_flight = 0
        self._changed = asyncio.Event()
        self._paused_until = 0.0
        self._points = PointBudget()
        self._points_used = 0
        self._requests = 0
        self._groups: dict[str, GroupCost] = {}  # the cost of batches of one field group alone
        self._unanswered = 0  # requests in a row that got no answer at all
        self._stop_reason: str | None = None
        self._total = 0

    def run(self, entries: Sequence[ToolEntry]) -> CollectSummary:
        """Collect `entries` in a new event loop, then close the source."""

        async def run_and_close() -> CollectSummary:
            try:
                return await self.collect(entries)
            finally:
                await self._source.aclose()

        return asyncio.run(run_and_close())

    async def collect(self, entries: Sequence[ToolEntry]) -> CollectSummary:
        """Collect `entries` (skipping what the store holds) and return what happened."""
        started = time.monotonic()
        stored = self._sink.stored(self._source.fact_sets())
        plan = self._source.plan(entries, stored, self._now())
        self._total = plan.total
        self._record([], list(plan.known))
        self._enqueue(plan.items)
        workers = [self._worker() for _ in range(self._config.concurrency)]
        await asyncio.gather(*workers)
        return self._summary(plan, time.monotonic() - started)

    # -- work queue ---------------------------------------------------------------------------

    def _enqueue(self, items: Iterable[WorkItem]) -> None:
        """New work: each item counts as open for its key until it is answered or given up."""
        items = [i for i in items if i.key not in self._finished]
        for item in items:
            self._open[item.key] = self._open.get(item.key, 0) + 1
        self._queue.add(items)

    def _size(self, shape: Hashable) -> int:
        sizer = self._sizers.get(shape)
        if sizer is None:
            preferred = self._source.preferred_size(shape, self._config.batch_size)
            sizer = self._sizers[shape] = BatchSizer(
                max(1, preferred), grow_after=self._config.grow_after
            )
        return sizer.size

    async def _worker(self) -> None:
        while self._stop_reason is None:
            batch = self._queue.take(self._size, self._rider_sizer.size)
            if not batch:
                if self._in_flight == 0:
                    return
                self._changed.clear()
                await self._changed.wait()
                continue
            self._in_flight += 1
            try:
                await self._send(batch)
            except _Stop as stop:
                self._stop_reason = self._stop_reason or str(stop)
                self._queue.add(batch, front=True)
            finally:
                self._in_flight -= 1
                self._changed.set()

    # -- one batch ----------------------------------------------------------------------------

    async def _send(self, batch: list[WorkItem]) -> None:
        estimated = self._source.estimate(batch)
        reserved = await self._acquire(estimated)
        answer: Answered | TransientError | RateLimited
        group = _single_group(batch)
        try:
            self._requests += 1
            self._charge(group, requests=1)
            answer = await self._source.fetch(batch)
        except (TransientError, RateLimited) as exc:
            answer = exc
        finally:
            self._points.release(reserved)
        if isinstance(answer, Answered):
            self._unanswered = 0
            self._accept(batch, answer, estimated)
        elif isinstance(answer, RateLimited):
            self._unanswered = 0
            await self._pause(answer.seconds, answer.reason)  # a _Stop here: the worker requeues
            self._queue.add(batch, front=True)
        else:
            self._unanswered = self._unanswered + 1 if answer.transport else 0
            if isinstance(answer, ShrinkBatch):
                self._shrink(batch)
            await self._retry(batch, answer.reason)
            if self._unanswered >= self._config.max_outage:
                raise _Stop(
                    f"the server is unreachable: {self._unanswered} requests in a row got no "
                    f"answer ({answer.reason})"
                )

    def _shrink(self, batch: list[WorkItem]) -> None:
        main = [item for item in batch if not item.rider]
        riders = len(batch) - len(main)
        if main:
            self._sizers[main[0].shape].shrink(len(main))
        if riders and (not main or len(main) == 1):
            self._rider_sizer.shrink(riders)

    def _accept(self, batch: list[WorkItem], answer: Answered, estimated: int) -> None:
        self._points.update(answer.budget, estimated)
        self._points_used += answer.budget.cost or 0
        self._charge(
            _single_group(batch),
            points=answer.budget.cost or 0,
            pages=sum(1 for i in batch if not i.rider),
        )
        for shape in {item.shape for item in batch if not item.rider}:
            self._sizers[shape].succeeded()
        self._backoff.succeeded()
        result: BatchResult = self._source.parse(batch, answer, self._now())
        retry_items = [item for item, _ in result.retry]
        failed = self._give_up(list(result.retry))
        self._enqueue(result.follow_up)
        done = [item for item in batch if item not in retry_items]
        self._close_items(done, list(result.outcomes), list(result.facts), failed)
        self._queue.add([i for i in retry_items if i not in failed], front=True)

    async def _retry(self, batch: list[WorkItem], reason: str) -> None:
        failed = self._give_up([(item, reason) for item in batch])
        self._close_items([], [], [], failed)
        self._queue.add([i for i in batch if i not in failed], front=True)
        delay = self._backoff.failed()
        await self._sleep(delay, f"retrying after {reason}")

    def _charge(
        self, group: str | None, requests: int = 0, points: int = 0, pages: int = 0
    ) -> None:
        if group is None:
            return
        was = self._groups.get(group, GroupCost())
        self._groups[group] = GroupCost(
            was.requests + requests, was.points + points, was.pages + pages
        )

    def _give_up(self, failures: list[tuple[WorkItem, str]]) -> list[WorkItem]:
        """Count one more attempt per failed item; those out of attempts are returned (their key
        gets a `failed` outcome once its other items are done)."""
        spent = []
        for item, reason in failures:
            slot = (item.key, item.parts)
            self._attempts[slot] = self._attempts.get(slot, 0) + 1
            if self._attempts[slot] >= self._config.max_attempts:
                parts = ", ".join(sorted(item.parts))
                self._failures[item.key] = f"{parts}: {reason} ({self._attempts[slot]} attempts)"
                spent.append(item)
        return spent

    def _close_items(
        self,
        done: list[WorkItem],
        outcomes: list[RepoOutcome],
        facts: list[FactRecord],
        failed: list[WorkItem],
    ) -> None:
        """Record what a batch finished: facts now, each key's outcome with its last item."""
        for outcome in outcomes:
            key = RepoKey(outcome.repo.lower())
            before = self._provisional.get(key)
            if before is not None and before.problems and before.outcome is outcome.outcome:
                # a key's items each read part of it: its outcome keeps every item's problems
                problems = (*before.problems, *outcome.problems)
                outcome = dataclasses.replace(outcome, problems=problems)
            self._provisional[key] = outcome
        final: list[RepoOutcome] = []
        for item in [*done, *failed]:
            left = self._open.get(item.key, 1) - 1
            self._open[item.key] = left
            if left > 0 or item.key in self._finished:
                continue
            if item.key in self._failures:
                known = self._provisional.get(item.key)
                final.append(
                    RepoOutcome(
                        item.asked,
                        Outcome.FAILED,
                        reason=self._failures[item.key],
                        problems=known.problems if known else (),
                    )
                )
            elif item.key in self._provisional:
                final.append(self._provisional[item.key])
        self._record(facts, final)

    def _record(self, facts: list[FactRecord], outcomes: list[RepoOutcome]) -> None:
        """Write one batch durably and count it; a key never gets a second outcome."""
        fresh = {RepoKey(o.repo.lower()): o for o in outcomes}
        fresh = {k: o for k, o in fresh.items() if k not in self._finished}
        if not fresh and not facts:
            return
        self._sink.write(facts, fresh.values())
        for key, outcome in fresh.items():
            self._finished.add(key)
            self._tally.add(outcome)
        if self._progress is not None:
            self._progress.batch_done(self._status())

    # -- waiting --------------------------------------------------------------------------------

    async def _acquire(self, estimated: int) -> int:
        """Wait until a batch estimated at `estimated` points may be sent; returns the reserve."""
        while True:
            if self._stop_reason is not None:  # another worker stopped the run meanwhile
                raise _Stop(self._stop_reason)
            pause = self._paused_until - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            verdict = self._points.verdict(estimated, self._now())
            if verdict == SEND:
                return self._points.reserve(estimated)
            if verdict == HOLD:
                self._changed.clear()
                await self._changed.wait()
                continue
            await self._pause(float(verdict), "primary rate limit: waiting for the reset")
            self._points.after_reset()

    async def _pause(self, seconds: float, reason: str) -> None:
        max_wait = self._config.max_wait
        if max_wait is not None and not seconds <= max_wait:  # NaN and inf stop too
            shown = f"{seconds:.0f} s" if seconds < 1e12 else "an unbounded"
            raise _Stop(f"{reason}: needs {shown} wait, more than --max-wait {max_wait:g}")
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        await self._sleep(seconds, reason)

    async def _sleep(self, seconds: float, reason: str) -> None:
        if self._progress is not None and seconds >= 0.5:
            self._progress.waiting(seconds, reason)
        await asyncio.sleep(seconds)

    # -- reporting ------------------------------------------------------------------------------

    def _status(self) -> ProgressStatus:
        return ProgressStatus(
            done=len(self._finished),
            total=self._total,
            requests=self._requests,
            points=self._points_used,
            remaining=self._points.reported.remaining,
            limit=self._points.reported.limit,
            groups=dict(self._groups),
        )

    def _summary(self, plan: Plan, elapsed: float) -> CollectSummary:
        tally = self._tally
        failed = tally.counts[Outcome.FAILED] > 0
        return CollectSummary(
            total=plan.total,
            counts=dict(tally.counts),
            renamed=tuple(tally.renamed),
            failed=tuple(tally.failed),
            unresolved=tuple(tally.unresolved),
            already_done=plan.already_done,
            requests=self._requests,
            points=self._points_used,
            budget_left=self._points.reported.remaining,
            partial=len(self._finished) < plan.total or failed,
            stop_reason=self._stop_reason,
            elapsed_seconds=elapsed,
            groups=dict(self._groups),
        )


def _single_group(batch: Sequence[WorkItem]) -> str | None:
    """The field group a batch asks alone (its non-rider items all ask that one part), or None
    for a batch of several groups (the light groups share their batches)."""
    main = [item for item in batch if not item.rider]
    if not main or len(main[0].parts) != 1 or any(i.parts != main[0].parts for i in main):
        return None
    return next(iter(main[0].parts))
