"""The report site in a real browser (Playwright driving Debian's Chromium, headless): from a local
HTTP server on 127.0.0.1 and from file://, overview -> stage radar -> hover a blip (its reason
shows) -> category table -> sort and filter -> tool page; the same on the demo's site; no console
errors; no request leaves 127.0.0.1 or file://; a hostile tool is shown as text and nothing of it
runs. Screenshots are saved under the test's tmp_path.

Chromium comes from apt (`apt-get install chromium`; `.ci/run` installs it), never from
`playwright install`; MLOPS_RADAR_CHROMIUM names another binary.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sitedata
from click.testing import CliRunner

from mlops_radar.cli import main

CHROMIUM = os.environ.get("MLOPS_RADAR_CHROMIUM", "/usr/bin/chromium")

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set MLOPS_RADAR_CHROMIUM)",
)


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """`root` over HTTP on 127.0.0.1 (a free port), quietly."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "radar.sqlite3")
    sitedata.build(db, tools=30, snapshots=3)
    out = folder / "site"
    result = CliRunner().invoke(main, ["report", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    # a process of its own: Playwright's sync API keeps an event loop running in this one
    result = subprocess.run(
        [sys.executable, "-m", "mlops_radar", "demo", "--size", "40", "--date", "2026-01-01",
         "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


class Watch:
    """A page with every console error, page error, dialog and outside request recorded."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _allowed(self, url: str) -> bool:
        return url.startswith(("http://127.0.0.1:", "file://", "data:", "about:"))

    def _route(self, route: Any) -> None:
        if self._allowed(route.request.url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if not self._allowed(request.url):
            self.outside.append(request.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self) -> None:
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.errors == []
        assert self.dialogs == []
        assert self.outside == []


def _walk(watch: Watch, shots: Path, tag: str) -> None:
    page = watch.page
    page.goto(watch.base + "index.html")
    assert "overview" in page.locator("h1").inner_text()
    page.screenshot(path=str(shots / f"{tag}-1-overview.png"), full_page=True)
    watch.check()
    # overview -> the first stage's radar
    page.locator('main a[href^="radar/"]').first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Radar: ")
    blip = page.locator("a.blip").first
    reason = blip.get_attribute("data-tip") or ""
    assert reason
    blip.hover()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert reason.split("\n")[0] in tip.inner_text()
    page.screenshot(path=str(shots / f"{tag}-2-radar-hover.png"))
    page.mouse.move(1, 1)
    assert not tip.is_visible()
    blip.focus()  # the keyboard reaches it too
    assert tip.is_visible()
    watch.check()
    # radar -> a category table
    page.locator('p.tables a[href^="../category/"]').first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Category: ")
    rows = page.locator("#tools tbody tr")
    total = rows.count()
    assert total >= 1

    def column(index: int) -> list[float]:
        values = page.locator(f"#tools tbody tr td:nth-child({index})").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-v'))"
        )
        return [float(v) for v in values if v]

    stars = [h.strip() for h in page.locator("#tools thead th").all_inner_texts()].index(
        "stars"
    ) + 1
    page.locator("#tools thead th", has_text="stars").locator("button").click()
    down = column(stars)
    assert down == sorted(down, reverse=True)
    page.locator("#tools thead th", has_text="stars").locator("button").click()
    up = column(stars)
    assert up == sorted(up)
    first_name = page.locator("#tools tbody tr td:nth-child(2) a").first.inner_text()
    page.locator("input.filter").fill(first_name)
    shown = page.locator("#tools tbody tr:not([hidden])")
    assert 1 <= shown.count() < total or total == 1
    assert page.locator("#tools-count").inner_text() == str(shown.count())
    page.screenshot(path=str(shots / f"{tag}-3-table-filtered.png"), full_page=True)
    watch.check()
    # table -> tool page
    shown.first.locator("td:nth-child(2) a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == first_name
    assert page.locator("text=Facts as of").count() == 1
    page.screenshot(path=str(shots / f"{tag}-4-tool.png"), full_page=True)
    watch.check()
    # the charts draw (the shared chart library, from the site itself)
    page.goto(watch.base + "charts.html")
    page.wait_for_selector("#chart-licenses[data-rendered=yes] svg")
    page.screenshot(path=str(shots / f"{tag}-5-charts.png"), full_page=True)
    watch.check()


@pytest.mark.parametrize("how", ["http", "file"])
def test_walk_the_site(browser: Any, synthetic_site: Path, tmp_path: Path, how: str) -> None:
    with serving(synthetic_site) as url:
        base = url if how == "http" else synthetic_site.as_uri() + "/"
        watch = Watch(browser, base)
        try:
            _walk(watch, tmp_path, how)
        finally:
            watch.context.close()


def test_walk_the_demo_site(browser: Any, demo_site: Path, tmp_path: Path) -> None:
    for how in ("http", "file"):
        with serving(demo_site) as url:
            watch = Watch(browser, url if how == "http" else demo_site.as_uri() + "/")
            try:
                _walk(watch, tmp_path, f"demo-{how}")
                for page in ("index.html", "charts.html", "radar/all.html"):
                    watch.page.goto(watch.base + page)
                    assert "SIMULATED DATA" in watch.page.locator(".simulated").inner_text()
            finally:
                watch.context.close()


def test_hostile_tool_is_text_and_nothing_runs(
    browser: Any, synthetic_site: Path, tmp_path: Path
) -> None:
    evil = next(synthetic_site.glob("tool/evil-org-evil-*.html")).relative_to(synthetic_site)
    category = next(synthetic_site.glob("category/model-serving-script-*.html"))
    radar = next(synthetic_site.glob("radar/model-serving-*.html"))
    with serving(synthetic_site) as url:
        watch = Watch(browser, url)
        try:
            page = watch.page
            page.goto(url + str(evil).replace(os.sep, "/"))
            assert page.locator("h1").inner_text() == sitedata.EVIL_NAME
            assert (
                sitedata.EVIL_DESCRIPTION.split("\u2028")[0].strip()
                in page.locator(".description").inner_text()
            )
            body = page.locator("main").inner_text()
            assert sitedata.EVIL_HOMEPAGE in body
            assert sitedata.EVIL_LICENSE in body
            assert page.locator("main img, main iframe, main script").count() == 0
            assert page.locator('a[href^="javascript"]').count() == 0
            page.screenshot(path=str(tmp_path / "hostile-tool.png"), full_page=True)
            watch.check()
            page.goto(url + f"category/{category.name}")
            assert sitedata.EVIL_CATEGORY in page.locator("h1").inner_text()
            watch.check()
            page.goto(url + f"radar/{radar.name}")
            blip = page.locator('a.blip[data-name^="Evil "]')
            blip.hover()
            assert (
                page.locator("#tip")
                .inner_text()
                .startswith(f"{blip.get_attribute('data-n')}. {sitedata.EVIL_NAME}")
            )
            page.screenshot(path=str(tmp_path / "hostile-radar.png"))
            watch.check()
        finally:
            watch.context.close()
    assert len(list(tmp_path.glob("*.png"))) == 2
