"""Bring a catalog source's bytes in: a local file, or an http(s) URL fetched with httpx.

URL sources are also written to a temporary file, because the study's ODS and CSV readers read
files. Every failure (missing file, timeout, HTTP error, oversized answer) is one `CatalogError`
line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from mlops_radar.catalog.readers import SourceDocument
from mlops_radar.errors import CatalogError

__all__ = ["MAX_SOURCE_BYTES", "TIMEOUT", "open_source"]

MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a catalog is kilobytes; refuse anything absurd
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


@contextmanager
def open_source(source: str, *, client: httpx.Client | None = None) -> Iterator[SourceDocument]:
    """The document behind `source` (a path or an http(s) URL), its temporary copy removed after."""
    if urlsplit(source).scheme.lower() in ("http", "https"):
        data = _download(source, client)
        name = PurePosixPath(urlsplit(source).path).name or "catalog"
        with tempfile.TemporaryDirectory(prefix="mlops-radar-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            yield SourceDocument(source, data, path)
        return
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    yield SourceDocument(source, data, path)


def _download(url: str, client: httpx.Client | None) -> bytes:
    owned = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise CatalogError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_SOURCE_BYTES:
                    raise CatalogError(f"{url}: larger than {MAX_SOURCE_BYTES // 2**20} MiB")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise CatalogError(f"{url}: cannot fetch: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if owned:
            http.close()
