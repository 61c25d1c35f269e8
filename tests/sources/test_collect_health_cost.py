"""The health group's own cost (issue 13 item 5): the closing summary of `mlops-radar collect
--depth full` and the progress the bar is fed show its requests, points and pages, apart from
the light groups'. The simulator over HTTP, a real SQLite file, the real CLI."""

from __future__ import annotations

import math
from pathlib import Path

from click.testing import CliRunner

from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.cli import main
from mlops_radar.sources.github.groups import DEPTHS
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig, GroupCost, ProgressStatus
from mlops_radar.store import Store


def _catalog_file(path: Path, names: list[str]) -> Path:
    lines = ["# Test list", "", "## Workflow Tools", ""]
    lines += [f"* [{n}](https://github.com/{n}) - Tool {i}." for i, n in enumerate(names)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _collect(sim, tmp_path: Path, *depth: str) -> str:  # type: ignore[no-untyped-def]
    catalog = _catalog_file(tmp_path / "README.md", sim.names)
    args = ["collect", "--catalog", str(catalog), "--api-url", sim.url, "--db",
            str(tmp_path / "radar.sqlite3"), "--concurrency", "1", *depth]  # fmt: skip
    result = CliRunner().invoke(main, args, env={"GITHUB_TOKEN": "t", "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_summary_shows_the_health_groups_cost(simulator, tmp_path: Path) -> None:
    sim = simulator(n=12, files=False)
    out = _collect(sim, tmp_path, "--depth", "full")
    line = next(x for x in out.splitlines() if x.strip().startswith("health cost"))
    requests, points, pages = (int(w.replace(",", "")) for w in line.split()[2::2])
    # 208 connections a repository, the cheapest batch 6 repositories = 12 points (docs/health.md)
    assert pages == 12
    assert requests == math.ceil(12 / 6)
    assert points == 2 * 12
    total = next(x for x in out.splitlines() if x.strip().startswith("requests"))
    assert int(total.split()[1].rstrip(",").replace(",", "")) > requests  # light groups too


def test_a_basic_collection_has_no_health_cost_line(simulator, tmp_path: Path) -> None:
    sim = simulator(n=5, files=False)
    assert "health cost" not in _collect(sim, tmp_path)


class Recorder:
    def __init__(self) -> None:
        self.seen: list[ProgressStatus] = []

    def batch_done(self, status: ProgressStatus) -> None:
        self.seen.append(status)

    def waiting(self, seconds: float, reason: str) -> None:
        pass


def test_the_progress_is_told_the_health_groups_cost(simulator, tmp_path: Path) -> None:
    sim = simulator(n=12, files=False)
    store = Store.open(f"sqlite:///{tmp_path / 'radar.sqlite3'}")
    tools = tuple(
        ToolEntry(name=n, categories=("C",), url=f"https://github.com/{n}",
                  kind=LinkKind.REPO, repo=n)
        for n in sim.names
    )  # fmt: skip
    opened = open_collection(store, catalog=Catalog("t", tools), groups=DEPTHS["full"])
    recorder = Recorder()
    config = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, concurrency=1)
    result = run_collection(store, opened, api_url=sim.url, token=Token("t", "TEST"),
                            config=config, progress=recorder, groups=DEPTHS["full"])  # fmt: skip
    store.close()
    health = [s.groups.get("health") for s in recorder.seen]
    assert health[-1] == result.summary.groups["health"] == GroupCost(2, 24, 12)
    # it grows batch by batch, and the light groups are not in it
    known = [h for h in health if h is not None]
    assert [h.pages for h in known] == sorted(h.pages for h in known)
    assert result.summary.points > known[-1].points
