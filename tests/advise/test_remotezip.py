"""A wheel's METADATA read by HTTP range requests from a server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from localindex import Dist, write_wheel

from mlops_radar.advise import remotezip
from mlops_radar.advise.remotezip import remote_wheel_metadata


class _Ranged(SimpleHTTPRequestHandler):
    """Files with `Range: bytes=a-b` and `bytes=-n` honoured (206), counting what it sends."""

    sent: list[int]
    ranges = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        wanted = self.headers.get("Range", "")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        found = re.fullmatch(r"bytes=(\d*)-(\d*)", wanted)
        if not self.ranges or found is None:
            self._send(200, data, {})
            return
        first, last = found.groups()
        if first == "":
            start, end = max(0, len(data) - int(last)), len(data) - 1
        else:
            start, end = int(first), min(len(data) - 1, int(last or len(data) - 1))
        part = data[start : end + 1]
        self._send(206, part, {"Content-Range": f"bytes {start}-{end}/{len(data)}"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.sent.append(len(body))
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _serve(folder: Path, *, ranges: bool = True) -> Iterator[tuple[str, list[int]]]:
    sent: list[int] = []
    handler = type("Handler", (_Ranged,), {"sent": sent, "ranges": ranges})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    dist = Dist("heavy", "1.0", ["numpy>=1.26", "boto3<2"], pad=3_000_000)
    return write_wheel(tmp_path, dist)


def test_metadata_by_ranges_reads_a_small_part_of_the_wheel(wheel: Path, tmp_path: Path) -> None:
    with _serve(tmp_path) as (url, sent), httpx.Client() as client:
        text, size = remote_wheel_metadata(client, f"{url}/heavy/{wheel.name}")
    assert text is not None
    assert size == wheel.stat().st_size  # from the first answer's Content-Range
    assert "Requires-Dist: numpy>=1.26" in text
    assert "Requires-Dist: boto3<2" in text
    assert 1 <= len(sent) <= 3
    assert sum(sent) < wheel.stat().st_size / 10


def test_a_server_without_ranges_is_read_from_its_whole_answer(wheel: Path, tmp_path: Path) -> None:
    with _serve(tmp_path, ranges=False) as (url, sent), httpx.Client() as client:
        text, size = remote_wheel_metadata(client, f"{url}/heavy/{wheel.name}")
    assert text is not None
    assert size == wheel.stat().st_size
    assert "Name: heavy" in text
    assert len(sent) == 1


def test_not_a_wheel_or_absent_gives_none(tmp_path: Path) -> None:
    (tmp_path / "junk.whl").write_bytes(b"PK\x03\x04 not really a zip" * 1000)
    with _serve(tmp_path) as (url, _), httpx.Client() as client:
        junk = remote_wheel_metadata(client, f"{url}/junk.whl")
        assert junk.metadata is None
        assert junk.size == (tmp_path / "junk.whl").stat().st_size  # its size was learnt
        assert remote_wheel_metadata(client, f"{url}/absent.whl") == (None, None)


def test_a_whole_file_past_the_cap_is_given_up_not_read_into_memory(
    wheel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remotezip, "MAX_WHOLE", 1_000_000)  # the wheel is 3 MB
    with _serve(tmp_path, ranges=False) as (url, _), httpx.Client() as client:
        assert remote_wheel_metadata(client, f"{url}/heavy/{wheel.name}").metadata is None
