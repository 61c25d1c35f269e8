"""Primary budget and secondary limit, observed through headers and answers."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from github_simulator import Simulator

Ask = Callable[..., httpx.Response]
CHEAP = '{ repository(owner: "x", name: "y") { id } }'
TWO_POINTS = "{{ {} }}".format(
    " ".join(
        f'r{i}: repository(owner: "a", name: "n{i}") {{ stargazers {{ totalCount }} '
        "watchers { totalCount } issues { totalCount } }"
        for i in range(50)
    )
)


def test_rate_limit_headers_decrease_by_the_cost(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(primary_limit=100)
    seen = []
    for query in (CHEAP, TWO_POINTS, CHEAP):
        headers = ask(sim, query).headers
        seen.append((headers["x-ratelimit-remaining"], headers["x-ratelimit-used"]))
        assert headers["x-ratelimit-limit"] == "100"
        assert headers["x-ratelimit-resource"] == "graphql"
        reset = int(headers["x-ratelimit-reset"])
        assert time.time() < reset <= time.time() + 3601
    assert seen == [("99", "1"), ("97", "3"), ("96", "4")]


def test_rate_limit_field_matches_the_headers(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(primary_limit=50)
    ask(sim, CHEAP)
    answer = ask(sim, "{ rateLimit { cost limit remaining used resetAt } }")
    rate = answer.json()["data"]["rateLimit"]
    assert rate["remaining"] == 48 == int(answer.headers["x-ratelimit-remaining"])
    assert (rate["cost"], rate["limit"], rate["used"]) == (1, 50, 2)
    assert rate["resetAt"].endswith("Z")


def test_budgets_are_per_token(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(primary_limit=10)
    ask(sim, CHEAP)
    other = httpx.post(sim.url, json={"query": CHEAP}, headers={"Authorization": "token other"})
    assert other.headers["x-ratelimit-remaining"] == "9"


@pytest.mark.parametrize("status", [200, 403])
def test_primary_budget_exhaustion_until_reset(
    start: Callable[..., Simulator], ask: Ask, status: int
) -> None:
    sim = start(primary_limit=2, reset_seconds=1.5, rate_limited_status=status)
    assert [ask(sim, CHEAP).status_code for _ in range(2)] == [200, 200]
    refused = ask(sim, CHEAP)
    assert refused.status_code == status
    (error,) = refused.json()["errors"]
    assert error["type"] == "RATE_LIMITED"
    assert error["message"].startswith("API rate limit exceeded")
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert "data" not in refused.json()
    time.sleep(max(0.0, int(refused.headers["x-ratelimit-reset"]) - time.time()) + 0.1)
    again = ask(sim, CHEAP)
    assert again.status_code == 200
    assert again.headers["x-ratelimit-remaining"] == "1"
    assert sim.stats.rate_limited == 1


def test_secondary_limit_per_minute(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(secondary_limit_per_minute=3)
    assert [ask(sim, CHEAP).status_code for _ in range(3)] == [200, 200, 200]
    limited = ask(sim, CHEAP)
    assert limited.status_code == 403
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert sim.stats.secondary_limited == 1
    assert sim.stats.points == 3


def test_rest_rate_limit_endpoint(start: Callable[..., Simulator], client: httpx.Client) -> None:
    sim = start(primary_limit=40)
    client.post(sim.url, json={"query": CHEAP})
    answer = client.get(sim.url.replace("/graphql", "/rate_limit")).json()
    assert answer["resources"]["graphql"]["remaining"] == 39
