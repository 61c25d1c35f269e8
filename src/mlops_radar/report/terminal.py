"""The terminal renderer: rich tables for qualify, rank, compare, show and changes.

Every piece of outside text (tool names, categories, reasons built from facts) is escaped before it
reaches rich, so a tool called "[bold]x" prints as written instead of being read as markup. Words
come from `report/words.py`, the same as in JSON.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.markup import escape as _escape_markup

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from mlops_radar.model.results import ToolQualification, ToolScore, Trend
    from mlops_radar.report.base import Context

__all__ = [
    "TERMINAL_TOP",
    "TerminalRenderer",
    "compare_table",
    "fmt",
    "make_console",
    "printable",
    "qualify_table",
    "ranking_table",
    "safe",
    "show_table",
]

#: Tools shown per group by `rank` in a terminal unless --top or --all says otherwise.
TERMINAL_TOP = 10
RING_ORDER = ("Adopt", "Trial", "Assess", "Hold", "Unrated")


def printable(text: str) -> str:
    """Untrusted text made harmless for a terminal: control characters (escape sequences that
    could clear the screen, retitle the window or fake output) become U+FFFD."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in text)


def safe(text: str) -> str:
    """Untrusted text for rich markup: printable, with rich's markup escaped."""
    return _escape_markup(printable(text))


_STATUS_STYLE = {"qualified": "green", "needs_review": "yellow", "eliminated": "red"}
_RING_STYLE = {
    "Adopt": "green", "Trial": "cyan", "Assess": "yellow", "Hold": "red", "Unrated": "dim",
}  # fmt: skip


def fmt(value: Any, digits: int = 0) -> str:
    """A number or text for a cell: '-' for unknown, thousands separators for counts."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,.{digits}f}"
    return safe(str(value))


def _styled(text: str, styles: Mapping[str, str]) -> str:
    style = styles.get(text)
    return f"[{style}]{safe(text)}[/]" if style else safe(text)


def make_console(*, stderr: bool = False) -> Console:
    """A rich console; when output is not a terminal (a pipe, a CI log, a notebook cell) tables get
    160 columns instead of rich's 80, unless COLUMNS says otherwise."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() or os.environ.get("COLUMNS") else 160
    return Console(stderr=stderr, width=width)


def _table(**options: Any) -> Table:
    from rich.table import Table

    return Table(**options)


def qualify_table(tools: Iterable[ToolQualification], title: str) -> Table:
    """One line per tool: status, gate outcomes, Quadro 1 qualifiers and the study's measures."""
    table = _table(title=safe(title))
    right = {"stars", "forks", "watchers", "commits", "attractiveness", "study rank"}
    from mlops_radar.report.words import gate_words

    for name in ("tool", "category", "status", "license", "activity", "archived", "stars",
                 "forks", "watchers", "commits", "attractiveness", "study rank",
                 "why not qualified"):  # fmt: skip
        table.add_column(name, justify="right" if name in right else "left")
    for tool in tools:
        gates = tool.gates
        why = "; ".join(
            gate_words(g.reason) for g in gates.values() if g.applied and g.outcome.value != "pass"
        )
        table.add_row(
            safe(tool.name),
            safe(", ".join(tool.categories)),
            _styled(tool.status.value, _STATUS_STYLE),
            *(
                safe(gates[g].outcome.value + ("" if gates[g].applied else " (n/a)"))
                for g in ("license", "activity", "archived")
            ),
            fmt(tool.counts["stars"]),
            fmt(tool.counts["forks"]),
            fmt(tool.counts["watchers"]),
            fmt(tool.counts["total_commits"]),
            fmt(tool.attractiveness, 1),
            fmt(tool.study_rank, 1),
            safe(why),
        )
    return table


