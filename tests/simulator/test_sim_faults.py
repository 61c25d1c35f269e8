"""Each injected fault, observed by a real httpx client."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from github_simulator import Fault, Faults, Population, Simulator

Ask = Callable[..., httpx.Response]
CHEAP = '{ repository(owner: "x", name: "y") { id } }'


def test_latency(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(faults=Faults(latency=0.3))
    began = time.perf_counter()
    assert ask(sim, CHEAP).status_code == 200
    assert time.perf_counter() - began >= 0.3
    assert sim.stats.faults == {"latency": 1}


def test_errors_on_given_requests(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(faults=Faults(error_on={2}))
    answers = [ask(sim, CHEAP) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 502, 200]
    assert (
        answers[1]
        .json()["errors"][0]["message"]
        .startswith(
            "Something went wrong while executing your query. This may be the result of a timeout"
        )
    )
    assert sim.stats.statuses == {200: 2, 502: 1}
    assert sim.stats.points == 2


def test_random_errors_are_seeded(start: Callable[..., Simulator], ask: Ask) -> None:
    runs = []
    for _ in range(2):
        sim = start(faults=Faults(seed=5, error_rate=0.3))
        runs.append([ask(sim, CHEAP).status_code for _ in range(40)])
    assert runs[0] == runs[1]
    assert {200, 502, 504} <= set(runs[0])
    assert 4 <= sum(status != 200 for status in runs[0]) <= 20


def test_query_with_too_many_repositories_times_out(
    start: Callable[..., Simulator], ask: Ask
) -> None:
    sim = start(faults=Faults(max_repositories=2))
    aliases = [f'r{i}: repository(owner: "x", name: "y{i}") {{ id }}' for i in range(3)]
    assert ask(sim, "{{ {} }}".format(" ".join(aliases[:2]))).status_code == 200
    too_big = ask(sim, "{{ {} }}".format(" ".join(aliases)))
    assert too_big.status_code == 502
    assert "timeout" in too_big.json()["errors"][0]["message"]
    assert sim.stats.faults == {Fault.QUERY_TIMEOUT.value: 1}


def test_connection_reset(start: Callable[..., Simulator], client: httpx.Client, ask: Ask) -> None:
    sim = start(faults=Faults(reset_on={1}))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        ask(sim, CHEAP)
    assert ask(sim, CHEAP).status_code == 200
    assert sim.stats.faults == {"reset": 1}
    assert sim.stats.statuses == {0: 1, 200: 1}


def test_connection_resets_at_a_rate(start: Callable[..., Simulator]) -> None:
    sim = start(faults=Faults(seed=1, reset_rate=0.5))
    outcomes = []
    for _ in range(20):
        with httpx.Client(headers={"Authorization": "bearer t"}) as fresh:
            try:
                outcomes.append(fresh.post(sim.url, json={"query": CHEAP}).status_code)
            except httpx.TransportError:
                outcomes.append("reset")
    assert 3 <= outcomes.count("reset") <= 17
    assert outcomes.count("reset") == sim.stats.faults["reset"]


def test_malformed_json(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(faults=Faults(malformed_on={1}))
    broken = ask(sim, CHEAP)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    assert ask(sim, CHEAP).json()["data"] == {"repository": None}


def test_one_secondary_limit_hit(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(faults=Faults(secondary_on={2}, retry_after=3))
    answers = [ask(sim, CHEAP) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 403, 200]
    assert answers[1].headers["retry-after"] == "3"
    assert "secondary rate limit" in answers[1].json()["message"]
    assert sim.stats.secondary_limited == 1
    assert sim.stats.faults_injected == 1


def test_faults_reject_bad_options() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        Faults(error_rate=1.5)


def test_renamed_repository_must_exist(start: Callable[..., Simulator]) -> None:
    with pytest.raises(ValueError, match="neither is in the population"):
        start(faults=Faults(renamed={"ghost/a": "ghost/b"}))


def test_reset_stats(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start(faults=Faults(error_on={1}))
    ask(sim, CHEAP)
    ask(sim, CHEAP)
    sim.reset_stats()
    assert (sim.stats.requests, sim.stats.repo_queries, sim.stats.faults) == (0, {}, {})
    assert ask(sim, CHEAP).status_code == 200  # request 3: numbering goes on


def test_rename_onto_a_population_name(start: Callable[..., Simulator], ask: Ask) -> None:
    population = Population.synthetic(10, seed=2)
    current = population.repos[0].full_name
    sim = start(population=population, faults=Faults(renamed={"Old-Owner/old-name": current}))
    query = '{ repository(owner: "old-owner", name: "OLD-NAME") { nameWithOwner } }'
    assert ask(sim, query).json()["data"]["repository"] == {"nameWithOwner": current}
