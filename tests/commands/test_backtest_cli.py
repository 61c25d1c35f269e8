"""`mlops-radar backtest` end to end: on the study's real files against a later Awesome MLOps list,
and on two collections of the GitHub simulator over HTTP (now, and two years later with a known
relation), stored in a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.metrics import roc_auc_score

from github_simulator import Population, Simulator, SimulatorConfig
from github_simulator.future import logistic_chance
from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.cli import main
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LIST_2026 = SHARED / "awesome-mlops" / "README-2026-08-16.md"
FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=50, concurrency=1)


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def study_db(study_data: Path, tmp_path: Path) -> str:
    if not LIST_2026.is_file():
        pytest.skip(f"the Awesome MLOps list is not at {LIST_2026}")
    db = str(tmp_path / "radar.sqlite3")
    code, _, err = _cli("import", str(study_data / "csvdata" / "2021-05-14.csv"), "--db", db)
    assert code == 0, err
    return db


def test_study_2021_against_the_2026_list(study_db: str) -> None:
    code, out, err = _cli("backtest", "--from", "2021-05-14", "--listed-in", str(LIST_2026),
                          "--db", study_db, "--json")  # fmt: skip
    assert code == 0, err
    found = json.loads(out)
    assert found["outcome"] == "listed"
    assert found["tools"] == 78
    assert found["alive"] + found["dead"] + found["unknown"] == 78
    text = LIST_2026.read_text(encoding="utf-8").lower()
    for tool in found["per_tool"]:
        # checked against the list's text itself: a kept tool's repository or name is in it
        named = tool["repo"].lower() in text or tool["tool"].lower() in text
        assert named or tool["fate"] == "dead", tool
        if tool["fate"] == "dead":
            assert f"github.com/{tool['repo'].lower()}" not in text, tool
    dead = {t["tool"] for t in found["per_tool"] if t["fate"] == "dead"}
    assert "minicron" in dead  # in no Awesome MLOps list
    assert "healthchecks" not in dead  # listed as HealthchecksIO, by its website
    # one or two dead tools: an AUC, but no bootstrap interval
    assert all(p["interval"] is None for p in found["predictors"])
    names = [p["name"] for p in found["predictors"]]
    assert names == ["score", "stars", "attractiveness", "study_rank", "activity_gate"]
    rings = {r["ring"]: r for r in found["rings"]}
    assert sum(r["alive"] + r["dead"] for r in rings.values()) == found["alive"] + found["dead"]


def test_terminal_table_and_refused_calibration(study_db: str, tmp_path: Path) -> None:
    code, out, _ = _cli("backtest", "--from", "2021-05-14", "--listed-in", str(LIST_2026),
                        "--db", study_db)  # fmt: skip
    assert code == 0
    for words in ("Fates per ring", "Hold for dead", "Adopt + Trial for alive", "study rank",
                  "maturity score", "stars (baseline)"):  # fmt: skip
        assert words in out
    target = tmp_path / "weights.toml"
    code, _, err = _cli("backtest", "--from", "2021-05-14", "--listed-in", str(LIST_2026),
                        "--db", study_db, "--calibrate", "--write", str(target))  # fmt: skip
    # one tool not listed cannot support a calibration: it is refused, nothing written
    assert code == 2
    assert "calibration refused: only 1 tool(s) of known fate are dead" in err
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give exactly one of --to REF or --listed-in SOURCE"),
        (("--to", "2021-05-14", "--listed-in", "x.md"), "give exactly one of"),
        (("--to", "2021-05-14", "--outcome", "listed"), "--outcome listed needs --listed-in"),
        (("--to", "2021-05-14"), "is not later than"),
        (("--to", "2030-01-01"), "2030-01-01"),
        (("--listed-in", "no-such-list.md", "--write", "w.toml"), "--write needs --calibrate"),
        (("--listed-in", "no-such-list.md"), "no-such-list.md"),
    ],
)
def test_clear_one_line_errors(study_db: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = _cli("backtest", "--from", "2021-05-14", *args, "--db", study_db)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_help_has_examples() -> None:
    code, out, _ = _cli("backtest", "--help")
    assert code == 0
    assert "Examples:" in out
    assert "--listed-in" in out
    assert "--calibrate" in out


# --- the simulator, over HTTP, now and two years later ---------------------------------------

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _catalog(population: Population) -> Catalog:
    tools = tuple(
        ToolEntry(name=r.display_name, categories=(r.category,), repo=r.full_name,
                  url=f"https://github.com/{r.full_name}", kind=LinkKind.REPO)
        for r in population.repos
    )  # fmt: skip
    return Catalog(source="simulated", tools=tools)


def _collect(store: Store, population: Population, catalog: Catalog) -> None:
    server = Simulator(SimulatorConfig(population=population)).start()
    try:
        opened = open_collection(store, catalog=catalog, taken_at=population.now)
        run_collection(store, opened, api_url=server.url, token=Token("t", "TEST"), config=FAST,
                       now=lambda: population.now, max_missing=1.0)  # fmt: skip
    finally:
        server.close()


def test_simulated_future_backtest_matches_the_known_relation(tmp_path: Path) -> None:
    now = Population.synthetic(400, seed=17, now=NOW)
    future = now.advance(months=24, seed=4, chance=logistic_chance(strength=2.0))
    db = str(tmp_path / "sim.sqlite3")
    catalog = _catalog(now)
    with Store.open(db) as store:
        _collect(store, now, catalog)
        _collect(store, future.later, catalog)
    code, out, err = _cli("backtest", "--from", "1", "--to", "2", "--db", db, "--json")
    assert code == 0, err
    found = json.loads(out)
    fates = {t["repo"].lower(): t["fate"] for t in found["per_tool"]}
    assert fates == {k: "alive" if v else "dead" for k, v in future.active.items()}
    keys = list(future.active)
    truth = roc_auc_score([future.active[k] for k in keys], [future.chance[k] for k in keys])
    score = next(p for p in found["predictors"] if p["name"] == "score")
    assert abs(score["auc"] - truth) < 0.05
    assert re.match(r"snapshot 2 \(2026-01-0\d\)", found["evidence"])
    assert np.isfinite(score["interval"]).all()
    # calibration from deliberately wrong weights is accepted, and writes weights and record
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        "".join(f"[signals.{name}]\nweight = {1.0 if name == 'license_clarity' else 0.0}\n"
                for name in ("stars", "forks", "watchers", "days_since_commit", "total_commits",
                             "mentionable_users", "issue_closure", "pr_merge", "license_clarity",
                             "not_archived")),
        encoding="utf-8",
    )  # fmt: skip
    written = tmp_path / "calibrated.toml"
    code, out, err = _cli("backtest", "--from", "1", "--to", "2", "--db", db, "--weights",
                          str(wrong), "--calibrate", "--write", str(written), "--json")  # fmt: skip
    assert code == 0, err
    calibration = json.loads(out)["calibration"]
    assert calibration["accepted"]
    assert calibration["calibrated_auc"] > calibration["current_auc"]
    assert f"out-of-sample ROC AUC {calibration['calibrated_auc']:.3f}" in written.read_text()
    record = tmp_path / "calibrated.backtest.toml"
    assert "fitted = true" in record.read_text()
    code, out, err = _cli("rank", "--db", db, "--snapshot", "1", "--weights", str(written))
    assert code == 0, err
    assert "Backtest (the weights were fitted to it)" in " ".join(out.split())


# --- the fate rules, one function each ---------------------------------------------------------


def test_activity_fates_follow_the_rules() -> None:
    import pandas as pd

    from mlops_radar.app.backtest import OutcomeRule, activity_fates
    from mlops_radar.model.backtest import Fate

    before = pd.DataFrame({"repo": ["a/fresh", "a/old", "a/between", "a/arch", "a/gone",
                                    "a/absent", "a/nodate", "a/moved"]})  # fmt: skip
    after = pd.DataFrame(
        {
            "repo": ["A/Fresh", "a/old", "a/between", "a/arch", "a/gone", "a/nodate", "b/new"],
            "last_commit_at": [
                "2024-05-01",
                "2022-12-01",
                "2023-09-01",
                "2024-05-01",
                None,
                None,
                "2024-05-30",
            ],
            "archived": [False, False, False, True, None, False, False],
            "outcome": ["collected"] * 4 + ["not_found", "collected", "collected"],
        }
    )
    aliases = {"a/moved": {"a/moved", "b/new"}, "b/new": {"a/moved", "b/new"}}
    when = dt.date(2024, 6, 1)
    found = activity_fates(before, after, when, rule=OutcomeRule.ACTIVITY, months=6,
                           aliases=aliases)  # fmt: skip
    a, d, u = Fate.ALIVE, Fate.DEAD, Fate.UNKNOWN
    assert found == [a, d, u, d, d, u, u, a]
    archived = activity_fates(before, after, when, rule=OutcomeRule.ARCHIVED, months=6,
                              aliases=aliases)  # fmt: skip
    assert archived == [a, a, a, d, d, u, a, a]


def test_listed_fates_match_renames_names_and_websites() -> None:
    import pandas as pd

    from mlops_radar.app.backtest import listed_fates
    from mlops_radar.model.backtest import Fate

    before = pd.DataFrame(
        {
            "tool": ["Kept", "Renamed", "Moved", "Site", "Dropped", "Nothing"],
            "repo": ["o/kept", "o/old-name", "old-org/moved", "h/healthy", "o/dropped", None],
        }
    )
    aliases = {
        "o/old-name": {"o/old-name", "o/new-name"},
        "o/new-name": {"o/old-name", "o/new-name"},
    }
    found = listed_fates(
        before,
        ["O/Kept.git", "o/new-name", "new-org/moved", None],
        ["Kept", "New Name", "Moved", "Healthy IO"],
        aliases,
        [None, None, None, "https://www.healthy.io/"],
    )
    a, d = Fate.ALIVE, Fate.DEAD
    assert found == [a, a, a, a, d, d]


# --- what the rings predicted, said where the ring is shown ----------------------------------


def test_rank_and_show_state_the_backtest_behind_the_weights(study_db: str, tmp_path: Path) -> None:
    code, out, _ = _cli("rank", "--category", "Feature Store", "--db", study_db)
    assert code == 0
    line = " ".join(out.split())
    assert "Backtest (the weights were not fitted to it): of the tools rated Hold in 2021" in line
    code, out, _ = _cli("show", "feast", "--db", study_db)
    assert code == 0
    assert "of the tools rated Hold in 2021" in " ".join(out.split())
    # a weights file without a record beside it: nothing is claimed
    weights = tmp_path / "mine.toml"
    weights.write_text("[dimensions]\npopularity = 2.0\n", encoding="utf-8")
    code, out, _ = _cli("rank", "--db", study_db, "--weights", str(weights))
    assert code == 0
    assert "Backtest (" not in out
    # a record written by backtest --record beside it is read, with its own figures
    record = tmp_path / "mine.backtest.toml"
    args = ["--listed-in", str(LIST_2026), "--weights", str(weights), "--record", str(record)]
    code, _, err = _cli("backtest", "--from", "2021-05-14", *args, "--db", study_db)
    assert code == 0, err
    from mlops_radar.report.evidence import load_evidence

    found = load_evidence(str(weights))
    assert found is not None
    assert found.dead == 1
    assert found.alive == 77
    assert not found.fitted
    code, out, _ = _cli("rank", "--db", study_db, "--weights", str(weights))
    assert "of the tools rated Hold in 2021" in " ".join(out.split())
    # a broken record: one clear line naming the file
    record.write_text("origin = [", encoding="utf-8")
    code, _, err = _cli("rank", "--db", study_db, "--weights", str(weights))
    assert code == 2
    assert str(record) in err
    assert len(err.strip().splitlines()) == 1


def _rings(db: str) -> dict[str, int]:
    code, out, err = _cli("backtest", "--from", "2021-05-14", "--listed-in", str(LIST_2026),
                          "--db", db, "--json")  # fmt: skip
    assert code == 0, err
    return {r["ring"]: r["alive"] + r["dead"] for r in json.loads(out)["rings"]}


@pytest.mark.parametrize(("day", "applied"), [("2021-05-01", True), ("2021-06-01", False)])
def test_the_from_snapshot_is_judged_only_with_what_was_known_by_its_date(
    study_db: str, study_data: Path, tmp_path: Path, day: str, applied: bool
) -> None:
    alone = _rings(study_db)
    other = str(tmp_path / "with-ods.sqlite3")
    for args in (
        [str(study_data / "csvdata" / "2021-05-14.csv")],
        [str(study_data / "FerramentasMLOps.ods"), "--date", day],
    ):
        code, _, err = _cli("import", *args, "--db", other)
        assert code == 0, err
    # the spreadsheet's hand license analysis changes the rings only if dated by 2021-05-14
    assert (_rings(other) != alone) is applied