def ranking_table(group: str, tools: Sequence[ToolScore], by: str) -> Table:
    """One group's ranking with ring, score, completeness and the explanation."""
    from mlops_radar.report.words import ring_words, signal_words

    table = _table(title=safe(group), show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("tool")
    table.add_column("ring")
    table.add_column(by, justify="right")
    table.add_column("complete", justify="right")
    table.add_column("why")
    tier = tools[0].tier if tools else 1
    for tool in tools:
        if tool.tier != tier:  # the boundary between tiers (review / failed gate, unrated)
            table.add_section()
            tier = tool.tier
        why = tool.explanation
        text = "\n".join(
            [f"[green]+[/] {safe(signal_words(h))}" for h in why.helps]
            + [f"[red]-[/] {safe(signal_words(h))}" for h in why.hurts]
            + _quiet_lines(why)
            + [f"[dim]{safe(ring_words(why.ring))}[/]"]
        )
        table.add_row(
            str(tool.rank),
            safe(tool.tool),
            _styled(tool.ring.value, _RING_STYLE),
            fmt(tool.value, 1),
            f"{tool.completeness:.0%}",
            text,
        )
    return table


def _quiet_lines(why: Any) -> list[str]:
    """ "Quiet but maintained" under a tool's reasons, when its health data says so."""
    from mlops_radar.report.words import quiet_words

    return [] if why.quiet is None else [f"[green]~[/] {safe(quiet_words(why.quiet))}"]


def health_section(report: Any) -> dict[str, str] | None:
    """`show TOOL`'s "community health" items, each with its as-of date (None: the snapshot did
    not collect the health group)."""
    from mlops_radar.report.words import HEALTH_LABELS, health_words

    if not report.health_collected:
        return None
    found = report.health
    if found is None:
        return {"unknown": "no health record for this repository in the snapshot"}
    as_of = None if found.as_of is None else found.as_of.date().isoformat()
    values = found.metrics.values()
    return {
        label: health_words(
            values.get(key),
            unit,
            found.metrics.n.get(key, 0),
            as_of,
            lower_bound=key in found.metrics.lower_bounds,
        )
        for key, (label, unit) in HEALTH_LABELS.items()
    }


def compare_table(tools: Sequence[ToolScore], trends: Sequence[Trend]) -> Table:
    """Tools side by side: group, ring, score, each dimension, completeness, history trend."""
    from mlops_radar.report.words import trend_words

    dimensions = list(tools[0].dimensions) if tools else []
    table = _table(title="comparison")
    table.add_column("")
    for tool in tools:
        table.add_column(safe(tool.tool), justify="right")
    lines: list[tuple[str, list[str]]] = [
        ("group", [safe(t.group) for t in tools]),
        ("status", [_styled(t.status.value, _STATUS_STYLE) for t in tools]),
        ("ring", [_styled(t.ring.value, _RING_STYLE) for t in tools]),
        ("score", [fmt(t.score, 1) for t in tools]),
        *((d, [fmt(t.dimensions.get(d), 1) for t in tools]) for d in dimensions),
        ("completeness", [f"{t.completeness:.0%}" for t in tools]),
        ("snapshots in history", [fmt(t.snapshots) for t in trends]),
        ("stars trend", [safe(trend_words(t.series["stars"])) for t in trends]),
        ("commits trend", [safe(trend_words(t.series["total_commits"])) for t in trends]),
    ]
    for label, cells in lines:
        table.add_row(label, *cells)
    return table


def show_table(title: str, sections: Mapping[str, Mapping[str, Any]]) -> Table:
    """Everything about one tool, section by section (facts, gates, scores, explanation)."""
    table = _table(title=safe(title), show_header=False)
    table.add_column("section", style="bold")
    table.add_column("name")
    table.add_column("value")
    for section, items in sections.items():
        for i, (name, value) in enumerate(items.items()):
            table.add_row(
                safe(section) if i == 0 else "",
                safe(str(name)),
                fmt(value, 1) if isinstance(value, float) else fmt(value),
            )
    return table


def records_table(title: str, records: Sequence[Mapping[str, Any]]) -> Table:
    """A table of plain records (one column per key of the first); every cell escaped."""
    table = _table(title=safe(title))
    columns = list(records[0]) if records else []
    for name in columns:
        table.add_column(safe(name))
    for record in records:
        table.add_row(*("" if record.get(c) is None else safe(str(record[c])) for c in columns))
    return table


class TerminalRenderer:
    """Rich tables and a few lines of words, to a console (stdout by default)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or make_console()

    def render(self, result: object, context: Context) -> None:
        from mlops_radar.model.changes import SnapshotChanges
        from mlops_radar.model.results import Comparison, Qualification, Ranking, ToolReport

        if isinstance(result, Qualification):
            self._qualification(result, context)
        elif isinstance(result, Ranking) and (context.options or {}).get("brief"):
            self._brief(result, context)
        elif isinstance(result, Ranking):
            self._ranking(result, context)
        elif isinstance(result, Comparison):
            self.console.print(compare_table(result.tools, result.trends))
        elif isinstance(result, ToolReport):
            self._tool(result)
            self._ring_evidence(context)
        elif isinstance(result, SnapshotChanges):
            self._changes(result)
        elif type(result).__name__ == "LicenseSummary":
            self._licenses(result)
        else:
            raise TypeError(f"no terminal view of {type(result).__name__}")

    def _qualification(self, result: Any, context: Context) -> None:
        day = context.snapshot.snapshot_date.isoformat() if context.snapshot else "?"
        self.console.print(qualify_table(result.tools, f"snapshot {day}, policy {result.policy}"))
        s = result.summary
        self.console.print(
            f"{s['total']} tools: {s['qualified']} qualified, {s['needs_review']} need review, "
            f"{s['eliminated']} eliminated",
            markup=False,
        )

    def _ranking(self, result: Any, context: Context) -> None:
        from mlops_radar.report.words import robustness_words

        for group in result.groups:
            self.console.print(ranking_table(group.name, group.tools, result.by))
            more = group.total - len(group.tools)
            if more > 0:
                self.console.print(
                    f"... and {more:,} more in {printable(group.name)} "
                    f"(--top N shows more, --all every tool)",
                    markup=False,
                )
            self.console.print(robustness_words(group.robustness), markup=False)
        if result.not_collected:
            self.console.print(
                f"not collected by this snapshot's sources (left out of every score; the scores "
                f"judge {result.coverage:.0%} of the full model): "
                f"{', '.join(result.not_collected)}",
                markup=False,
            )
        if result.unknown_everywhere:
            self.console.print(
                f"not known for any tool of this snapshot (each counts 0 for every tool, lowering "
                f"completeness alike, and is left out of the explanations): "
                f"{', '.join(result.unknown_everywhere)}",
                markup=False,
            )
        self._ring_evidence(context)

    def _ring_evidence(self, context: Context) -> None:
        """What each ring predicted in the backtest behind the weights (report/evidence.py)."""
        line = (context.options or {}).get("ring_evidence")
        if line:
            self.console.print(printable(str(line)), markup=False)

    def _brief(self, result: Any, context: Context) -> None:
        """One screen: per group its leading tools with ring and the one reason that sets each
        apart, the ring counts, and what to run next."""
        from collections import Counter

        from mlops_radar.report.words import lead_reason

        day = context.snapshot.snapshot_date.isoformat() if context.snapshot else "?"
        self.console.print(
            f"[bold]The leading tools of each {result.grouping}[/] (snapshot {day}, policy "
            f"{safe(context.policy or '?')}; scores judge {result.coverage:.0%} of the model)"
        )
        rings: Counter[str] = Counter()
        for group in result.groups:
            more = group.total - len(group.tools)
            tail = f" [dim](+{more} more)[/]" if more > 0 else ""
            self.console.print(f"\n[bold]{safe(group.name)}[/]{tail}")
            for tool in group.tools:
                reason = lead_reason(tool.explanation)
                self.console.print(
                    f"  {tool.rank}. {safe(tool.tool)}  {_styled(tool.ring.value, _RING_STYLE)} "
                    f"{tool.score:.0f}  [dim]{safe(reason)}[/]"
                )
        for group in result.groups:
            rings.update(t.ring.value for t in group.tools)
        counts = ", ".join(f"{ring} {rings[ring]}" for ring in RING_ORDER if rings[ring])
        self.console.print(f"\nrings of the tools shown: {counts}")
        db = (context.options or {}).get("db")
        keep = "" if db else "keep the database with `demo --db FILE`, then:\n"
        where = db or "FILE"
        self.console.print(
            f"next: {keep}"
            f"  mlops-radar rank --by-stage --db {where}   # every tool, with its reasons\n"
            f"  mlops-radar show TOOL --db {where}         # why a tool sits where it does\n"
            "  mlops-radar demo --full               # every category's table",
            markup=False,
        )

    def _tool(self, report: Any) -> None:
        from mlops_radar.report.values import json_value
        from mlops_radar.report.words import (
            extra_kind,
            gate_words,
            quiet_words,
            ring_words,
            signal_words,
            trend_words,
        )

        facts = {k: json_value(v) for k, v in report.facts.items()}
        measured = report.qualification
        sections: dict[str, dict[str, Any]] = {
            "facts": {k: v for k, v in facts.items() if v is not None and v != []},
            "gates": {
                g: f"{r.outcome.value}: {gate_words(r.reason)}" for g, r in measured.gates.items()
            },
            "study": {
                "status": measured.status.value,
                "attractiveness": measured.attractiveness,
                "study rank": measured.study_rank,
            },
        }
        for tool in report.scores:
            why = tool.explanation
            sections[f"in {tool.group}"] = {
                "rank": tool.rank,
                "ring": tool.ring.value,
                "why": ring_words(why.ring),
                "score": tool.score,
                "completeness": f"{tool.completeness:.0%}",
                **tool.dimensions,
                "helps": "; ".join(signal_words(r) for r in why.helps),
                "hurts": "; ".join(signal_words(r) for r in why.hurts),
                **({"quiet": quiet_words(why.quiet)} if why.quiet is not None else {}),
            }
        if report.lock_in is not None:
            # one row per package: two ties to the same cloud (boto3 always, s3fs with an
            # extra) are two rows
            sections["cloud lock-in (declared)"] = {
                t.package: f"{t.cloud}, " + (f"{extra_kind(t)} {t.extra}" if t.extra else "always")
                for t in report.lock_in
            } or {"none": "no cloud SDK in its manifests' requirements"}
        health = health_section(report)
        if health is not None:
            sections["community health"] = health
        sections.update(_license_history_section(report))
        sections["history"] = {
            "snapshots": report.history_snapshots,
            **{k: trend_words(v) for k, v in report.trend.series.items()},
        }
        self.console.print(show_table(str(facts["tool"]), sections))

    def _licenses(self, summary: Any) -> None:
        def rows(shares: Any, classed: bool) -> list[dict[str, Any]]:
            found = []
            for s in shares:
                row = {"license": s.license, "count": s.count, "share": f"{s.share:.1%}"}
                if classed:
                    c = s.license_class
                    row["open source"] = c.approval.value if c else "-"
                    row["family"] = c.family.value if c else "-"
                found.append(row)
            return found

        self.console.print(records_table("as GitHub reports them", rows(summary.reported, False)))
        if summary.manual:
            self.console.print(
                records_table("the study's hand analysis", rows(summary.manual, False))
            )
        self.console.print(
            records_table("as resolved (reviews, detection)", rows(summary.resolved, True))
        )
        if summary.from_other:
            self.console.print(
                records_table(
                    "detected where GitHub could not tell",
                    [
                        {
                            "tool": d.tool,
                            "repo": d.repo,
                            "license": d.spdx,
                            "score": "-" if d.score is None else f"{d.score:.2f}",
                            "detector": d.detector,
                        }
                        for d in summary.from_other
                    ],
                )
            )

    def _changes(self, changes: Any) -> None:
        self.console.print(
            f"Changes from snapshot {changes.old.id} ({changes.old.snapshot_date}) "
            f"to {changes.new.id} ({changes.new.snapshot_date})"
        )
        for title, items in (
            ("New tools", changes.added),
            ("Gone tools", changes.removed),
            ("License changed", changes.license_changed),
            ("Archived changed", changes.archived_changed),
            ("Renamed", changes.renamed),
            ("Became inactive", changes.became_inactive),
            ("Active again", changes.active_again),
            ("Largest star gains", changes.star_gains),
            ("Largest fork gains", changes.fork_gains),
        ):
            if not items:
                self.console.print(f"{title}: none")
            else:
                rows = [{n: getattr(i, n) for n in i.__slots__} for i in items]
                self.console.print(records_table(title, rows))
        self._resolved_license_changes(changes.resolved_license_changed)

    def _resolved_license_changes(self, items: Any) -> None:
        """The resolved licenses that changed, each with its family change in words."""
        from mlops_radar.report.licenses import change_words, resolution_words

        title = "Resolved license changed"
        if items is None:
            self.console.print(f"{title}: not judged (no SPDX list data)")
        elif not items:
            self.console.print(f"{title}: none")
        else:
            rows = [
                {"tool": c.tool, "repo": c.repo, "change": change_words(c),
                 "resolved": f"{resolution_words(c.old)} -> {resolution_words(c.new)}"}
                for c in items
            ]  # fmt: skip
            self.console.print(records_table(title, rows))


def _license_history_section(report: Any) -> dict[str, dict[str, Any]]:
    """`show TOOL`'s license history: the periods of one resolved license and the changes."""
    from mlops_radar.report.licenses import history_rows

    history = getattr(report, "license_history", None)
    if history is None or not history.periods:
        return {}
    return {"license history": history_rows(history)}
