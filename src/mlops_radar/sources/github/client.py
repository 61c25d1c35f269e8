"""An async client for GitHub's GraphQL endpoint that reads rate limits and classifies failures.

The client sends one document with its variables and returns the answer with the budget it reports
(`x-ratelimit-*` headers and the query's own `rateLimit { cost remaining resetAt }`, checked for
sanity). Failures are raised as the collector's classes (`sources.protocol`):

- `ShrinkBatch`: 502/504, a timeout, "Something went wrong while executing your query", or
  `{"data": null, "errors": [...]}` (GitHub kills queries that run over ~10 s), or an answer over
  the size cap: retry with a smaller batch.
- `RetryLater`: connection refused or reset, malformed JSON, other 5xx: retry after a backoff
  (`transport=True` when nothing came back at all: many in a row are an outage).
- `RateLimited`: secondary limit (`retry-after`) or primary budget exhausted (until
  `x-ratelimit-reset`): wait `seconds`, or stop when that exceeds the run's maximum wait.
- `AuthFailed` (401) and `QueryRejected` (400, a query GitHub refuses): stop the run.

Answers are read as a stream and cut at `max_body` bytes, so a huge answer cannot exhaust memory,
and one request has `deadline` seconds in all (a 1-byte drip cannot hold the run).
The token goes only into the Authorization header; no message or repr contains it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from mlops_radar import __version__
from mlops_radar.errors import CollectError
from mlops_radar.sources.github.answer import AnswerError, parse_timestamp
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.pacing import RateBudget
from mlops_radar.sources.protocol import (
    RateLimited,
    RetryLater,
    ShrinkBatch,
    SourceStopped,
)

__all__ = [
    "DEFAULT_API_URL",
    "MAX_BODY_BYTES",
    "REQUEST_DEADLINE",
    "AuthFailed",
    "GitHubClient",
    "GraphQLAnswer",
    "QueryRejected",
    "check_api_url",
]

DEFAULT_API_URL = "https://api.github.com/graphql"
#: Seconds to wait on a secondary limit that names no `retry-after` (GitHub: at least a minute).
SECONDARY_DEFAULT_WAIT = 60.0
#: Seconds one request may take in all, answer read to its end: a server that drips its answer
#: a byte at a time never trips the per-read timeout, but trips this.
REQUEST_DEADLINE = 120.0
#: The largest answer read (a 100-alias answer with its files is a few MB).
MAX_BODY_BYTES = 64 * 1024 * 1024
_SOMETHING_WENT_WRONG = "something went wrong while executing your query"


class AuthFailed(SourceStopped):
    """GitHub refused the token (401)."""


class QueryRejected(SourceStopped):
    """GitHub refused the query itself (400, or errors that name no repository)."""


@dataclass(frozen=True, slots=True)
class GraphQLAnswer:
    """A usable answer: `data` (aliases -> objects or None), per-alias `errors`, and the budget."""

    data: Mapping[str, Any]
    errors: tuple[Mapping[str, Any], ...]
    budget: RateBudget


def _header_int(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None and len(value) < 20 else None
    except ValueError:
        return None


def _reset_moment(seconds: int | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
    except (OverflowError, OSError, ValueError):  # a reset in the year 300000 is no reset
        return None


def _plain_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_budget(headers: httpx.Headers, body: Mapping[str, Any] | None) -> RateBudget:
    """The budget from `rateLimit` in the body when present, else from `x-ratelimit-*` headers."""
    budget = RateBudget.checked(
        limit=_header_int(headers, "x-ratelimit-limit"),
        remaining=_header_int(headers, "x-ratelimit-remaining"),
        used=_header_int(headers, "x-ratelimit-used"),
        reset_at=_reset_moment(_header_int(headers, "x-ratelimit-reset")),
        cost=None,
    )
    data = body.get("data") if body else None
    rate = data.get("rateLimit") if isinstance(data, Mapping) else None
    if not isinstance(rate, Mapping):
        return budget
    try:
        reset_at = parse_timestamp(rate.get("resetAt"), "rateLimit.resetAt") or budget.reset_at
    except AnswerError:
        reset_at = budget.reset_at
    said = RateBudget.checked(
        limit=_plain_int(rate.get("limit")),
        remaining=_plain_int(rate.get("remaining")),
        used=_plain_int(rate.get("used")),
        reset_at=reset_at,
        cost=_plain_int(rate.get("cost")),
    )
    return RateBudget.checked(
        limit=said.limit or budget.limit,
        remaining=said.remaining if said.remaining is not None else budget.remaining,
        used=said.used or budget.used,
        reset_at=said.reset_at,
        cost=said.cost,
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


def check_api_url(url: str) -> None:
    """Raise `CollectError` in one line unless `url` is an http(s) URL httpx can send to."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise CollectError(f"--api-url {url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise CollectError(f"--api-url {url!r} is not an http(s) URL")


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
        max_body: int = MAX_BODY_BYTES,
        deadline: float = REQUEST_DEADLINE,
    ) -> None:
        self.url = url
        self._clock = clock
        self._max_body = max_body
        self._deadline = deadline
        check_api_url(url)
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
        payload = {"query": document, "variables": dict(variables)}
        try:
            async with asyncio.timeout(self._deadline):
                async with self._http.stream("POST", self.url, json=payload) as response:
                    content = await self._read(response)
        except httpx.TimeoutException:
            raise ShrinkBatch("timeout") from None
        except TimeoutError:  # the overall deadline, not one read's
            raise ShrinkBatch(f"no complete answer within {self._deadline:g} s") from None
        except (httpx.ConnectError, httpx.NetworkError, httpx.ProtocolError) as exc:
            raise RetryLater(f"connection failed ({type(exc).__name__})", transport=True) from None
        except httpx.TransportError as exc:
            raise RetryLater(f"connection failed ({type(exc).__name__})") from None
        except httpx.InvalidURL as exc:
            raise CollectError(f"--api-url {self.url!r}: {exc}") from None
        return self._classify(response, content)

    async def _read(self, response: httpx.Response) -> bytes:
        """The body, or ShrinkBatch when it passes the size cap (read no further)."""
        declared = _header_int(response.headers, "content-length")
        if declared is not None and declared > self._max_body:
            raise ShrinkBatch(f"answer of {declared:,} bytes, over the {self._max_body:,} cap")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_body:
                raise ShrinkBatch(f"answer over the {self._max_body:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)

    def _seconds_until(self, moment: datetime | None) -> float:
        if moment is None:
            return SECONDARY_DEFAULT_WAIT
        return moment.timestamp() - self._clock() + 1.0  # one second of slack past the reset

    def _classify(self, response: httpx.Response, content: bytes) -> GraphQLAnswer:
        status = response.status_code
        body = self._json(content)
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
            if "data" in body and errors:  # GitHub's answer when the whole query timed out
                raise ShrinkBatch(f"GitHub answered no data: {shown[:120]}")
            if errors:
                raise QueryRejected(f"GitHub rejected the query: {shown[:200]}")
            raise RetryLater("answer without data")
        return GraphQLAnswer(data=data, errors=errors, budget=budget)

    @staticmethod
    def _json(content: bytes) -> Mapping[str, Any] | None:
        try:
            body = json.loads(content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        return body if isinstance(body, Mapping) else None


def _retry_after(value: str) -> float:
    """Seconds from a `retry-after` header (GitHub sends seconds); unreadable -> default wait.
    An absurd value (1e308, inf, nan) is kept as it is: the collector's `max_wait` refuses it."""
    try:
        seconds = float(value)
    except ValueError:
        return SECONDARY_DEFAULT_WAIT
    return SECONDARY_DEFAULT_WAIT if seconds != seconds else max(0.0, seconds)
