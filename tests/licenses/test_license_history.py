"""License history (issue 11, item 3) and detection in the collection run (issue 11, Done when):
three collection days against the GitHub simulator on 127.0.0.1 into a real SQLite store, where
one repository moves from Apache-2.0 to BUSL-1.1 (GitHub identifies both) and one whose license
GitHub calls "Other" moves from MIT to AGPL (both read from its license file by the detector).

`changes`, `show` and `qualify` run as the CLI runs them (click's runner, in this process)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from github_simulator import Population, SimRepo, Simulator, SimulatorConfig
from github_simulator.synthetic_files import license_text
from mlops_radar.app import assessment
from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.cli import main
from mlops_radar.model.config import named_policy
from mlops_radar.model.license_classes import Direction, Family
from mlops_radar.model.license_history import license_history
from mlops_radar.model.licenses import judge_license, resolved_licenses
from mlops_radar.model.results import Direction as SignalDirection
from mlops_radar.model.results import SignalReason
from mlops_radar.report.words import signal_words
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.licenses import load_license_data
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=50, concurrency=1)
DAYS = [dt.datetime(2026, 5, d, 12, tzinfo=dt.UTC) for d in (1, 8, 15)]
MIT = license_text("MIT").replace("<year>", "2024").replace("<copyright holders>", "Acme")
PREAMBLE = "Acme releases this project under the MIT license, reproduced below.\n\n"


def _repos(day: int) -> list[SimRepo]:
    """The population on collection day `day` (0, 1, 2): engine relicenses on day 1, other
    (GitHub: "Other") on day 2; steady never does."""
    engine = "Apache-2.0" if day == 0 else "BUSL-1.1"
    other = PREAMBLE + MIT if day < 2 else "Acme's notice.\n\n" + license_text("AGPL-3.0")
    return [
        SimRepo(owner="acme", name="engine", stars=900, license_spdx=engine,
                files={"LICENSE": license_text(engine), "README.md": "# engine\n"}),
        SimRepo(owner="acme", name="other", stars=90, license_spdx="NOASSERTION",
                files={"LICENSE": other, "README.md": "# other\n"}),
        SimRepo(owner="acme", name="steady", stars=50, license_spdx="MIT",
                files={"LICENSE": MIT, "README.md": "# steady\n"}),
    ]  # fmt: skip


NAMES = ["acme/engine", "acme/other", "acme/steady"]


def _catalog() -> Catalog:
    tools = tuple(
        ToolEntry(name=n.split("/")[1], categories=("Workflow",), url=f"https://github.com/{n}",
                  kind=LinkKind.REPO, repo=n)
        for n in NAMES
    )  # fmt: skip
    return Catalog(source="test", tools=tools)


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Any]]:
    """The database URL after three collection days, and each day's collection result."""
    db = tmp_path_factory.mktemp("history") / "radar.sqlite3"
    url = f"sqlite:///{db}"
    results = []
    with Store.open(url) as store:
        for day, moment in enumerate(DAYS):
            population = Population(repos=_repos(day), orgs=["acme"], now=moment)
            server = Simulator(SimulatorConfig(population=population)).start()
            try:
                opened = open_collection(store, catalog=_catalog(), taken_at=moment)
                results.append(
                    run_collection(store, opened, api_url=server.url, token=Token("t", "TEST"),
                                   config=FAST, now=lambda moment=moment: moment)
                )  # fmt: skip
            finally:
                server.close()
    return url, results


