"""The collector under the simulator's faults: every repository accounted for exactly once?

Each scenario runs the real `mlops-radar collect` (a child process) into a fresh SQLite file
against the GitHub simulator on 127.0.0.1, then `--resume` until the snapshot is complete (at
most five times), and counts per scenario: repositories lost (no outcome), duplicated (two
outcomes or two core facts), tracebacks in any run's output, the runs and their exit codes
(issue 14). `benchmarks/hostile.py` prints this table after the readers' one.

    python3 benchmarks/faultmix.py [--repos 200]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from github_simulator import Faults, Population, Simulator, SimulatorConfig  # noqa: E402


@dataclass
class Outcome:
    """What one scenario left behind."""

    name: str
    repos: int
    lost: int = 0
    duplicated: int = 0
    tracebacks: int = 0
    codes: list[int] = field(default_factory=list)
    status: str = "?"
    seconds: float = 0.0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "MLOPS_RADAR_DB")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["GITHUB_TOKEN"] = "ghp_FaultMixBenchmarkToken0123456789"
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mlops_radar", "collect", *args]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _simulator(n: int, port: int = 0, **faults: Any) -> Simulator:
    limits = {k: faults.pop(k) for k in ("primary_limit",) if k in faults}
    config = SimulatorConfig(population=Population.synthetic(n, seed=11), port=port,
                             faults=Faults(seed=11, **faults), **limits)  # fmt: skip
    return Simulator(config).start()


def _rows(db: Path, sql: str) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        return [str(r[0]) for r in conn.execute(sql)]


class Scenario:
    """Runs of one scenario in one folder, their outputs kept for the counts."""

    def __init__(self, folder: Path, names: list[str], url: str) -> None:
        self.db = folder / "radar.sqlite3"
        self.catalog = folder / "list.md"
        lines = ["# List", "", "## Tools", ""]
        lines += [f"* [{n}](https://github.com/{n}) - Tool." for n in names]
        self.catalog.write_text("\n".join(lines) + "\n")
        self.url = url
        self.names = names
        self.outputs: list[str] = []
        self.codes: list[int] = []

    def args(self, *more: str) -> list[str]:
        return ["--api-url", self.url, "--db", str(self.db), "--groups", "core",
                "--batch-size", "10", "--concurrency", "1", *more]  # fmt: skip

    def run(self, *args: str) -> int:
        done = subprocess.run(_cli(*args), env=_env(), capture_output=True, text=True,
                              timeout=600, check=False)  # fmt: skip
        self.outputs.append(done.stdout + done.stderr)
        self.codes.append(done.returncode)
        return done.returncode

    def first(self) -> int:
        return self.run("--catalog", str(self.catalog), *self.args())

    def killed(self, after_facts: int) -> None:
        """A run (resume if a snapshot exists) killed with SIGKILL once it stored some facts."""
        start = ["--resume"] if self.db.exists() else ["--catalog", str(self.catalog)]
        child = subprocess.Popen(_cli(*start, *self.args()), env=_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            try:
                if len(_rows(self.db, "SELECT repo_key FROM facts_github_core")) >= after_facts:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        self.codes.append(-9)

    def resume_until_complete(self) -> None:
        for _ in range(5):
            if self.run("--resume", *self.args()) == 0:
                return

    def outcome(self, name: str, started: float) -> Outcome:
        result = Outcome(name, len(self.names), codes=self.codes)
        keys = Counter(_rows(self.db, "SELECT repo_key FROM outcomes"))
        facts = Counter(_rows(self.db, "SELECT repo_key FROM facts_github_core"))
        wanted = {n.lower() for n in self.names}
        result.lost = len(wanted - set(keys))
        result.duplicated = sum(1 for k in wanted if keys[k] > 1 or facts[k] > 1)
        result.tracebacks = sum("Traceback" in out for out in self.outputs)
        result.status = ",".join(_rows(self.db, "SELECT status FROM snapshots ORDER BY id"))
        result.seconds = time.monotonic() - started
        return result


def _mix(names: list[str]) -> dict[str, Any]:
    absurd = {names[3]: "all", names[len(names) // 4]: "huge", names[len(names) // 2]: "surrogate"}
    return {"latency": 0.1, "error_rate": 0.10, "reset_rate": 0.03, "absurd": absurd,
            "secondary_on": frozenset({4, 17}), "malformed_on": frozenset({7, 21}),
            "null_data_on": frozenset({11})}  # fmt: skip


def fault_mix_kill_resume(folder: Path, n: int) -> Outcome:
    """10% 502/504, resets, secondary limits, malformed bodies, data:null, absurd values; kill -9
    once a fifth is stored; resume until complete."""
    started = time.monotonic()
    names = [r.full_name for r in Population.synthetic(n, seed=11).repos]
    with _simulator(n, **_mix(names)) as sim:
        scenario = Scenario(folder, names, sim.url)
        scenario.killed(after_facts=n // 5)
        scenario.resume_until_complete()
    return scenario.outcome("fault mix, kill -9, resume", started)


def outage_then_resume(folder: Path, n: int) -> Outcome:
    """The API down (nothing listens): partial; then it is back, with the fault mix: resume."""
    started = time.monotonic()
    names = [r.full_name for r in Population.synthetic(n, seed=11).repos]
    port = _closed_port()
    scenario = Scenario(folder, names, f"http://127.0.0.1:{port}/graphql")
    scenario.first()
    with _simulator(n, port=port, **_mix(names)):
        scenario.resume_until_complete()
    return scenario.outcome("outage, then resume", started)


def absurd_wait_then_resume(folder: Path, n: int, label: str, **faults: Any) -> Outcome:
    """A server asking for an absurd wait: partial at once; resumed against a sane server."""
    started = time.monotonic()
    names = [r.full_name for r in Population.synthetic(n, seed=11).repos]
    port = _closed_port()
    with _simulator(n, port=port, **faults) as sim:
        scenario = Scenario(folder, names, sim.url)
        scenario.first()
    with _simulator(n, port=port):
        scenario.resume_until_complete()
    return scenario.outcome(f"{label}, then a sane server: resume", started)


SCENARIOS: tuple[Callable[[Path, int], Outcome], ...] = (
    fault_mix_kill_resume,
    outage_then_resume,
    lambda folder, n: absurd_wait_then_resume(
        folder, n, "retry-after 1e308", secondary_on=frozenset({1}), retry_after=1e308
    ),
    lambda folder, n: absurd_wait_then_resume(
        folder,
        n,
        "resetAt 2099",
        primary_limit=1,
        reset_at=datetime(2099, 12, 31, tzinfo=UTC).timestamp(),
    ),
)


def table(outcomes: list[Outcome]) -> str:
    lines = [f"{'scenario':<44} {'repos':>5} {'lost':>4} {'duplicated':>10} {'tracebacks':>10} "
             f"{'status':<9} {'seconds':>7}  exit codes of the runs"]  # fmt: skip
    for o in outcomes:
        lines.append(f"{o.name[:44]:<44} {o.repos:>5} {o.lost:>4} {o.duplicated:>10} "
                     f"{o.tracebacks:>10} {o.status:<9} {o.seconds:>7.1f}  "
                     f"{' '.join(map(str, o.codes))}")  # fmt: skip
    return "\n".join(lines)


def run_all(n: int) -> list[Outcome]:
    outcomes = []
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory(prefix="radar-faults-") as folder:
            outcomes.append(scenario(Path(folder), n))
    return outcomes


def ok(outcomes: list[Outcome]) -> bool:
    return all(o.lost == o.duplicated == o.tracebacks == 0 and o.status == "complete"
               for o in outcomes)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200, help="repositories per scenario")
    args = parser.parse_args()
    outcomes = run_all(args.repos)
    print(f"collector under faults: {len(outcomes)} scenarios, {args.repos} repositories each")
    print(table(outcomes))
    return 0 if ok(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
