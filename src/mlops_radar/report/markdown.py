"""The Markdown list: a ranking as a best-of style list, fit to be a list repository's README.

Per group (category or stage) its tools in ranking order: the first ten in full (ring, score,
stars, last release, license, the one reason that sets each apart, marks for tools new or moved
since the previous snapshot), the rest collapsed in a `<details>` block. The whole stays under
`budget` bytes (GitHub renders a README only up to 512,000 bytes): when it would not, the tail is
shrunk step by step (see `LEVELS`) and the list says what was left out.

Every piece of outside text (tool names, categories, license names, reasons built from facts) goes
through `md_text`, which backslash-escapes Markdown's punctuation and breaks autolinks, so no name
can make a link, an image, an emphasis or raw HTML. The only links are ours: repositories shaped
`https://github.com/OWNER/NAME` and the contents' anchors. See docs/report-markdown.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mlops_radar.model.results import Ring, ToolScore, tool_key
from mlops_radar.report.words import lead_reason

if TYPE_CHECKING:
    from mlops_radar.model.changes import SnapshotChanges
    from mlops_radar.model.results import Ranking, RankingGroup

__all__ = [
    "GITHUB_README_LIMIT",
    "LEVELS",
    "Level",
    "md_text",
    "release_dates",
    "render_markdown",
    "repository_url",
]

#: GitHub shows a README only up to this many bytes; `budget` keeps a margin under it.
GITHUB_README_LIMIT = 512_000

#: Longest outside text kept in one cell (a name, a license, a reason), in characters.
MAX_TEXT = 160

RINGS = (Ring.ADOPT, Ring.TRIAL, Ring.ASSESS, Ring.HOLD, Ring.UNRATED)

# Markdown's active ASCII punctuation (CommonMark lets any ASCII punctuation be backslash-escaped):
# emphasis, code, links and images, raw HTML and entities, headings, list markers, tables,
# strikethrough, GitHub's math ($) and emoji shortcodes (:), and the `://` and `www.` of autolinks.
_ACTIVE = frozenset("\\`*_{}[]<>()#+-.!|~:&$^=")
# Invisible or misleading characters from outside: controls, bidi overrides (Trojan Source), BOM.
_HIDDEN = re.compile("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_REPO = re.compile(rf"{_OWNER}/{_NAME}")
_WORD_JOINER = "\u2060"


def md_text(value: object, limit: int = MAX_TEXT) -> str:
    """Outside text as inert inline Markdown: one line, at most `limit` characters (cut with an
    ellipsis), hidden characters shown as U+FFFD, every active punctuation mark backslash-escaped,
    and `@` preceded by a word joiner (GitHub links `name@host.tld` however it is escaped)."""
    text = " ".join(str(value).split())
    text = _HIDDEN.sub("\ufffd", text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    out = []
    for ch in text:
        if ch in _ACTIVE:
            out.append("\\" + ch)
        elif ch == "@":
            out.append(_WORD_JOINER + "@")
        else:
            out.append(ch)
    return "".join(out)


def repository_url(repo: str | None) -> str | None:
    """`https://github.com/OWNER/NAME` for a repository shaped like GitHub's, else None (no link
    is made from anything else)."""
    if repo is None or not _REPO.fullmatch(repo) or repo.split("/")[1] in (".", ".."):
        return None
    return f"https://github.com/{repo}"


def release_dates(table: Any) -> dict[str, date | None]:
    """Each repository's last release date (lower-case owner/name -> date, None when unknown),
    from a snapshot's facts table (`store.tool_facts`): what `render_markdown(releases=...)` takes.
    Empty when the table has no release facts (a source that does not collect them)."""
    if "latest_release_at" not in getattr(table, "columns", ()):
        return {}
    found: dict[str, date | None] = {}
    for repo, when in zip(table["repo"], table["latest_release_at"], strict=True):
        if isinstance(repo, str):
            found.setdefault(repo.lower(), _day(when))
    return found


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return None if value != value else value.date()  # NaT is not equal to itself
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class Level:
    """How much of each group is written: `full` tools in full, then the tail as `tail`:
    'links' (numbered list: linked name, ring, score, stars), 'names' (one paragraph: name, ring,
    score) or 'counts' (how many per ring only)."""

    full: int
    tail: str
    said: str  # what this level leaves out, for the list's header


#: From the most to the least detailed; the first that fits the budget is written.
LEVELS = (
    Level(10, "links", ""),
    Level(10, "names", "the tools after the 10th of each list are named with ring and score only"),
    Level(10, "counts", "the tools after the 10th of each list are counted per ring, not named"),
    Level(3, "counts", "the tools after the 3rd of each list are counted per ring, not named"),
    Level(0, "counts", "each list is counted per ring, no tool is named"),
)


@dataclass(frozen=True, slots=True)
class _Marks:
    """Tools new, renamed or in another ring since the previous snapshot, by lower-case
    repository or tool name."""

    new: frozenset[str]
    moved: Mapping[str, str]  # repository -> the name GitHub gave it before
    # (model.results.tool_key, group) -> the ring it had in the previous snapshot
    rings_then: Mapping[tuple[str, str], Ring]

    @classmethod
    def of(
        cls,
        changes: SnapshotChanges | None,
        rings_then: Mapping[tuple[str, str], Ring] | None = None,
    ) -> _Marks:
        if changes is None:
            return cls(frozenset(), {}, rings_then or {})
        new = frozenset((ref.repo or ref.tool).lower() for ref in changes.added)
        moved = {c.repo.lower(): str(c.old) for c in changes.renamed}
        return cls(new, moved, rings_then or {})

    def words(self, tool: ToolScore) -> list[str]:
        key = (tool.repo or tool.tool).lower()
        said = ["**new**"] if key in self.new else []
        if key in self.moved:
            said.append(f"**moved** from {md_text(self.moved[key])}")
        then = self.rings_then.get((tool_key(tool.tool, tool.repo), tool.group))
        if then is not None and then != tool.ring:
            better = _RING_RANK[tool.ring] < _RING_RANK[then]
            said.append(f"**{'up' if better else 'down'}** from {then.value}")
        return said


_RING_RANK = {ring: i for i, ring in enumerate(RINGS)}


def _number(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def _license(tool: ToolScore) -> str | None:
    """The license as the license gate read it: SPDX id, else the name found."""
    gate = tool.gates.get("license")
    if gate is None:
        return None
    facts = gate.reason.facts
    for key in ("spdx", "expression", "manual", "name", "github"):
        if facts.get(key):
            return str(facts[key])
    return None


def _stars(tool: ToolScore) -> float | None:
    return tool.explanation.ring.stars


def _name(tool: ToolScore, *, link: bool = True) -> str:
    name = md_text(tool.tool)
    url = repository_url(tool.repo) if link else None
    return f"[{name}]({url})" if url else name


def _full(tool: ToolScore, marks: _Marks, releases: Mapping[str, date | None] | None) -> list[str]:
    """One tool in full: a numbered item, its facts on the first line, its reason on the second."""
    facts = [f"**{_name(tool)}**", f"{tool.ring.value} {tool.score:.0f}"]
    facts.append(f"★ {_number(_stars(tool))}")
    if releases is not None:
        when = releases.get((tool.repo or "").lower())
        facts.append(f"last release {md_text(when.isoformat()) if when else 'unknown'}")
    license_name = _license(tool)
    facts.append(md_text(license_name, 60) if license_name else "license unknown")
    facts += marks.words(tool)
    return [
        f"{tool.rank}. " + " · ".join(facts) + "\\",
        "   " + md_text(lead_reason(tool.explanation), 2 * MAX_TEXT),
    ]


def _ring_counts(tools: Iterable[ToolScore]) -> str:
    counted = dict.fromkeys(RINGS, 0)
    for tool in tools:
        counted[tool.ring] += 1
    return ", ".join(f"{ring.value} {n:,}" for ring, n in counted.items() if n)


def _tail(tools: tuple[ToolScore, ...], level: Level, marks: _Marks) -> list[str]:
    """The tools after the full ones, collapsed."""
    if not tools:
        return []
    if level.tail == "counts":
        body = [f"{len(tools):,} more: {_ring_counts(tools)}."]
    elif level.tail == "names":
        said = (
            f"{t.rank}\\. {_name(t, link=False)} ({t.ring.value} {t.score:.0f}"
            + "".join(", " + m for m in marks.words(t))
            + ")"
            for t in tools
        )
        body = [" · ".join(said)]
    else:
        body = [
            f"{t.rank}. {_name(t)} · {t.ring.value} {t.score:.0f} · ★ {_number(_stars(t))}"
            + "".join(" · " + m for m in marks.words(t))
            for t in tools
        ]
    # an HTML block: its summary is ours only (a number), the Markdown inside needs blank lines
    return [
        f"<details><summary>{len(tools):,} more</summary>",
        "",
        *body,
        "",
        "</details>",
    ]


def _anchor(text: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading: lower case, letters, digits, spaces as hyphens, `-N` on
    repeats (computed from the heading's text as displayed)."""
    slug = "".join(
        ch for ch in text.lower() if ch in "-_ " or unicodedata.category(ch)[0] in "LNM"
    ).replace(" ", "-")
    n = seen.get(slug, 0)
    seen[slug] = n + 1
    return slug if n == 0 else f"{slug}-{n}"


