"""Failed is not finished, and an outage stops early (issue 14, item 1): a repository that
failed after its retries leaves the snapshot partial, a resume asks it again, three failed runs
give it up; an unreachable API ends the run at once, partial, and a resume completes it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from test_collect_cli import cli, cli_env, write_catalog

from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import GitHubClient
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

NAMES = [f"acme/tool{i}" for i in range(6)]
BAD = "acme/tool3"
FAST = {"seed": 1, "backoff_base": 0.001, "backoff_cap": 0.01}


def _entries() -> list[ToolEntry]:
    return [ToolEntry(name=n, categories=("C",), url=f"https://github.com/{n}",
                      kind=LinkKind.REPO, repo=n) for n in NAMES]  # fmt: skip


def _github_without(bad: str) -> httpx.MockTransport:
    """Answers every repository alias with a minimal repository, but `bad` with nothing."""

    def handler(request: httpx.Request) -> httpx.Response:
        variables = json.loads(request.content)["variables"]
        data: dict[str, object] = {"rateLimit": {"cost": 1, "remaining": 4000, "limit": 5000}}
        for name, owner in variables.items():
            if name.startswith("o"):
                repo = f"{owner}/{variables['n' + name[1:]]}"
                data["r" + name[1:]] = None if repo == bad else {"nameWithOwner": repo}
        return httpx.Response(200, json={"data": data})

    return httpx.MockTransport(handler)


def _run(sink) -> object:
    client = GitHubClient("https://api.example/graphql", Token("t", "TEST"),
                          transport=_github_without(BAD))  # fmt: skip
    collector = Collector(GitHubSource(client), sink, CollectConfig(**FAST))
    return collector.run(_entries())


def test_a_repository_that_keeps_failing_leaves_the_run_partial_then_is_given_up(
    memory_sink,
) -> None:
    first = _run(memory_sink)
    assert first.partial  # was "complete" before: a failed key is not finished
    assert first.counts[Outcome.FAILED] == 1
    assert first.counts[Outcome.COLLECTED] == 5
    assert any(key == BAD and "5 attempts" in why for key, why in first.failed)
    for runs in (2, 3):
        again = _run(memory_sink)
        assert again.already_done == 5  # only the failed one is asked again
        assert (again.partial, again.counts[Outcome.FAILED]) == (True, 1), runs
    last = _run(memory_sink)
    assert last.counts[Outcome.GIVEN_UP] == 1
    assert not last.partial  # accounted for, with its reason: the snapshot can complete
    outcomes = [o for o in memory_sink.outcomes if o.repo == BAD]
    assert [o.outcome for o in outcomes] == [Outcome.FAILED] * 3 + [Outcome.GIVEN_UP]
    assert "3 runs" in (outcomes[-1].reason or "")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_an_outage_stops_early_partial_and_resume_completes_it(simulator, tmp_path: Path) -> None:
    sim = simulator(n=200)
    catalog = write_catalog(tmp_path / "README.md", sim.names)
    db = tmp_path / "radar.sqlite3"
    nowhere = f"http://127.0.0.1:{_closed_port()}/graphql"
    started = time.monotonic()
    down = subprocess.run(cli("collect", "--catalog", str(catalog), "--api-url", nowhere,
                              "--db", str(db)),
                          env=cli_env(), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert down.returncode == 3, down.stderr
    assert "unreachable" in down.stdout
    assert "Traceback" not in down.stderr
    assert time.monotonic() - started < 120  # it did not retry every batch 5 times
    with Store.open(str(db)) as store:
        assert list(store.snapshots()["status"]) == ["partial"]
        assert store.resumable_snapshot() is not None
    back = subprocess.run(cli("collect", "--resume", "--api-url", sim.url, "--db", str(db)),
                          env=cli_env(), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert back.returncode == 0, back.stderr
    with Store.open(str(db)) as store:
        info = store.resolve_snapshot("latest")
        assert info.status == "complete"
        assert len(store.fact_table(info.id).frame.dropna(subset=["stars"])) == 200
