"""`show TOOL` and `show TOOL --json` with community health (issue 13 item 4), and the model's
use of it (item 3): hand-written histories served by the simulator over HTTP, collected with
`--depth full` into a real SQLite file, read back by the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from github_simulator import Population, SimRelease, SimRepo, Simulator, SimulatorConfig
from github_simulator.histories import (
    SimCommitAuthor,
    SimHistory,
    SimIssue,
    SimPullRequest,
    SimResponse,
)
from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.cli import main
from mlops_radar.report.as_json import HEALTH_JSON_KEYS
from mlops_radar.sources.github.groups import DEPTHS
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=50, concurrency=1)
DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)


def ago(days: float) -> dt.datetime:
    return NOW - days * DAY


def reply(start: dt.datetime, hours: float, who: str | None, **kind: bool) -> SimResponse:
    return SimResponse(who, start + hours * HOUR, **kind)


A, B, C = ago(10), ago(20), ago(30)
P1, P2 = ago(10), ago(40)
# busy: one commit a day, issues answered in 5 and 3 hours (the author's own and a bot's
# comments do not count), closed in 48, 24 and 120 hours
BUSY = SimRepo(
    owner="acme", name="busy", stars=500, commits=1000,
    created_at=NOW - 1001 * DAY, last_commit_at=NOW - DAY,
    open_issues=2, closed_issues=3, open_prs=0, closed_prs=0, merged_prs=2,
    releases=(SimRelease("v1", created_at=ago(30), published_at=ago(30)),),
    history=SimHistory(
        issues=(
            SimIssue("alice", A, A + 48 * HOUR, (reply(A, 1, "alice"),
                     reply(A, 2, "dependabot", bot=True), reply(A, 5, "bob"))),
            SimIssue("bob", B, B + 24 * HOUR, (reply(B, 3, "carol"),)),
            SimIssue("carol", C, C + 120 * HOUR),
            SimIssue("dave", ago(5)), SimIssue("dave", ago(15)),
        ),
        pull_requests=(
            SimPullRequest("alice", P1, P1 + 24 * HOUR, P1 + 24 * HOUR,
                           (reply(P1, 2, "bob", review=True),)),
            SimPullRequest("bob", P2, P2 + 96 * HOUR, P2 + 96 * HOUR, (reply(P2, 10, "alice"),)),
        ),
        commit_authors=(
            *[SimCommitAuthor("alice@acme.com", "Alice", "alice", "Acme Inc.")] * 60,
            *[SimCommitAuthor("bob@gmail.com", "Bob", "bob")] * 40,
        ),
    ),
)  # fmt: skip
# quiet but maintained: 20 commits over 2000 days, the newest 30 days ago (1 in 90 days), an
# issue answered in 6 hours, a release 60 days ago
Q = ago(50)
QUIET = SimRepo(
    owner="acme", name="finished", stars=300, commits=20,
    created_at=NOW - 2000 * DAY, last_commit_at=NOW - 30 * DAY,
    open_issues=0, closed_issues=1, open_prs=0, closed_prs=0, merged_prs=0,
    releases=(SimRelease("v2.0", created_at=ago(60), published_at=ago(60)),),
    history=SimHistory(
        issues=(SimIssue("user", Q, Q + 8 * HOUR, (reply(Q, 6, "maintainer"),)),),
        commit_authors=(SimCommitAuthor("m@finished.org", "M", "maintainer"),) * 20,
    ),
)  # fmt: skip
# no issues, no pull requests at all: every response metric unknown, not 0
SILENT = SimRepo(owner="acme", name="silent", commits=3, history=SimHistory(
    commit_authors=(SimCommitAuthor("solo@gmail.com", "Solo", "solo"),) * 3))  # fmt: skip
NAMES = ["acme/busy", "acme/finished", "acme/silent"]


@pytest.fixture(scope="module")
def served() -> Iterator[Simulator]:
    population = Population(repos=[BUSY, QUIET, SILENT], orgs=["acme"], now=NOW)
    simulator = Simulator(SimulatorConfig(population=population)).start()
    yield simulator
    simulator.close()


def _catalog() -> Catalog:
    tools = tuple(
        ToolEntry(name=n.split("/")[1], categories=("C",), url=f"https://github.com/{n}",
                  kind=LinkKind.REPO, repo=n)
        for n in NAMES
    )  # fmt: skip
    return Catalog(source="test", tools=tools)


def _db(served: Simulator, path: Path, depth: str) -> str:
    store = Store.open(f"sqlite:///{path}")
    opened = open_collection(store, catalog=_catalog(), taken_at=NOW, groups=DEPTHS[depth])
    result = run_collection(store, opened, api_url=served.url, token=Token("t", "TEST"),
                            config=FAST, groups=DEPTHS[depth], now=lambda: NOW)  # fmt: skip
    assert result.status.value == "complete"
    store.close()
    return str(path)


@pytest.fixture(scope="module")
def full_db(served: Simulator, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _db(served, tmp_path_factory.mktemp("full") / "radar.sqlite3", "full")


@pytest.fixture(scope="module")
def basic_db(served: Simulator, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _db(served, tmp_path_factory.mktemp("basic") / "radar.sqlite3", "basic")


def _run(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def _json(db: str, *args: str) -> Any:
    return json.loads(_run(db, *args, "--json"))


def test_show_json_has_one_key_per_metric_with_value_as_of_and_n(full_db: str) -> None:
    health = _json(full_db, "show", "acme/busy")["health"]
    assert list(health) == list(HEALTH_JSON_KEYS)
    as_of = "2026-06-01T00:00:00+00:00"
    assert health["time_to_first_response_median_h"] == {"value": 4.0, "as_of": as_of, "n": 4}
    assert health["time_to_close_median_h"] == {"value": 48.0, "as_of": as_of, "n": 3}
    # open 5 and 15 days before NOW, aged at the end of the snapshot's day (NOW + 1 day)
    assert health["open_issue_age_median_d"] == {"value": 11.0, "as_of": as_of, "n": 2}
    assert health["time_to_merge_median_h"]["value"] == 60.0  # 24 and 96 hours
    assert health["releases_last_year"] == {"value": 1, "as_of": as_of, "n": 1}
    assert health["commits_90d"]["value"] == 90
    assert health["contributor_absence_factor"]["value"] == 1  # alice: 60 of 100
    assert health["elephant_factor"]["value"] == 1  # acme, the only organisation known


def test_unknown_metrics_are_null_never_zero(full_db: str) -> None:
    health = _json(full_db, "show", "acme/silent")["health"]
    for key in (
        "time_to_first_response_median_h",
        "time_to_close_median_h",
        "open_issue_age_median_d",
        "open_issue_age_p90_d",
        "change_request_closure_ratio_90d",
        "time_to_merge_median_h",
        "elephant_factor",  # gmail.com names no organisation
    ):
        assert health[key] is None, key
    assert health["contributor_absence_factor"]["value"] == 1
    assert "health_commits_90d" not in _json(full_db, "show", "acme/silent")["facts"]


def test_show_terminal_has_a_community_health_section_with_as_of_dates(full_db: str) -> None:
    text = _run(full_db, "show", "acme/busy")
    assert "community health" in text
    assert "time to first response (median)" in text
    assert "4 h (n 4, as of 2026-06-01)" in text
    silent = _run(full_db, "show", "acme/silent")
    assert "unknown (as of 2026-06-01)" in silent


def test_a_basic_snapshot_has_no_health(basic_db: str) -> None:
    assert _json(basic_db, "show", "acme/busy")["health"] is None
    assert "community health" not in _run(basic_db, "show", "acme/busy")


def test_quiet_but_maintained_reads_so_not_abandoned(full_db: str, basic_db: str) -> None:
    shown = _json(full_db, "show", "acme/finished")
    assert shown["health"]["commits_90d"]["value"] == 1
    quiet = shown["scores"][0]["quiet"]
    assert quiet.startswith("quiet but maintained, not abandoned: 1 commit in the last 90 days")
    assert "a median of 6 hours and 1 release in the last year" in quiet
    assert "quiet but maintained" in _run(full_db, "show", "acme/finished")
    assert "quiet but maintained" in _run(full_db, "rank")
    # the busy one is not quiet, the silent one has no answered issues: no such reason
    for name in ("acme/busy", "acme/silent"):
        assert "quiet" not in _json(full_db, "show", name)["scores"][0]
    # without the health group nothing is known of it: no reason either way
    assert "quiet" not in _json(basic_db, "show", "acme/finished")["scores"][0]


def test_full_depth_scores_use_health_and_unknown_health_never_moves_a_score(
    full_db: str, basic_db: str
) -> None:
    def scores(db: str) -> dict[str, Any]:
        return {t["tool"]: t for g in _json(db, "rank")["groups"] for t in g["tools"]}

    full, basic = scores(full_db), scores(basic_db)
    # silent has no issue or pull request: every responsiveness health signal is unknown, so
    # its responsiveness is its basic one (neither lowered nor raised), its completeness lower
    assert full["silent"]["dimensions"]["responsiveness"] == pytest.approx(
        basic["silent"]["dimensions"]["responsiveness"], nan_ok=True
    )
    assert full["silent"]["completeness"] < basic["silent"]["completeness"]
    # busy answers in hours: its responsiveness now rests on that too, and moved
    assert full["busy"]["dimensions"]["responsiveness"] != pytest.approx(
        basic["busy"]["dimensions"]["responsiveness"]
    )
