"""One GraphQL request, from headers and body to an answer, as GitHub would give it.

The order of checks follows GitHub: authentication (any token, or only the configured ones),
(injected transport faults), parsing and validation, pagination and node limits, the secondary
limit, the query-size timeout, the primary budget, then execution. `GraphQLService` is
independent of HTTP, so the server stays thin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from github_simulator.analysis import DocumentPlan, analyse
from github_simulator.answers import AnswerCache
from github_simulator.config import SimulatorConfig
from github_simulator.cost import Measure, measure
from github_simulator.execution import Directory, ExecutionRuntime, QueryRoot, execute_plan
from github_simulator.faults import Fault
from github_simulator.limits import Budget, RateLimiter
from github_simulator.schema import load_schema
from github_simulator.shapes import (
    DOCS_URL,
    RATE_LIMIT_MESSAGE,
    SECONDARY_DOCS_URL,
    SECONDARY_LIMIT_MESSAGE,
    TIMEOUT_MESSAGE,
    ErrorEntry,
)
from github_simulator.stats import SimulatorStats, StatsRecorder

__all__ = ["Answer", "GraphQLService"]

PLAN_CACHE_SIZE = 2048
MALFORMED_BODY = b'{"data":{"r0":{"nameWithOwner":"'


@dataclass(frozen=True)
class Answer:
    """An HTTP answer; `body=None` means: drop the connection without answering.

    `padding` bytes of whitespace are sent before the body, with no `content-length` (the
    connection closes after the answer); `drip` sends the body one byte every `drip` seconds."""

    status: int
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)
    padding: int = 0
    drip: float = 0.0


def json_answer(status: int, payload: object, headers: Mapping[str, str] | None = None) -> Answer:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Answer(
        status, body, {"content-type": "application/json; charset=utf-8", **(headers or {})}
    )


class GraphQLService:
    """The simulator's behaviour behind `POST /graphql`; thread-safe."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.schema = load_schema(config.schema_path, cache=config.schema_cache)
        self.directory = Directory(config.population, config.faults)
        self.answers = AnswerCache() if config.cache_answers else None
        self.runtime = ExecutionRuntime(strict=config.strict, answers=self.answers)
        self.limiter = RateLimiter(
            config.primary_limit, config.reset_seconds, config.secondary_limit_per_minute
        )
        self.recorder = StatsRecorder()
        self._token_digests = (
            None if config.tokens is None else tuple(_digest(token) for token in config.tokens)
        )
        self._plans: OrderedDict[tuple[str, str | None], DocumentPlan] = OrderedDict()
        self._lock = threading.Lock()
        self._in_flight = 0

    def stats(self) -> SimulatorStats:
        counts = (0, 0) if self.answers is None else self.answers.counts()
        return self.recorder.snapshot(dict(self.directory.queried), counts)

    def reset_stats(self) -> None:
        self.recorder.reset()
        self.directory.clear_queries()
        if self.answers is not None:
            self.answers.reset_counts()

    def handle(self, headers: Mapping[str, str], body: bytes) -> Answer:
        """Answer one `POST /graphql` (header names lower-case)."""
        with self._lock:
            self._in_flight += 1
        started = time.thread_time()
        try:
            return self._handle(headers, body)
        finally:
            self.recorder.spent(query_cpu=time.thread_time() - started)
            with self._lock:
                self._in_flight -= 1

    def _handle(self, headers: Mapping[str, str], body: bytes) -> Answer:
        number = self.recorder.start_request()
        token = self._authenticate(headers.get("authorization", ""))
        if token is None:
            return self._finish(_unauthorized(headers.get("authorization")))
        if self.faults.latency > 0:
            self.recorder.fault(Fault.LATENCY)
            time.sleep(self.faults.latency)
        request_id = f"SIM{number:06X}:{number * 7919 % 65536:04X}"
        fault = self.faults.transport_fault(number)
        if fault is not None:
            self.recorder.fault(fault)
            return self._finish(_transport_fault(fault, request_id))
        answer = self._graphql(token, body, number, request_id)
        shaped = self.faults.body_fault(number)
        if shaped is Fault.HUGE_BODY and answer.body is not None:
            self.recorder.fault(shaped)
            answer = dataclasses.replace(answer, padding=self.faults.huge_body_bytes)
        elif shaped is Fault.DRIP and answer.body is not None:
            self.recorder.fault(shaped)
            answer = dataclasses.replace(answer, drip=self.faults.drip_interval)
        return self._finish(answer)

    def budget_for(self, authorization: str) -> Budget | None:
        """The caller's primary budget (for `GET /rate_limit`), or None when unauthenticated."""
        token = self._authenticate(authorization)
        return None if token is None else self.limiter.budget(token)

    def _authenticate(self, authorization: str) -> str | None:
        """The budget key of an accepted `Authorization` header, or None (answer 401).

        Accepted tokens are compared by SHA-256 digest with `hmac.compare_digest`, against every
        accepted digest, so the time taken says nothing about the token.
        """
        token = _credentials(authorization)
        if token is None:
            return None
        digest = _digest(token)
        if self._token_digests is not None:
            matched = False
            for accepted in self._token_digests:
                matched |= hmac.compare_digest(accepted, digest)
            if not matched:
                return None
        return digest.hex()[:24]

    def _finish(self, answer: Answer) -> Answer:
        self.recorder.answered(answer.status)
        return answer

    def _graphql(self, token: str, body: bytes, number: int, request_id: str) -> Answer:
        headers = {"x-github-request-id": request_id}
        request = _request(body)
        if isinstance(request, Answer):
            return request
        query, variables, operation_name = request
        plan = self._plan(query, operation_name)
        if plan.errors:
            self.recorder.rejected()
            return json_answer(200, {"errors": list(plan.errors)}, headers)
        cost = measure(plan, variables)
        if cost.errors:
            self.recorder.rejected()
            return json_answer(200, {"errors": list(cost.errors)}, headers)
        secondary = self._secondary(token, number, plan)
        if secondary is not None:
            retry = {"retry-after": _seconds(secondary), **headers}
            message = SECONDARY_LIMIT_MESSAGE.format(request_id=request_id)
            return json_answer(
                403,
                {"message": message, "documentation_url": SECONDARY_DOCS_URL},
                {**retry, **self.limiter.budget(token).headers()},
            )
        if self.faults.too_big(plan.repository_fields):
            self.recorder.fault(Fault.QUERY_TIMEOUT)
            return _timeout(502, request_id)
        charged, budget = self.limiter.charge(token, cost.cost)
        if self.faults.reset_at is not None:
            budget = dataclasses.replace(budget, reset_at=int(self.faults.reset_at))
        headers.update(budget.headers())
        if not charged:
            self.recorder.rate_limited()
            return self._rate_limited(budget, headers, request_id)
        self.recorder.charged(cost.cost)
        return self._execute(plan, variables, operation_name, cost, budget, headers)

    def _plan(self, query: str, operation_name: str | None) -> DocumentPlan:
        """The cached verdict on a document; analysed (outside the lock) on first sight."""
        key = (query, operation_name)
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
        if plan is not None:
            self.recorder.validation_cache_hit()
            return plan
        plan = analyse(self.schema, query, operation_name)
        self.recorder.validated()
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > PLAN_CACHE_SIZE:
                self._plans.popitem(last=False)
        return plan

    def _secondary(self, token: str, number: int, plan: DocumentPlan) -> float | None:
        if self.faults.secondary_limit(number):
            self.recorder.fault(Fault.SECONDARY_LIMIT)
            self.recorder.secondary_limited()
            return self.faults.retry_after
        with self._lock:
            crowded = self._in_flight > self.config.max_concurrent
        wait = 1 if crowded else self.limiter.secondary(token, 5 if plan.is_mutation else 1)
        if wait is not None:
            self.recorder.secondary_limited()
        return wait

    def _rate_limited(self, budget: Budget, headers: dict[str, str], request_id: str) -> Answer:
        headers["x-ratelimit-remaining"] = "0"
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        error = {
            "type": "RATE_LIMITED",
            "code": "graphql_rate_limit",
            "message": RATE_LIMIT_MESSAGE.format(request_id=request_id, timestamp=stamp),
            "extensions": {"code": "RATE_LIMITED"},
        }
        return json_answer(self.config.rate_limited_status, {"errors": [error]}, headers)

    def _execute(
        self,
        plan: DocumentPlan,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        cost: Measure,
        budget: Budget,
        headers: dict[str, str],
    ) -> Answer:
        rate_limit = {
            "cost": cost.cost,
            "limit": budget.limit,
            "remaining": budget.remaining,
            "used": budget.used,
            "resetAt": _timestamp(budget.reset_at),
            "nodeCount": cost.node_count,
        }
        root = QueryRoot(self.directory, rate_limit)
        started = time.thread_time()
        data, errors = execute_plan(
            self.schema, plan, variables, operation_name, root, self.runtime
        )
        self.recorder.spent(execution_cpu=time.thread_time() - started)
        for error in errors:
            if error.get("type") == "FORBIDDEN":
                self.recorder.fault(Fault.FORBIDDEN)
        for _ in range(self.faults.spoil(data)):
            self.recorder.fault(Fault.ABSURD)
        payload: dict[str, Any] = {"data": data}
        if errors:
            payload["errors"] = errors
        return json_answer(200, payload, headers)


