"""The server under concurrent load, its packaged schema, and a clean shutdown."""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from github_simulator import Faults, Population, Simulator
from github_simulator import server as server_module
from github_simulator.schema import packaged_schema_text

Ask = Callable[..., httpx.Response]
DATA = Path(__file__).resolve().parents[2] / "src" / "github_simulator" / "data"
SHARED_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "github" / "schema.graphql"
)
QUERY = "query($o: String!, $n: String!) { repository(owner: $o, name: $n) { stargazerCount } }"


def test_packaged_schema_matches_its_provenance() -> None:
    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    documented = re.search(r"sha256 \(decompressed\): `([0-9a-f]{64})`", source)
    assert documented is not None
    text = gzip.decompress((DATA / "schema.graphql.gz").read_bytes())
    assert hashlib.sha256(text).hexdigest() == documented.group(1)
    assert packaged_schema_text().encode() == text
    assert "MIT License" in source


def test_packaged_schema_is_byte_identical_to_the_shared_copy() -> None:
    if not SHARED_SCHEMA.exists():
        pytest.skip(f"the shared schema is not at {SHARED_SCHEMA}")
    assert packaged_schema_text().encode() == SHARED_SCHEMA.read_bytes()


def test_concurrent_requests_are_counted_exactly(start: Callable[..., Simulator]) -> None:
    population = Population.synthetic(40, seed=4)
    sim = start(population=population)

    def fetch(index: int) -> int:
        repo = population.repos[index % 40]
        with httpx.Client(headers={"Authorization": "bearer load"}) as client:
            answer = client.post(
                sim.url, json={"query": QUERY, "variables": {"o": repo.owner, "n": repo.name}}
            )
        return int(answer.json()["data"]["repository"]["stargazerCount"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        stars = list(pool.map(fetch, range(80)))
    assert stars == [population.repos[i % 40].stars for i in range(80)]
    stats = sim.stats
    assert (stats.requests, stats.executed, stats.points) == (80, 80, 80)
    assert stats.validations + stats.validation_cache_hits == 80
    assert stats.validations <= 8  # one per thread racing on the first sight, at most
    assert sum(stats.repo_queries.values()) == 80


def test_too_many_concurrent_requests_get_a_secondary_limit(
    start: Callable[..., Simulator],
) -> None:
    sim = start(faults=Faults(latency=0.4), max_concurrent=2)
    barrier = threading.Barrier(5)

    def post(_: int) -> int:
        with httpx.Client(headers={"Authorization": "bearer crowd"}) as client:
            barrier.wait()
            return client.post(sim.url, json={"query": "{ viewer { login } }"}).status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = sorted(pool.map(post, range(5)))
    assert statuses.count(403) >= 1
    assert statuses.count(200) >= 1
    assert sim.stats.secondary_limited == statuses.count(403)


def test_viewer_and_unmodelled_non_null_fields(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start()
    answer = ask(sim, "{ viewer { login isHireable createdAt } }").json()
    # Strict mode (the default): the first unmodelled non-null field nulls the (non-null)
    # viewer, hence the whole data, with one error naming it.
    assert answer == {
        "data": None,
        "errors": [
            {
                "message": "the simulator does not model User.isHireable",
                "locations": [{"line": 1, "column": 18}],
                "path": ["viewer", "isHireable"],
                "extensions": {
                    "code": "SIMULATOR_UNMODELLED",
                    "typeName": "User",
                    "fieldName": "isHireable",
                },
            }
        ],
    }
    lenient = start(strict=False)
    answer = ask(lenient, "{ viewer { login isHireable createdAt } }").json()
    assert answer == {
        "data": {
            "viewer": {
                "login": "simulated-user",
                "isHireable": False,
                "createdAt": "1970-01-01T00:00:00Z",
            }
        }
    }


def test_close_releases_the_port_and_kept_alive_connections(
    start: Callable[..., Simulator], ask: Ask
) -> None:
    sim = start()
    url = sim.url
    assert ask(sim, "{ viewer { login } }").status_code == 200  # leaves a kept-alive connection
    before = threading.active_count()
    sim.close()
    with pytest.raises(httpx.TransportError):
        httpx.post(url, json={"query": "{ viewer { login } }"}, timeout=2)
    assert threading.active_count() <= before
    with pytest.raises(RuntimeError):
        _ = sim.url


def test_schema_path_overrides_the_packaged_schema(
    start: Callable[..., Simulator], ask: Ask, tmp_path: Path
) -> None:
    tiny = tmp_path / "tiny.graphql"
    tiny.write_text(
        "type Query { rateLimit: RateLimit\n"
        "  repository(owner: String!, name: String!): Repository }\n"
        "type RateLimit { cost: Int! }\ntype Repository { nameWithOwner: String! }\n",
        encoding="utf-8",
    )
    sim = start(schema_path=tiny)
    assert ask(sim, "{ viewer { login } }").json()["errors"][0]["extensions"]["code"] == (
        "undefinedField"
    )
    answer = ask(sim, "{ rateLimit { cost } }").json()
    assert answer == {"data": {"rateLimit": {"cost": 1}}}


def test_small_answers_are_not_held_back_by_nagle(
    start: Callable[..., Simulator], ask: Ask
) -> None:
    """Headers and body go out in two writes; without TCP_NODELAY each kept-alive request waits
    about 40 ms for the client's delayed ACK. (Its effect on time is in benchmarks/collect.py.)"""
    sim = start()
    assert ask(sim, "{ viewer { login } }").status_code == 200
    assert server_module._Handler.disable_nagle_algorithm is True


def test_stats_report_cpu_and_answer_cache(start: Callable[..., Simulator], ask: Ask) -> None:
    sim = start()
    names = [repo.full_name for repo in sim.config.population.repos[:3]]
    query = """query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
      nameWithOwner stargazerCount watchers { totalCount } } }"""
    for name in [*names, *names]:
        owner, _, repo = name.partition("/")
        ask(sim, query, {"o": owner, "n": repo})
    stats = sim.stats
    assert (stats.answer_cache_hits, stats.answer_cache_misses) == (3, 3)
    assert 0 < stats.execution_cpu_s <= stats.query_cpu_s
    assert stats.cpu_user_s + stats.cpu_system_s >= stats.query_cpu_s
    over_http = httpx.get(sim.stats_url).json()
    assert over_http["answer_cache_hits"] == 3
    assert over_http["repo_queries"] == {name.lower(): 2 for name in names}
    sim.reset_stats()
    after = sim.stats
    assert (after.answer_cache_hits, after.query_cpu_s, after.requests) == (0, 0.0, 0)
    assert httpx.get(sim.stats_url.replace("stats", "nothing")).status_code == 404
