"""A wheel's METADATA read by HTTP range requests from a server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from localindex import Dist, write_index, write_wheel

from mlops_radar.advise import remotezip
from mlops_radar.advise.cache import Cache
from mlops_radar.advise.index import IndexClient
from mlops_radar.advise.remotezip import remote_wheel_metadata
from mlops_radar.advise.resolver import Target


class _Ranged(SimpleHTTPRequestHandler):
    """Files with `Range: bytes=a-b` and `bytes=-n` honoured (206), counting what it sends."""

    sent: list[int]
    asked: list[str]
    ranges = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_HEAD(self) -> None:
        self.asked.append(f"HEAD {self.path}")
        super().do_HEAD()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"  # an index's project page
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
        self.asked.append(f"GET {self.path}")
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _serve(
    folder: Path, *, ranges: bool = True, asked: list[str] | None = None
) -> Iterator[tuple[str, list[int]]]:
    """The folder over HTTP; yields (its URL, each body's length); `asked` gets each request
    as "METHOD /path"."""
    sent: list[int] = []
    attributes = {"sent": sent, "asked": [] if asked is None else asked, "ranges": ranges}
    handler = type("Handler", (_Ranged,), attributes)
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


def _metadata_last(folder: Path, name: str, pad: int) -> Path:
    """A wheel laid out as most build backends write them: the package, then its dist-info."""
    path = folder / name / f"{name}-1.0-py3-none-any.whl"
    path.parent.mkdir(parents=True, exist_ok=True)
    info = f"{name}-1.0.dist-info"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as wheel:
        wheel.writestr(f"{name}/blob.txt", "x" * pad)
        wheel.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        wheel.writestr(f"{info}/RECORD", "")
    return path


def test_one_request_gives_the_size_and_what_the_wheels_end_holds(
    wheel: Path, tmp_path: Path
) -> None:
    last = _metadata_last(tmp_path, "tail", 3_000_000)
    with _serve(tmp_path) as (url, sent), httpx.Client() as client:
        text, size = remote_wheel_metadata(client, f"{url}/tail/{last.name}", max_requests=1)
        assert text is not None
        assert "Name: tail" in text
        assert size == last.stat().st_size
        assert len(sent) == 1
        sent.clear()
        # this wheel's METADATA comes first, 3 MB before its end: one request tells only the size
        text, size = remote_wheel_metadata(client, f"{url}/heavy/{wheel.name}", max_requests=1)
        assert text is None
        assert size == wheel.stat().st_size
        assert len(sent) == 1


def test_a_whole_answer_past_the_limit_tells_its_size_from_its_headers(
    wheel: Path, tmp_path: Path
) -> None:
    with _serve(tmp_path, ranges=False) as (url, _), httpx.Client() as client:
        text, size = remote_wheel_metadata(
            client, f"{url}/heavy/{wheel.name}", max_requests=1, max_whole=256 * 1024
        )
    assert text is None
    assert size == wheel.stat().st_size


@pytest.mark.parametrize("ranges", [True, False])
def test_an_index_without_sizes_is_read_in_the_fewest_requests(
    tmp_path: Path, ranges: bool
) -> None:
    # PEP 503 pages with PEP 658 metadata files and no PEP 700 sizes: the wheel's end tells the
    # size, and holds the METADATA of a small wheel or one that ends with it; a large wheel
    # whose METADATA lies far from its end also needs its metadata file; no HEAD in any case
    folder = write_index(
        tmp_path / "index", [Dist("light", "1.0"), Dist("heavy", "1.0", ["light"], pad=3_000_000)]
    )
    _metadata_last(folder, "tail", 3_000_000)
    (folder / "tail" / "tail-1.0-py3-none-any.whl.metadata").write_text(
        "Metadata-Version: 2.1\nName: tail\nVersion: 1.0\n", encoding="utf-8"
    )
    (folder / "tail" / "index.html").write_text(
        '<a href="tail-1.0-py3-none-any.whl" data-core-metadata="true">tail</a>\n'
    )
    asked: list[str] = []
    with _serve(folder, ranges=ranges, asked=asked) as (url, _):
        client = IndexClient(Target(index_url=f"{url}/"), Cache(tmp_path / "c", enabled=False))
        try:
            releases = {n: client.release(n, "1.0") for n in ("light", "heavy", "tail")}
        finally:
            client.close()
    for name, release in releases.items():
        assert release.size_bytes == next((folder / name).glob("*.whl")).stat().st_size
        assert release.requires_dist is not None
    assert releases["heavy"].requires_dist == ("light",)
    assert not [a for a in asked if a.startswith("HEAD")]
    page, wheel = "GET /{0}/", "GET /{0}/{0}-1.0-py3-none-any.whl"
    by_name = {n: [a for a in asked if a.startswith(f"GET /{n}/")] for n in releases}
    assert by_name["light"] == [page.format("light"), wheel.format("light")]
    assert by_name["heavy"] == [
        page.format("heavy"),
        wheel.format("heavy"),
        wheel.format("heavy") + ".metadata",
    ]
    tail = [page.format("tail"), wheel.format("tail")]
    if not ranges:  # a 3 MB wheel is not read whole: the headers told its size, the file the rest
        tail.append(wheel.format("tail") + ".metadata")
    assert by_name["tail"] == tail
