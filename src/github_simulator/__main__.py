"""`python -m github_simulator`: serve a simulated GitHub GraphQL API until Ctrl-C.

The first line on stdout is the endpoint URL (flushed at once), so a test or script that starts
the simulator in a subprocess can read where to connect.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from github_simulator.config import SimulatorConfig
from github_simulator.faults import Faults
from github_simulator.population import FixtureError, Population
from github_simulator.server import Simulator

EXAMPLES = """\
Examples:
  python -m github_simulator --size 1000 --seed 7
  python -m github_simulator --size 300 --latency 0.1 --port 8787
  python -m github_simulator --size 500 --error-rate 0.1 --missing acme/gone \\
      --rename old-org/tool=new-org/tool --markdown list.md
  python -m github_simulator --fixture tests/data/repos.yaml --primary-limit 100
  python -m github_simulator --size 300 --lenient      # placeholders, not errors
  curl http://127.0.0.1:PORT/_simulator/stats          # counters and CPU time as JSON
  SIM_TOKEN=s3cret python -m github_simulator --token-env SIM_TOKEN --forbidden acme/private
"""


def parser() -> argparse.ArgumentParser:
    """The command line (see docs/simulator.md for what each option models)."""
    p = argparse.ArgumentParser(
        prog="python -m github_simulator",
        description="Serve a simulated GitHub GraphQL API on 127.0.0.1 until Ctrl-C.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--size", type=int, default=1000, help="synthetic repositories (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the population and faults")
    p.add_argument("--fixture", type=Path, help="serve the repositories of this JSON/YAML file")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    p.add_argument("--error-rate", type=float, default=0.0, help="share of random 502/504")
    p.add_argument("--reset-rate", type=float, default=0.0, help="share of dropped connections")
    p.add_argument(
        "--max-repositories", type=int, help="502 (timeout) above this many repository fields"
    )
    p.add_argument("--missing", action="append", default=[], metavar="OWNER/NAME")
    p.add_argument(
        "--forbidden",
        action="append",
        default=[],
        metavar="OWNER/NAME",
        help="answer this repository FORBIDDEN (SAML-protected organisation); repeatable",
    )
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW")
    p.add_argument(
        "--token-env",
        action="append",
        default=[],
        metavar="NAME",
        help="accept only the token in this environment variable (repeatable; default: any "
        "token); other tokens get 401 Bad credentials",
    )
    p.add_argument("--primary-limit", type=int, default=5000, help="points per window")
    p.add_argument("--reset-seconds", type=float, default=3600, help="primary window length")
    p.add_argument("--secondary-limit", type=int, default=2000, help="requests per minute")
    p.add_argument(
        "--lenient",
        action="store_true",
        help="answer fields the simulator does not model with null or a placeholder (false, 0, "
        '"", [], an empty page) instead of an error naming them',
    )
    p.add_argument("--markdown", type=Path, help="also write the population as an awesome list")
    p.add_argument("--log", action="store_true", help="log request lines to stderr")
    return p


def config_from(args: argparse.Namespace) -> SimulatorConfig:
    """The simulator configuration the parsed options describe."""
    renamed = {}
    for pair in args.rename:
        old, sep, new = pair.partition("=")
        if not sep or "/" not in old or "/" not in new:
            raise ValueError(
                f"--rename expects OLD_OWNER/OLD_NAME=NEW_OWNER/NEW_NAME, got {pair!r}"
            )
        renamed[old] = new
    if args.fixture is not None:
        population = Population.from_file(args.fixture)
    else:
        population = Population.synthetic(args.size, seed=args.seed)
    faults = Faults(
        seed=args.seed,
        latency=args.latency,
        error_rate=args.error_rate,
        reset_rate=args.reset_rate,
        max_repositories=args.max_repositories,
        missing=frozenset(args.missing),
        forbidden=frozenset(args.forbidden),
        renamed=renamed,
    )
    return SimulatorConfig(
        population=population,
        faults=faults,
        primary_limit=args.primary_limit,
        reset_seconds=args.reset_seconds,
        secondary_limit_per_minute=args.secondary_limit,
        port=args.port,
        tokens=accepted_tokens(args.token_env),
        strict=not args.lenient,
    )


def accepted_tokens(names: list[str], environ: dict[str, str] | None = None) -> list[str] | None:
    """The tokens held by the environment variables `names` (None: accept any token).

    Tokens come only from the environment, never from the command line, where `ps` shows them.
    """
    if not names:
        return None
    environ = dict(os.environ) if environ is None else environ
    tokens = []
    for name in names:
        value = environ.get(name, "").strip()
        if not value:
            raise ValueError(f"--token-env {name}: the variable is not set or empty")
        tokens.append(value)
    return tokens


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM; 2 on bad options or fixture."""
    args = parser().parse_args(argv)
    try:
        config = config_from(args)
        simulator = Simulator(config, log=args.log).start()
    except (ValueError, FixtureError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.markdown is not None:
        args.markdown.write_text(config.population.to_markdown(), encoding="utf-8")
    print(simulator.url, flush=True)
    print(
        f"Serving {len(config.population.repos)} repositories at {simulator.url} (Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
