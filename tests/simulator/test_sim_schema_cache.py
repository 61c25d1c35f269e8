"""The built schema is kept in the cache folder, keyed by the SDL's sha256, and rebuilt when the
file is damaged, of another schema or written by another graphql-core version."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

import graphql
import pytest

from github_simulator import schema as schema_module
from github_simulator.schema import CACHE_ENV, packaged_schema_text
from github_simulator.schema import read_schema as load


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _cache_file(folder: Path) -> Path:
    digest = hashlib.sha256(packaged_schema_text().encode()).hexdigest()
    return folder / f"schema-{digest}.marshal"


def test_cold_start_writes_the_cache_and_warm_start_reads_it(
    folder: Path, schema: graphql.GraphQLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = load()
    file = _cache_file(folder)
    assert file.is_file()
    assert list(folder.iterdir()) == [file]  # no temporary file left behind
    calls = []
    monkeypatch.setattr(schema_module, "_build", lambda text: calls.append(text))
    cached = load()
    assert calls == []  # read from the file, not built
    assert graphql.print_schema(cached) == graphql.print_schema(built)
    assert graphql.print_schema(cached) == graphql.print_schema(schema)


@pytest.mark.parametrize(
    "damage",
    [b"not marshal at all", marshal.dumps([1, 2, 3])],
    ids=["garbage", "not a mapping"],
)
def test_a_damaged_file_is_rebuilt(folder: Path, damage: bytes) -> None:
    file = _cache_file(folder)
    folder.mkdir(parents=True)
    file.write_bytes(damage)
    rebuilt = load()
    assert rebuilt.get_type("Repository") is not None
    assert marshal.loads(file.read_bytes())["stamp"]["sha256"] == file.stem.split("-")[1]


def test_another_graphql_core_version_is_ignored(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load()
    file = _cache_file(folder)
    document = marshal.loads(file.read_bytes())
    document["stamp"]["graphql_core"] = "0.0.1"
    document["introspection"] = {"__schema": "tampered"}
    file.write_bytes(marshal.dumps(document))
    assert load().get_type("Repository") is not None
    assert marshal.loads(file.read_bytes())["stamp"]["graphql_core"] == graphql.__version__


def test_an_unwritable_folder_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert load().get_type("Repository") is not None


def test_cache_off_never_touches_the_folder(folder: Path) -> None:
    load(cache=False)
    assert not folder.exists()
