"""Against the real GitHub and the real list: marked `online`, skipped by default.

Run with `scripts/test -m online tests/sources/test_github_online.py` and a token in GITHUB_TOKEN.
These check what the simulator cannot: that GitHub itself still accepts our documents and answers
with the shapes the parser expects.
"""

from __future__ import annotations

import os

import pytest

from mlops_radar.catalog import read_catalog
from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import DEFAULT_API_URL, GitHubClient
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import find_token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig

pytestmark = pytest.mark.online

AWESOME_MLOPS = "https://raw.githubusercontent.com/kelvins/awesome-mlops/main/README.md"


def _repo(name: str) -> ToolEntry:
    owner_name = name.split("/")
    return ToolEntry(
        name=owner_name[1],
        categories=("Test",),
        url=f"https://github.com/{name}",
        kind=LinkKind.REPO,
        repo=name,
    )


def test_real_github_answers_our_batch_document(memory_sink) -> None:
    if not os.environ.get("GITHUB_TOKEN"):
        pytest.skip("GITHUB_TOKEN is not set")
    sink = memory_sink
    entries = [_repo("mlflow/mlflow"), _repo("feast-dev/feast"), _repo("no-such-owner-x/none")]
    client = GitHubClient(DEFAULT_API_URL, find_token(use_gh=False))
    summary = Collector(GitHubSource(client), sink, CollectConfig(batch_size=3)).run(entries)
    outcomes = {o.repo: o.outcome for o in sink.outcomes}
    assert outcomes["mlflow/mlflow"] in (Outcome.COLLECTED, Outcome.RENAMED)
    assert outcomes["no-such-owner-x/none"] == Outcome.NOT_FOUND
    mlflow = sink.of("github.core")["mlflow/mlflow"]
    assert mlflow.stars is not None
    assert mlflow.stars > 10_000
    assert mlflow.license_spdx == "Apache-2.0"
    assert summary.requests >= 1


def test_the_live_awesome_mlops_list_reads_without_problems() -> None:
    catalog = read_catalog(AWESOME_MLOPS)
    assert len(catalog.tools) > 200
    assert not catalog.problems
