"""Without the `licenses` extra (a plain `pip install .`): `collect` still finishes, says in one
line that the license files were not read, and exits 0; the licenses stay "needs review".

ScanCode is absent in the CLI subprocess the way it is on such a machine: its top-level package
fails to import (a `licensedcode` package placed first on the subprocess's path raises
ImportError), the rest of the process is the real one, against the simulator on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from github_simulator import Population, SimRepo, Simulator, SimulatorConfig
from github_simulator.synthetic_files import license_text

SRC = Path(__file__).resolve().parents[2] / "src"
NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)


def test_collect_without_a_detector_warns_in_one_line_and_succeeds(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked" / "licensedcode"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text(
        "raise ImportError(\"No module named 'licensedcode' (ScanCode is not installed)\")\n"
    )
    repos = [
        SimRepo(owner="acme", name="other", stars=90, license_spdx="NOASSERTION",
                files={"LICENSE": "Preamble.\n\n" + license_text("MIT"), "README.md": "# o\n"}),
        SimRepo(owner="acme", name="plain", stars=50, license_spdx="MIT",
                files={"LICENSE": license_text("MIT"), "README.md": "# p\n"}),
    ]  # fmt: skip
    catalog = tmp_path / "README.md"
    catalog.write_text(
        "# List\n\n## Workflow Tools\n\n"
        "* [other](https://github.com/acme/other) - One.\n"
        "* [plain](https://github.com/acme/plain) - Two.\n"
    )
    db = tmp_path / "radar.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"GITHUB_TOKEN", "MLOPS_RADAR_DB"}}
    env["PYTHONPATH"] = os.pathsep.join([str(blocked.parent), str(SRC)])
    env["GITHUB_TOKEN"] = "ghp_test"
    population = Population(repos=repos, orgs=["acme"], now=NOW)
    server = Simulator(SimulatorConfig(population=population)).start()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from mlops_radar.cli import main; main()", "collect",
             "--catalog", str(catalog), "--api-url", server.url, "--db", str(db)],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        server.close()
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    assert "license files of 1 repositories" in warnings[0]
    assert "needs review" in warnings[0]
    assert "pip install scancode-toolkit-mini" in warnings[0]
    with sqlite3.connect(db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM snapshots")]
    assert statuses == ["complete"]
