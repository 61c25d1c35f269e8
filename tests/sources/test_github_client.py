"""The client's classification of GitHub's answers (unit tests with httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from mlops_radar.errors import CollectError
from mlops_radar.sources.github.client import (
    AuthFailed,
    GitHubClient,
    GraphQLAnswer,
    QueryRejected,
    RateLimited,
    RetryLater,
    ShrinkBatch,
)
from mlops_radar.sources.github.token import Token

SECRET = "ghp_unit_secret_value_123"
NOW = 1_800_000_000.0


def ask(handler: Callable[[httpx.Request], httpx.Response]) -> GraphQLAnswer:
    async def go() -> GraphQLAnswer:
        client = GitHubClient(
            "http://127.0.0.1:1/graphql",
            Token(SECRET, "TEST"),
            transport=httpx.MockTransport(handler),
            clock=lambda: NOW,
        )
        async with client:
            return await client.query("query { viewer { login } }", {"o0": "a"})

    return asyncio.run(go())


def reply(status: int = 200, body: object = None, headers: dict[str, str] | None = None):
    def handler(request: httpx.Request) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=content, headers=headers or {})

    return handler


def test_sends_the_bearer_token_and_variables_and_reads_the_budget() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "data": {
                    "r0": {"nameWithOwner": "a/b"},
                    "rateLimit": {
                        "cost": 3,
                        "remaining": 4990,
                        "resetAt": "2027-01-15T08:00:00Z",
                        "limit": 5000,
                        "used": 10,
                    },
                }
            },
            headers={"x-ratelimit-remaining": "4991", "x-ratelimit-limit": "5000"},
        )

    answer = ask(handler)
    assert seen[0].headers["authorization"] == f"bearer {SECRET}"
    assert json.loads(seen[0].content)["variables"] == {"o0": "a"}
    assert answer.data["r0"] == {"nameWithOwner": "a/b"}
    assert answer.budget.cost == 3
    assert answer.budget.remaining == 4990  # the body's rateLimit wins over the header
    assert answer.budget.reset_at == datetime(2027, 1, 15, 8, tzinfo=UTC)


def test_headers_alone_give_the_budget() -> None:
    answer = ask(
        reply(
            body={"data": {"r0": None}},
            headers={"x-ratelimit-remaining": "12", "x-ratelimit-reset": str(int(NOW) + 60)},
        )
    )
    assert answer.budget.remaining == 12
    assert answer.budget.reset_at == datetime.fromtimestamp(int(NOW) + 60, UTC)


def test_per_alias_errors_are_handed_back_with_the_data() -> None:
    error = {"type": "NOT_FOUND", "path": ["r1"], "message": "Could not resolve"}
    answer = ask(reply(body={"data": {"r0": {}, "r1": None}, "errors": [error]}))
    assert answer.errors == (error,)


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_errors_shrink_the_batch(status: int) -> None:
    with pytest.raises(ShrinkBatch, match=str(status)):
        ask(reply(status, body=b"<html>bad gateway</html>"))


def test_something_went_wrong_shrinks_the_batch() -> None:
    body = {
        "data": None,
        "errors": [{"message": "Something went wrong while executing your query."}],
    }
    with pytest.raises(ShrinkBatch, match="something went wrong"):
        ask(reply(body=body))


def test_a_timeout_shrinks_the_batch() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ShrinkBatch, match="timeout"):
        ask(handler)


def test_malformed_json_and_resets_are_retried() -> None:
    with pytest.raises(RetryLater, match="malformed JSON"):
        ask(reply(body=b'{"data": {"r0": '))

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    with pytest.raises(RetryLater, match="connection failed"):
        ask(reset)
    with pytest.raises(RetryLater, match="500"):
        ask(reply(500, body={}))


def test_secondary_limit_waits_retry_after() -> None:
    body = {"message": "You have exceeded a secondary rate limit."}
    with pytest.raises(RateLimited) as caught:
        ask(reply(403, body=body, headers={"retry-after": "7"}))
    assert (caught.value.kind, caught.value.seconds) == ("secondary", 7.0)
    with pytest.raises(RateLimited) as caught:
        ask(reply(403, body=body))
    assert caught.value.seconds == 60.0


def test_primary_exhausted_waits_until_the_reset() -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 120)}
    with pytest.raises(RateLimited) as caught:
        ask(reply(403, body={"message": "API rate limit exceeded"}, headers=headers))
    assert caught.value.kind == "primary"
    assert 120 <= caught.value.seconds <= 122


def test_401_stops_without_showing_the_token() -> None:
    with pytest.raises(AuthFailed) as caught:
        ask(reply(401, body={"message": "Bad credentials"}))
    assert SECRET not in str(caught.value)
    assert isinstance(caught.value, CollectError)


def test_a_rejected_query_stops() -> None:
    body = {"errors": [{"message": "Field 'x' doesn't exist on type 'Repository'"}]}
    with pytest.raises(QueryRejected, match="doesn't exist"):
        ask(reply(body=body))
    with pytest.raises(QueryRejected):
        ask(reply(400, body={"message": "Problems parsing JSON"}))


def test_client_repr_never_shows_the_token() -> None:
    client = GitHubClient("http://127.0.0.1:1/graphql", Token(SECRET, "TEST"))
    assert SECRET not in repr(client)
    asyncio.run(client.aclose())
