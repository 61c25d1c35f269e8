"""A wheel's METADATA read from the index with HTTP range requests, without downloading the wheel.

A wheel is a zip: its table of contents sits at the end, so the last few kilobytes name where
`*.dist-info/METADATA` lies, and one more range brings it. `zipfile` does the reading (it is given
a file object whose reads become range requests); this module only fetches bytes. Three or four
small requests replace a download of megabytes (numpy's wheel: 11 MB; torch's: hundreds), and a
wheel too large to download at all gets its requirements read too. A server that ignores ranges
(answers 200 with the whole file) is served from that answer up to `MAX_WHOLE` bytes; one that
refuses, or a file that would need more than `MAX_REQUESTS` reads or one read past `MAX_READ`
bytes, gives None. Bodies are streamed and cut at those caps, never read whole.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import NamedTuple

import httpx

__all__ = ["MAX_REQUESTS", "RemoteWheel", "remote_wheel_metadata"]

TAIL = 64 * 1024  # the first request: the end of the file, where the zip's directory lies
MAX_REQUESTS = 8  # a zip that needs more reads than this is not an ordinary wheel
MAX_METADATA = 4 * 1024 * 1024  # METADATA larger than this is not read
MAX_READ = 8 * 1024 * 1024  # one read past this (a directory of that size) is not a wheel's
MAX_WHOLE = 20 * 1024 * 1024  # a server that ignores ranges: a whole file up to this is read
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


class _TooManyReads(Exception):
    pass


class _RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file: each read of bytes not yet fetched is one
    range request (at least `TAIL` bytes, so zipfile's small reads share one request)."""

    def __init__(
        self, client: httpx.Client, url: str, *, max_requests: int, max_whole: int
    ) -> None:
        super().__init__()
        self._client = client
        self._url = url
        self._max_requests = max_requests
        self._max_whole = max_whole
        self._chunks: list[tuple[int, bytes]] = []
        self._position = 0
        self.requests = 0
        self.size: int | None = None  # known from the first answer on

    def open(self) -> None:
        """The first request: the file's end (or, where ranges are ignored, the whole file)."""
        self.size = self._first()

    def _get(self, header: str) -> tuple[int, str, bytes]:
        """(status, Content-Range, body) of one request; the body is streamed and given up on
        past what was asked for (a 206) or `MAX_WHOLE` (a 200 that ignored the range)."""
        if self.requests >= self._max_requests:
            raise _TooManyReads
        self.requests += 1
        with self._client.stream("GET", self._url, headers={"Range": header}) as answer:
            limit = self._max_whole if answer.status_code == 200 else MAX_READ + TAIL
            if answer.status_code == 200:
                declared = answer.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    self.size = int(declared)  # too large to read whole, but its size is said
                    raise _TooManyReads
            body = bytearray()
            for piece in answer.iter_bytes():
                body += piece
                if len(body) > limit:
                    raise _TooManyReads
            return answer.status_code, answer.headers.get("content-range", "").strip(), bytes(body)

    def _first(self) -> int:
        status, ranged, body = self._get(f"bytes=-{TAIL}")
        if status == 200:  # ranges ignored: this is the whole file
            self._chunks.append((0, body))
            return len(body)
        found = _RANGE.fullmatch(ranged)
        if status != 206 or found is None:
            raise OSError(f"no range answer ({status})")
        start, total = int(found.group(1)), int(found.group(3))
        self._chunks.append((start, body))
        return total

    def _fetch(self, start: int, length: int) -> None:
        if length > MAX_READ or self.size is None:
            raise _TooManyReads
        end = min(self.size, start + max(length, TAIL)) - 1
        status, ranged, body = self._get(f"bytes={start}-{end}")
        found = _RANGE.fullmatch(ranged)
        if status != 206 or found is None or int(found.group(1)) != start:
            raise OSError(f"no range answer ({status})")
        self._chunks.append((start, body))

    def _cached(self, start: int, length: int) -> bytes | None:
        for begin, data in self._chunks:
            if begin <= start and start + length <= begin + len(data):
                return data[start - begin : start - begin + length]
        return None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size or 0}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        length = min(len(buffer), max(0, (self.size or 0) - self._position))
        if length == 0:
            return 0
        data = self._cached(self._position, length)
        if data is None:
            self._fetch(self._position, length)
            data = self._cached(self._position, length) or b""
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


class RemoteWheel(NamedTuple):
    """What the range reads learnt: the METADATA text and the file's size (None where unknown;
    the size is known from the first answer on, even when the METADATA is not)."""

    metadata: str | None
    size: int | None


def remote_wheel_metadata(
    client: httpx.Client,
    url: str,
    *,
    max_requests: int | None = None,
    max_whole: int | None = None,
) -> RemoteWheel:
    """The METADATA of the wheel at `url`, read with range requests, and the wheel's size;
    metadata None when the server refuses ranges, the file is not a wheel, or reading it would
    pass the caps: at most `max_requests` requests (default `MAX_REQUESTS`; 1: only what the
    file's end holds), and a server that ignores ranges read whole only up to `max_whole` bytes
    (default `MAX_WHOLE`; past it the answer's Content-Length still gives the size)."""
    remote = _RangeFile(
        client,
        url,
        max_requests=MAX_REQUESTS if max_requests is None else max_requests,
        max_whole=MAX_WHOLE if max_whole is None else max_whole,
    )
    try:
        remote.open()
        with zipfile.ZipFile(io.BufferedReader(remote, buffer_size=TAIL)) as wheel:
            member = next(
                (
                    info
                    for info in wheel.infolist()
                    if info.filename.count("/") == 1
                    and info.filename.endswith(".dist-info/METADATA")
                ),
                None,
            )
            if member is None or max(member.file_size, member.compress_size) > MAX_METADATA:
                return RemoteWheel(None, remote.size)
            return RemoteWheel(wheel.read(member).decode("utf-8", "replace"), remote.size)
    except (
        httpx.HTTPError,
        zipfile.BadZipFile,
        OSError,
        KeyError,
        ValueError,
        _TooManyReads,
        EOFError,  # truncated
        NotImplementedError,  # odd compression
        RuntimeError,  # encrypted
    ):
        pass
    return RemoteWheel(None, remote.size)
