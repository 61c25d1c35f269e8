"""Benchmark of `stack-check` on a local package index (and, with --online, on real pairs from
PyPI): its wall time beside the bare resolver's own time on the same input, the cache's effect on a
second run, and uv beside pip's dry run on the same input.

For each case: `bare` is one `uv pip compile` of the same requirements (the resolver alone, its
cache cold, then warm); `check` is the whole stack-check (resolution, footprint from the index,
lock-in; no OSV) with every cache cold, then warm. The local index is served by a process of
its own, as a real index is (in this process it would take turns with stack-check's threads).
With more than two tools that do not install together, stack-check also resolves each pair
(the matrix), so its cold ratio counts 1 + n(n-1)/2 resolutions against one (warm, the pairs'
answers come from the cache). Each case runs `--repeat` rounds, bare and check taking turns to
go first; the table gives medians and each ratio's range over the rounds (single runs on a
2-core machine varied by 2x).
Target (issue 12): check within 1.5x of bare.

    python benchmarks/advise.py                 # local index only, 5 rounds a case
    python benchmarks/advise.py --online        # also real pairs from PyPI
    python benchmarks/advise.py --repeat 9      # more rounds: a steadier median
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "advise"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from localindex import UNIVERSE, Dist, serve_index_process, write_index

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.lockin import load_cloud_sdks
from mlops_radar.advise.requirements import from_arguments
from mlops_radar.advise.resolver import PYPI, Target, find_uv, resolve, uv_command
from mlops_radar.advise.resolver import _env as resolver_env
from mlops_radar.advise.stack import CheckOptions, check_stack

LIBS = 300


def synthetic(seed: int = 7) -> list[Dist]:
    """LIBS libraries x 3 versions, each needing 0-3 lower-numbered ones with ranges, and five
    'tools' on top needing 6 libraries each: trees of tens of packages."""
    rng = random.Random(seed)
    dists = list(UNIVERSE)
    for i in range(LIBS):
        for minor in range(3):
            needs = rng.sample(range(i), min(i, rng.randint(0, 3)))
            reqs = [f"lib{j:03d}>=1.{rng.randint(0, 1)}" for j in needs]
            dists.append(Dist(f"lib{i:03d}", f"1.{minor}", reqs, pad=rng.randint(1_000, 200_000)))
    for t in range(5):
        needs = rng.sample(range(LIBS // 2, LIBS), 6)
        dists.append(Dist(f"tool{t}", "1.0", [f"lib{j:03d}" for j in needs]))
    return dists


def bare_uv(requirements: Sequence[str], target: Target, cache: Path) -> float:
    """One `uv pip compile` with stack-check's own argv and environment, nothing around it."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Target(target.python, target.platform, target.index_url, target.timeout, cache)
        done = subprocess.run(
            uv_command(str(find_uv()), target),
            input="\n".join(requirements) + "\n",
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
            env=resolver_env(bare, Path(tmp)),
        )
    if done.returncode not in (0, 1):
        raise SystemExit(f"bare uv failed: {done.stderr.strip()[:300]}")
    return time.perf_counter() - started


def one_check(
    requirements: Sequence[str], target: Target, cache: Path
) -> tuple[float, bool, int, float]:
    started = time.perf_counter()
    result = check_stack(
        from_arguments(requirements), [], target, load_cloud_sdks(), Cache(cache), CheckOptions()
    )
    return (
        time.perf_counter() - started,
        result.compatible,
        len(result.picked),
        result.resolver_seconds,
    )


def pip_time(requirements: Sequence[str], target: Target) -> float:
    started = time.perf_counter()
    resolve(list(requirements), target, resolver="pip")
    return time.perf_counter() - started


