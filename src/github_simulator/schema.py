"""GitHub's published GraphQL schema, shipped in the package and built once per process.

Building the 1.2 MB SDL takes about 2 s, so the schema is built lazily and cached per path.
The SDL declares two fields twice (see `data/SOURCE.md`), hence `assume_valid_sdl`/`assume_valid`.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources
from pathlib import Path

import graphql

__all__ = ["load_schema", "packaged_schema_text"]


def packaged_schema_text() -> str:
    """The SDL text of the schema shipped inside the package (`data/schema.graphql.gz`)."""
    blob = resources.files("github_simulator").joinpath("data/schema.graphql.gz").read_bytes()
    return gzip.decompress(blob).decode("utf-8")


@functools.cache
def load_schema(path: Path | None = None) -> graphql.GraphQLSchema:
    """The GitHub schema from `path` (plain or gzipped SDL), or the packaged one if None."""
    if path is None:
        text = packaged_schema_text()
    elif path.suffix == ".gz":
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return graphql.build_schema(text, assume_valid_sdl=True, assume_valid=True)
