"""The client's classification of GitHub's answers (unit tests with httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from mlops_radar.errors import CollectError
from mlops_radar.sources.github.client import AuthFailed, GitHubClient, GraphQLAnswer, QueryRejected
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.protocol import RateLimited, RetryLater, ShrinkBatch

SECRET = "ghp_unit_secret_value_123"
NOW = 1_800_000_000.0


def ask(handler: Callable[[httpx.Request], httpx.Response], **options: int) -> GraphQLAnswer:
    async def go() -> GraphQLAnswer:
        client = GitHubClient(
            "http://127.0.0.1:1/graphql",
            Token(SECRET, "TEST"),
            transport=httpx.MockTransport(handler),
            clock=lambda: NOW,
            **options,
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

    with pytest.raises(RetryLater, match="connection failed") as caught:
        ask(reset)
    assert caught.value.transport  # nothing came back: counted towards an outage
    with pytest.raises(RetryLater, match="500") as caught:
        ask(reply(500, body={}))
    assert not caught.value.transport


def test_no_data_at_all_is_retried_smaller_not_a_rejected_query() -> None:
    body = {"data": None, "errors": [{"message": "Timeout on validation of query"}]}
    with pytest.raises(ShrinkBatch, match="no data"):
        ask(reply(body=body))


def test_an_answer_over_the_size_cap_is_cut_and_retried_smaller() -> None:
    big = json.dumps({"data": {"r0": {"description": "x" * 5000}}}).encode()
    with pytest.raises(ShrinkBatch, match="cap"):
        ask(reply(body=big), max_body=1000)

    def streamed(request: httpx.Request) -> httpx.Response:  # no content-length
        return httpx.Response(200, stream=httpx.ByteStream(big), headers={})

    with pytest.raises(ShrinkBatch, match="cap"):
        ask(streamed, max_body=1000)


@pytest.mark.parametrize("value", ["1e308", "inf", "99999999999999999999"])
def test_an_absurd_retry_after_is_kept_for_max_wait_to_refuse(value: str) -> None:
    body = {"message": "You have exceeded a secondary rate limit."}
    with pytest.raises(RateLimited) as caught:
        ask(reply(403, body=body, headers={"retry-after": value}))
    assert caught.value.seconds > 10**15


def test_a_reset_in_the_far_future_or_nonsense_budgets_are_not_believed() -> None:
    headers = {"x-ratelimit-remaining": "7", "x-ratelimit-reset": "99999999999999"}
    answer = ask(reply(body={"data": {"r0": None, "rateLimit": {"cost": 10**9,
                                                                "remaining": -1}}},
                       headers=headers))  # fmt: skip
    assert answer.budget.reset_at is None
    assert answer.budget.cost is None
    assert answer.budget.remaining == 7  # the header's, as the body's is nonsense


def test_an_unusable_api_url_is_one_line() -> None:
    with pytest.raises(CollectError, match="not a URL"):
        GitHubClient("http://[::1", Token(SECRET, "TEST"))


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
