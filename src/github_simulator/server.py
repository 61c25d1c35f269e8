"""The simulator's HTTP server: a stdlib `ThreadingHTTPServer` on 127.0.0.1 in a background thread.

The handler only moves bytes; `GraphQLService` decides every answer. Request lines are not logged
unless asked (and headers, hence tokens, never are). Closing the simulator also closes kept-alive
connections, so no handler thread outlives it.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from github_simulator.config import SimulatorConfig
from github_simulator.service import Answer, GraphQLService, json_answer
from github_simulator.shapes import DOCS_URL
from github_simulator.stats import SimulatorStats

__all__ = ["STATS_PATH", "Simulator"]

#: `GET` this path for `SimulatorStats` as JSON (a path GitHub's API does not use), so a
#: benchmark running the simulator in another process can read its counters and CPU time.
STATS_PATH = "/_simulator/stats"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], service: GraphQLService, log: bool) -> None:
        self.service = service
        self.log = log
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    server_version = "GitHub.com"
    sys_version = ""
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if self.path.split("?")[0].rstrip("/") != "/graphql":
            self._send(json_answer(404, {"message": "Not Found"}))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            answer = self.server.service.handle(headers, body)
        except Exception:  # a simulator bug: answer 500 (like GitHub would) and show it
            traceback.print_exc(file=sys.stderr)
            answer = json_answer(500, {"message": "Server Error (simulator bug, see its stderr)"})
        self._send(answer)

    def do_GET(self) -> None:
        route = self.path.split("?")[0].rstrip("/")
        if route == STATS_PATH:
            # The simulator's own counters and CPU (no token: GitHub has no such path).
            self._send(json_answer(200, self.server.service.stats().to_document()))
            return
        if route != "/rate_limit":
            self._send(json_answer(404, {"message": "Not Found"}))
            return
        authorization = self.headers.get("authorization", "")
        budget = self.server.service.budget_for(authorization)
        if budget is None:
            message = "Bad credentials" if authorization.strip() else "Requires authentication"
            self._send(json_answer(401, {"message": message, "documentation_url": DOCS_URL}))
            return
        resource = {
            "limit": budget.limit,
            "remaining": budget.remaining,
            "used": budget.used,
            "reset": budget.reset_at,
        }
        self._send(json_answer(200, {"resources": {"graphql": resource}}))

    def _send(self, answer: Answer) -> None:
        if answer.body is None:
            self._reset()
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.padding:  # no length: the body ends when the connection closes
            self.close_connection = True
            self.send_header("connection", "close")
        else:
            self.send_header("content-length", str(len(answer.body)))
        self.end_headers()
        try:
            self._write(answer)
        except OSError:  # the client gave up (a size cap, a deadline): nothing more to send
            self.close_connection = True

    def _write(self, answer: Answer) -> None:
        assert answer.body is not None
        chunk = b" " * 65_536
        left = answer.padding
        while left > 0:
            self.wfile.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        if not answer.drip:
            self.wfile.write(answer.body)
            return
        for index in range(len(answer.body)):
            self.wfile.write(answer.body[index : index + 1])
            self.wfile.flush()
            time.sleep(answer.drip)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, like a load balancer giving up."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class Simulator:
    """A GitHub GraphQL API on 127.0.0.1; use as a context manager (or `start`/`close`)."""

    def __init__(self, config: SimulatorConfig | None = None, *, log: bool = False) -> None:
        self.config = config or SimulatorConfig()
        self.service = GraphQLService(self.config)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._log = log

    def start(self) -> Simulator:
        """Bind the port and serve in a daemon thread."""
        if self._server is None:
            self._server = _Server((self.config.host, self.config.port), self.service, self._log)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                args=(0.05,),
                name="github-simulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and close every connection."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The GraphQL endpoint, `http://127.0.0.1:PORT/graphql`."""
        return f"http://{self.config.host}:{self.port}/graphql"

    @property
    def stats_url(self) -> str:
        """`http://127.0.0.1:PORT/_simulator/stats`: the counters as JSON."""
        return f"http://{self.config.host}:{self.port}{STATS_PATH}"

    @property
    def stats(self) -> SimulatorStats:
        """A snapshot of the counters."""
        return self.service.stats()

    def reset_stats(self) -> None:
        """Zero the counters (budgets, caches and request numbering are kept)."""
        self.service.reset_stats()