def _display(text: str) -> str:
    """What a heading written with `md_text` displays (for its anchor)."""
    return " ".join(_HIDDEN.sub("\ufffd", str(text)).split())


def _group(group: RankingGroup, level: Level, marks: _Marks, releases: Any) -> list[str]:
    lines = [f"## {md_text(group.name)}", ""]
    ranked = len(group.tools)
    count = f"{group.total:,} tools" if group.total != 1 else "1 tool"
    if ranked < group.total:
        count += f", the first {ranked:,} ranked here"
    lines += [f"{count}: {_ring_counts(group.tools)}.", ""]
    shown = group.tools[: level.full]
    for tool in shown:
        lines += _full(tool, marks, releases)
    if shown:
        lines.append("")
    tail = _tail(group.tools[level.full :], level, marks)
    return lines + ([*tail, ""] if tail else [])


def _header(
    ranking: Ranking,
    changes: SnapshotChanges | None,
    title: str,
    simulated: bool,
    level: Level,
    releases: Any,
) -> list[str]:
    lines = [f"# {md_text(title)}", ""]
    if simulated:
        lines += [
            "> [!WARNING]",
            "> **Simulated data.** Every tool, number and verdict below was made up by "
            "mlops\\-radar's GitHub simulator: this list describes no real project.",
            "",
        ]
    what = "last release, " if releases is not None else ""
    lines += [
        f"Open\\-source tools ranked within each {ranking.grouping} by mlops\\-radar's maturity "
        f"model: ring (Adopt, Trial, Assess, Hold; Unrated when nothing is known), score out of "
        f"100, GitHub stars, {what}license, and the one reason that sets each tool apart. "
        f"The scores judge {ranking.coverage:.0%} of the model's weight.",
        "",
    ]
    if ranking.not_collected:
        lines += [
            "Not collected for this list (left out of every score): "
            + md_text(", ".join(ranking.not_collected), 4 * MAX_TEXT)
            + ".",
            "",
        ]
    if changes is not None:
        lines += _changes(changes)
    if level.said:
        lines += [
            f"To stay under GitHub's {GITHUB_README_LIMIT:,}\\-byte README limit, {level.said}.",
            "",
        ]
    return lines


