"""Benchmark of the waits a person sees: start-up (`--help`, `catalog --help`) and `rank` on a
5,000-tool snapshot, for this checkout and for a baseline commit measured in the same run.

The baseline is checked out with `git worktree` into a temporary folder and run from its own
`src/` (PYTHONPATH), against the same database, so both sides read the same data on the same
machine at the same time. The snapshot is made once by `mlops-radar demo --size 5000` (the
simulator, offline). Each command runs `--runs` times in a fresh process; the table shows the
median wall time, the spread (min-max) and baseline / current.

    python benchmarks/cli.py                       # baseline: the commit before typed results
    python benchmarks/cli.py --baseline HEAD~3 --runs 7 --size 2000

Targets (issue 8): `--help` and the catalog commands < 0.3 s; `rank` on 5,000 tools < 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before issue 8's items 6-7 (typed results, static help, column-wise rank).
BASELINE = "9454ef0"


def _run(src: Path, args: list[str], runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "160"}
    code = "from mlops_radar.cli import main; main()"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    return times


def _cell(times: list[float]) -> str:
    return f"{statistics.median(times):6.2f} s ({min(times):.2f}-{max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="git ref to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=5000, help="tools in the snapshot")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="radar-bench-cli-") as folder:
        tmp = Path(folder)
        base = tmp / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base),
             options.baseline],
            check=True,
        )  # fmt: skip
        try:
            db = tmp / "radar.sqlite3"
            print(f"making a {options.size:,}-tool snapshot (mlops-radar demo)...", flush=True)
            _run(ROOT / "src", ["demo", "--size", str(options.size), "--date", "2026-01-01",
                                "--db", str(db)], 1)  # fmt: skip
            cases = [
                ("mlops-radar --help", ["--help"]),
                ("catalog --help", ["catalog", "--help"]),
                ("rank (terminal)", ["rank", "--db", str(db)]),
                ("rank --json", ["rank", "--json", "--db", str(db)]),
            ]
            print(f"\n{options.runs} runs each; median (min-max); baseline {options.baseline}\n")
            print(f"{'command':<22} {'baseline':>24} {'current':>24} {'ratio':>7}")
            for label, args in cases:
                old = _run(base / "src", args, options.runs)
                new = _run(ROOT / "src", args, options.runs)
                ratio = statistics.median(old) / statistics.median(new)
                print(f"{label:<22} {_cell(old):>24} {_cell(new):>24} {ratio:6.1f}x")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False
            )


if __name__ == "__main__":
    main()
