"""The static report site: overview, a radar per stage (and one for all), sortable and filterable
tables per category and per stage, charts, and a page per tool (issue 10).

Self-contained: every page works from `file://` and any static host, with no network at view
time. The chart libraries (Vega, Vega-Lite, Vega-Embed, from the `vl-convert-python` package) are
copied once into `assets/` and shared by every page that draws a chart; our own script and
stylesheet are small and vanilla. Deterministic: the same data gives byte-identical files (no
clock; everything sorted; radar placement has no randomness).

Escaping: every text from outside (names, descriptions, topics, license names, categories) goes
through `html.escape` in text and attributes; JSON inside `<script>` has `<`, `>`, `&` and
U+2028/U+2029 escaped so it cannot end the script; links are written only for http(s) URLs.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mlops_radar.app.report import HistoryPoint, ReportData, tool_key
from mlops_radar.model.health.columns import category_health
from mlops_radar.model.results import Ring, ToolQualification, ToolScore
from mlops_radar.report.evidence import evidence_line, load_evidence
from mlops_radar.report.licenses import change_words, history_rows
from mlops_radar.report.site_assets import SITE_CSS, SITE_JS, chart_bundle
from mlops_radar.report.site_radar import PLACED_RINGS, Blip, layout, radar_svg
from mlops_radar.report.words import extra_kind, gate_words, ring_words, signal_words

__all__ = ["SIMULATED_NOTE", "SiteResult", "render_site", "safe_url", "script_json", "slug"]

SIMULATED_NOTE = (
    "SIMULATED DATA: these tools, repositories and numbers are synthetic, served by mlops-radar's "
    "GitHub simulator. Nothing here describes a real project."
)
RING_ORDER = {Ring.ADOPT: 0, Ring.TRIAL: 1, Ring.ASSESS: 2, Ring.HOLD: 3, Ring.UNRATED: 4}
_MARKS = {"new": "new", "in": "moved in", "out": "moved out"}


@dataclass(frozen=True, slots=True)
class SiteResult:
    """What `render_site` wrote."""

    out: Path
    files: tuple[str, ...]  # relative paths, sorted
    bytes: int
    images: tuple[str, ...] = ()


def slug(text: str) -> str:
    """A file name for `text`: readable, ASCII, unique (a short hash of the text is appended)."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "x"
    return f"{base}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def safe_url(value: object) -> str | None:
    """`value` when it is an http(s) URL with a host, else None (no javascript:, data:, ...)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in text for c in "\"'<>` \t\r\n") or any(ord(c) < 32 for c in text):
        return None
    return text


def script_json(payload: object) -> str:
    """`payload` as JSON safe inside a `<script>` element: sorted keys, and `<`, `>`, `&`,
    U+2028 and U+2029 written as escapes, so no `</script>` or `<!--` can end or change it."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, code)
    return text


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return f"{value:,.{digits}f}"


def _cell(value: float | int | None, digits: int = 0, shown: str | None = None) -> str:
    known = value is not None and not (isinstance(value, float) and math.isnan(value))
    key = f"{value:.6g}" if known else ""
    return f'<td class="n" data-v="{key}">{_e(shown) if shown else _num(value, digits)}</td>'


@dataclass
class _Tool:
    key: str
    slug: str
    row: int
    facts: Mapping[str, Any]
    qualification: ToolQualification
    categories: list[ToolScore]
    stages: list[ToolScore]


