"""Benchmark of `mlops-radar report` (issue 10): a synthetic snapshot of 5,000 tools in a real
SQLite store with three snapshots of history (tests/report/sitedata.py builds it the way a
collection does), then the site generated from it: generation time, site size and file count, the
load time of the index and of the largest radar page in headless Chromium (Debian's, via
Playwright, from a local HTTP server on 127.0.0.1), and the Markdown list's size when the Markdown
renderer is present.

Targets: generated in < 30 s, each page loads in < 2 s, the site under 50 MB, the Markdown list
under 512,000 bytes.

    python benchmarks/report.py                  # 5,000 tools
    python benchmarks/report.py --tools 1000
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "report"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

import sitedata  # noqa: E402

from mlops_radar.app.report import gather  # noqa: E402
from mlops_radar.report.site import render_site  # noqa: E402
from mlops_radar.store import Store  # noqa: E402

CHROMIUM = os.environ.get("MLOPS_RADAR_CHROMIUM", "/usr/bin/chromium")


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _load_times(root: Path, pages: list[str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    server, base = _serve(root)
    times = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page()
            for name in pages:
                page.goto(base + name)  # warm the server's and the browser's caches alike
                start = time.perf_counter()
                page.goto(base + name, wait_until="load")
                times[name] = time.perf_counter() - start
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tools", type=int, default=5000)
    parser.add_argument("--snapshots", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="radar-report-bench-") as folder:
        db = str(Path(folder) / "radar.sqlite3")
        start = time.perf_counter()
        sitedata.build(db, tools=args.tools, snapshots=args.snapshots)
        print(f"store: {args.tools:,} tools x {args.snapshots} snapshots written in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        out = Path(folder) / "site"
        start = time.perf_counter()
        with Store.open(db) as store:
            data = gather(store)
        gathered = time.perf_counter() - start
        result = render_site(data, out)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        radars = sorted(out.glob("radar/*.html"), key=lambda p: (-p.stat().st_size, p.name))
        largest = radars[0].relative_to(out).as_posix()
        print(f"generation: {generated:.1f} s (load and assess {gathered:.1f} s), target < 30 s")
        print(f"site: {len(result.files):,} files, {size / 1e6:.1f} MB, target < 50 MB; "
              f"largest radar page {largest} {radars[0].stat().st_size / 1e6:.2f} MB")  # fmt: skip
        if Path(CHROMIUM).exists():
            for name, seconds in _load_times(out, ["index.html", largest, "charts.html"]).items():
                print(f"load in headless Chromium: {name} {seconds:.2f} s, target < 2 s")
        else:
            print(f"load times skipped: no Chromium at {CHROMIUM}")
        try:
            from mlops_radar.report.markdown import render_markdown  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            print("markdown: skipped (mlops_radar.report.markdown is not in this build)")
        else:
            text = render_markdown(data.by_category, data.changes)
            print(f"markdown: {len(text.encode('utf-8')):,} bytes, target < 512,000")


if __name__ == "__main__":
    main()
