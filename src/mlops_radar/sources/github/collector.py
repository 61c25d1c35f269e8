"""The batched, rate-limit-aware GitHub collector.

`Collector.run(entries)` asks GitHub about every repository and organisation of a catalog, many per
request (aliases), with a small number of requests in flight, and writes each batch's facts and
outcomes through a `FactSink` as soon as it completes, so a crash loses at most the batches in
flight and `--resume` skips what is done. Every key ends with exactly one outcome, or stays
unrecorded when the run stops early (the summary then says `partial`).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from mlops_radar.catalog.records import ToolEntry
from mlops_radar.sources.facts import RepoFacts
from mlops_radar.sources.github.client import (
    GitHubClient,
    GraphQLAnswer,
    RateLimited,
    ShrinkBatch,
    TransientError,
)
from mlops_radar.sources.github.pacing import HOLD, SEND, Backoff, BatchSizer, PointBudget
from mlops_radar.sources.github.parse import AnswerError, parse_org, parse_repository
from mlops_radar.sources.github.plan import CollectPlan, plan_collection
from mlops_radar.sources.github.queries import org_query, org_variables, repo_query, repo_variables
from mlops_radar.sources.github.summary import (
    CollectConfig,
    CollectProgress,
    CollectSummary,
    ProgressStatus,
    SummaryTally,
)
from mlops_radar.sources.outcomes import FactSink, Outcome, RepoOutcome

__all__ = ["Collector"]


@dataclass(frozen=True, slots=True)
class _Item:
    """One thing to ask GitHub about: a repository or an organisation."""

    kind: Literal["repo", "org"]
    key: str  # lower-case
    asked: str  # as the catalog spells it


class _Stop(Exception):
    """The run cannot go on within its limits (a wait longer than `max_wait`)."""


class Collector:
    """Collects a catalog's repositories from GitHub through `client` into `sink`."""

    def __init__(
        self,
        client: GitHubClient,
        sink: FactSink,
        config: CollectConfig | None = None,
        progress: CollectProgress | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self._sink = sink
        self._config = config or CollectConfig()
        self._progress = progress
        self._now = now
        self._sizer = BatchSizer(self._config.batch_size, grow_after=self._config.grow_after)
        self._backoff = Backoff(
            self._config.backoff_base, self._config.backoff_cap, random.Random(self._config.seed)
        )
        self._queue: deque[_Item] = deque()
        self._attempts: dict[str, int] = {}
        self._finished: set[str] = set()
        self._tally = SummaryTally()
        self._in_flight = 0
        self._changed = asyncio.Event()
        self._paused_until = 0.0
        self._points = PointBudget()
        self._points_used = 0
        self._requests = 0
        self._stop_reason: str | None = None
        self._total = 0

    def run(self, entries: Iterable[ToolEntry]) -> CollectSummary:
        """Collect `entries` in a new event loop, then close the client."""

        async def run_and_close() -> CollectSummary:
            try:
                return await self.collect(entries)
            finally:
                await self._client.aclose()

        return asyncio.run(run_and_close())

    async def collect(self, entries: Iterable[ToolEntry]) -> CollectSummary:
        """Collect `entries` (skipping keys the sink reports done) and return what happened."""
        started = time.monotonic()
        plan = plan_collection(entries, {k.lower() for k in self._sink.done_repos()})
        self._total = plan.total
        self._record([], list(plan.skipped))
        self._enqueue(plan)
        workers = [self._worker() for _ in range(self._config.concurrency)]
        await asyncio.gather(*workers)
        return self._summary(plan, time.monotonic() - started)

    # -- work queue ---------------------------------------------------------------------------

    def _enqueue(self, plan: CollectPlan) -> None:
        self._queue.extend(_Item("repo", k, v) for k, v in plan.repos.items())
        self._queue.extend(_Item("org", k, v) for k, v in plan.orgs.items())

    def _take(self) -> list[_Item]:
        """The next batch: up to the current size, all of one kind."""
        batch: list[_Item] = []
        while self._queue and len(batch) < self._sizer.size:
            if batch and self._queue[0].kind != batch[0].kind:
                break
            batch.append(self._queue.popleft())
        return batch

    async def _worker(self) -> None:
        while self._stop_reason is None:
            batch = self._take()
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
                self._stop_reason = str(stop)
                self._queue.extendleft(reversed(batch))
            finally:
                self._in_flight -= 1
                self._changed.set()

    # -- one batch ----------------------------------------------------------------------------

    async def _send(self, batch: list[_Item]) -> None:
        reserved = await self._acquire(len(batch))
        try:
            answer: GraphQLAnswer | TransientError | RateLimited = await self._ask(batch)
        except (TransientError, RateLimited) as exc:
            answer = exc
        finally:
            self._points.release(reserved)
        if isinstance(answer, GraphQLAnswer):
            self._accept(batch, answer)
        elif isinstance(answer, RateLimited):
            await self._pause(answer.seconds, answer.reason)  # a _Stop here: the worker requeues
            self._requeue(batch)
        else:
            if isinstance(answer, ShrinkBatch):
                self._sizer.shrink(len(batch))
            await self._retry(batch, answer.reason)

    async def _ask(self, batch: list[_Item]) -> GraphQLAnswer:
        asked = [item.asked for item in batch]
        self._requests += 1
        if batch[0].kind == "repo":
            return await self._client.query(repo_query(len(batch)), repo_variables(asked))
        return await self._client.query(org_query(len(batch)), org_variables(asked))

    def _accept(self, batch: list[_Item], answer: GraphQLAnswer) -> None:
        self._points.update(answer.budget, len(batch))
        self._points_used += answer.budget.cost or 0
        self._sizer.succeeded()
        self._backoff.succeeded()
        facts: list[RepoFacts] = []
        outcomes: list[RepoOutcome] = []
        retry: list[tuple[_Item, str]] = []
        collected_at = self._now()
        for index, item in enumerate(batch):
            alias = f"r{index}" if item.kind == "repo" else f"g{index}"
            errors = [e for e in answer.errors if _error_alias(e) == alias]
            node = answer.data.get(alias)
            if item.kind == "org":
                outcomes.append(_org_outcome(item, node, errors))
                continue
            result = _repo_result(item, node, errors, collected_at)
            if isinstance(result, str):
                retry.append((item, result))
                continue
            outcome, repo_facts = result
            outcomes.append(outcome)
            if repo_facts is not None:
                facts.append(repo_facts)
        outcomes += self._give_up(retry)
        self._record(facts, outcomes)
        self._requeue([i for i, _ in retry if i.key not in self._finished])

    async def _retry(self, batch: list[_Item], reason: str) -> None:
        self._record([], self._give_up([(item, reason) for item in batch]))
        self._requeue([item for item in batch if item.key not in self._finished])
        delay = self._backoff.failed()
        await self._sleep(delay, f"retrying after {reason}")

    def _give_up(self, failures: list[tuple[_Item, str]]) -> list[RepoOutcome]:
        """Count one more attempt per failed item; FAILED outcomes for those out of attempts."""
        failed = []
        for item, reason in failures:
            self._attempts[item.key] = self._attempts.get(item.key, 0) + 1
            if self._attempts[item.key] >= self._config.max_attempts:
                why = f"{reason} ({self._attempts[item.key]} attempts)"
                failed.append(RepoOutcome(item.asked, Outcome.FAILED, reason=why))
        return failed

    def _requeue(self, items: list[_Item]) -> None:
        self._queue.extendleft(reversed(items))

    def _record(self, facts: list[RepoFacts], outcomes: list[RepoOutcome]) -> None:
        """Write one batch durably and count it; a key never gets a second outcome."""
        fresh = [o for o in outcomes if o.repo.lower() not in self._finished]
        if not fresh and not facts:
            return
        self._sink.write(facts, fresh)
        for outcome in fresh:
            self._finished.add(outcome.repo.lower())
            self._tally.add(outcome)
        if self._progress is not None:
            self._progress.batch_done(self._status())

    # -- waiting --------------------------------------------------------------------------------

    async def _acquire(self, size: int) -> int:
        """Wait until a batch of `size` may be sent; returns the points reserved for it."""
        while True:
            if self._stop_reason is not None:  # another worker stopped the run meanwhile
                raise _Stop(self._stop_reason)
            pause = self._paused_until - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            verdict = self._points.verdict(size, self._now())
            if verdict == SEND:
                return self._points.reserve(size)
            if verdict == HOLD:
                self._changed.clear()
                await self._changed.wait()
                continue
            await self._pause(float(verdict), "primary rate limit: waiting for the reset")
            self._points.after_reset()

    async def _pause(self, seconds: float, reason: str) -> None:
        max_wait = self._config.max_wait
        if max_wait is not None and seconds > max_wait:
            raise _Stop(
                f"{reason}: needs a {seconds:.0f} s wait, more than --max-wait {max_wait:g}"
            )
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
        )

    def _summary(self, plan: CollectPlan, elapsed: float) -> CollectSummary:
        tally = self._tally
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
            partial=len(self._finished) < plan.total,
            stop_reason=self._stop_reason,
            elapsed_seconds=elapsed,
        )


