"""A new source through the public seams only: one module (`toy_stats.py`: its fact set and its
`Source`) and one revision (`revisions/`). It collects with the generic collector into the real
store, stops on a rate limit, resumes where it stopped, and its facts are scored by the model."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.model import qualify, score
from mlops_radar.model.config import default_rings, named_policy, weights_from_toml
from mlops_radar.sources import registry
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig
from mlops_radar.store import Store
from mlops_radar.store.migrate import add_revisions, remove_revisions
from toy.toy_stats import TOY, ToySource

REVISIONS = Path(__file__).resolve().parent / "revisions"
DOWNLOADS = {f"acme/tool{i}": 1000 * (i + 1) for i in range(34)} | {"acme/gone": None}


class ToyServer(ThreadingHTTPServer):
    """The toy API on 127.0.0.1: busy (429) after `busy_after` requests until told otherwise."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.busy_after: int | None = None
        self.requests = 0
        self.asked: Counter[str] = Counter()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/stats"


class _Handler(BaseHTTPRequestHandler):
    server: ToyServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.requests += 1
        busy = self.server.busy_after is not None and self.server.requests > self.server.busy_after
        if busy:
            self._answer(429, {"message": "busy"}, {"retry-after": "100"})
            return
        self.server.asked.update(body["repos"])
        self._answer(200, {"stats": {r: DOWNLOADS.get(r) for r in body["repos"]}})

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"content-length": str(len(data)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def toy_server() -> Iterator[ToyServer]:
    server = ToyServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def toy_registered() -> Iterator[None]:
    """The seams another source uses: its fact set registered, its revision folder added."""
    registry.register(TOY)
    add_revisions(REVISIONS)
    yield
    registry.unregister(TOY)
    remove_revisions(REVISIONS)


def _catalog() -> Catalog:
    tools = tuple(
        ToolEntry(name=repo.split("/")[1], categories=("Toys",), url=f"https://x.org/{repo}",
                  kind=LinkKind.REPO, repo=repo)
        for repo in DOWNLOADS
    )  # fmt: skip
    return Catalog(source="toys.md", tools=tools, sha256="t" * 64)


def test_a_toy_source_collects_resumes_and_is_scored(
    db_url: str, toy_server: ToyServer, toy_registered: None
) -> None:
    with Store.open(db_url) as store:
        sid = store.begin_snapshot(_catalog(), origin="collected", sources=("toy",))
        config = CollectConfig(max_wait=1, concurrency=1, seed=1)
        toy_server.busy_after = 2  # two batches of ten, then a 100 s retry-after
        first = Collector(ToySource(toy_server.url), store.sink(sid, "toy"), config).run(
            list(_catalog().tools)
        )
        assert first.partial
        assert "max-wait" in (first.stop_reason or "")
        store.finish_snapshot(sid, "partial")
        assert sum(toy_server.asked.values()) == 20

        toy_server.busy_after = None  # resume: only what the store does not hold is asked
        resumed = store.resumable_snapshot()
        assert resumed is not None
        assert resumed.id == sid
        second = Collector(ToySource(toy_server.url), store.sink(sid, "toy"), config).run(
            store.snapshot_tools(sid)
        )
        assert (second.already_done, second.partial) == (20, False)
        assert toy_server.asked == Counter(dict.fromkeys(DOWNLOADS, 1))  # each asked once
        assert second.counts[Outcome.NOT_FOUND] == 1
        store.finish_snapshot(sid, "complete")

        table = store.fact_table(sid)
    assert table.sources == ("toy",)
    assert "downloads" in table.collected
    frame = table.frame
    assert frame.set_index("repo")["downloads"]["acme/tool3"] == 4000
    assert frame["as_of_toy_stats"].notna().sum() == 34

    weights = weights_from_toml(
        """
        [signals.downloads]
        dimension = "popularity"
        weight = 3.0
        column = "downloads"
        scale = "log"
        threshold = 1000000
        """,
        source="toy-weights.toml",
    )
    scored = score(frame, table.snapshot_date, named_policy("radar"), weights, default_rings())
    ranked = scored.frame.sort_values("score", ascending=False)["tool"].tolist()
    assert ranked[:3] == ["tool33", "tool32", "tool31"]  # most downloads first, by the toy's facts
    assert ranked[-1] == "gone"  # not found: no facts at all
    assert len(qualify(frame, table.snapshot_date, named_policy("radar"))) == 35
