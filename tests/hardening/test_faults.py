"""What the server decides cannot stop, hang or exhaust a collection (issue 14, items 1-3 and 6).

Every test runs the real client or the real `mlops-radar collect` against the GitHub simulator
over HTTP on 127.0.0.1, with the simulator's fault modes: absurd values per repository,
`{"data": null, "errors": [...]}`, a huge answer, an answer dripped a byte at a time, a
`retry-after` of 1e308, a reset in 2099; then the fault mix with kill -9 and `--resume`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hardening_support import cli, cli_env, closed_port, names_of, write_catalog

from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.sources.github.client import GitHubClient, read_budget
from mlops_radar.sources.github.documents import BatchShape, batch_document, batch_variables
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.protocol import ShrinkBatch
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

TOKEN = Token("sim-token", "TEST")
FAST = {"seed": 1, "backoff_base": 0.01, "backoff_cap": 0.05}
YEAR_2099 = datetime(2099, 12, 31, tzinfo=UTC).timestamp()


def collect(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli("collect", *args), env=cli_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)  # fmt: skip


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return list(conn.execute(sql))


def statuses(db: Path) -> list[str]:
    return [str(s) for (s,) in rows(db, "SELECT status FROM snapshots ORDER BY id")]


def one_line(done: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no Python exception's name: what stopped the run is said in words."""
    said = done.stdout + done.stderr
    assert "Traceback" not in said, done.stderr
    assert re.search(r"^\w+(Error|Exception)\b", said, re.MULTILINE) is None, said


# --- values at the edge (item 2) -----------------------------------------------------------------


def test_absurd_values_make_that_field_unknown_for_that_repository(simulator, tmp_path) -> None:
    names = names_of(simulator(n=20))  # the same seeded population, to choose the victims
    spoiled = {names[2]: "all", names[5]: "huge", names[7]: "negative", names[9]: "surrogate"}
    sim = simulator(n=20, absurd=spoiled)
    db = tmp_path / "radar.sqlite3"
    done = collect("--catalog", str(write_catalog(tmp_path / "list.md", names)),
                   "--api-url", sim.url, "--db", str(db), "--groups", "core")  # fmt: skip
    assert done.returncode == 0, done.stderr  # one repository's values never stop the run
    assert statuses(db) == ["complete"]
    found = rows(db, "SELECT repo_key, stars, forks, description FROM facts_github_core")
    core = {str(key): (stars, forks, text) for key, stars, forks, text in found}
    assert len(core) == 20
    population = {r.full_name.lower(): r for r in sim.config.population.repos}
    for key, (stars, forks, text) in core.items():
        kind = spoiled.get(population[key].full_name)
        assert (stars is None) == (kind in ("huge", "all")), key
        assert (forks is None) == (kind in ("negative", "all")), key
        if kind in ("surrogate", "all"):
            assert text is None
        if kind is None:
            assert (stars, forks) == (population[key].stars, population[key].forks)
    said = rows(db, "SELECT repo_key, problems FROM outcomes WHERE problems IS NOT NULL")
    problems = {str(key): json.loads(str(lines)) for key, lines in said}
    assert sorted(problems) == sorted(n.lower() for n in spoiled)
    assert any("stargazerCount: count out of range" in p for p in problems[names[2].lower()])
    assert any("forkCount: count out of range" in p for p in problems[names[7].lower()])
    assert any("description:" in p for p in problems[names[9].lower()])
    assert all(len(p) < 200 for lines in problems.values() for p in lines)


def test_data_null_with_errors_is_retried_as_a_smaller_batch(simulator, tmp_path) -> None:
    sim = simulator(n=20, null_data_on=frozenset({1, 2}))
    names = names_of(sim)
    db = tmp_path / "radar.sqlite3"
    done = collect("--catalog", str(write_catalog(tmp_path / "list.md", names)), "--api-url",
                   sim.url, "--db", str(db), "--groups", "core", "--batch-size", "20",
                   "--concurrency", "1")  # fmt: skip
    assert done.returncode == 0, done.stderr  # it was "GitHub rejected the query": run stopped
    assert sim.stats.faults.get("null-data") == 2
    assert statuses(db) == ["complete"]
    assert len(rows(db, "SELECT repo_key FROM facts_github_core")) == 20
    assert sim.stats.requests >= 4  # 20 refused, 10 refused, then batches of 5 or so


def test_a_budget_of_absurd_costs_is_not_believed() -> None:
    body = {"data": {"rateLimit": {"cost": 10**9, "remaining": 4999, "limit": 5000,
                                   "used": -3, "resetAt": "2099-12-31T00:00:00Z"}}}  # fmt: skip
    budget = read_budget(httpx.Headers({"x-ratelimit-limit": "9" * 40}), body)
    assert (budget.cost, budget.used, budget.remaining, budget.limit) == (None, None, 4999, 5000)


# --- bounds on what the server decides (item 3) --------------------------------------------------


def _one_query(url: str, **client: float) -> tuple[float, BaseException | None]:
    document = batch_document(BatchShape(("core",), repos=1))
    variables = batch_variables(["acme/tool"])

    async def run() -> BaseException | None:
        async with GitHubClient(url, TOKEN, **client) as github:  # type: ignore[arg-type]
            try:
                await github.query(document, variables)
            except ShrinkBatch as exc:
                return exc
        return None

    started = time.monotonic()
    error = asyncio.run(run())
    return time.monotonic() - started, error


