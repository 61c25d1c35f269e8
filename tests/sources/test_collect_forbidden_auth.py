"""The collector end to end against the simulator: FORBIDDEN repositories (SAML-protected
organisations) and a token GitHub refuses (401), through the library and `mlops-radar collect`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from github_simulator import Faults, Population, Simulator, SimulatorConfig
from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import GitHubClient
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig

SRC = Path(__file__).resolve().parents[2] / "src"
RIGHT = "ghp_RightTokenForTheGuardedSimulator42"
WRONG = "ghp_WrongTokenThatMustNeverBeShown0077"
SAML = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access "
    "token access to this organization."
)
FORBIDDEN_AT = (5, 77, 150)  # positions of the forbidden repositories among 200


@dataclass
class Guarded:
    """A simulator that accepts only RIGHT, with three FORBIDDEN repositories among 200."""

    server: Simulator
    names: list[str]
    forbidden: list[str]

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def guarded() -> Iterator[Guarded]:
    population = Population.synthetic(200, seed=11)
    names = [repo.full_name for repo in population.repos]
    forbidden = [names[i] for i in FORBIDDEN_AT]
    config = SimulatorConfig(
        population=population,
        faults=Faults(seed=11, forbidden=frozenset(forbidden)),
        tokens=[RIGHT],
    )
    with Simulator(config) as server:
        yield Guarded(server, names, forbidden)


def entries(names: list[str]) -> list[ToolEntry]:
    return [
        ToolEntry(
            name=n, categories=("C",), url=f"https://github.com/{n}", kind=LinkKind.REPO, repo=n
        )
        for n in names
    ]


def cli_env(token: str) -> dict[str, str]:
    """A CLI subprocess's environment: only this token, no real gh, no default database."""
    hidden = {"GITHUB_TOKEN", "MLOPS_RADAR_DB", "MLOPS_RADAR_GITHUB_API"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "120"
    env["GITHUB_TOKEN"] = token
    return env


def collect_cli(
    tmp_path: Path, sim: Guarded, token: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "mlops-radar"
    command = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from mlops_radar.cli import main; main()"]
    )
    catalog = tmp_path / "README.md"
    if not catalog.exists():
        lines = ["# Test list", "", "## Workflow Tools", ""]
        lines += [f"* [{n}](https://github.com/{n}) - Tool {i}." for i, n in enumerate(sim.names)]
        catalog.write_text("\n".join(lines) + "\n")
    source = list(extra) or ["--catalog", str(catalog)]
    db = tmp_path / "radar.sqlite3"
    return subprocess.run(
        [*command, "collect", *source, "--api-url", sim.url, "--db", str(db)],
        env=cli_env(token),
        capture_output=True,
        text=True,
        timeout=120,
    )


def stored(db: Path) -> tuple[list[str], list[tuple[str, str, str | None]], list[str]]:
    """Fact keys, (key, outcome, reason) rows and snapshot statuses in the SQLite file."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        facts = [r[0] for r in conn.execute("SELECT repo_key FROM facts_github_core")]
        outcomes = list(conn.execute("SELECT repo_key, outcome, reason FROM outcomes"))
        statuses = [r[0] for r in conn.execute("SELECT status FROM snapshots ORDER BY id")]
    return facts, outcomes, statuses


def leaked_into(tmp_path: Path, secret: str) -> list[str]:
    """Files under tmp_path (the database and any journal) whose bytes hold the secret."""
    return [
        p.name for p in tmp_path.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()
    ]


# --- (a) FORBIDDEN repositories, through the library ---------------------------------------------


def test_forbidden_repositories_end_once_with_githubs_reason(
    guarded: Guarded, memory_sink: Any
) -> None:
    config = CollectConfig(seed=1, backoff_base=0.01, backoff_cap=0.05)
    client = GitHubClient(guarded.url, Token(RIGHT, "TEST"))
    summary = Collector(GitHubSource(client), memory_sink, config).run(entries(guarded.names))

    outcomes = memory_sink.outcomes
    assert Counter(o.repo.lower() for o in outcomes) == Counter(n.lower() for n in guarded.names)
    forbidden = sorted((o.repo, o.reason) for o in outcomes if o.outcome is Outcome.FORBIDDEN)
    assert forbidden == sorted((n, SAML) for n in guarded.forbidden)
    others = Counter(o.outcome for o in outcomes if o.outcome is not Outcome.FORBIDDEN)
    assert others == Counter({Outcome.COLLECTED: 197})
    facts = Counter(f.repo.lower() for f in memory_sink.facts if f.fact_set.name == "github.core")
    expected = {n.lower() for n in guarded.names} - {n.lower() for n in guarded.forbidden}
    assert facts == Counter(dict.fromkeys(expected, 1))
    assert summary.counts[Outcome.FORBIDDEN] == 3
    assert summary.partial is False
    # the summary lists not-found and forbidden keys with their reason (shown by the CLI)
    assert sorted(summary.failed) == sorted((n, f"forbidden: {SAML}") for n in guarded.forbidden)
    stats = guarded.server.stats
    assert stats.faults == {"forbidden": 3}  # each forbidden repository asked once, not retried
    # one alias per repository in its batch, then one per text it needed (a blob alias each)
    fetched = {
        f.repo.lower(): sum(1 for x in f.values.files or () if "cap" not in (x["skipped"] or ""))
        for f in memory_sink.facts
        if f.fact_set.name == "github.files"
    }
    asked = {key: 1 + fetched.get(key, 0) for key in (n.lower() for n in guarded.names)}
    assert sum(fetched.values()) > 0  # the files group's second phase did run
    assert stats.repo_queries == asked


# --- (b) a wrong token, through the CLI -----------------------------------------------------------


def test_a_refused_token_exits_2_with_one_line_and_a_partial_snapshot(
    guarded: Guarded, tmp_path: Path
) -> None:
    done = collect_cli(tmp_path, guarded, WRONG)
    assert done.returncode == 2, done.stderr
    refused = [line for line in done.stderr.splitlines() if "refused the token" in line]
    assert refused == [
        "error: GitHub refused the token (401 Bad credentials): check that it is valid"
    ]
    assert "Traceback" not in done.stderr
    assert "snapshot 1 left partial" in done.stderr
    facts, outcomes, statuses = stored(tmp_path / "radar.sqlite3")
    assert statuses == ["partial"]
    assert (facts, outcomes) == ([], [])
    stats = guarded.server.stats
    assert set(stats.statuses) == {401}  # the simulator did refuse it; nothing was charged
    assert stats.points == 0
    assert WRONG not in done.stdout + done.stderr
    assert leaked_into(tmp_path, WRONG) == []


def test_resume_with_the_right_token_after_a_refused_one(guarded: Guarded, tmp_path: Path) -> None:
    assert collect_cli(tmp_path, guarded, WRONG).returncode == 2
    resumed = collect_cli(tmp_path, guarded, RIGHT, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "snapshot 1: complete" in resumed.stdout
    _, outcomes, statuses = stored(tmp_path / "radar.sqlite3")
    assert statuses == ["complete"]
    assert sorted(key for key, _, _ in outcomes) == sorted(n.lower() for n in guarded.names)


# --- (c) the right token, through the CLI ---------------------------------------------------------


def test_the_right_token_completes_with_the_forbidden_ones_recorded(
    guarded: Guarded, tmp_path: Path
) -> None:
    done = collect_cli(tmp_path, guarded, RIGHT)
    assert done.returncode == 0, done.stderr
    assert "snapshot 1: complete" in done.stdout
    assert "  forbidden    3\n" in done.stdout
    facts, outcomes, statuses = stored(tmp_path / "radar.sqlite3")
    assert statuses == ["complete"]
    assert len(facts) == 197
    assert Counter(key for key, _, _ in outcomes) == Counter(n.lower() for n in guarded.names)
    forbidden = sorted((key, reason) for key, outcome, reason in outcomes if outcome == "forbidden")
    assert forbidden == sorted((n.lower(), SAML) for n in guarded.forbidden)
    assert RIGHT not in done.stdout + done.stderr
    assert leaked_into(tmp_path, RIGHT) == []
