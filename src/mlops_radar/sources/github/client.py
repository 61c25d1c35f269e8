"""An async client for GitHub's GraphQL endpoint that reads rate limits and classifies failures.

The client sends one document with its variables and returns the answer with the budget it reports
(`x-ratelimit-*` headers and the query's own `rateLimit { cost remaining resetAt }`). Failures are
raised as a few classes the collector acts on:

- `ShrinkBatch`: 502/504, a timeout, "Something went wrong while executing your query" (GitHub kills
  queries that run over ~10 s): retry with a smaller batch.
- `RetryLater`: connection reset, malformed JSON, other 5xx: retry the same batch after a backoff.
- `RateLimited`: secondary limit (`retry-after`) or primary budget exhausted (until
  `x-ratelimit-reset`): wait `seconds`, or stop when that exceeds the run's maximum wait.
- `AuthFailed` (401) and `QueryRejected` (400, a query GitHub refuses): stop the run.

The token goes only into the Authorization header; no message or repr contains it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

import httpx

from mlops_radar import __version__
from mlops_radar.errors import CollectError, SourceError
from mlops_radar.sources.github.parse import AnswerError, parse_timestamp
from mlops_radar.sources.github.token import Token

__all__ = [
    "DEFAULT_API_URL",
    "AuthFailed",
    "GitHubClient",
    "GraphQLAnswer",
    "QueryRejected",
    "RateBudget",
    "RateLimited",
    "RetryLater",
    "ShrinkBatch",
    "TransientError",
]

DEFAULT_API_URL = "https://api.github.com/graphql"
#: Seconds to wait on a secondary limit that names no `retry-after` (GitHub: at least a minute).
SECONDARY_DEFAULT_WAIT = 60.0
_SOMETHING_WENT_WRONG = "something went wrong while executing your query"


class TransientError(SourceError):
    """A request failed in a way that may pass on retry; `reason` is one line for the summary."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ShrinkBatch(TransientError):
    """The query was too heavy or slow for GitHub (502, 504, timeout): retry with fewer aliases."""


class RetryLater(TransientError):
    """The request failed on the way (reset, malformed JSON, 5xx): retry after a backoff."""


