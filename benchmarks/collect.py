"""Benchmark of the collector against the simulator (100 ms latency per request).

Measures, in one run, each in its own child process against one simulator in another process
(each run with its own token, so each has a fresh rate-limit budget):

- the default collection (`--depth basic`: field groups core, activity, community, topics, files;
  the batch size GitHub's cost formula makes cheapest) at N = 300 and N = 3,000;
- `--depth full` (the default groups and the community-health histories, `health`) at N = 300 and
  N = 1,000 (about 2 points per repository: 3,000 would not fit one token's 5,000-point hour), with
  the default collection at N = 1,000 beside it;
- the `core` group alone (the study's qualifiers) at N = 3,000;
- a second snapshot a day later at N = 3,000 into the same store (community and topics are not
  due: the store's values are younger than their 30-day refresh age);
- the baseline, the study's way: one query per repository, one after the other, at N = 300.

Per run: wall time, requests, points charged, repositories per point (GitHub's formula, as the
simulator charges it), repositories per request and per second, the client's CPU seconds (the
child's user + system time) and the simulator's (its process, read from /proc before and after),
and the client's peak RSS, and requests and points per 1,000 repositories. Targets (issue 8): >= 25
repositories per point for core alone, >= 12.5 for the default collection, >= 20 for the second
snapshot; (issue 13) at most 3 points per repository for `--depth full`.

    python benchmarks/collect.py                         # N = 300 and 3,000, baseline at 300
    python benchmarks/collect.py --sizes 300 1000 --latency 0.05
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 7
DAY_ONE = datetime(2026, 1, 2, tzinfo=UTC)
TARGETS = {"core": 25.0, "default": 12.5, "second day": 20.0}
#: Points per repository at most (issue 13).
FULL_TARGET = 3.0


def _entries(names: list[str]) -> list[Any]:
    from mlops_radar.catalog.records import LinkKind, ToolEntry

    return [
        ToolEntry(name=x, categories=("C",), url=f"https://github.com/{x}", kind=LinkKind.REPO,
                  repo=x)
        for x in names
    ]  # fmt: skip


def child(
    url: str, names_file: Path, n: int, mode: str, token: str, db: str, simulator: int
) -> None:
    """Collect the first `n` names as `mode` says; print one JSON line of measurements (of the
    last collection: the second day's for "second day")."""
    from mlops_radar.app.collection import open_collection, run_collection
    from mlops_radar.catalog.records import Catalog
    from mlops_radar.sources.github.groups import DEFAULT_GROUPS, DEPTHS
    from mlops_radar.sources.github.token import Token
    from mlops_radar.sources.outcomes import Outcome
    from mlops_radar.sources.summary import CollectConfig
    from mlops_radar.store import Store

    names = names_file.read_text().split()[:n]
    catalog = Catalog(source="bench", tools=tuple(_entries(names)))
    groups = ("core",) if mode == "core" else DEPTHS["full"] if mode == "full" else DEFAULT_GROUPS
    config = CollectConfig(seed=SEED)
    if mode == "baseline":
        config = CollectConfig(batch_size=1, concurrency=1, seed=SEED)
    days = [DAY_ONE, DAY_ONE + timedelta(days=1)] if mode == "second day" else [DAY_ONE]
    with Store.open(db) as store:
        for day in days:
            cpu, served = time.process_time(), cpu_seconds(simulator)
            started = time.perf_counter()
            opened = open_collection(store, catalog=catalog, taken_at=day, groups=groups)
            result = run_collection(store, opened, api_url=url, token=Token(token, "bench"),
                                    config=config, groups=groups, now=lambda d=day: d)  # fmt: skip
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            served = cpu_seconds(simulator) - served
    summary = result.summary
    collected = summary.counts[Outcome.COLLECTED] + summary.counts[Outcome.RENAMED]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": n, "collected": collected, "wall": wall, "cpu": cpu,
                      "simulator_cpu": served,
                      "requests": summary.requests, "points": summary.points,
                      "peak_mib": peak_kib / 1024, "partial": summary.partial,
                      "health": dataclasses.asdict(summary.groups["health"])
                      if "health" in summary.groups else None}))  # fmt: skip


