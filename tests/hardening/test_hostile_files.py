"""Hostile files cannot crash, hang or exhaust a reader (issue 14, items 4 and 6).

Every file is generated at test time by `benchmarks/hostile.py` (zip bombs, entity bombs,
`text:c`, quadratic Markdown, huge fields, control characters, bytes that are not UTF-8, ...),
each under 10 MB, and read in a child process under a 500 MB address-space limit (RLIMIT_AS)
and 10 s of CPU (RLIMIT_CPU): it must be read, or refused in one line naming the file, within
them. Then the same files through the `mlops-radar` command: exit 2, one line, no traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import subprocess
from pathlib import Path

import pytest
from hardening_support import cli, cli_env

import hostile

CASES = {case.name: case for case in hostile.CASES}
#: Files refused by the command in one line (the others are read, and shown as a catalog).
REFUSED = [name for name, case in CASES.items() if case.expect == "refused"]


@functools.cache
def _refused_file(name: str) -> bytes:
    """A refused case's bytes, made once for both tests (the zip bomb takes seconds to make)."""
    return CASES[name].make()


def _case(name: str) -> hostile.Case:
    case = CASES[name]
    if name in REFUSED:
        return dataclasses.replace(case, make=lambda: _refused_file(name))
    return case


@pytest.mark.parametrize("name", list(CASES))
def test_each_reader_reads_or_refuses_in_one_line_within_500_mb_and_10_s(name, tmp_path) -> None:
    case = _case(name)
    result = hostile.run_case(case, tmp_path, memory_mb=500, timeout=10.0)
    assert result.size < 10 * 2**20
    assert result.outcome in ("read", "refused"), f"{result.outcome}: {result.detail}"
    assert hostile.passed(result), f"expected {case.expect}, got {result.outcome}: {result.detail}"
    assert result.seconds <= 10.0
    assert result.peak_mb is not None
    assert result.peak_mb < 500
    if result.outcome == "refused":
        assert case.filename in result.detail  # names the file
        assert "\n" not in result.detail.strip()


def test_the_limits_catch_what_they_are_for(tmp_path) -> None:
    """The harness itself can fail: a reader that loops or allocates is caught, not passed."""
    spin = hostile.Case("spin", "test", "spin.md", lambda: b"# x\n")
    looped = hostile.run_case(spin, tmp_path, memory_mb=500, timeout=0.5, child_code=_LOOP)
    assert looped.outcome == "hang"
    hog = hostile.run_case(spin, tmp_path, memory_mb=200, timeout=10.0, child_code=_HOG)
    assert hog.outcome == "memory"


_LOOP = "while True: pass"
_HOG = "blocks = [bytearray(2**20) for _ in range(1000)]"


def _show(name: str, folder: Path) -> subprocess.CompletedProcess[str]:
    case = _case(name)
    path = folder / case.filename
    path.write_bytes(case.make())
    command = "import" if case.reader == "csv" else "catalog"
    args = [str(path), "--db", str(folder / "radar.sqlite3")] if command == "import" else [
        "show", str(path)]  # fmt: skip
    return subprocess.run(cli(command, *args), env=cli_env(), capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


@pytest.mark.parametrize("name", REFUSED)
def test_the_command_says_one_line_and_no_traceback(name, tmp_path) -> None:
    done = _show(name, tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert CASES[name].filename in lines[0]
    assert "Traceback" not in done.stderr
