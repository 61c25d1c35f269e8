"""GitHub's published GraphQL schema, shipped in the package, built once and cached on disk.

Building the 1.2 MB SDL takes about 0.8 s (parsing 0.6 s, building 0.2 s), so the built schema is
kept in the user cache folder (`platformdirs.user_cache_dir("github-simulator")`, or the folder
named by `GITHUB_SIMULATOR_CACHE_DIR`) as its introspection result in `marshal` form, which loads
in about 20 ms and rebuilds with `graphql.build_client_schema` in about 0.1 s. The file's name
holds the sha256 of the SDL text, and its content names the graphql-core and Python versions it
was written by: a file for another schema, another version, or one that cannot be read is
ignored and written again (atomically: a temporary file renamed over it). The rebuilt schema
prints (`graphql.print_schema`) exactly as the one built from the SDL.

The SDL declares two fields twice (see `data/SOURCE.md`), hence `assume_valid_sdl`/`assume_valid`.
`marshal` builds only plain values (no code runs while loading), and the file sits in the user's
own cache folder.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import marshal
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import graphql
import platformdirs

__all__ = ["CACHE_ENV", "cache_dir", "load_schema", "packaged_schema_text", "read_schema"]

#: Environment variable naming another cache folder (tests and read-only homes use it).
CACHE_ENV = "GITHUB_SIMULATOR_CACHE_DIR"
_FORMAT = 1


def packaged_schema_text() -> str:
    """The SDL text of the schema shipped inside the package (`data/schema.graphql.gz`)."""
    blob = resources.files("github_simulator").joinpath("data/schema.graphql.gz").read_bytes()
    return gzip.decompress(blob).decode("utf-8")


def cache_dir() -> Path:
    """The folder where built schemas are kept."""
    named = os.environ.get(CACHE_ENV)
    return Path(named) if named else Path(platformdirs.user_cache_dir("github-simulator"))


def load_schema(path: Path | None = None, *, cache: bool = True) -> graphql.GraphQLSchema:
    """The GitHub schema from `path` (plain or gzipped SDL), or the packaged one if None, read
    once per process (see `read_schema`)."""
    return _loaded(path, cache)


@functools.cache
def _loaded(path: Path | None, cache: bool) -> graphql.GraphQLSchema:
    return read_schema(path, cache=cache)


def read_schema(path: Path | None = None, *, cache: bool = True) -> graphql.GraphQLSchema:
    """The schema from the cache folder when it holds this one, else built (and kept there);
    `cache=False`: always built, the folder untouched."""
    if path is None:
        text = packaged_schema_text()
    elif path.suffix == ".gz":
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    if not cache:
        return _build(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    file = cache_dir() / f"schema-{digest}.marshal"
    schema = _read_cached(file, digest)
    if schema is None:
        schema = _build(text)
        _write_cached(file, digest, schema)
    return schema


def _build(text: str) -> graphql.GraphQLSchema:
    return graphql.build_schema(text, assume_valid_sdl=True, assume_valid=True)


def _stamp(digest: str) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "sha256": digest,
        "graphql_core": graphql.__version__,
        "python": list(sys.version_info[:2]),
    }


def _read_cached(file: Path, digest: str) -> graphql.GraphQLSchema | None:
    """The schema kept in `file`, or None when it is missing, unreadable or not this one."""
    try:
        document = marshal.loads(file.read_bytes())  # noqa: S302 - plain values, own cache
        if not isinstance(document, dict) or document.get("stamp") != _stamp(digest):
            return None
        return graphql.build_client_schema(document["introspection"], assume_valid=True)
    except Exception:  # any damage to the file means: build it again
        return None


def _write_cached(file: Path, digest: str, schema: graphql.GraphQLSchema) -> None:
    """Keep the schema in `file`, atomically; a folder that cannot be written is skipped."""
    document = {"stamp": _stamp(digest), "introspection": graphql.introspection_from_schema(schema)}
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".schema-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(document))
        os.replace(temporary, file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
