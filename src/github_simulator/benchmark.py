"""`python -m github_simulator.benchmark`: the simulator's own start-up time and CPU per batch.

Measures, in one run, on a synthetic population (1,000 repositories, seed 7):

- start-up of `python -m github_simulator` until it prints its URL and until it answers, with an
  empty schema cache folder (cold) and again with the folder it filled (warm);
- CPU (user + system of this process) per 50-repository batch of the collector's spine document
  (the Core, Activity, Community, Topics and FilesTree groups, plus 10 blob aliases), executed
  by graphql-core's stock `ExecutionContext` (the baseline), by the simulator's executor without
  the answer cache, with the cache the first time, and asked again. The minimum over `--rounds`
  rounds, each with a fresh service; JSON encoding included.

    python -m github_simulator.benchmark
    python -m github_simulator.benchmark --rounds 5 --no-startup
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from github_simulator.config import SimulatorConfig
from github_simulator.execution import ExecutionRuntime
from github_simulator.population import Population
from github_simulator.service import GraphQLService

__all__ = ["spine_document", "spine_variables"]

_FRAGMENTS = """
fragment Core on Repository {
  nameWithOwner url description homepageUrl
  defaultBranchRef { name target { ... on Commit { committedDate history { totalCount } } } }
  stargazerCount forkCount watchers { totalCount } licenseInfo { spdxId name key }
  primaryLanguage { name } isArchived isFork createdAt pushedAt updatedAt diskUsage
  hasIssuesEnabled openIssues: issues(states: [OPEN]) { totalCount }
  closedIssues: issues(states: [CLOSED]) { totalCount }
}
fragment Activity on Repository {
  pullRequests { totalCount } mergedPullRequests: pullRequests(states: [MERGED]) { totalCount }
  releases(first: 50, orderBy: {field: CREATED_AT, direction: DESC}) {
    totalCount nodes { publishedAt } }
  latestRelease { tagName publishedAt }
}
fragment Community on Repository { mentionableUsers { totalCount } }
fragment Topics on Repository { repositoryTopics(first: 20) { nodes { topic { name } } } }
fragment FilesTree on Repository {
  rootTree: object(expression: "HEAD:") { ... on Tree { entries { name type size } } }
  licensesTree: object(expression: "HEAD:LICENSES") { ... on Tree { entries { name type size } } }
}
"""


def spine_document(repositories: int = 50, blobs: int = 10) -> str:
    """The collector's spine v2 batch document: `r<i>` aliases with every group, `b<i>` blobs."""
    params = [f"$o{i}: String!, $n{i}: String!" for i in range(repositories)]
    params += [f"$bo{i}: String!, $bn{i}: String!, $bx{i}: String!" for i in range(blobs)]
    groups = "...Core ...Activity ...Community ...Topics ...FilesTree"
    lines = [
        f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ {groups} }}" for i in range(repositories)
    ]
    lines += [
        f"b{i}: repository(owner: $bo{i}, name: $bn{i}) {{ object(expression: $bx{i}) "
        "{ ... on Blob { byteSize isBinary isTruncated text } } }"
        for i in range(blobs)
    ]
    body = "\n  ".join([*lines, "rateLimit { cost remaining resetAt limit used }"])
    return f"query Repos{repositories}({', '.join(params)}) {{\n  {body}\n}}\n{_FRAGMENTS}"


def spine_variables(
    population: Population, start: int, repositories: int = 50, blobs: int = 10
) -> dict[str, str]:
    """Variables for `spine_document`: repositories `start..`, blobs of their README files."""
    values: dict[str, str] = {}
    repos = population.repos[start : start + repositories]
    for i, repo in enumerate(repos):
        values[f"o{i}"], values[f"n{i}"] = repo.owner, repo.name
    for i, repo in enumerate(repos[:blobs]):
        values[f"bo{i}"], values[f"bn{i}"], values[f"bx{i}"] = (
            repo.owner,
            repo.name,
            "HEAD:README.md",
        )
    return values


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _batches(population: Population) -> list[bytes]:
    query = spine_document()
    return [
        json.dumps({"query": query, "variables": spine_variables(population, start)}).encode()
        for start in range(0, len(population.repos) - 49, 50)
    ]


def _service(population: Population, variant: str) -> GraphQLService:
    service = GraphQLService(
        SimulatorConfig(population=population, cache_answers=variant != "no cache")
    )
    if variant == "stock":
        service.runtime = ExecutionRuntime(strict=True, answers=None, shortcuts=False)
    return service


def measure_cpu(population: Population, rounds: int) -> dict[str, float]:
    """Minimum CPU seconds per batch for each executor variant."""
    headers = {"authorization": "bearer benchmark"}
    bodies = _batches(population)
    best: dict[str, float] = {}
    for _ in range(rounds):
        for variant in ("stock", "no cache", "first time"):
            service = _service(population, variant)
            service.handle(headers, bodies[0])  # validation, once per document
            started = _cpu()
            for body in bodies[1:]:
                answer = service.handle(headers, body)
                if answer.status != 200 or not answer.body or b'"errors"' in answer.body:
                    raise SystemExit(f"unexpected answer: {answer.status} {answer.body!r:.300}")
            spent = (_cpu() - started) / (len(bodies) - 1)
            best[variant] = min(best.get(variant, spent), spent)
            if variant == "first time":
                started = _cpu()
                for body in bodies[1:]:
                    service.handle(headers, body)
                again = (_cpu() - started) / (len(bodies) - 1)
                best["asked again"] = min(best.get("asked again", again), again)
    return best


def measure_startup(size: int) -> dict[str, tuple[float, float]]:
    """Seconds until the URL is printed and until a first answer, cold and warm cache."""
    import httpx

    found: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        environment = {**os.environ, "GITHUB_SIMULATOR_CACHE_DIR": folder}
        for label in ("cold cache", "warm cache"):
            started = time.perf_counter()
            process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
                [sys.executable, "-m", "github_simulator", "--size", str(size)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=environment,
            )
            assert process.stdout is not None
            url = process.stdout.readline().strip()
            printed = time.perf_counter() - started
            httpx.post(
                url, json={"query": "{ viewer { login } }"}, headers={"authorization": "bearer b"}
            )
            found[label] = (printed, time.perf_counter() - started)
            process.terminate()
            process.wait(timeout=10)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m github_simulator.benchmark",
        description=__doc__.splitlines()[0] if __doc__ else None,
        epilog="Examples:\n  python -m github_simulator.benchmark\n"
        "  python -m github_simulator.benchmark --rounds 5 --no-startup",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", type=int, default=1000, help="synthetic repositories")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the minimum is shown)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timing")
    args = parser.parse_args(argv)
    population = Population.synthetic(args.size, seed=7)
    if not args.no_startup:
        print("| start-up | URL printed s | first answer s |\n| --- | ---: | ---: |")
        for label, (printed, answered) in measure_startup(args.size).items():
            print(f"| {label} | {printed:.2f} | {answered:.2f} |")
        print()
    best = measure_cpu(population, args.rounds)
    baseline = best["stock"]
    print("| executor | CPU ms per 50-repository batch | vs stock graphql-core |")
    print("| --- | ---: | ---: |")
    for variant in ("stock", "no cache", "first time", "asked again"):
        print(f"| {variant} | {best[variant] * 1000:.1f} | {baseline / best[variant]:.1f}x |")


if __name__ == "__main__":
    main()
