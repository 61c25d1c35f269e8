"""The report site without a browser: byte-identical output, escaping of every outside text,
structure and file counts, and the radar's geometry (no overlaps, radius follows score)."""

from __future__ import annotations

import itertools
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sitedata
from click.testing import CliRunner

from mlops_radar.app.report import gather
from mlops_radar.cli import main
from mlops_radar.model.results import Ring
from mlops_radar.report.site import render_site, safe_url, script_json, slug
from mlops_radar.report.site_radar import BLIP_R, PLACED_RINGS, Blip, layout, radar_svg
from mlops_radar.store import Store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("site") / "radar.sqlite3"
    sitedata.build(str(path), tools=30, snapshots=3)
    return str(path)


@pytest.fixture(scope="module")
def site(synthetic: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["report", "--db", synthetic, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_two_reports_of_the_same_data_are_byte_identical(
    synthetic: str, site: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["report", "--db", synthetic, "--out", str(again)])
    assert result.exit_code == 0, result.output
    first, second = _files(site), _files(again)
    assert list(first) == list(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_structure_and_file_counts(site: Path) -> None:
    files = _files(site)
    tools = [f for f in files if f.startswith("tool/")]
    assert len(tools) == 32  # 30 synthetic tools, the hostile one and the unrated one
    radars = sorted(f for f in files if f.startswith("radar/"))
    # one per stage (the five of sitedata) and one for all stages
    assert len(radars) == 6
    assert "radar/all.html" in radars
    categories = [f for f in files if f.startswith("category/")]
    assert len(categories) == 6  # five categories and the hostile one
    assert {"index.html", "charts.html", "tables.html", "assets/site.js", "assets/site.css",
            "assets/vega.js"} <= set(files)  # fmt: skip
    # the chart libraries are copied once, never inlined into a page
    bundle = files["assets/vega.js"]
    assert len(bundle) > 500_000
    for name, payload in files.items():
        if name.endswith(".html"):
            assert len(payload) < 300_000, name
            assert b"https://cdn" not in payload
            assert b'<script src="http' not in payload
    index = files["index.html"].decode()
    assert "Changes since snapshot 2 (2024-01-31)" in index
    assert "Tool 00029" in index.split("Changes since")[1]  # a tool new in the last snapshot


def test_every_page_links_only_inside_the_site_or_to_http(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for link in re.findall(r'(?:href|src)="([^"]*)"', text):
            if link.startswith(("http://", "https://")):
                continue
            assert not re.match(r"^[a-z]+:", link), (path, link)
            target = (path.parent / link.split("#")[0]).resolve()
            assert link.startswith("#") or target.exists(), (path, link)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_is_escaped_everywhere(site: Path) -> None:
    seen_name = 0
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        parser = _Collect()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag not in ("img", "iframe", "object"), (path, tag)
            assert tag != "svg" or attrs.get("class") == "radar", path
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src"):
                    assert "javascript" not in (value or "").lower(), (path, value)
            if tag == "script":
                assert set(attrs) <= {"src", "type", "class", "data-target"}, (path, attrs)
        # script elements hold only our JSON (parsed whole) or nothing: no payload broke out
        for body in parser.scripts:
            json.loads(body)
            assert "<" not in body
            assert "\u2028" not in body
        seen_name += text.count("Evil &lt;img src=x onerror=")
    assert seen_name > 3  # the name is shown, as text, on many pages
    evil = next(site.glob("tool/evil-org-evil-*.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned=&#x27;script&#x27;&lt;/script&gt;" in evil
    assert "javascript:window" in evil  # shown as text ...
    assert 'href="javascript' not in evil  # ... never as a link
    assert "&lt;svg onload=" in evil


def test_script_json_cannot_end_its_script() -> None:
    text = script_json({"b": "</script><!-- \u2028\u2029 & >", "a": 1})
    assert text.startswith('{"a":1')  # sorted keys
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert "\u2029" not in text
    assert json.loads(text)["b"] == "</script><!-- \u2028\u2029 & >"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ('https://example.org/"onmouseover=x', False),
        ("//example.org", False),
        ("https:", False),
        (None, False),
    ],
)
def test_only_http_links(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


def test_slugs_are_safe_and_distinct() -> None:
    names = ["Model Serving", "model serving", "../../etc", "<script>", ""]
    slugs = [slug(n) for n in names]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)


def _blips(per_ring: int, segments: int) -> list[tuple[str, list[Blip]]]:
    out, n = [], 0
    for s in range(segments):
        blips = []
        for ring in PLACED_RINGS:
            for i in range(per_ring if s == 0 else 2):
                n += 1
                score = 100 - i * 50 / max(1, per_ring)
                blips.append(Blip(n, f"k{n}", f"tool {n}", f"seg {s}", ring, score, "#", "tip"))
        out.append((f"seg {s}", blips))
    return out


@pytest.mark.parametrize("segments", [1, 2, 7, 13])
def test_no_blips_overlap_at_sixty_per_ring(segments: int) -> None:
    radar = layout(_blips(60, segments))
    assert len(radar.placed) == 4 * 60 + (segments - 1) * 4 * 2
    points = [(p.x, p.y) for p in radar.placed]
    least = min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :])
    assert least >= 2 * BLIP_R  # centres a diameter apart (coordinates are rounded to 0.1)
    # every blip inside its own ring and its own segment
    rings = {r: (lo, hi) for r, lo, hi in radar.rings}
    angles = {name: (a0, a1) for name, a0, a1 in radar.segments}
    for p in radar.placed:
        r = math.hypot(p.x, p.y)
        lo, hi = rings[p.blip.ring]
        assert lo + BLIP_R - 0.2 <= r <= hi - BLIP_R + 0.2
        if segments > 1:
            a0, a1 = angles[p.blip.segment]
            a = math.atan2(p.y, p.x)
            a += 2 * math.pi * math.ceil((a0 - a) / (2 * math.pi))
            assert a0 - 1e-3 <= a <= a1 + 1e-3


def test_radius_follows_score_within_a_ring() -> None:
    blips = [Blip(i, f"k{i}", f"t{i}", "s", Ring.TRIAL, 80 - i * 4, "#", "") for i in range(1, 6)]
    radar = layout([("s", blips), ("other", [])])
    radii = [math.hypot(p.x, p.y) for p in sorted(radar.placed, key=lambda p: -p.blip.score)]
    # rows of the lattice: equal radii up to the coordinates' rounding, never nearer for less
    assert all(b >= a - 0.2 for a, b in itertools.pairwise(radii))
    assert radii[0] + 2 * BLIP_R <= radii[-1]


def test_placement_is_deterministic_and_svg_escapes() -> None:
    blips = [Blip(1, "k", "<b>x</b>", "<seg>", Ring.ADOPT, 90, "#", 'a "tip" <i>')]
    first = radar_svg(layout([("<seg>", blips)]), "t<")
    assert first == radar_svg(layout([("<seg>", blips)]), "t<")
    assert "<b>" not in first
    assert "<i>" not in first
    assert "<seg>" not in first
    assert "&lt;b&gt;x&lt;/b&gt;" in first
    assert "&quot;tip&quot;" in first


def test_unrated_tools_are_listed_not_placed(site: Path) -> None:
    page = next(site.glob("radar/feature-store-*.html")).read_text(encoding="utf-8")
    placed, unrated = page.split("<h2>Unrated (not placed)</h2>")
    assert 'data-name="Ghost"' not in placed
    assert ">Ghost</a>" not in placed
    assert ">Ghost</a> (Feature Store): Unrated: its repository was not found" in unrated
    assert 'data-name="Tool 00000"' in placed


def test_every_page_of_a_simulated_site_says_so(synthetic: str, tmp_path: Path) -> None:
    with Store.open(synthetic) as store:
        data = gather(store)
    result = render_site(data, tmp_path, simulated=True)
    pages = [name for name in result.files if name.endswith(".html")]
    assert len(pages) > 40
    for name in pages:
        assert "SIMULATED DATA" in (tmp_path / name).read_text(encoding="utf-8"), name


def test_images_are_written_as_svg_and_png(synthetic: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", "--db", synthetic, "--out", str(tmp_path), "--images"]
    )
    assert result.exit_code == 0, result.output
    images = sorted(p.name for p in (tmp_path / "images").iterdir())
    assert {"licenses.svg", "licenses.png", "attractiveness.svg", "top5.png"} <= set(images)
    assert (tmp_path / "images" / "licenses.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "images" / "licenses.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "<script" not in svg


def test_markdown_and_workflow_formats_say_when_missing_or_work(synthetic: str) -> None:
    result = CliRunner().invoke(main, ["report", "--db", synthetic, "--format", "markdown"])
    # before the Markdown renderer lands this is one clear line, never a traceback
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "report format 'markdown' is not available" in result.output
    result = CliRunner().invoke(
        main, ["report", "--db", synthetic, "--images", "--format", "markdown"]
    )
    assert result.exit_code == 2
    assert "--images applies to --format site only" in result.output


def test_report_format_markdown_writes_the_escaped_list(synthetic: str, tmp_path: Path) -> None:
    import cmarkgfm

    out = tmp_path / "README.md"
    result = CliRunner().invoke(
        main, ["report", "--db", synthetic, "--format", "markdown", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert len(text.encode()) < 512_000
    assert text.startswith("# ")
    html = cmarkgfm.github_flavored_markdown_to_html(
        text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html.lower()


def test_report_format_workflow_takes_one_catalog(tmp_path: Path) -> None:
    out = tmp_path / "radar.yml"
    ok = CliRunner().invoke(
        main, ["report", "--format", "workflow", "--catalog", "list.md", "--out", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert "workflow_dispatch" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["report", "--format", "workflow", "--catalog", "a;rm -rf ~"])
    assert bad.exit_code != 0
    assert "refused" in bad.output
    assert "Traceback" not in bad.output


def test_charts_say_when_health_was_not_collected(site: Path) -> None:
    charts = (site / "charts.html").read_text(encoding="utf-8")
    assert "was not collected for this snapshot" in charts
    assert "chart-health" not in charts


def test_health_is_charted_per_category_when_collected(synthetic: str, tmp_path: Path) -> None:
    import dataclasses

    from mlops_radar.model.health.columns import health_column

    with Store.open(synthetic) as store:
        data = gather(store)
    table = data.table.copy()
    first = table["categories"].iloc[0][0]
    values = [float("nan")] * len(table)
    values[0] = 12.5  # one tool of the first category answers within 12.5 hours
    table[health_column("time_to_first_response_median_h")] = values
    render_site(dataclasses.replace(data, table=table), tmp_path)
    charts = (tmp_path / "charts.html").read_text(encoding="utf-8")
    spec = re.search(r'data-target="chart-health">(.*?)</script>', charts, re.S)
    assert spec is not None
    rows = json.loads(spec.group(1))["data"]["values"]
    assert {"category": first, "metric": "median time to first response (hours)"}.items() <= (
        rows[0].items()
    )
    assert rows[0]["median"] == 12.5
    assert all(r["median"] is not None for r in rows)  # unknown is left out, never 0


def test_tool_pages_say_the_declared_cloud_lock_in(synthetic: str, tmp_path: Path) -> None:
    import dataclasses

    from mlops_radar.advise.lockin import LockIn
    from mlops_radar.app.report import tool_key

    with Store.open(synthetic) as store:
        data = gather(store)
    tools = [t for g in data.by_category.groups for t in g.tools if t.repo]
    tied, free = tools[0], next(t for t in tools if t.repo != tools[0].repo)
    lock_in = {
        tool_key(tied.tool, tied.repo): (
            LockIn(tied.tool, "AWS", "boto3", "hard"),
            LockIn(tied.tool, "Google Cloud", "gcsfs", "extra", extra="gcs"),
        ),
        tool_key(free.tool, free.repo): (),
    }
    render_site(dataclasses.replace(data, lock_in=lock_in), tmp_path)
    pages = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "tool").glob("*.html")}
    tied_page = next(t for t in pages.values() if f"github.com/{tied.repo}<" in t)
    assert "AWS: boto3 (always installed)" in tied_page
    assert "Google Cloud: gcsfs (with the extra gcs)" in tied_page
    free_page = next(t for t in pages.values() if f"github.com/{free.repo}<" in t)
    assert "None declared" in free_page
    others = [t for t in pages.values() if t not in (tied_page, free_page)]
    assert all("Unknown: no packaging manifest" in t for t in others)  # unknown is not "none"


def test_radar_legend_says_what_the_rings_predicted(site: Path) -> None:
    from mlops_radar.report.evidence import evidence_line, load_evidence

    line = evidence_line(load_evidence(None))
    assert line is not None
    page = (site / "radar" / "all.html").read_text(encoding="utf-8")
    assert "Backtest (the weights were not fitted to it): of the tools rated Hold in" in page