class RateLimited(SourceError):
    """A rate limit: wait `seconds` before the next request."""

    def __init__(self, kind: Literal["primary", "secondary"], seconds: float, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.seconds = max(0.0, seconds)
        self.reason = reason


class AuthFailed(CollectError):
    """GitHub refused the token (401)."""


class QueryRejected(CollectError):
    """GitHub refused the query itself (400, or errors that name no repository)."""


@dataclass(frozen=True, slots=True)
class RateBudget:
    """The primary rate-limit budget as last reported (None where the answer did not say)."""

    limit: int | None = None
    remaining: int | None = None
    used: int | None = None
    reset_at: datetime | None = None
    cost: int | None = None  # points this query cost (from `rateLimit { cost }`)


@dataclass(frozen=True, slots=True)
class GraphQLAnswer:
    """A usable answer: `data` (aliases -> objects or None), per-alias `errors`, and the budget."""

    data: Mapping[str, Any]
    errors: tuple[Mapping[str, Any], ...]
    budget: RateBudget


def _header_int(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _plain_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_budget(headers: httpx.Headers, body: Mapping[str, Any] | None) -> RateBudget:
    """The budget from `rateLimit` in the body when present, else from `x-ratelimit-*` headers."""
    reset = _header_int(headers, "x-ratelimit-reset")
    budget = RateBudget(
        limit=_header_int(headers, "x-ratelimit-limit"),
        remaining=_header_int(headers, "x-ratelimit-remaining"),
        used=_header_int(headers, "x-ratelimit-used"),
        reset_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
    )
    data = body.get("data") if body else None
    rate = data.get("rateLimit") if isinstance(data, Mapping) else None
    if not isinstance(rate, Mapping):
        return budget
    try:
        reset_at = parse_timestamp(rate.get("resetAt"), "rateLimit.resetAt") or budget.reset_at
    except AnswerError:
        reset_at = budget.reset_at
    return RateBudget(
        limit=_plain_int(rate.get("limit")) or budget.limit,
        remaining=_plain_int(rate.get("remaining"))
        if _plain_int(rate.get("remaining")) is not None
        else budget.remaining,
        used=_plain_int(rate.get("used")) or budget.used,
        reset_at=reset_at,
        cost=_plain_int(rate.get("cost")),
    )


def _messages(body: Mapping[str, Any] | None) -> str:
    """All error messages and types of a body in one line, shown as is and matched lower-cased."""
    if not body:
        return ""
    parts = [str(body.get("message", ""))]
    errors = body.get("errors")
    if isinstance(errors, list):
        parts += [str(e.get("message", "")) for e in errors if isinstance(e, Mapping)]
        parts += [str(e.get("type", "")) for e in errors if isinstance(e, Mapping)]
    return " ".join(" ".join(p for p in parts if p).split())


class GitHubClient:
    """POSTs GraphQL documents to one endpoint with a bearer token; use as `async with`."""

    def __init__(
        self,
        url: str,
        token: Token,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self._clock = clock
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=10.0),
            transport=transport,
            headers={
                "Authorization": f"bearer {token.reveal()}",
                "User-Agent": f"mlops-radar/{__version__}",
                "Accept": "application/json",
            },
        )
        self.requests = 0

    def __repr__(self) -> str:
        return f"GitHubClient({self.url!r})"

    async def __aenter__(self) -> GitHubClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def query(self, document: str, variables: Mapping[str, Any]) -> GraphQLAnswer:
        """Send one query; return its answer or raise one of this module's classified errors."""
        self.requests += 1
        try:
            response = await self._http.post(
                self.url, json={"query": document, "variables": dict(variables)}
            )
        except httpx.TimeoutException:
            raise ShrinkBatch("timeout") from None
        except httpx.TransportError as exc:
            raise RetryLater(f"connection failed ({type(exc).__name__})") from None
        return self._classify(response)

    def _seconds_until(self, moment: datetime | None) -> float:
        if moment is None:
            return SECONDARY_DEFAULT_WAIT
        return moment.timestamp() - self._clock() + 1.0  # one second of slack past the reset

    def _classify(self, response: httpx.Response) -> GraphQLAnswer:
        status = response.status_code
        body = self._json(response)
        budget = read_budget(response.headers, body)
        shown = _messages(body)
        text = shown.lower()
        if status == 401:
            raise AuthFailed(
                "GitHub refused the token (401 Bad credentials): check that it is valid"
            )
        retry_after = response.headers.get("retry-after")
        data = body.get("data") if body else None
        if retry_after is not None and (status != 200 or not isinstance(data, Mapping)):
            raise RateLimited("secondary", _retry_after(retry_after), "secondary rate limit")
        if budget.remaining == 0 and (status in (403, 429) or "rate_limited" in text):
            seconds = self._seconds_until(budget.reset_at)
            raise RateLimited("primary", seconds, "primary rate limit exhausted")
        if status in (403, 429):
            if "rate limit" in text or "abuse" in text:
                raise RateLimited("secondary", SECONDARY_DEFAULT_WAIT, "secondary rate limit")
            raise CollectError(f"GitHub answered {status} Forbidden for the whole query")
        if status in (502, 504):
            raise ShrinkBatch(f"{status} {response.reason_phrase or 'gateway error'}".strip())
        if status >= 500:
            raise RetryLater(f"{status} server error")
        if status >= 400:
            raise QueryRejected(f"GitHub rejected the query ({status}): {shown[:200]}")
        if body is None:
            raise RetryLater("malformed JSON answer")
        return self._answer(body, shown, budget)

    def _answer(self, body: Mapping[str, Any], shown: str, budget: RateBudget) -> GraphQLAnswer:
        data = body.get("data")
        raw_errors = body.get("errors")
        errors = tuple(e for e in raw_errors if isinstance(e, Mapping)) if raw_errors else ()
        text = shown.lower()
        if _SOMETHING_WENT_WRONG in text:
            raise ShrinkBatch("GitHub: something went wrong while executing the query (timeout)")
        if "rate_limited" in text:
            raise RateLimited("primary", self._seconds_until(budget.reset_at), "rate limited")
        if not isinstance(data, Mapping):
            if errors:
                raise QueryRejected(f"GitHub rejected the query: {shown[:200]}")
            raise RetryLater("answer without data")
        return GraphQLAnswer(data=data, errors=errors, budget=budget)

    @staticmethod
    def _json(response: httpx.Response) -> Mapping[str, Any] | None:
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, Mapping) else None


def _retry_after(value: str) -> float:
    """Seconds from a `retry-after` header (GitHub sends seconds); unreadable -> default wait."""
    try:
        return max(0.0, float(value))
    except ValueError:
        return SECONDARY_DEFAULT_WAIT
