"""`show TOOL` names the cloud SDKs a tool's own manifests declare (issue 12, item 4): collected
from the GitHub simulator on 127.0.0.1 into a real SQLite store, the manifests parsed, never run."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner

from github_simulator import Population, SimRepo, Simulator, SimulatorConfig
from mlops_radar.app.collection import open_collection, run_collection
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.cli import main
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store

NOW = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
FAST = CollectConfig(seed=1, backoff_base=0.001, backoff_cap=0.01, batch_size=50, concurrency=1)
CLOUDY = """[project]
name = "cloudy"
dependencies = ["boto3>=1.28", "pyyaml"]

[project.optional-dependencies]
gcs = ["gcsfs>=2023.1"]
test = ["s3fs>=2023.1", "pytest"]
"""
PLAIN = '[project]\nname = "plain"\ndependencies = ["requests"]\n'
REPOS = [
    SimRepo(owner="acme", name="cloudy", license_spdx="MIT", language="Python",
            files={"pyproject.toml": CLOUDY, "README.md": "# cloudy\n"}),
    SimRepo(owner="acme", name="plain", license_spdx="MIT", language="Python",
            files={"pyproject.toml": PLAIN, "README.md": "# plain\n"}),
    SimRepo(owner="acme", name="bare", license_spdx="MIT", files={"README.md": "# bare\n"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('lockin') / 'radar.sqlite3'}"
    tools = tuple(
        ToolEntry(name=r.name, categories=("Workflow",), url=f"https://github.com/{r.full_name}",
                  kind=LinkKind.REPO, repo=r.full_name)
        for r in REPOS
    )  # fmt: skip
    server = Simulator(SimulatorConfig(population=Population(repos=REPOS, now=NOW))).start()
    try:
        with Store.open(url) as store:
            opened = open_collection(store, catalog=Catalog("test", tools), taken_at=NOW)
            run_collection(store, opened, api_url=server.url, token=Token("t", "TEST"),
                           config=FAST, now=lambda: NOW)  # fmt: skip
    finally:
        server.close()
    return url


def _show(db: str, tool: str, *extra: str) -> Any:
    result = CliRunner().invoke(
        main, ["show", tool, *extra, "--db", db], catch_exceptions=False, env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in extra else result.stdout


def test_hard_dependency_and_extra_are_shown(db: str) -> None:
    found = _show(db, "acme/cloudy", "--json")["lock_in"]
    assert sorted(
        (t["package"], t["kind"], t["extra"], t["cloud"], t["developer"]) for t in found
    ) == [
        ("boto3", "hard", None, "AWS", False),
        ("gcsfs", "extra", "gcs", "Google Cloud", False),
        ("s3fs", "extra", "test", "AWS", True),  # its [test] extra is for its developers
    ]
    text = _show(db, "acme/cloudy")
    assert "cloud lock-in (declared)" in text
    # one row per package: two ties to AWS are both shown
    rows = [" ".join(line.replace("│", " ").split()) for line in text.splitlines()]
    for row in (
        "boto3 AWS, always",
        "gcsfs Google Cloud, extra gcs",
        "s3fs AWS, developer extra test",
    ):
        assert any(r.endswith(row) for r in rows), row


def test_no_cloud_sdk_is_an_empty_list_and_no_manifest_is_unknown(db: str) -> None:
    assert _show(db, "acme/plain", "--json")["lock_in"] == []
    assert _show(db, "acme/bare", "--json")["lock_in"] is None
