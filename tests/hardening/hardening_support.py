"""Helpers of the hardening tests (issue 14): `mlops-radar` in a child process, catalogs, a port
nobody listens on, the simulator's repository names; benchmarks/ (hostile files) on the path."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from github_simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
sys.path.insert(0, str(ROOT / "benchmarks"))


def cli_env() -> dict[str, str]:
    """A child's environment: our sources first, a test token, no database chosen by the user."""
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_TOKEN", "MLOPS_RADAR_DB"}}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env["COLUMNS"] = "120"
    env["GITHUB_TOKEN"] = "ghp_HardeningTestToken0123456789abcdef"
    return env


def cli(*args: str) -> list[str]:
    """`mlops-radar ARGS` run from this checkout's sources."""
    return [sys.executable, "-m", "mlops_radar", *args]


def write_catalog(path: Path, names: list[str]) -> Path:
    """An awesome-list Markdown file listing `names` (owner/name) in one category."""
    lines = ["# Test list", "", "## Workflow Tools", ""]
    lines += [f"* [{n}](https://github.com/{n}) - Tool {i}." for i, n in enumerate(names)]
    path.write_text("\n".join(lines) + "\n")
    return path


def closed_port() -> int:
    """A port of 127.0.0.1 on which nothing listens (an API that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def names_of(server: Simulator) -> list[str]:
    """The `owner/name` of every repository the simulator serves."""
    return [repo.full_name for repo in server.config.population.repos]