def test_a_huge_answer_is_cut_at_the_cap_while_streaming(simulator) -> None:
    sim = simulator(n=5, huge_body_on=frozenset({1}), huge_body_bytes=200 * 2**20)
    seconds, error = _one_query(sim.url, max_body=2 * 2**20)
    assert isinstance(error, ShrinkBatch), error
    assert "cap" in str(error)
    assert seconds < 10  # 2 MiB read, not 200


def test_a_huge_answer_costs_no_more_memory_than_the_cap(simulator, tmp_path) -> None:
    sim = simulator(n=20, huge_body_on=frozenset({1}), huge_body_bytes=200 * 2**20)
    db = tmp_path / "radar.sqlite3"
    catalog = write_catalog(tmp_path / "list.md", names_of(sim))
    with (tmp_path / "stderr").open("w+") as stderr:
        child = subprocess.Popen(cli("collect", "--catalog", str(catalog), "--api-url", sim.url,
                                     "--db", str(db), "--groups", "core"),
                                 env=cli_env(), stdout=subprocess.DEVNULL,
                                 stderr=stderr)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory
        child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, (tmp_path / "stderr").read_text()
    assert sim.stats.faults.get("huge-body") == 1
    assert usage.ru_maxrss < 500 * 1024  # KiB: it read 64 MiB at most, not 200 MB (1.8 GB before)
    assert statuses(db) == ["complete"]


def test_a_dripped_answer_meets_the_clients_total_deadline(simulator) -> None:
    sim = simulator(n=5, drip_on=frozenset({1}), drip_interval=0.05)
    seconds, error = _one_query(sim.url, deadline=1.5, timeout=30.0)
    assert isinstance(error, ShrinkBatch), error  # each byte came within the read timeout
    assert "within 1.5 s" in str(error)
    assert seconds < 6


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param({"secondary_on": {1}, "retry_after": 1e308}, id="retry-after 1e308"),
        pytest.param({"reset_at": YEAR_2099, "primary_limit": 1}, id="resetAt 2099"),
    ],
)
def test_an_absurd_wait_ends_the_run_partial_at_once(simulator, tmp_path, faults) -> None:
    sim = simulator(n=20, **faults)
    db = tmp_path / "radar.sqlite3"
    started = time.monotonic()
    done = collect("--catalog", str(write_catalog(tmp_path / "list.md", names_of(sim))),
                   "--api-url", sim.url, "--db", str(db), "--groups", "core",
                   "--concurrency", "1", "--batch-size", "10")  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert time.monotonic() - started < 20  # it hung before (0 requests in 60 s)
    assert "max-wait" in done.stdout
    assert "collect --resume" in done.stderr
    one_line(done)
    assert statuses(db) == ["partial"]


# --- the fault mix, an outage, kill -9 and resume (Done when) ------------------------------------


def _facts(db: Path) -> int:
    try:
        return len(rows(db, "SELECT repo_key FROM facts_github_core"))
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def test_fault_mix_outage_kill_9_and_resume_account_for_every_repository_once(
    simulator, tmp_path
) -> None:
    names = names_of(simulator(n=200, seed=11))
    port = closed_port()
    catalog = write_catalog(tmp_path / "list.md", names)
    db = tmp_path / "radar.sqlite3"
    common = ["--api-url", f"http://127.0.0.1:{port}/graphql", "--db", str(db),
              "--groups", "core", "--batch-size", "10", "--concurrency", "1"]  # fmt: skip

    with Store.open(str(db)) as store:  # the API is down: an outage (in-process: fast backoff)
        opened = open_collection(store, [str(catalog)], groups=("core",))
        config = CollectConfig(batch_size=10, concurrency=1, **FAST)
        down = run_collection(store, opened, api_url=common[1], token=TOKEN, groups=("core",),
                              config=config)  # fmt: skip
    assert down.status == "partial"
    assert "unreachable" in (down.summary.stop_reason or "")
    assert down.summary.requests <= 10  # it stopped early, not after retrying all 20 batches
    assert statuses(db) == ["partial"]

    absurd = {names[i]: kind for i, kind in ((3, "all"), (50, "huge"), (120, "surrogate"))}
    sim = simulator(n=200, seed=11, port=port, latency=0.1, error_rate=0.10, reset_rate=0.03,
                    secondary_on=frozenset({4, 17}), malformed_on=frozenset({7, 21}),
                    null_data_on=frozenset({11}), absurd=absurd)  # fmt: skip
    resumed = subprocess.Popen(cli("collect", "--resume", *common), env=cli_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while _facts(db) < 40 and resumed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert resumed.poll() is None, "the resume ended before it could be killed"
    resumed.send_signal(signal.SIGKILL)
    resumed.communicate(timeout=30)
    assert 40 <= _facts(db) < 200

    for _ in range(4):  # failed keys leave the run partial: resume until complete
        again = collect("--resume", *common, timeout=120)
        one_line(again)
        assert again.returncode in (0, 3), again.stderr
        if again.returncode == 0:
            break
    assert statuses(db) == ["complete"]
    outcomes = Counter(str(k) for (k,) in rows(db, "SELECT repo_key FROM outcomes"))
    facts = Counter(str(k) for (k,) in rows(db, "SELECT repo_key FROM facts_github_core"))
    assert outcomes == Counter({n.lower(): 1 for n in names})  # none lost, none twice
    assert facts == Counter({n.lower(): 1 for n in names})
    faults = sim.stats.faults
    assert faults.get("502", 0) + faults.get("504", 0) >= 1
    assert (faults.get("secondary"), faults.get("malformed")) == (2, 2)
    assert faults.get("absurd", 0) >= 3