def _changes(changes: SnapshotChanges) -> list[str]:
    old, new = changes.old.snapshot_date, changes.new.snapshot_date
    lines = [
        f"Since the snapshot of {md_text(old.isoformat())} (this one: "
        f"{md_text(new.isoformat())}): {len(changes.added):,} new \\(marked **new**\\), "
        f"{len(changes.renamed):,} moved to a new repository name \\(marked **moved**\\), "
        f"{len(changes.removed):,} gone; a tool in a better or worse ring than then is marked "
        "**up** or **down** from the ring it had.",
        "",
    ]
    if changes.removed:
        names = [md_text(ref.tool, 60) for ref in changes.removed[:30]]
        more = len(changes.removed) - len(names)
        lines += ["Gone: " + ", ".join(names) + (f" and {more:,} more." if more else "."), ""]
    return lines


def _contents(ranking: Ranking) -> list[str]:
    seen: dict[str, int] = {}
    lines = ["Contents:", ""]
    for group in ranking.groups:
        lines.append(f"- [{md_text(group.name)}](#{_anchor(_display(group.name), seen)})")
    return [*lines, ""]


def _document(
    ranking: Ranking,
    changes: SnapshotChanges | None,
    title: str,
    simulated: bool,
    level: Level,
    releases: Any,
    rings_then: Mapping[tuple[str, str], Ring] | None = None,
) -> str:
    marks = _Marks.of(changes, rings_then)
    lines = _header(ranking, changes, title, simulated, level, releases)
    lines += _contents(ranking)
    for group in ranking.groups:
        lines += _group(group, level, marks, releases)
    lines.append(
        "Made with [mlops\\-radar](https://github.com/mlops-radar/mlops-radar): ranks are "
        f"within each {ranking.grouping}, never across them."
    )
    return "\n".join(lines) + "\n"


def render_markdown(
    ranking: Ranking,
    changes: SnapshotChanges | None = None,
    *,
    title: str = "MLOps tools",
    simulated: bool = False,
    budget: int = 480_000,
    releases: Mapping[str, date | None] | None = None,
    rings_then: Mapping[tuple[str, str], Ring] | None = None,
) -> str:
    """The ranking as a Markdown list under `budget` bytes (UTF-8): the most detailed of `LEVELS`
    that fits, saying what it collapsed. `changes` marks tools new or moved since the previous
    snapshot; `simulated` puts a banner on top; `releases` (lower-case owner/name -> date, see
    `release_dates`) adds each tool's last release (left out of the list when None);
    `rings_then` ((`tool_key`, group) -> ring in the previous snapshot) marks a tool **up** or
    **down** from the ring it had.

    Even the least detailed level names every group; when that is still over budget (thousands
    of groups), the groups that do not fit are left out and the list says how many."""
    text = ""
    for level in LEVELS:
        text = _document(ranking, changes, title, simulated, level, releases, rings_then)
        if len(text.encode("utf-8")) <= budget:
            return text
    return _cut(text, budget)


def _cut(text: str, budget: int) -> str:
    """The least detailed list cut at the last group that fits, with a line saying so."""
    groups = text.split("\n## ")
    kept, size = [groups[0]], len(groups[0].encode("utf-8"))
    for part in groups[1:]:
        cost = len(part.encode("utf-8")) + 4
        if size + cost > budget - 200:
            break
        kept.append(part)
        size += cost
    left = len(groups) - len(kept)
    note = f"\n{left:,} more lists left out: the whole list would pass GitHub's README limit.\n"
    return "\n## ".join(kept).rstrip("\n") + "\n" + note