def _credentials(authorization: str) -> str | None:
    """The token of `Authorization: bearer <token>` (or `token <token>`), or None."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() not in ("bearer", "token") or not token.strip():
        return None
    return token.strip()


def _digest(token: str) -> bytes:
    """What the simulator keeps of a token: its SHA-256 digest (budgets are keyed by a prefix)."""
    return hashlib.sha256(token.encode()).digest()


def _unauthorized(authorization: str | None) -> Answer:
    if authorization:
        return json_answer(401, {"message": "Bad credentials", "documentation_url": DOCS_URL})
    message = "This endpoint requires you to be authenticated."
    return json_answer(401, {"message": message, "documentation_url": DOCS_URL})


def _request(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | Answer:
    """`(query, variables, operationName)` from the JSON body, or the error answer."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return json_answer(400, {"message": "Problems parsing JSON", "documentation_url": DOCS_URL})
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        error = {"message": "A query attribute must be specified and must be a string."}
        return json_answer(200, {"errors": [error]})
    variables = payload.get("variables")
    if isinstance(variables, str):
        try:
            variables = json.loads(variables) if variables else None
        except ValueError:
            variables = None
    operation = payload.get("operationName")
    return (
        payload["query"],
        variables if isinstance(variables, dict) else None,
        operation if isinstance(operation, str) and operation else None,
    )