def _cli(url: str, *args: str) -> str:
    result = CliRunner().invoke(
        main, [*args, "--db", url], catch_exceptions=False, env={"COLUMNS": "220"}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_collection_detects_other_licenses_in_the_same_run(collected: Any) -> None:
    url, results = collected
    assert [r.status.value for r in results] == ["complete"] * 3
    assert all(r.licenses is not None and r.licenses.skipped is None for r in results)
    assert [r.licenses.detected for r in results] == [1, 1, 1]  # acme/other, each day
    qualified = json.loads(_cli(url, "qualify", "--snapshot", "1", "--json"))
    other = next(t for t in qualified["tools"] if t["repo"] == "acme/other")
    gate = other["gates"]["license"]
    assert gate["outcome"] == "pass"
    assert other["license"] == "MIT"
    assert re.search(r"detected by \S+ \S+ \(score [01]\.\d\d\) in LICENSE: MIT", gate["reason"])


def test_changes_lists_the_resolved_license_change_with_its_family(collected: Any) -> None:
    url, _ = collected
    found = json.loads(_cli(url, "changes", "1", "2", "--json"))
    assert [(c["repo"], c["old"], c["new"]) for c in found["license_changed"]] == [
        ("acme/engine", "Apache-2.0", "BUSL-1.1")
    ]
    (engine,) = found["resolved_license_changed"]
    assert engine["text"] == (
        "Apache-2.0 -> BUSL-1.1: permissive to source-available; no longer OSI-approved"
    )
    assert engine["old"] == {"spdx": "Apache-2.0", "family": "permissive", "approval": "approved",
                             "resolved_by": "github", "how": "GitHub"}  # fmt: skip
    assert engine["new"]["family"] == "source-available"
    assert engine["new"]["approval"] == "not approved"
    assert engine["direction"] == "more restrictive"
    assert engine["left_open_source"] is True
    assert (engine["last_old"], engine["first_new"]) == ("2026-05-01", "2026-05-08")


def test_a_change_only_detection_sees_is_listed_with_how_it_was_resolved(collected: Any) -> None:
    url, _ = collected
    found = json.loads(_cli(url, "changes", "2", "3", "--json"))
    assert found["license_changed"] == []  # GitHub said "Other" both days
    (other,) = found["resolved_license_changed"]
    assert other["repo"] == "acme/other"
    assert other["old"]["spdx"] == "MIT"
    assert other["new"]["spdx"].startswith("AGPL-3.0")
    assert (other["old"]["family"], other["new"]["family"]) == ("permissive", "network copyleft")
    assert other["text"].endswith(": permissive to network copyleft; still OSI-approved")
    assert other["old"]["resolved_by"] == other["new"]["resolved_by"] == "detector"
    assert re.fullmatch(r"detected by \S+ \S+ \(score [01]\.\d\d\) in LICENSE", other["new"]["how"])


def test_changes_in_the_terminal_words_the_family_change(collected: Any) -> None:
    url, _ = collected
    text = _cli(url, "changes", "1", "2")
    assert "Resolved license changed" in text
    assert "Apache-2.0 -> BUSL-1.1: permissive to source-available; no longer OSI-approved" in text
    assert "GitHub -> GitHub" in text


def test_show_gives_the_license_history(collected: Any) -> None:
    url, _ = collected
    shown = json.loads(_cli(url, "show", "acme/engine", "--json"))
    history = shown["license_history"]
    assert history["periods"] == [
        {"license": "Apache-2.0", "resolved_by": ["github"], "first": "2026-05-01",
         "last": "2026-05-01", "snapshots": 1},
        {"license": "BUSL-1.1", "resolved_by": ["github"], "first": "2026-05-08",
         "last": "2026-05-15", "snapshots": 2},
    ]  # fmt: skip
    assert [c["text"] for c in history["changes"]] == [
        "Apache-2.0 -> BUSL-1.1: permissive to source-available; no longer OSI-approved"
    ]
    steady = json.loads(_cli(url, "show", "acme/steady", "--json"))["license_history"]
    assert [p["license"] for p in steady["periods"]] == ["MIT"]
    assert steady["changes"] == []
    text = _cli(url, "show", "acme/engine")
    assert "license history" in text
    assert "2026-05-08 to 2026-05-15 (2 snapshots)" in text
    assert "BUSL-1.1 (GitHub)" in text


def test_the_api_and_cli_agree(collected: Any) -> None:
    url, _ = collected
    with Store.open(url) as store:
        found = assessment.changes(store, 1, 3, named_policy("radar"))
    assert found.resolved_license_changed is not None
    by_repo = {c.repo: c for c in found.resolved_license_changed}
    assert set(by_repo) == {"acme/engine", "acme/other"}
    assert by_repo["acme/engine"].change.direction is Direction.MORE_RESTRICTIVE
    assert by_repo["acme/other"].change.new.family is Family.NETWORK_COPYLEFT


# --- the resolution rule on its own (pure, a hand-made table) ---


def _table(**columns: list[Any]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"tool": [f"t{i}" for i in range(n)], "repo": [f"o/t{i}" for i in range(n)]}
    return pd.DataFrame({**base, **columns})


def test_resolution_precedence_is_github_then_review_then_detector() -> None:
    policy = dataclasses.replace(named_policy("radar"), license_data=load_license_data())
    table = _table(
        license_spdx=["MIT", "NOASSERTION", "NOASSERTION", "NOASSERTION"],
        license_name=["MIT License", "Other", "Other", "Other"],
        license_manual=["Apache-2.0", "Apache-2.0", None, None],
        license_detected=["BSD-3-Clause", "BSD-3-Clause", "BSD-3-Clause", None],
        license_detected_score=[1.0, 1.0, 0.97, None],
        license_detector=["scancode 32.5.0"] * 3 + [None],
        license_detected_file=["LICENSE"] * 3 + [None],
    )
    found = resolved_licenses(table, policy)
    assert [(r.spdx, r.by) for r in found] == [
        ("MIT", "github"),
        ("Apache-2.0", "review"),
        ("BSD-3-Clause", "detector"),
        (None, None),  # "Other", nothing else: unknown, not a license
    ]


def test_unknown_snapshots_are_a_period_never_a_change() -> None:
    policy = dataclasses.replace(named_policy("radar"), license_data=load_license_data())
    days = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"])
    history = pd.DataFrame({
        "snapshot_date": days, "tool": ["x"] * 4, "repo": ["o/x"] * 4,
        "license_spdx": ["MIT", None, "MIT", "GPL-3.0-only"],
    })  # fmt: skip
    found = license_history(history, policy)
    assert [(p.license, p.snapshots) for p in found.periods] == [
        ("MIT", 1), (None, 1), ("MIT", 1), ("GPL-3.0-only", 1)
    ]  # fmt: skip
    assert [(c.old.spdx, c.new.spdx) for c in found.changes] == [("MIT", "GPL-3.0-only")]
    assert found.changes[0].last_old == dt.date(2026, 3, 1)
    unjudged = license_history(history, named_policy("radar"))
    assert unjudged.judged is False
    assert unjudged.changes == ()
    one = license_history(history.iloc[:1], named_policy("radar"))
    assert one.judged is True  # one license: nothing to compare, no list data needed
    assert one.changes == ()


def test_many_tools_at_once_equal_each_alone() -> None:
    # the report's `license_histories` runs the license rule once over every tool's rows
    from mlops_radar.model.license_history import license_histories

    policy = dataclasses.replace(named_policy("radar"), license_data=load_license_data())
    days = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"] * 2)
    history = pd.DataFrame({
        "snapshot_date": days, "tool": ["x"] * 3 + ["y"] * 3, "repo": ["o/x"] * 3 + ["o/y"] * 3,
        "license_spdx": ["MIT", None, "GPL-3.0-only", "Apache-2.0", "Apache-2.0", "BUSL-1.1"],
    })  # fmt: skip
    found = license_histories(history, ["x"] * 3 + ["y"] * 3, policy)
    assert found == {
        "x": license_history(history.iloc[:3], policy),
        "y": license_history(history.iloc[3:].reset_index(drop=True), policy),
    }
    assert [(c.old.spdx, c.new.spdx) for c in found["y"].changes] == [("Apache-2.0", "BUSL-1.1")]
    assert license_histories(history.iloc[:0], [], policy) == {}


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ({"spdx": "MIT"}, "license clearly open source"),
        ({"spdx": "NOASSERTION", "detected": ("MIT", 1.0, "scancode 32.5.0", "LICENSE")},
         "license open source as detected in its license files"),
        ({"spdx": "NOASSERTION", "manual": "MIT"}, "license open source by manual analysis only"),
        ({"spdx": "NOASSERTION"}, "license unclear (needs review)"),
        ({"spdx": "BUSL-1.1"}, "license not open source"),
    ],
)  # fmt: skip
def test_the_clarity_signal_says_how_the_license_was_resolved(
    facts: dict[str, Any], words: str
) -> None:
    policy = dataclasses.replace(named_policy("radar"), license_data=load_license_data())
    verdict = judge_license(
        facts["spdx"], None, facts.get("manual"), policy, detected=facts.get("detected")
    )
    assert verdict.clarity is not None
    reason = SignalReason(
        "license_clarity", "license clarity", verdict.clarity, None, "g", SignalDirection.HELPS, 0.1
    )
    assert signal_words(reason) == words


