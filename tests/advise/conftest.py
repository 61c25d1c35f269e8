"""Fixtures of the advise tests: the local package index, served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from localindex import UNIVERSE, serve_index, write_index

from mlops_radar.advise.cache import Cache
from mlops_radar.advise.resolver import Target


@pytest.fixture(scope="session")
def index_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = write_index(tmp_path_factory.mktemp("index"), UNIVERSE)
    with serve_index(folder) as url:
        yield url


@pytest.fixture
def target(index_url: str, tmp_path: Path) -> Target:
    return Target(index_url=index_url, timeout=60, cache_dir=tmp_path / "cache" / "uv")


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path / "cache")