def _seconds(value: float) -> str:
    """A `retry-after` value as a server would write it (1, 2.5, 1e+308)."""
    return str(int(value)) if float(value).is_integer() and value < 1e15 else repr(float(value))


def _timestamp(epoch: int) -> str:
    """GitHub's DateTime for epoch seconds (the year 9999 at most)."""
    moment = dt.datetime.fromtimestamp(min(epoch, 253_402_300_799), dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _transport_fault(fault: Fault, request_id: str) -> Answer:
    if fault is Fault.CONNECTION_RESET:
        return Answer(0, None)
    if fault is Fault.NULL_DATA:  # the whole query ran out of time on GitHub's side
        message = f"The query ran out of time before it completed (request {request_id})."
        return json_answer(200, {"data": None, "errors": [{"message": message}]})
    if fault is Fault.MALFORMED_JSON:
        return Answer(200, MALFORMED_BODY, {"content-type": "application/json; charset=utf-8"})
    if fault is Fault.GATEWAY_TIMEOUT:
        message = (
            "We couldn't respond to your request in time. Sorry about that. Please try "
            "resubmitting your request and contact us if the problem persists."
        )
        return json_answer(504, {"message": message, "documentation_url": DOCS_URL})
    return _timeout(502, request_id)


def _timeout(status: int, request_id: str) -> Answer:
    error: ErrorEntry = {"message": TIMEOUT_MESSAGE.format(request_id=request_id)}
    return json_answer(status, {"data": None, "errors": [error]})