def _one_round(
    requirements: Sequence[str], index_url: str, check_first: bool
) -> tuple[float, float, float, float, float, float, bool, int]:
    """One cold and one warm run of each, in fresh caches; `check_first` swaps their order (the
    index server's and the machine's state then favour neither)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        target = Target(index_url=index_url, timeout=600, cache_dir=root / "check" / "uv")

        def bare() -> tuple[float, float]:
            return bare_uv(requirements, target, root / "bare"), bare_uv(
                requirements, target, root / "bare"
            )

        def check() -> tuple[tuple[float, bool, int, float], tuple[float, bool, int, float]]:
            return one_check(requirements, target, root / "check"), one_check(
                requirements, target, root / "check"
            )

        if check_first:
            (cold, warm), (bare_cold, bare_warm) = check(), bare()
        else:
            (bare_cold, bare_warm), (cold, warm) = bare(), check()
    return bare_cold, cold[3], cold[0], bare_warm, warm[3], warm[0], cold[1], cold[2]


def run_case(
    name: str, requirements: Sequence[str], index_url: str, with_pip: bool, repeat: int
) -> list[str]:
    rounds = [_one_round(requirements, index_url, i % 2 == 1) for i in range(repeat)]
    pip = None
    if with_pip:
        with tempfile.TemporaryDirectory() as tmp:
            pip = pip_time(
                requirements, Target(index_url=index_url, timeout=600, cache_dir=Path(tmp))
            )
    median = [statistics.median(r[i] for r in rounds) for i in range(6)]
    cold = [r[2] / r[0] for r in rounds]
    warm = [r[5] / r[3] for r in rounds]
    ok, picked = rounds[0][6], rounds[0][7]
    pip_text = f"{pip:7.2f}" if pip is not None else "      -"
    return [
        f"{name:<22} {len(requirements):>3} {picked:>5} {'yes' if ok else 'no':>4} "
        f"{median[0]:7.2f} {median[1]:7.2f} {median[2]:7.2f} {statistics.median(cold):6.2f}x "
        f"{min(cold):5.2f}-{max(cold):4.2f} "
        f"{median[3]:7.2f} {median[4]:7.2f} {median[5]:7.2f} {statistics.median(warm):6.2f}x "
        f"{min(warm):5.2f}-{max(warm):4.2f} {pip_text}"
    ]


HEADER = (
    f"{'case':<22} {'in':>3} {'pkgs':>5} {'ok':>4} "
    f"{'bare':>7} {'res':>7} {'check':>7} {'ratio':>7} {'range':>10} "
    f"{'bare2':>7} {'res2':>7} {'check2':>7} {'ratio2':>7} {'range2':>10} {'pip':>7}"
)

LOCAL_CASES = {
    "pair, compatible": ["alpha", "beta"],
    "pair, conflict": ["beta", "gamma"],
    "4 tools, all install": ["cloudy", "beta", "bulky", "deep0"],
    "3 tools, matrix": ["alpha", "beta", "gamma"],
    "synthetic 2 tools": ["tool0", "tool1"],
    "synthetic 5 tools": ["tool0", "tool1", "tool2", "tool3", "tool4"],
}
ONLINE_CASES = {
    "airflow 2.9 + sa>=2": ["apache-airflow==2.9.0", "sqlalchemy>=2.0"],
    "mlflow + feast": ["mlflow", "feast"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--online", action="store_true", help="also real pairs from PyPI")
    parser.add_argument("--no-pip", action="store_true", help="skip pip's dry run")
    parser.add_argument(
        "--repeat", type=int, default=5, metavar="N", help="rounds per case (default 5)"
    )
    args = parser.parse_args()
    print(f"seconds, medians of {args.repeat} rounds; bare = uv pip compile alone, res = the")
    print("resolver runs inside stack-check, check = the whole stack-check; ratio = check/bare")
    print("of each round (median, then the range over the rounds); 2 = second run (warm")
    print("caches); pip = pip's dry run, once")
    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_index(Path(tmp), synthetic())
        with serve_index_process(folder) as url:
            for name, reqs in LOCAL_CASES.items():
                lines = run_case(name, reqs, url, not args.no_pip, args.repeat)
                print("\n".join(lines), flush=True)
    if args.online:
        for name, reqs in ONLINE_CASES.items():
            print("\n".join(run_case(name, reqs, PYPI, not args.no_pip, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
