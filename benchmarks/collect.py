"""Benchmark of the GitHub collector against the simulator (100 ms latency per request).

Measures, in one run: the batched collector (default settings: 50 repositories per request, two
requests in flight) at N = 300 and N = 3,000 synthetic repositories, and the study's way, one query
per repository, one after the other, at N = 300 (the same collector with batch size 1 and
concurrency 1, so only the strategy differs). Per run: wall time, requests, points charged,
repositories per second, repositories per request, and the peak memory (max RSS) of the process
that collects. Each run is its own child process (so peak memories do not mix) against one
simulator in another process (so its CPU does not count as the collector's), each with its own
token (so each has a fresh rate-limit budget).

    python benchmarks/collect.py                        # N = 300 and 3,000, baseline at 300
    python benchmarks/collect.py --sizes 300 1000 --latency 0.05

Prints a Markdown table (for the README) and the ratios against the targets: at least 40
repositories per request, at least 30x faster than the baseline at N = 300, cost linear in N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SEED = 7
HERE = Path(__file__).resolve().parent


class CountingSink:
    """A FactSink that keeps what it is given in memory (the store is benchmarked separately)."""

    def __init__(self) -> None:
        self.facts: list[Any] = []
        self.outcomes: list[Any] = []

    def done_repos(self) -> set[str]:
        return set()

    def write(self, facts: Iterable[Any], outcomes: Iterable[Any]) -> None:
        self.facts.extend(facts)
        self.outcomes.extend(outcomes)


def child(url: str, names_file: Path, n: int, batch: int, concurrency: int, token: str) -> None:
    """Collect the first `n` names and print one JSON line of measurements."""
    from mlops_radar.catalog.records import LinkKind, ToolEntry
    from mlops_radar.sources.github.client import GitHubClient
    from mlops_radar.sources.github.collector import Collector
    from mlops_radar.sources.github.summary import CollectConfig
    from mlops_radar.sources.github.token import Token
    from mlops_radar.sources.outcomes import Outcome

    names = names_file.read_text().split()[:n]
    entries = [
        ToolEntry(
            name=x, categories=("C",), url=f"https://github.com/{x}", kind=LinkKind.REPO, repo=x
        )
        for x in names
    ]
    sink = CountingSink()
    config = CollectConfig(batch_size=batch, concurrency=concurrency, seed=SEED)
    collector = Collector(GitHubClient(url, Token(token, "bench")), sink, config)
    started = time.perf_counter()
    summary = collector.run(entries)
    wall = time.perf_counter() - started
    collected = summary.counts[Outcome.COLLECTED] + summary.counts[Outcome.RENAMED]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "n": n,
                "collected": collected,
                "wall": wall,
                "requests": summary.requests,
                "points": summary.points,
                "peak_mib": peak_kib / 1024,
                "partial": summary.partial,
            }
        )
    )


def start_simulator(size: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    """`python -m github_simulator` in a subprocess; returns it and its URL (its first line)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "github_simulator",
            "--size",
            str(size),
            "--seed",
            str(SEED),
            "--latency",
            str(latency),
            "--secondary-limit",
            "100000",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1"):
        process.kill()
        raise SystemExit(f"the simulator did not start (printed {url!r})")
    return process, url


def measure(
    url: str, names_file: Path, n: int, batch: int, concurrency: int, token: str
) -> dict[str, Any]:
    """Run one child collection and return its measurements."""
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            url,
            str(names_file),
            str(n),
            str(batch),
            str(concurrency),
            token,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"child run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["collected"] != n or result["partial"]:
        raise SystemExit(f"run of {n} collected only {result['collected']}")
    return result


def row(name: str, r: dict[str, Any]) -> str:
    n = r["n"]
    return (
        f"| {name} | {n:,} | {r['wall']:.2f} | {r['requests']:,} | {r['points']:,} | "
        f"{n / r['wall']:.0f} | {n / r['requests']:.1f} | {r['peak_mib']:.0f} |"
    )


def report(batched: dict[int, dict[str, Any]], baseline: dict[str, Any], latency: float) -> None:
    print(f"Collector vs the simulator, {latency * 1000:.0f} ms latency per request")
    print()
    print("| run | N | wall s | requests | points | repos/s | repos/request | peak RSS MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for _, result in sorted(batched.items()):
        print(row("batched (50/request, 2 in flight)", result))
    print(row("baseline: 1 query/repo, sequential", baseline))
    print()
    base_n = baseline["n"]
    if base_n in batched:
        speedup = baseline["wall"] / batched[base_n]["wall"]
        verdict = "met" if speedup >= 30 else "NOT met"
        print(
            f"- speed-up at N = {base_n:,}: {speedup:.1f}x the baseline (target >= 30x: {verdict})"
        )
    per_request = min(r["n"] / r["requests"] for r in batched.values())
    verdict = "met" if per_request >= 40 else "NOT met"
    print(f"- repositories per request: at least {per_request:.1f} (target >= 40: {verdict})")
    sizes = sorted(batched)
    if len(sizes) >= 2:
        small, large = batched[sizes[0]], batched[sizes[-1]]
        growth = sizes[-1] / sizes[0]
        points = large["points"] / small["points"]
        requests = large["requests"] / small["requests"]
        print(
            f"- cost growth from N = {sizes[0]:,} to {sizes[-1]:,} ({growth:.0f}x repositories): "
            f"points {points:.1f}x, requests {requests:.1f}x, "
            f"points per repository {small['points'] / small['n']:.3f} -> "
            f"{large['points'] / large['n']:.3f} (linear: same ratio)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--baseline", type=int, default=300, help="N of the one-query baseline")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, names_file, n, batch, concurrency, token = args.child
        child(url, Path(names_file), int(n), int(batch), int(concurrency), token)
        return
    from github_simulator import Population

    size = max([*args.sizes, args.baseline])
    names = [repo.full_name for repo in Population.synthetic(size, seed=SEED).repos]
    simulator, url = start_simulator(size, args.latency)
    try:
        with tempfile.TemporaryDirectory() as folder:
            names_file = Path(folder) / "names.txt"
            names_file.write_text("\n".join(names))
            batched = {
                n: measure(url, names_file, n, 50, 2, f"bench-batched-{n}") for n in args.sizes
            }
            baseline = measure(url, names_file, args.baseline, 1, 1, "bench-baseline")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    report(batched, baseline, args.latency)


if __name__ == "__main__":
    main()