class _Site:
    def __init__(self, data: ReportData, simulated: bool) -> None:
        self.data = data
        self.simulated = simulated
        self.files: dict[str, str] = {}
        self.tools: dict[str, _Tool] = {}
        records = data.table.to_dict("records")
        for i, (facts, q) in enumerate(zip(records, data.qualification.tools, strict=True)):
            key = tool_key(q.name, q.repo)
            if key in self.tools:
                key = f"{key}#{q.name.lower()}"
            self.tools.setdefault(
                key, _Tool(key, slug(key), i, {str(k): v for k, v in facts.items()}, q, [], [])
            )
        for group in data.by_category.groups:
            for t in group.tools:
                found = self.tools.get(tool_key(t.tool, t.repo))
                if found is not None:
                    found.categories.append(t)
        for group in data.by_stage.groups:
            for t in group.tools:
                found = self.tools.get(tool_key(t.tool, t.repo))
                if found is not None:
                    found.stages.append(t)
        self.stage_categories: dict[str, set[str]] = {}
        for facts in records:
            for stage in facts.get("stages") or ():
                self.stage_categories.setdefault(str(stage), set()).update(
                    str(c) for c in facts.get("categories") or ()
                )
        self.charts_used = False

    # ---- helpers -------------------------------------------------------------------------
    def page(self, path: str, title: str, body: str, *, charts: bool = False) -> None:
        root = "../" * path.count("/")
        info = self.data.info
        note = (
            f'<p class="simulated" role="note">{_e(SIMULATED_NOTE)}</p>' if self.simulated else ""
        )
        footnote = f" {_e(SIMULATED_NOTE)}" if self.simulated else ""
        scripts = f'<script src="{root}assets/vega.js"></script>' if charts else ""
        self.charts_used = self.charts_used or charts
        self.files[path] = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)} - mlops-radar</title>"
            f'<link rel="stylesheet" href="{root}assets/site.css"></head><body>'
            f'<header><nav><a href="{root}index.html">Overview</a>'
            f'<a href="{root}radar/all.html">Radar of all stages</a>'
            f'<a href="{root}charts.html">Charts</a><a href="{root}tables.html">Tables</a></nav>'
            f"{note}</header><main><h1>{_e(title)}</h1>\n{body}\n</main>"
            f'<footer class="muted">mlops-radar report of snapshot {info.id} '
            f"({info.snapshot_date}), policy {_e(self.data.policy)}.{footnote}"
            f'</footer><div id="tip" role="tooltip" hidden></div>'
            f'{scripts}<script src="{root}assets/site.js"></script></body></html>\n'
        )

    def tool_href(self, t: ToolScore | ToolQualification, root: str) -> str:
        name = t.tool if isinstance(t, ToolScore) else t.name
        found = self.tools.get(tool_key(name, t.repo))
        return f"{root}tool/{found.slug}.html" if found else "#"

    def mark(self, t: ToolScore, group: str, stage: bool) -> str | None:
        if self.data.since is None:
            return None
        key = tool_key(t.tool, t.repo)
        if key not in self.data.keys_then:
            return "new"
        then = (self.data.stage_rings_then if stage else self.data.rings_then).get((key, group))
        if then is None or Ring.UNRATED in (then, t.ring):
            return None
        if RING_ORDER[t.ring] < RING_ORDER[then]:
            return "in"
        if RING_ORDER[t.ring] > RING_ORDER[then]:
            return "out"
        return None

    @staticmethod
    def tip(t: ToolScore) -> str:
        lines = [ring_words(t.explanation.ring)]
        if t.explanation.helps:
            lines.append("Helps: " + "; ".join(signal_words(s) for s in t.explanation.helps[:2]))
        if t.explanation.hurts:
            lines.append("Hurts: " + "; ".join(signal_words(s) for s in t.explanation.hurts[:2]))
        return "\n".join(lines)

    def chart(self, name: str, spec: Mapping[str, Any], caption: str) -> str:
        full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec}
        self.specs[name] = full
        target = f"chart-{name}"
        return (
            f'<figure class="chart"><div id="{target}"></div>'
            f'<script type="application/json" class="chart-spec" data-target="{target}">'
            f"{script_json(full)}</script><figcaption>{_e(caption)}</figcaption></figure>"
        )

    specs: dict[str, Any]

    # ---- pages ---------------------------------------------------------------------------
    def overview(self) -> None:
        d, info = self.data, self.data.info
        summary = d.qualification.summary
        sources = ", ".join(_e(s) for s in info.sources) or "unknown"
        catalog = _e(info.catalog_source or "unknown")
        parts = [
            f"<p>Snapshot {info.id} of {info.snapshot_date} (taken {info.taken_at.date()}, "
            f"{_e(info.origin)}): facts as of {info.snapshot_date} from {sources}; "
            f"catalog {catalog}.</p>",
            f"<p>{len(self.tools):,} tools, {info.repo_count or 0:,} repositories, "
            f"{len(d.by_category.groups)} categories, {len(d.by_stage.groups)} stages. "
            f"Policy {_e(d.policy)}: {summary.get('qualified', 0):,} qualified, "
            f"{summary.get('needs_review', 0):,} need review, "
            f"{summary.get('eliminated', 0):,} eliminated.</p>",
        ]
        if d.by_category.not_collected:
            parts.append(
                "<p>Not collected by this snapshot's sources (left out for every tool, not "
                f"counted as 0): {_e(', '.join(d.by_category.not_collected))}.</p>"
            )
        gates: dict[str, Counter[str]] = {}
        for q in d.qualification.tools:
            for name, g in q.gates.items():
                gates.setdefault(name, Counter())[
                    g.outcome.value if g.applied else "not applied"
                ] += 1
        parts.append("<h2>Gates</h2><table><thead><tr><th>gate</th><th>pass</th><th>fail</th>"
                     "<th>unknown</th><th>not applied</th></tr></thead><tbody>")  # fmt: skip
        for name in sorted(gates):
            c = gates[name]
            parts.append(
                f"<tr><td>{_e(name)}</td>"
                + "".join(
                    f'<td class="n">{c.get(k, 0):,}</td>'
                    for k in ("pass", "fail", "unknown", "not applied")
                )
                + "</tr>"
            )
        parts.append("</tbody></table><h2>Rings per stage</h2><table><thead><tr><th>stage</th>")
        parts.append("".join(f"<th>{r.value}</th>" for r in Ring) + "<th></th></tr></thead><tbody>")
        for group in d.by_stage.groups:
            counts = Counter(t.ring for t in group.tools)
            s = slug(group.name)
            parts.append(
                f'<tr><td><a href="radar/{s}.html">{_e(group.name)}</a></td>'
                + "".join(f'<td class="n">{counts.get(r, 0):,}</td>' for r in Ring)
                + f'<td><a href="stage/{s}.html">table</a></td></tr>'
            )
        parts.append("</tbody></table>")
        parts.append(self.changes_html())
        self.page("index.html", "MLOps tools: overview", "\n".join(parts))

    def changes_html(self) -> str:
        d = self.data
        if d.since is None or d.changes is None:
            return "<h2>Changes</h2><p>No earlier snapshot to compare with.</p>"
        c = d.changes
        moved: dict[str, list[tuple[str, str, Ring, Ring]]] = {"in": [], "out": []}
        for group in d.by_category.groups:
            for t in group.tools:
                m = self.mark(t, group.name, stage=False)
                if m in moved:
                    then = d.rings_then[(tool_key(t.tool, t.repo), group.name)]
                    moved[m].append((t.tool, group.name, then, t.ring))

        def refs(items: Iterable[Any]) -> str:
            listed = sorted(
                {(str(i.tool), i.repo or "") for i in items}, key=lambda x: x[0].lower()
            )
            if not listed:
                return "none"
            return ", ".join(_e(name) for name, _ in listed)

        def arrows(items: Iterable[tuple[str, str, Ring, Ring]]) -> str:
            shown = [f"{_e(n)} ({_e(g)}: {a.value} &rarr; {b.value})" for n, g, a, b in items]
            return ", ".join(shown) or "none"

        licenses = ", ".join(
            f"{_e(x.tool)} ({_e(x.old)} &rarr; {_e(x.new)})" for x in c.license_changed
        )
        renamed = ", ".join(f"{_e(x.old)} &rarr; {_e(x.new)}" for x in c.renamed)
        if c.resolved_license_changed is None:
            resolved = "not judged (no SPDX list data)"
        else:
            resolved = (
                ", ".join(
                    f"{_e(x.tool)} ({_e(change_words(x))})" for x in c.resolved_license_changed
                )
                or "none"
            )
        stars = ", ".join(f"{_e(g.tool)} (+{g.gain:,})" for g in c.star_gains)
        rows = [
            ("new", refs(c.added)),
            ("gone", refs(c.removed)),
            ("moved in (a better ring)", arrows(sorted(moved["in"]))),
            ("moved out (a worse ring)", arrows(sorted(moved["out"]))),
            ("license changed (as GitHub reports it)", licenses or "none"),
            ("resolved license changed", resolved),
            ("archived changed", refs(c.archived_changed)),
            ("renamed", renamed or "none"),
            ("became inactive", refs(c.became_inactive)),
            ("active again", refs(c.active_again)),
            ("most new stars", stars or "none"),
        ]
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return (
            f"<h2>Changes since snapshot {d.since.id} ({d.since.snapshot_date})</h2>"
            f'<table class="changes"><tbody>{body}</tbody></table>'
        )

    def radar_page(
        self,
        path: str,
        title: str,
        segments: Sequence[tuple[str, Sequence[ToolScore]]],
        stage: bool,
        stage_name: str | None = None,
    ) -> None:
        root = "../"
        number = 0
        blips: list[tuple[str, list[Blip]]] = []
        unrated: list[tuple[str, ToolScore]] = []
        for name, tools in segments:
            mine = []
            for t in sorted(tools, key=lambda t: (RING_ORDER[t.ring], -t.score, t.tool.lower())):
                if t.ring not in PLACED_RINGS:
                    unrated.append((name, t))
                    continue
                number += 1
                mine.append(
                    Blip(number, tool_key(t.tool, t.repo), t.tool, name, t.ring, t.score,
                         self.tool_href(t, root), self.tip(t), self.mark(t, name, stage))
                )  # fmt: skip
            blips.append((name, mine))
        radar = layout(blips)
        legend = []
        for name, mine in blips:
            if not mine:
                continue
            legend.append(f"<h3>{_e(name)}</h3><ol>")
            for b in mine:
                mark = f' <span class="mark">{_MARKS[b.mark]}</span>' if b.mark else ""
                legend.append(
                    f'<li value="{b.number}" data-blip="{b.number}"><a href="{_e(b.href)}">'
                    f"{_e(b.name)}</a> {b.ring.value} {b.score:.0f}{mark}</li>"
                )
            legend.append("</ol>")
        rest = "".join(
            f'<li><a href="{_e(self.tool_href(t, root))}">{_e(t.tool)}</a> ({_e(g)}): '
            f"{_e(ring_words(t.explanation.ring))}</li>"
            for g, t in unrated
        )
        tables = ", ".join(
            f'<a href="{root}{"stage" if stage else "category"}/{slug(name)}.html">{_e(name)}</a>'
            for name, _ in segments
        )
        if stage_name is not None:
            stage_link = f'<a href="{root}stage/{slug(stage_name)}.html">the stage</a>'
            tables = f"{stage_link}, {tables}" if tables else stage_link
        body = (
            f'<p class="tables">Tables: {tables or "none"}.</p>'
            "<p>Rings from the centre: Adopt, Trial, Assess, Hold. Within its ring a tool's "
            "distance from the centre follows its score (best innermost); segments are the "
            + ("stages" if path == "radar/all.html" else "stage's categories")
            + ". Marks since the earlier snapshot: a halo is new, an arrow points where a tool "
            "moved (in: a better ring, out: a worse one). Hover or focus a blip for its reason.</p>"
            + self.evidence_html()
            + f'<div class="radar-wrap">{radar_svg(radar, title)}'
            f'<nav class="legend" aria-label="Legend">{"".join(legend)}</nav></div>'
            f"<h2>Unrated (not placed)</h2><ul>{rest or '<li>none</li>'}</ul>"
        )
        self.page(path, title, body)

    def radars(self) -> None:
        categories = {g.name: g.tools for g in self.data.by_category.groups}
        stage_groups = [(g.name, g.tools) for g in self.data.by_stage.groups]
        self.radar_page("radar/all.html", "Radar of all stages", stage_groups, stage=True)
        for group in self.data.by_stage.groups:
            cats = sorted(self.stage_categories.get(group.name, set()) & set(categories))
            segments = [(c, categories[c]) for c in cats]
            self.radar_page(
                f"radar/{slug(group.name)}.html", f"Radar: {group.name}", segments,
                stage=False, stage_name=group.name,
            )  # fmt: skip

    def table(self, tools: Sequence[ToolScore], ident: str, with_category: bool) -> str:
        root = "../"
        heads = [("#", "number"), ("tool", "text"), ("ring", "text"), ("tier", "number"),
                 ("score", "number"), ("completeness", "number"), ("stars", "number"),
                 ("forks", "number"), ("watchers", "number"), ("last commit", "text"),
                 ("license", "text"), ("issue closure", "number")]  # fmt: skip
        if with_category:
            heads.insert(2, ("categories", "text"))
        head = "".join(
            f'<th data-type="{kind}" scope="col"><button type="button">{name}</button></th>'
            for name, kind in heads
        )
        rows = []
        for t in tools:
            found = self.tools.get(tool_key(t.tool, t.repo))
            q = found.qualification if found else None
            counts = q.counts if q else {}
            opened, closed = counts.get("open_issues"), counts.get("closed_issues")
            closure = (
                closed / (opened + closed)
                if opened is not None and closed is not None and opened + closed
                else None
            )
            repo = (
                f' <a class="repo" href="https://github.com/{_e(t.repo)}">{_e(t.repo)}</a>'
                if t.repo and re.fullmatch(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+", t.repo)
                else ""
            )
            last = q.last_commit.date().isoformat() if q and q.last_commit is not None else ""
            cells = [
                f'<td class="n" data-v="{t.rank}">{t.rank}</td>',
                f'<td><a href="{_e(self.tool_href(t, root))}">{_e(t.tool)}</a>{repo}</td>',
            ]
            if with_category:
                cells.append(f"<td>{_e(', '.join(q.categories) if q else '')}</td>")
            cells += [
                f'<td data-v="{RING_ORDER[t.ring]}">{t.ring.value}</td>',
                _cell(t.tier), _cell(t.score),
                _cell(t.completeness * 100, 0, f"{t.completeness:.0%}"),
                _cell(counts.get("stars")), _cell(counts.get("forks")),
                _cell(counts.get("watchers")), f"<td>{last or 'unknown'}</td>",
                f"<td>{_e(q.license if q and q.license else 'unknown')}</td>",
                _cell(None if closure is None else closure * 100, 0,
                      None if closure is None else f"{closure:.0%}"),
            ]  # fmt: skip
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f'<p><label>Filter: <input class="filter" type="search" data-table="{ident}" '
            f'data-count="{ident}-count"></label> <span id="{ident}-count">{len(tools)}</span> '
            f"of {len(tools)} tools shown.</p>"
            f'<table class="sortable" id="{ident}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def tables(self) -> None:
        index = ["<h2>Stages</h2><ul>"]
        for group in self.data.by_stage.groups:
            s = slug(group.name)
            index.append(f'<li><a href="stage/{s}.html">{_e(group.name)}</a> ({group.total})</li>')
            cats = sorted(self.stage_categories.get(group.name, set()))
            links = ", ".join(f'<a href="../category/{slug(c)}.html">{_e(c)}</a>' for c in cats)
            self.page(
                f"stage/{s}.html", f"Stage: {group.name}",
                f'<p><a href="../radar/{s}.html">Radar of this stage</a>. Categories: {links}.</p>'
                + self.table(group.tools, "tools", with_category=True),
            )  # fmt: skip
        index.append("</ul><h2>Categories</h2><ul>")
        for group in self.data.by_category.groups:
            s = slug(group.name)
            index.append(
                f'<li><a href="category/{s}.html">{_e(group.name)}</a> ({group.total})</li>'
            )
            self.page(f"category/{s}.html", f"Category: {group.name}",
                      self.table(group.tools, "tools", with_category=False))  # fmt: skip
        index.append("</ul>")
        self.page("tables.html", "Tables per stage and category", "".join(index))

    def charts(self) -> None:
        d = self.data
        parts = []
        if d.licenses is not None:
            values = [
                {"view": "as GitHub reports it", "license": s.license, "count": s.count}
                for s in d.licenses.reported[:15]
            ]
            values += [{"view": "as resolved", "license": s.license, "count": s.count}
                       for s in d.licenses.resolved[:15]]  # fmt: skip
            parts.append(self.chart("licenses", {
                "data": {"values": values},
                "facet": {"column": {"field": "view", "type": "nominal", "title": None,
                                     "sort": ["as GitHub reports it", "as resolved"]}},
                "spec": {"mark": "bar", "width": 260, "encoding": {
                    "y": {"field": "license", "type": "nominal", "sort": "-x", "title": None},
                    "x": {"field": "count", "type": "quantitative", "title": "repositories"}}},
                "resolve": {"scale": {"y": "independent"}},
            }, "The most used licenses, as GitHub reports them and as resolved (reviews, "
               "detection), side by side."))  # fmt: skip
        by_row = {tool_key(q.name, q.repo): q for q in d.qualification.tools}
        points: list[dict[str, Any]] = []
        for group in d.by_category.groups:
            for t in group.tools:
                q = by_row.get(tool_key(t.tool, t.repo))
                a = q.attractiveness if q else None
                known = None if a is None or a <= 0 else round(a, 4)
                points.append({"category": group.name, "tool": t.tool,
                               "score": round(t.score, 2), "attractiveness": known})  # fmt: skip
        parts.append(self.chart("attractiveness", {
            "data": {"values": [p for p in points if p["attractiveness"] is not None]},
            "mark": {"type": "tick"}, "width": 520,
            "encoding": {
                "y": {"field": "category", "type": "nominal", "title": None},
                "x": {"field": "attractiveness", "type": "quantitative",
                      "scale": {"type": "log"}, "title": "attractiveness (log scale)"},
                "tooltip": [{"field": "tool"}, {"field": "attractiveness"}]},
        }, "The study's attractiveness per category, on a log scale: how far categories differ "
           "(the reason tools are compared only within their category)."))  # fmt: skip
        parts.append(self.chart("maturity", {
            "data": {"values": [p for p in points if p["score"] > 0]},
            "mark": {"type": "tick"}, "width": 520,
            "encoding": {
                "y": {"field": "category", "type": "nominal", "title": None},
                "x": {"field": "score", "type": "quantitative", "scale": {"type": "log"},
                      "title": "maturity score (log scale)"},
                "tooltip": [{"field": "tool"}, {"field": "score"}]},
        }, "Maturity scores per category, on a log scale."))  # fmt: skip
        top = [
            {"category": g.name, "tool": f"{t.rank}. {t.tool}", "score": round(t.score, 2),
             "ring": t.ring.value}
            for g in d.by_category.groups for t in g.tools[:5]
        ]  # fmt: skip
        parts.append(self.chart("top5", {
            "data": {"values": top},
            "facet": {"row": {"field": "category", "type": "nominal", "title": None,
                              "header": {"labelAngle": 0, "labelAlign": "left"}}},
            "spec": {"mark": "bar", "width": 300, "encoding": {
                "y": {"field": "tool", "type": "nominal", "title": None, "sort": None},
                "x": {"field": "score", "type": "quantitative", "scale": {"domain": [0, 100]}},
                "color": {"field": "ring", "type": "nominal",
                          "scale": {"domain": [r.value for r in PLACED_RINGS] + ["Unrated"]}}}},
            "resolve": {"scale": {"y": "independent"}},
        }, "The five leading tools of each category by maturity score."))  # fmt: skip
        parts.append(self.health_chart())
        chosen = self._trend_tools()
        trend = [
            {"tool": name, "date": p.snapshot_date.isoformat(), "stars": p.stars,
             "commits": p.commits}
            for key, name in chosen for p in d.history.get(key, ())
        ]  # fmt: skip
        if len({p["date"] for p in trend}) > 1:
            for field in ("stars", "commits"):
                caption = f"{field.capitalize()} across snapshots: the ten most starred tools."
                parts.append(self.chart(f"trend-{field}", {
                    "data": {"values": [p for p in trend if p[field] is not None]},
                    "mark": {"type": "line", "point": True}, "width": 520,
                    "encoding": {"x": {"field": "date", "type": "temporal"},
                                 "y": {"field": field, "type": "quantitative"},
                                 "color": {"field": "tool", "type": "nominal"}},
                }, caption))  # fmt: skip
        else:
            parts.append("<p>Trends need two snapshots or more; this store has one.</p>")
        self.page("charts.html", "Charts", "\n".join(parts), charts=True)

    def health_chart(self) -> str:
        """Community health per category (issue 13): the median of each CHAOSS metric over the
        category's tools with it known; said in words when the snapshot did not collect it."""
        shown = {
            "time_to_first_response_median_h": "median time to first response (hours)",
            "time_to_close_median_h": "median time to close (hours)",
            "commits_90d": "commits in 90 days",
            "contributor_absence_factor": "contributor absence factor",
        }
        per_category = category_health(self.data.table, tuple(shown))
        values = [
            {"category": category, "metric": label, "median": round(h.median, 2),
             "tools with it known": f"{h.n} of {h.tools}"}
            for category, metrics in sorted(per_category.items())
            for key, label in shown.items()
            if (h := metrics[key]).median is not None
        ]  # fmt: skip
        if not values:
            return (
                "<p>Community health (time to first response, time to close, commits, "
                "contributor absence) was not collected for this snapshot: "
                "<code>mlops-radar collect --depth full</code> collects it.</p>"
            )
        return self.chart("health", {
            "data": {"values": values},
            "facet": {"column": {"field": "metric", "type": "nominal", "title": None,
                                 "sort": list(shown.values())}},
            "spec": {"mark": "bar", "width": 180, "encoding": {
                "y": {"field": "category", "type": "nominal", "title": None},
                "x": {"field": "median", "type": "quantitative", "title": "median"},
                "tooltip": [{"field": "category"}, {"field": "median"},
                            {"field": "tools with it known"}]}},
            "resolve": {"scale": {"x": "independent"}},
        }, "Community health per category: the median over the tools with each metric "
           "known (CHAOSS definitions, docs/health.md); unknown values are left out, "
           "never 0.")  # fmt: skip

    def _trend_tools(self) -> list[tuple[str, str]]:
        ranked = sorted(
            ((t.qualification.counts.get("stars") or -1, t.qualification.name, k)
             for k, t in self.tools.items()),
            key=lambda x: (-x[0], x[1].lower(), x[2]),
        )  # fmt: skip
        return [(k, name) for stars, name, k in ranked[:10] if stars >= 0]

    def tool_page(self, tool: _Tool) -> None:
        q, facts, info = tool.qualification, tool.facts, self.data.info
        root = "../"
        links = []
        if q.repo and re.fullmatch(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+", q.repo):
            links.append(f'<a href="https://github.com/{_e(q.repo)}">github.com/{_e(q.repo)}</a>')
        for field in ("homepage", "url"):
            given = facts.get(field)
            url = safe_url(given)
            if url and f"https://github.com/{q.repo}" != url:
                links.append(f'<a href="{_e(url)}" rel="nofollow">{_e(url)}</a>')
            elif url is None and isinstance(given, str) and given.strip():
                links.append(f"{field} {_e(given)} (not linked: not an http(s) address)")
        description = facts.get("description")
        topics = facts.get("topics")
        parts = [
            f'<p class="description">{_e(description)}</p>' if isinstance(description, str) else "",
            f"<p>Links: {' | '.join(links) or 'none'}</p>",
            "<p>Categories: " + ", ".join(
                f'<a href="{root}category/{slug(c)}.html">{_e(c)}</a>' for c in q.categories
            ) + "</p>",
        ]  # fmt: skip
        if isinstance(topics, list | tuple) and topics:
            parts.append(f"<p>Topics: {_e(', '.join(str(t) for t in topics))}</p>")
        rows = [("status under policy " + self.data.policy, q.status.value)]
        for name, value in sorted(q.counts.items()):
            rows.append((name.replace("_", " "), _num(value)))
        rows.append(
            (
                "last commit",
                q.last_commit.date().isoformat() if q.last_commit is not None else "unknown",
            )
        )
        rows.append(
            ("archived", "unknown" if q.archived is None else "yes" if q.archived else "no")
        )
        rows.append(("license (resolved)", q.license or "unknown"))
        rows.append(("license (GitHub)", str(facts.get("license_name") or "unknown")))
        rows.append(("attractiveness (the study's)", _num(q.attractiveness, 3)))
        for field in ("primary_language", "latest_release_tag"):
            value = facts.get(field)
            if isinstance(value, str) and value:
                rows.append((field.replace("_", " "), value))
        parts.append(f"<h2>Facts as of {info.snapshot_date}</h2><table><tbody>")
        parts.append("".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows))
        parts.append("</tbody></table><h2>Gates</h2><ul>")
        for name, g in sorted(q.gates.items()):
            applied = "" if g.applied else " (not applied under this policy)"
            parts.append(
                f"<li>{_e(name)}: {g.outcome.value}{applied}: {_e(gate_words(g.reason))}</li>"
            )
        parts.append("</ul>")
        for t in tool.categories + tool.stages:
            kind = "category" if t in tool.categories else "stage"
            dims = "".join(
                f"<tr><th>{_e(k)}</th><td>{_num(None if v is None else v * 100)}</td></tr>"
                for k, v in sorted(t.dimensions.items())
            )
            helps = "".join(f"<li>helps: {_e(signal_words(s))}</li>" for s in t.explanation.helps)
            hurts = "".join(f"<li>hurts: {_e(signal_words(s))}</li>" for s in t.explanation.hurts)
            parts.append(
                f"<h2>In {kind} {_e(t.group)}: {t.ring.value}, score {t.score:.0f}</h2>"
                f"<p>Rank {t.rank}, tier {t.tier}, {t.completeness:.0%} of the weight known. "
                f"{_e(ring_words(t.explanation.ring))}</p>"
                f"<table><thead><tr><th>dimension</th><th>score (0-100)</th></tr></thead>"
                f"<tbody>{dims}</tbody></table><ul>{helps}{hurts}</ul>"
            )
        parts.append(self.lock_in_html(tool))
        history = self.data.history.get(tool.key, ())
        parts.append(self.history_html(tool, history))
        if self.data.since is not None:
            then = "listed" if tool.key in self.data.keys_then else "not listed (new)"
            parts.append(
                f"<p>In snapshot {self.data.since.id} ({self.data.since.snapshot_date}): "
                f"{then}.</p>"
            )
        charts = sum(1 for p in history if p.stars is not None) > 1
        self.page(f"tool/{tool.slug}.html", q.name, "\n".join(parts), charts=charts)

    def evidence_html(self) -> str:
        """What the rings predicted in the backtest behind the shipped weights (issue 15)."""
        line = evidence_line(load_evidence(None))
        return f'<p class="evidence">{_e(line)}</p>' if line else ""

    def lock_in_html(self, tool: _Tool) -> str:
        """The cloud SDKs the tool's manifests declare (issue 12: lock-in in the report)."""
        ties = self.data.lock_in.get(tool.key)
        if ties is None:
            return (
                "<h2>Cloud lock-in</h2><p>Unknown: no packaging manifest of this repository in "
                "this snapshot declares requirements.</p>"
            )
        if not ties:
            return "<h2>Cloud lock-in</h2><p>None declared: no cloud SDK in its manifests.</p>"
        items = "".join(
            f"<li>{_e(t.cloud)}: {_e(t.package)} "
            + (f"(with the {extra_kind(t)} {_e(t.extra)})" if t.extra else "(always installed)")
            + "</li>"
            for t in ties
        )
        return f"<h2>Cloud lock-in</h2><p>Declared in its manifests:</p><ul>{items}</ul>"

    def license_history_html(self, tool: _Tool) -> str:
        """The resolved license's periods and changes, in `show TOOL`'s words."""
        history = self.data.license_histories.get(tool.key)
        if history is None or not history.periods:
            return "<p>License history (resolved): unknown.</p>"
        items = "".join(
            f"<li>{_e(when)}: {_e(what)}</li>" for when, what in history_rows(history).items()
        )
        return f'<p>License history (resolved):</p><ul class="license-history">{items}</ul>'

    def history_html(self, tool: _Tool, history: Sequence[HistoryPoint]) -> str:
        if not history:
            return "<h2>History</h2><p>No history.</p>"
        rows = "".join(
            f"<tr><td>{p.snapshot_date}</td>{_cell(p.stars)}{_cell(p.commits)}"
            f"<td>{_e(p.license or 'unknown')}</td></tr>"
            for p in history
        )
        out = (
            f"<h2>History ({len(history)} snapshots)</h2><table><thead><tr><th>snapshot</th>"
            f"<th>stars</th><th>commits</th><th>license (as GitHub reports it)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{self.license_history_html(tool)}"
        )
        if sum(1 for p in history if p.stars is not None) > 1:
            values = [{"date": p.snapshot_date.isoformat(), "count": v, "series": s}
                      for p in history for s, v in (("stars", p.stars), ("commits", p.commits))
                      if v is not None]  # fmt: skip
            out += self.chart("history", {
                "data": {"values": values}, "mark": {"type": "line", "point": True}, "width": 420,
                "encoding": {"x": {"field": "date", "type": "temporal"},
                             "y": {"field": "count", "type": "quantitative"},
                             "color": {"field": "series", "type": "nominal"}},
            }, "Stars and commits across snapshots.")  # fmt: skip
            self.specs.pop("history", None)  # per-tool charts are not exported as images
        return out

    def build(self) -> dict[str, str]:
        self.specs = {}
        self.overview()
        self.radars()
        self.tables()
        self.charts()
        self.chart_specs = dict(self.specs)
        for tool in sorted(self.tools.values(), key=lambda t: t.slug):
            self.tool_page(tool)
        self.files["assets/site.css"] = SITE_CSS
        self.files["assets/site.js"] = SITE_JS
        if self.charts_used:
            self.files["assets/vega.js"] = chart_bundle()
        return self.files

    chart_specs: dict[str, Any]


def render_site(
    data: ReportData, out: Path, *, simulated: bool = False, images: bool = False
) -> SiteResult:
    """Write the site for `data` into `out` (created; files of earlier runs are overwritten).
    `images`: also every chart of the charts page as SVG and PNG in `out/images`."""
    site = _Site(data, simulated)
    files = site.build()
    written = 0
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = files[rel].encode("utf-8")
        path.write_bytes(payload)
        written += len(payload)
    made: list[str] = []
    if images:
        import vl_convert

        (out / "images").mkdir(parents=True, exist_ok=True)
        for name, spec in sorted(site.chart_specs.items()):
            svg = str(vl_convert.vegalite_to_svg(spec))
            png = bytes(vl_convert.vegalite_to_png(spec, scale=2))
            (out / "images" / f"{name}.svg").write_text(svg, encoding="utf-8")
            (out / "images" / f"{name}.png").write_bytes(png)
            made += [f"images/{name}.svg", f"images/{name}.png"]
            written += len(svg.encode("utf-8")) + len(png)
    return SiteResult(out, tuple(sorted(files)), written, tuple(made))
