"""Terminal tables (rich) for qualify, rank, compare and show.

Every piece of outside text (tool names, categories, reasons built from facts) is escaped before it
reaches rich, so a tool called "[bold]x" prints as written instead of being read as markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.markup import escape as _escape_markup
from rich.table import Table

__all__ = [
    "compare_table",
    "fmt",
    "printable",
    "qualify_table",
    "ranking_table",
    "robustness_line",
    "safe",
    "show_table",
]


def printable(text: str) -> str:
    """Untrusted text made harmless for a terminal: control characters (escape sequences that
    could clear the screen, retitle the window or fake output) become U+FFFD."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in text)


def safe(text: str) -> str:
    """Untrusted text for rich markup: printable, with rich's markup escaped."""
    return _escape_markup(printable(text))


_STATUS_STYLE = {"qualified": "green", "needs_review": "yellow", "eliminated": "red"}
_RING_STYLE = {"Adopt": "green", "Trial": "cyan", "Assess": "yellow", "Hold": "red"}


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


def qualify_table(rows: Iterable[Mapping[str, Any]], title: str) -> Table:
    """One line per tool: status, gate outcomes, Quadro 1 qualifiers and the study's measures."""
    table = Table(title=safe(title))
    for name in (
        "tool",
        "category",
        "status",
        "license",
        "activity",
        "archived",
        "stars",
        "forks",
        "watchers",
        "commits",
        "attractiveness",
        "study rank",
    ):
        table.add_column(
            name,
            justify="right"
            if name in {"stars", "forks", "watchers", "commits", "attractiveness", "study rank"}
            else "left",
        )
    for row in rows:
        gates = row["gates"]
        table.add_row(
            safe(str(row["name"])),
            safe(", ".join(row["categories"])),
            _styled(row["status"], _STATUS_STYLE),
            *(
                safe(f"{gates[g]['outcome']}" + ("" if gates[g]["applied"] else " (n/a)"))
                for g in ("license", "activity", "archived")
            ),
            fmt(row["stars"]),
            fmt(row["forks"]),
            fmt(row["watchers"]),
            fmt(row["total_commits"]),
            fmt(row["attractiveness"], 1),
            fmt(row["study_rank"], 1),
        )
    return table


def ranking_table(group: str, rows: Sequence[Mapping[str, Any]], by: str) -> Table:
    """One group's ranking with ring, score, completeness and the explanation."""
    table = Table(title=safe(group), show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("tool")
    table.add_column("ring")
    table.add_column(by, justify="right")
    table.add_column("complete", justify="right")
    table.add_column("why")
    for row in rows:
        why = "\n".join(
            [f"[green]+[/] {safe(h)}" for h in row["helps"]]
            + [f"[red]-[/] {safe(h)}" for h in row["hurts"]]
            + [f"[dim]{safe(row['ring_reason'])}[/]"]
        )
        table.add_row(
            str(row["rank"]),
            safe(str(row["tool"])),
            _styled(row["ring"], _RING_STYLE),
            fmt(row["value"], 1),
            f"{row['completeness']:.0%}",
            why,
        )
    return table


def robustness_line(figures: Mapping[str, Any]) -> str:
    """The robustness figure under a ranking, in words."""
    tau = figures.get("mean_tau")
    if tau is None or (isinstance(tau, float) and math.isnan(tau)):
        return "robustness: too few tools to compare orders"
    return (
        f"robustness (weights ±{figures['spread']:.0%}, {figures['draws']} draws): "
        f"mean Kendall tau {tau:.2f}, top 3 unchanged in {figures['top3_unchanged']:.0%} of draws"
    )


def compare_table(tools: Sequence[Mapping[str, Any]], dimensions: Sequence[str]) -> Table:
    """Tools side by side: group, ring, score, each dimension, completeness, history trend."""
    table = Table(title="comparison")
    table.add_column("")
    for tool in tools:
        table.add_column(safe(str(tool["tool"])), justify="right")
    lines: list[tuple[str, list[str]]] = [
        ("group", [safe(str(t["group"])) for t in tools]),
        ("status", [_styled(t["status"], _STATUS_STYLE) for t in tools]),
        ("ring", [_styled(t["ring"], _RING_STYLE) for t in tools]),
        ("score", [fmt(t["score"], 1) for t in tools]),
        *((d, [fmt(t["dimensions"].get(d), 1) for t in tools]) for d in dimensions),
        ("completeness", [f"{t['completeness']:.0%}" for t in tools]),
        ("snapshots in history", [fmt(t["trend"]["snapshots"]) for t in tools]),
        ("stars trend", [safe(t["trend"]["stars"]) for t in tools]),
        ("commits trend", [safe(t["trend"]["total_commits"]) for t in tools]),
    ]
    for label, cells in lines:
        table.add_row(label, *cells)
    return table


def show_table(title: str, sections: Mapping[str, Mapping[str, Any]]) -> Table:
    """Everything about one tool, section by section (facts, gates, scores, explanation)."""
    table = Table(title=safe(title), show_header=False)
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
