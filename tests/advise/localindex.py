"""A package index on 127.0.0.1 for the advise tests and benchmark: tiny wheels written by the
test, PEP 503 HTML pages with PEP 658 metadata files, a stand-in OSV server, and an index that
never answers (importable: the tests' folder is on the path)."""

from __future__ import annotations

import io
import json
import socket
import sys
import tarfile
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Dist:
    """One release to publish: name, version, its requirements, extras, and padding bytes."""

    name: str
    version: str
    requires: Sequence[str] = ()
    extras: Mapping[str, Sequence[str]] = field(default_factory=dict)
    pad: int = 0


def _metadata(dist: Dist) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {dist.name}", f"Version: {dist.version}"]
    lines += [f"Requires-Dist: {r}" for r in dist.requires]
    for extra, reqs in dist.extras.items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r} ; extra == "{extra}"' for r in reqs]
    return "\n".join(lines) + "\n"


def write_wheel(folder: Path, dist: Dist) -> Path:
    """A valid, installable, pure-Python wheel of `dist` in `folder/<name>/`."""
    stem = f"{dist.name.replace('-', '_')}-{dist.version}"
    target = folder / dist.name
    target.mkdir(parents=True, exist_ok=True)
    info = f"{stem}.dist-info"
    files = {
        f"{info}/METADATA": _metadata(dist),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    if dist.pad:
        files[f"{dist.name.replace('-', '_')}/blob.txt"] = "x" * dist.pad
    files[f"{info}/RECORD"] = "".join(f"{p},,\n" for p in files) + f"{info}/RECORD,,\n"
    path = target / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    (target / f"{path.name}.metadata").write_text(_metadata(dist), encoding="utf-8")
    return path


def write_sdist(folder: Path, dist: Dist) -> Path:
    """A source distribution of `dist` in `folder/<name>/` (PKG-INFO and a setup.py that must
    never run: it raises)."""
    stem = f"{dist.name.replace('-', '_')}-{dist.version}"
    target = folder / dist.name
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{stem}.tar.gz"
    members = {
        f"{stem}/PKG-INFO": _metadata(dist),
        f"{stem}/setup.py": "raise SystemExit('this test sdist must not be built')\n",
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def write_index(
    folder: Path,
    dists: Sequence[Dist],
    *,
    core_metadata: bool = True,
    sdists_only: Sequence[Dist] = (),
) -> Path:
    """A PEP 503 simple index of `dists` (wheels) and `sdists_only` (source only) under `folder`."""
    for dist in dists:
        write_wheel(folder, dist)
    for dist in sdists_only:
        write_sdist(folder, dist)
    projects = sorted(p for p in folder.iterdir() if p.is_dir())
    for project in projects:
        attr = ' data-core-metadata="true"' if core_metadata else ""
        links = "".join(
            f'<a href="{w.name}"{attr}>{w.name}</a>\n' for w in sorted(project.glob("*.whl"))
        ) + "".join(f'<a href="{s.name}">{s.name}</a>\n' for s in sorted(project.glob("*.tar.gz")))
        (project / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    root = "".join(f'<a href="{p.name}/">{p.name}</a>\n' for p in projects)
    (folder / "index.html").write_text(f"<html><body>\n{root}</body></html>\n")
    return folder


class _Server(ThreadingHTTPServer):
    request_queue_size = (
        256  # the default 5 drops the resolvers' parallel connections (SYN retries)
    )
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hangs up mid-answer (it read a wheel's size from the headers and left)
        # is what real servers see all day: not an error worth a traceback
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real indexes answer
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (~40 ms a request on a kept-alive connection), which no real index
    # costs. Measured: 123 releases asked one by one took 10.8 s with it, 0.9 s without.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_index(folder: Path, asked: list[tuple[str, str, str]] | None = None) -> Iterator[str]:
    """The index in `folder` over HTTP; yields its simple URL (ending in /). With `asked`, each
    request is appended to it as (method, path, the client's User-Agent)."""
    handler: type[_Quiet] = _Quiet
    if asked is not None:

        class _Recording(_Quiet):
            def parse_request(self) -> bool:
                ok = super().parse_request()
                if ok:
                    asked.append((self.command, self.path, self.headers.get("User-Agent", "")))
                return ok

        handler = _Recording
    server = _Server(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    with _serving(server) as url:
        yield url + "/"


@contextmanager
def hanging_index() -> Iterator[str]:
    """An index that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/simple/"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()


@contextmanager
def osv_server(known: Mapping[tuple[str, str], Sequence[str]]) -> Iterator[tuple[str, list[int]]]:
    """A stand-in for OSV's `POST /v1/querybatch`: ids for the (name, version) pairs in `known`.
    Yields its URL and a list that grows by the number of queries of each request."""
    asked: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            queries = body["queries"] if self.path == "/v1/querybatch" else []
            asked.append(len(queries))
            results = []
            for query in queries:
                ids = known.get((query["package"]["name"], query["version"]), ())
                results.append(
                    {"vulns": [{"id": i, "modified": "2024-01-01T00:00:00Z"} for i in ids]}
                    if ids
                    else {}
                )
            data = json.dumps({"results": results}).encode()
            self.send_response(200 if self.path == "/v1/querybatch" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    with _serving(_Server(("127.0.0.1", 0), Handler)) as url:
        yield url, asked


#: The test universe: compatible and conflicting pairs, a cloud SDK behind a chain and behind an
#: extra, a deep chain, a heavy wheel, and a tool whose newest release needs a newer boto3.
UNIVERSE = (
    Dist("common", "1.5"),
    Dist("common", "2.1"),
    Dist("alpha", "1.0", ["common>=1,<2"]),
    Dist("alpha", "2.0", ["common>=2"]),
    Dist("beta", "1.0", ["common<2"], extras={"s3": ["boto3>=1.28"]}),
    Dist("gamma", "1.0", ["common>=2"]),
    Dist("boto3", "1.28.0"),
    Dist("boto3", "1.34.0"),
    Dist("storekit", "0.3", ["boto3>=1.28"]),
    Dist("cloudy", "1.0", ["storekit"]),
    Dist("flowy", "2.12", ["boto3>=1.34"]),
    *(Dist(f"deep{i}", "1.0", [f"deep{i + 1}"]) for i in range(5)),
    Dist("deep5", "1.0"),
    Dist("bulky", "1.0", ["bigdep==3.0"]),
    Dist("bigdep", "3.0", pad=2_500_000),
    Dist("marky", "1.0", ['common<2 ; python_version < "3.8"', "common>=1"]),
)


@contextmanager
def serve_index_process(folder: Path) -> Iterator[str]:
    """`serve_index` in a process of its own, as a real index is: the benchmark's timings then
    do not include the server's share of this process's interpreter lock."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, __file__, str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline().strip() if process.stdout else ""
        if not line.startswith("http://"):
            raise RuntimeError(f"the index server did not start: {line!r}")
        yield line
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


if __name__ == "__main__":
    import sys
    import time

    with serve_index(Path(sys.argv[1])) as served:
        print(served, flush=True)
        while True:
            time.sleep(3600)