def start_simulator(size: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    """`python -m github_simulator` in a subprocess; returns it and its URL (its first line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "github_simulator", "--size", str(size), "--seed", str(SEED),
         "--latency", str(latency), "--secondary-limit", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1"):
        process.kill()
        raise SystemExit(f"the simulator did not start (printed {url!r})")
    return process, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(simulator: subprocess.Popen[str], url: str, names_file: Path, n: int, mode: str,
            folder: Path) -> dict[str, Any]:  # fmt: skip
    """Run one child collection and return its measurements."""
    token = f"bench-{mode.replace(' ', '-')}-{n}"
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", url, str(names_file), str(n),
         mode, token, str(folder / f"{token}.sqlite3"), str(simulator.pid)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"child run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["mode"] = mode
    if result["collected"] != n or result["partial"]:
        raise SystemExit(f"run of {n} ({mode}) collected only {result['collected']}")
    return result


def row(r: dict[str, Any]) -> str:
    n = r["n"]
    return (
        f"| {r['mode']} | {n:,} | {r['wall']:.2f} | {r['requests']:,} | {r['points']:,} | "
        f"{n / r['points']:.1f} | {n / r['requests']:.1f} | {n / r['wall']:.0f} | "
        f"{r['cpu']:.2f} | {r['simulator_cpu']:.2f} | {r['peak_mib']:.0f} | "
        f"{1000 * r['requests'] / n:,.0f} | {1000 * r['points'] / n:,.0f} |"
    )


def report(runs: list[dict[str, Any]], latency: float) -> None:
    print(f"Collector vs the simulator, {latency * 1000:.0f} ms latency per request")
    print()
    print("| run | N | wall s | requests | points | repos/point | repos/request | repos/s "
          "| client CPU s | simulator CPU s | peak RSS MiB | requests/1k | points/1k |"
          )  # fmt: skip
    print("| --- |" + " ---: |" * 12)
    for result in runs:
        print(row(result))
    print()
    largest = max(r["n"] for r in runs)
    for mode, target in TARGETS.items():
        found = [r for r in runs if r["mode"] == mode and r["n"] == largest]
        if found:
            per_point = largest / found[0]["points"]
            verdict = "met" if per_point >= target else "NOT met"
            print(f"- {mode}: {per_point:.1f} repositories per point (target >= {target}: "
                  f"{verdict})")  # fmt: skip
    fulls = [r for r in runs if r["mode"] == "full"]
    if fulls:
        full = max(fulls, key=lambda r: r["n"])
        n = full["n"]
        basic = next(r for r in runs if r["mode"] == "default" and r["n"] == n)
        per_repo = full["points"] / n
        verdict = "met" if per_repo <= FULL_TARGET else "NOT met"
        print(f"- per 1,000 repositories (N = {n:,}): basic {1000 * basic['requests'] / n:,.0f} "
              f"requests, {1000 * basic['points'] / n:,.0f} points; full "
              f"{1000 * full['requests'] / n:,.0f} requests, {1000 * full['points'] / n:,.0f} "
              f"points ({per_repo:.2f} points per repository, target <= {FULL_TARGET}: "
              f"{verdict})")  # fmt: skip
        health = full.get("health")
        if health:
            print(f"- of which the health group alone (issue 13 item 5): "
                  f"{1000 * health['requests'] / n:,.0f} requests, "
                  f"{1000 * health['points'] / n:,.0f} points, {1000 * health['pages'] / n:,.0f} "
                  f"pages per 1,000 repositories")  # fmt: skip
    base = next(r for r in runs if r["mode"] == "baseline")
    same = next((r for r in runs if r["mode"] == "default" and r["n"] == base["n"]), None)
    if same:
        print(f"- wall time at N = {base['n']:,}: {base['wall'] / same['wall']:.1f}x faster than "
              f"the baseline; points {base['points'] / same['points']:.1f}x fewer")  # fmt: skip
    sizes = sorted({r["n"] for r in runs if r["mode"] == "default"})
    if len(sizes) >= 2:
        small, large = (next(r for r in runs if r["mode"] == "default" and r["n"] == s)
                        for s in (sizes[0], sizes[-1]))  # fmt: skip
        print(f"- cost from N = {sizes[0]:,} to {sizes[-1]:,}: points "
              f"{large['points'] / small['points']:.1f}x, requests "
              f"{large['requests'] / small['requests']:.1f}x (linear: "
              f"{sizes[-1] / sizes[0]:.0f}x)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--full-sizes", type=int, nargs="*", default=[300, 1000],
                        help="N of the --depth full runs (each needs about 2 points per "
                        "repository of one token's 5,000 an hour)")  # fmt: skip
    parser.add_argument("--baseline", type=int, default=300, help="N of the one-query baseline")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, names_file, n, mode, token, db, pid = args.child
        child(url, Path(names_file), int(n), mode, token, db, int(pid))
        return
    from github_simulator import Population

    size = max([*args.sizes, *args.full_sizes, args.baseline])
    names = [repo.full_name for repo in Population.synthetic(size, seed=SEED).repos]
    simulator, url = start_simulator(size, args.latency)
    runs = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            names_file = folder / "names.txt"
            names_file.write_text("\n".join(names))
            largest = max(args.sizes)
            plan = [(n, "default") for n in sorted({*args.sizes, *args.full_sizes})]
            plan += [(n, "full") for n in args.full_sizes]
            plan += [(largest, "core"), (largest, "second day"), (args.baseline, "baseline")]
            for n, mode in plan:
                runs.append(measure(simulator, url, names_file, n, mode, folder))
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    report(runs, args.latency)


if __name__ == "__main__":
    main()
