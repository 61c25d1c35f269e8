"""Bring a catalog source's bytes in: a local file, or an http(s) URL fetched with httpx.

URL sources are also written to a temporary file, because the study's ODS and CSV readers read
files. Every failure (missing file, timeout, HTTP error, oversized answer, a malformed URL or a
redirect to one) is one `CatalogError` line. Both are bounded: local files and downloads by
`MAX_SOURCE_BYTES`, a download also by an overall `DEADLINE` (a server dripping one byte every few
seconds never trips a per-read timeout; it ends at the deadline plus at most one read).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from mlops_radar.catalog.readers import SourceDocument
from mlops_radar.errors import CatalogError
from mlops_radar.textfiles import TooLarge, read_capped_bytes

__all__ = ["DEADLINE", "MAX_SOURCE_BYTES", "TIMEOUT", "open_source"]

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # a catalog is kilobytes (the study's ODS 23 KB); refuse more
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEADLINE = 120.0  # seconds for a whole download


@contextmanager
def open_source(
    source: str, *, client: httpx.Client | None = None, deadline: float = DEADLINE
) -> Iterator[SourceDocument]:
    """The document behind `source` (a path or an http(s) URL), its temporary copy removed after."""
    try:
        parts = urlsplit(source)
    except ValueError as exc:  # e.g. 'http://[::1'
        raise CatalogError(f"{source}: not a valid URL or path: {exc}") from None
    if parts.scheme.lower() in ("http", "https"):
        data = _download(source, client, deadline)
        name = PurePosixPath(parts.path).name or "catalog"
        with tempfile.TemporaryDirectory(prefix="mlops-radar-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            yield SourceDocument(source, data, path)
        return
    path = Path(source)
    yield SourceDocument(source, _read_local(path, source), path)


def _too_large(source: str) -> CatalogError:
    return CatalogError(
        f"{source}: larger than {MAX_SOURCE_BYTES // 2**20} MiB; a catalog is kilobytes"
    )


def _read_local(path: Path, source: str) -> bytes:
    """The file's bytes, never more than the cap (read so, since /dev/zero has no size)."""
    try:
        return read_capped_bytes(path, MAX_SOURCE_BYTES)
    except TooLarge as exc:
        raise _too_large(source) from exc
    except OSError as exc:
        raise CatalogError(f"{source}: cannot read: {exc.strerror or exc}") from exc


def _download(url: str, client: httpx.Client | None, deadline: float) -> bytes:
    owned = client is None
    read_timeout = min(30.0, deadline)
    http = client or httpx.Client(
        timeout=httpx.Timeout(read_timeout, connect=min(10.0, deadline)), follow_redirects=True
    )
    end = time.monotonic() + deadline
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise CatalogError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_SOURCE_BYTES:
                    raise _too_large(url)
                if time.monotonic() > end:
                    raise CatalogError(
                        f"{url}: cannot fetch: not complete after {deadline:g} s "
                        f"({size:,} bytes so far)"
                    )
                chunks.append(chunk)
            return b"".join(chunks)
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise CatalogError(f"{url}: cannot fetch: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if owned:
            http.close()
