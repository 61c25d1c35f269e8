"""`python -m github_simulator` in a subprocess: prints its URL, serves, stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx


def test_cli_answers_and_stops_cleanly(tmp_path: Path) -> None:
    listing = tmp_path / "list.md"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "github_simulator",
            "--size",
            "40",
            "--seed",
            "2",
            "--markdown",
            str(listing),
            "--missing",
            "nobody/none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        first = listing.read_text(encoding="utf-8").split("](https://github.com/")[1].split(")")[0]
        owner, name = first.split("/")
        answer = httpx.post(
            url,
            json={
                "query": f'{{ repository(owner: "{owner}", name: "{name}") {{ nameWithOwner }} }}'
            },
            headers={"Authorization": "bearer cli-token"},
        )
        assert answer.json()["data"]["repository"]["nameWithOwner"] == first
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "cli-token" not in stderr


def test_cli_rejects_bad_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "github_simulator", "--size", "5", "--rename", "nonsense"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: --rename expects")
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_lenient_mode_and_stats_path() -> None:
    """`--lenient` keeps placeholders; `GET /_simulator/stats` reports counters and CPU."""
    process = subprocess.Popen(
        [sys.executable, "-m", "github_simulator", "--size", "5", "--lenient"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        headers = {"Authorization": "bearer cli-token"}
        answer = httpx.post(url, json={"query": "{ viewer { isHireable } }"}, headers=headers)
        assert answer.json() == {"data": {"viewer": {"isHireable": False}}}
        stats = httpx.get(url.replace("/graphql", "/_simulator/stats")).json()
        assert stats["requests"] == 1
        assert stats["statuses"] == {"200": 1}
        assert stats["cpu_user_s"] > 0
        assert 0 < stats["execution_cpu_s"] <= stats["query_cpu_s"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0