def test_the_report_lists_the_resolved_license_change_with_its_family(
    collected: Any, tmp_path: Any
) -> None:
    url, _ = collected
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["report", "--db", url, "--snapshot", "2", "--since", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    row = re.search(r"<th>resolved license changed</th><td>(.*?)</td>", index)
    assert row is not None
    assert row.group(1) == (
        "engine (Apache-2.0 -&gt; BUSL-1.1: permissive to source-available; no longer OSI-approved)"
    )


def test_the_report_tool_page_gives_the_resolved_license_history(
    collected: Any, tmp_path: Any
) -> None:
    # acme/other: GitHub says "Other" on all three days; the file moved from MIT to AGPL
    url, _ = collected
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["report", "--db", url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = [p for p in (out / "tool").glob("*.html") if "acme/other" in p.read_text("utf-8")]
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    items = re.findall(r"<li>(.*?)</li>", page.split('class="license-history"', 1)[1])
    assert items[0].startswith("2026-05-01 to 2026-05-08 (2 snapshots): MIT (detector)")
    assert items[1].startswith("2026-05-15 (1 snapshot): AGPL-3.0")
    assert items[2].startswith("changed by 2026-05-15: MIT -&gt; AGPL-3.0")
    assert items[2].endswith("permissive to network copyleft; still OSI-approved")