def _error_alias(error: Mapping[str, Any]) -> str | None:
    path = error.get("path")
    return path[0] if isinstance(path, list) and path and isinstance(path[0], str) else None


def _error_reason(errors: list[Mapping[str, Any]], default: str) -> str:
    for error in errors:
        message = error.get("message")
        if isinstance(message, str) and message:
            return message[:200]
    return default


def _error_types(errors: list[Mapping[str, Any]]) -> set[str]:
    return {str(e.get("type", "")).upper() for e in errors}


def _repo_result(
    item: _Item, node: object, errors: list[Mapping[str, Any]], collected_at: datetime
) -> tuple[RepoOutcome, RepoFacts | None] | str:
    """A final outcome (and facts) for one repository alias, or the reason to retry it."""
    if node is None:
        types = _error_types(errors)
        if "NOT_FOUND" in types:
            reason = _error_reason(errors, "not found")
            return RepoOutcome(item.asked, Outcome.NOT_FOUND, reason=reason), None
        if "FORBIDDEN" in types:
            reason = _error_reason(errors, "forbidden")
            return RepoOutcome(item.asked, Outcome.FORBIDDEN, reason=reason), None
        return _error_reason(errors, "no answer for this repository")
    try:
        facts = parse_repository(item.asked, node, collected_at=collected_at)  # type: ignore[arg-type]
    except AnswerError as exc:
        return RepoOutcome(item.asked, Outcome.FAILED, reason=f"unreadable answer: {exc}"), None
    new_name = facts.name_with_owner
    if new_name is not None and new_name.lower() != item.key:
        return RepoOutcome(item.asked, Outcome.RENAMED, new_name=new_name), facts
    return RepoOutcome(item.asked, Outcome.COLLECTED), facts


def _org_outcome(item: _Item, node: object, errors: list[Mapping[str, Any]]) -> RepoOutcome:
    """An organisation link: unresolved, with its most-starred repositories as suggestions."""
    if node is None:
        reason = _error_reason(errors, "no answer")
        return RepoOutcome(
            item.asked, Outcome.UNRESOLVED, reason=f"organisation not found: {reason}"
        )
    try:
        suggestions = parse_org(node)
    except AnswerError as exc:
        return RepoOutcome(item.asked, Outcome.UNRESOLVED, reason=f"unreadable answer: {exc}")
    return RepoOutcome(
        item.asked,
        Outcome.UNRESOLVED,
        reason="an organisation, not one repository",
        suggestions=suggestions,
    )
