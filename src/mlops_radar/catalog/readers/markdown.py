"""Reader of awesome-list Markdown: `## Category` sections of `* [Name](url) - description` entries.

Line-based on purpose: each entry keeps its line number, a malformed line becomes a `Problem`
instead of stopping the read, and the whole 2026 Awesome MLOps README reads in a few milliseconds.
What it knows:

- headings (ATX, `#` to `######`, and one-line `<h1>`..`<h6>`): the first heading, when of level 1,
  is the list's title; any other heading opens a category named by its text, unless
  `catalog.sections` skips it (a resource section by its words, `--skip-section`,
  `--only-section`) or it lies under a skipped one (`# Resources` covers its `## Articles`); each
  skipped heading is a `SkippedSection` with the entries directly under it. Nested headings: the
  deepest names the category; a name that recurs under different headings (awesome-machine-
  learning's "General-Purpose Machine Learning" under each language) is qualified by the
  nearest of them that tell its places apart ("C / General-Purpose Machine Learning").
- table rows with a link and `<li>` lines are entries too (see `_table_row`); `<details>` is
  transparent.
- entries: list items (`*`, `-`, `+`, `1.`), nested or not, whose first link that is not a badge
  names the tool; the description follows a hyphen, en-dash, em-dash or colon. Badges, images and
  HTML tags are dropped; `<a href="URL">Name</a>` counts as a link. Links to `#anchors` (tables of
  contents) are skipped. Fenced code blocks and HTML comments are skipped.
- problems: in a tool section, a list item that looks like an entry but has no usable link
  (unclosed, empty name, empty or relative URL), a top-level list item without a link, or an
  entry-like line without a list marker.
Not supported (documented in docs/catalog.md): Setext headings, multi-line HTML elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mlops_radar.catalog.links import absolute_url, classify_link, is_web_url
from mlops_radar.catalog.readers import (
    RawEntry,
    ReaderResult,
    ReadOptions,
    SourceDocument,
)
from mlops_radar.catalog.records import HEADING_SEPARATOR, LinkKind, Problem, SkippedSection
from mlops_radar.catalog.sections import SectionRules

__all__ = ["MarkdownReader", "read_markdown"]

# Greedy `(.*)`: a lazy group before `[ \t]*` is quadratic on a long run of spaces.
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_LIST_ITEM = re.compile(r"([ \t]*)(?:[*+-]|\d{1,9}[.)])[ \t]+(.*)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# An opening `<a ...>` tag stops at the next `<` or `>`: scanning every `<a` of a line is linear.
_HTML_ANCHOR_OPEN = re.compile(r"<a\s[^<>]*>", re.I)
_HTML_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.I)
_HTML_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.I)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings; not U+0085 or U+2028
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"`|\*\*|__|(?<!\w)[*_]+|[*_]+(?!\w)")
_BADGE_LABEL = re.compile(r"\s*(?:!\[[^\[\]]*\]\([^()]*\)\s*)+")
_BARE_ENTRY = re.compile(r"[ \t]*\[[^\]]+\]\([^)]*\)[ \t]*[-–—:]")
_SEPARATORS = "-–—:"
_MAX_ENTRY_CHARS = 4000  # longer list items are not entries: bounded work on hostile input
# A list item whose first line has no link takes up to this many continuation lines (a label or
# the link itself wrapped onto the next line, which CommonMark reads as the same paragraph).
_MAX_CONTINUATION_LINES = 3
_MAX_PROBLEM_TEXT = 300
_MAX_URL_CHARS = 2048
_BRACKET_OR_ESCAPE = re.compile(r"\\.|[\[\]]", re.S)
_TITLE_AND_CLOSE = re.compile(r"""[ \t]*(?:"[^"]*"|'[^']*')?[ \t]*\)""")


@dataclass(frozen=True, slots=True)
class _LinkSpan:
    label: str
    dest: str
    start: int
    end: int
    image: bool  # an image `![alt](src)`, or a link whose label is only an image (a badge)


class MarkdownReader:
    """Awesome-list Markdown; recognises any UTF-8 text (it is tried last)."""

    format_name = "markdown"

    def recognises(self, document: SourceDocument) -> bool:
        """Any UTF-8 text without NUL bytes."""
        if b"\x00" in document.data[:4096]:
            return False
        try:
            document.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    def read(self, document: SourceDocument, options: ReadOptions) -> ReaderResult:
        """Read the document's entries and problems."""
        text = document.data.decode("utf-8").removeprefix("\ufeff")
        return read_markdown(text, options=options)


def read_markdown(
    text: str,
    *,
    resource_sections: frozenset[str] | None = None,
    options: ReadOptions | None = None,
) -> ReaderResult:
    """Entries, problems and skipped sections of an awesome-list Markdown text; never raises."""
    options = options or ReadOptions()
    if resource_sections is not None:
        options = replace(options, resource_sections=resource_sections)
    scanner = _Scanner(options.section_rules())
    cap = options.max_entries
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        scanner.feed(number, line)
        if cap is not None and len(scanner.entries) > cap:
            break  # more than a list may have: the caller refuses it, the rest need not be read
    else:
        scanner.finish()
    return ReaderResult(
        entries=tuple(scanner.entries),
        problems=tuple(scanner.problems),
        skipped=tuple(scanner.skipped),
        sections_applied=True,
    )


class _Scanner:
    """The state of one pass over the lines: fences, comments, the current section."""

    def __init__(self, rules: SectionRules) -> None:
        self.rules = rules
        self.entries: list[RawEntry] = []
        self.problems: list[Problem] = []
        self.skipped: list[SkippedSection] = []  # in file order
        self.fence: str | None = None
        self.in_comment = False
        self.seen_heading = False
        self.category: str | None = None
        self.headings: list[tuple[int, str]] = []  # (level, title) of the headings open here
        self.ancestors: tuple[str, ...] = ()  # the headings above the current category
        self.paths: list[tuple[str, ...]] = []  # each entry's category's ancestors
        self.skip_level: int | None = None  # level of the skipped heading that covers this one
        self.skip_title = ""
        self.only_level: int | None = None  # level of the --only-section heading being read
        self.skipping = False  # the current section is skipped: count its entries, no problems
        self.original = ""  # the line being read, as written (for problems)
        # an item waiting for its link on a later line: (line number, content, nested, the
        # original line, continuation lines so far, the links of the content as it stands)
        self.pending: tuple[int, str, bool, str, int, list[_LinkSpan] | None] | None = None

    def feed(self, number: int, line: str) -> None:
        if self.pending is not None:
            if self._continues(line):
                self._continue(line)
                return
            self._flush()
        if self._skipped(line):
            return
        self.original = line
        line, self.in_comment = _without_comments(line)
        heading = _HEADING.fullmatch(line)
        if heading:
            self._heading(number, len(heading.group(1)), _plain(heading.group(2) or ""))
            return
        html = _html_heading(line)
        if html is not None:
            self._heading(number, html[0], _plain(html[1]))
        elif self.category is not None or self.skipping:
            self._body_line(number, line)

    def finish(self) -> None:
        """The end of the text: a list item still waiting for a continuation is read as is."""
        if self.pending is not None:
            self._flush()
        self.entries = _qualified(self.entries, self.paths)

    @staticmethod
    def _continues(line: str) -> bool:
        """A line that carries on the paragraph of the list item above (CommonMark's
        continuation): not blank, and no block of its own (heading, list item, table row,
        HTML list item or heading, fence, quote), nor one that starts as an entry does
        (`[Name](url) - ...`: an entry whose list marker is missing, more likely than a wrap)."""
        stripped = line.strip()
        if not stripped or stripped[0] in "|>#<" or _FENCE.match(line) or _BARE_ENTRY.match(line):
            return False
        return _LIST_ITEM.fullmatch(line) is None

    def _continue(self, line: str) -> None:
        assert self.pending is not None
        number, content, nested, original, lines, _ = self.pending
        content = f"{content} {line.strip()}"
        self.pending = (number, content, nested, original, lines + 1, None)  # problems: line 1
        full = len(content) > _MAX_ENTRY_CHARS or lines + 1 >= _MAX_CONTINUATION_LINES
        if full or _first_link(_anchors_as_links(content)) is not None:
            self._flush()

    def _flush(self) -> None:
        assert self.pending is not None
        number, content, nested, original, _, links = self.pending
        self.pending = None
        current, self.original = self.original, original
        self._item(number, content, nested=nested, waited=True, links=links)
        self.original = current

    def _skipped(self, line: str) -> bool:
        """True for lines inside a fenced code block or a multi-line HTML comment."""
        if self.in_comment:
            if "-->" in line:
                self.in_comment = False
            return True
        fence = _FENCE.match(line)
        if self.fence is not None:
            if (
                fence
                and fence.group(1)[0] == self.fence[0]
                and len(fence.group(1)) >= len(self.fence)
            ):
                self.fence = None
            return True
        if fence:
            self.fence = fence.group(1)
            return True
        return False

    def _heading(self, number: int, level: int, title: str) -> None:
        first = not self.seen_heading
        self.seen_heading = True
        # closing hashes ("## Monitoring ##") and a trailing colon ("## LLM Evaluation:") are
        # not part of the category's name
        title = re.sub(r"\s+#+$", "", title).strip().rstrip(":：").rstrip()
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        ancestors = tuple(t for _, t in self.headings)
        if title and not (first and level == 1):
            self.headings.append((level, title))
        self.category = None
        self.skipping = False
        if self.skip_level is not None and level > self.skip_level and not self.rules.kept(title):
            if title:
                self._skip(number, title, f"inside the skipped section {self.skip_title!r}")
            return
        self.skip_level = None
        if self.only_level is not None and level <= self.only_level:
            self.only_level = None
        if not title or (first and level == 1):
            return
        inside_only = self.only_level is not None
        reason = self.rules.reason_to_skip(title, inside_only=inside_only)
        if reason is None:
            if self.rules.only and not inside_only:
                self.only_level = level
            self.category, self.ancestors = title, ancestors
            return
        self._skip(number, title, reason)
        # an --only-section may lie under a section not named; a heading that only organises
        # the page ("Main Content") does not take its subsections with it
        if not reason.startswith("not named") and self.rules.covers_subsections(title):
            self.skip_level, self.skip_title = level, title

    def _skip(self, number: int, title: str, reason: str) -> None:
        self.skipping = True
        self.skipped.append(SkippedSection(title, number, reason))

    def _body_line(self, number: int, line: str) -> None:
        stripped = line.strip()
        if stripped.startswith("|"):
            self._table_row(number, stripped)
            return
        if stripped[:3].casefold() == "<li":
            content = _html_item(stripped)
            if content is not None:
                self._item(number, content, nested=True)
            return
        item = _LIST_ITEM.fullmatch(line)
        if item is None:
            if _BARE_ENTRY.match(line) and not self.skipping:
                self._problem(number, "entry-like line without a list marker ('* ')")
            return
        self._item(number, item.group(2), nested=bool(item.group(1)))

    def _item(
        self,
        number: int,
        content: str,
        *,
        nested: bool,
        waited: bool = False,
        links: list[_LinkSpan] | None = None,
    ) -> None:
        """A list item's content; `links`, where given, are those of `content` read before
        (an item that waited for a next line which did not continue it): the scan of a line's
        links is most of the time a hostile line costs, so it is done once."""
        if len(content) > _MAX_ENTRY_CHARS:
            self._problem(number, f"list item longer than {_MAX_ENTRY_CHARS} characters")
            return
        converted = _anchors_as_links(content)
        if links is None:
            links = _links(converted)
        if not waited and not any(not span.image for span in links):
            # its link may be on the next line: read the item when its paragraph ends
            self.pending = (number, content, nested, self.original, 0, links)
            return
        self._entry(number, converted, nested, links)

    def _table_row(self, number: int, row: str) -> None:
        """A table row whose cells hold a link: the first such cell's link names the tool,
        unless a first cell of plain text does ("| MLflow | [GitHub](...) | ... |")."""
        if len(row) > _MAX_ENTRY_CHARS:
            self._problem(number, f"table row longer than {_MAX_ENTRY_CHARS} characters")
            return
        cells = [c.strip() for c in _anchors_as_links(row).strip("|").split("|")]
        for index, cell in enumerate(cells):
            link = next((span for span in _links(cell) if not span.image), None)
            if link is None:
                continue
            dest = absolute_url(link.dest.strip())
            if dest.startswith("#"):
                return  # a table of contents
            if self.skipping:
                self._count()
                return
            if not is_web_url(dest):
                self._problem(number, "table row's link is not an absolute http(s) URL")
                return
            first = _plain(cells[0]) if index > 0 else ""
            name = first or _plain(link.label)
            rest = [_plain(c) for c in cells[index + 1 :]]
            description = next((r for r in rest if r), None)
            if name and self.category is not None:
                self._add(RawEntry(name, (self.category,), dest, number, dest, description))
            return

    def _add(self, entry: RawEntry) -> None:
        self.entries.append(entry)
        self.paths.append(self.ancestors)

    def _count(self) -> None:
        last = self.skipped[-1]
        self.skipped[-1] = replace(last, entries=last.entries + 1)

    def _entry(self, number: int, content: str, nested: bool, links: list[_LinkSpan]) -> None:
        """One list item read as an entry; `links` are `_links(content)`."""
        link = next((span for span in links if not span.image), None)
        if self.skipping:
            if link is not None and not link.dest.strip().startswith("#"):
                self._count()
            return
        if link is None:
            if "[" in content and "](" in content:
                self._problem(number, "malformed [name](url) link")
            elif "[" in content or "](" in content or not nested:
                self._problem(number, "list item without a [name](url) link")
            return
        dest = absolute_url(link.dest.strip())
        if dest.startswith("#"):
            return  # a table-of-contents line or a cross-reference
        name = _plain(link.label)
        if not name:
            self._problem(number, "entry has an empty name")
        elif not dest:
            self._problem(number, "entry's link has no URL")
        elif not is_web_url(dest):
            self._problem(number, "entry's link is not an absolute http(s) URL")
        elif self.category is not None:
            description = _description(content[link.end :])
            source = _source_link(dest, links)
            self._add(RawEntry(name, (self.category,), source or dest, number, dest, description))

    def _problem(self, number: int, reason: str) -> None:
        if self.skipping:
            return
        self.problems.append(Problem(number, self.original.strip()[:_MAX_PROBLEM_TEXT], reason))


# Labels lists give the link to a tool's code beside its homepage ("[Qdrant](https://qdrant.tech)
# - ... [open source](https://github.com/qdrant/qdrant)", awesome-selfhosted's "Source Code").
_SOURCE_LABELS = frozenset(
    ("github", "gitlab", "source", "source code", "code", "repo", "repository", "open source",
     "open-source", "git", "src", "sources")
)  # fmt: skip
_CODE_KINDS = frozenset((LinkKind.REPO, LinkKind.SUBPATH, LinkKind.OTHER_FORGE))


def _qualified(entries: list[RawEntry], paths: list[tuple[str, ...]]) -> list[RawEntry]:
    """Entries whose category name recurs under different headings, named with the nearest of
    those headings that tell the places apart; a name found in one place stays as it is."""
    places: dict[str, set[tuple[str, ...]]] = {}
    paths = [_place(e.categories[0], p) for e, p in zip(entries, paths, strict=True)]
    for entry, path in zip(entries, paths, strict=True):
        places.setdefault(entry.categories[0], set()).add(path)
    names: dict[tuple[str, tuple[str, ...]], str] = {}
    for name, found in places.items():
        if len(found) < 2:
            continue
        depth = next(
            k
            for k in range(1, max(map(len, found)) + 1)
            if len({p[-k:] for p in found}) == len(found)
        )
        for path in found:
            names[name, path] = HEADING_SEPARATOR.join((*path[-depth:], name))
    if not names:
        return entries
    return [
        replace(e, categories=(names.get((e.categories[0], p), e.categories[0]),))
        for e, p in zip(entries, paths, strict=True)
    ]


def _place(name: str, path: tuple[str, ...]) -> tuple[str, ...]:
    """The headings above a category, less those of its own name (`## Tools` / `### Tools` is
    one place)."""
    while path and path[-1] == name:
        path = path[:-1]
    return path


def _source_link(dest: str, links: list[_LinkSpan]) -> str | None:
    """For an entry whose link is a homepage, the link to its code that the item labels as
    such (a repository on a forge), or None. Other links in a description (a component, a
    dependency: "using the [visualizer](...) project") are not taken for the tool's code."""
    if classify_link(dest).kind in _CODE_KINDS:
        return None
    for span in links[1:]:
        label = " ".join(_plain(span.label).casefold().strip(" .:()[]").split())
        if span.image or label not in _SOURCE_LABELS:
            continue
        other = absolute_url(span.dest.strip())
        if is_web_url(other) and classify_link(other).kind in _CODE_KINDS:
            return other
    return None


def _first_link(content: str) -> _LinkSpan | None:
    """The first link of `content` that is not an image (a badge), or None."""
    return next((span for span in _links(content) if not span.image), None)


def _html_heading(line: str) -> tuple[int, str] | None:
    """`<h2 ...>Title</h2>` on one line: (2, "Title"); plain string tests, no backtracking."""
    text = line.strip()
    if len(text) < 9 or text[0] != "<" or text[1] not in "hH" or text[2] not in "123456":
        return None
    if text[3] not in "> \t":
        return None
    close = f"</h{text[2]}>"
    if not text.casefold().endswith(close):
        return None
    start = text.find(">")
    if start == -1 or start >= len(text) - len(close):
        return None
    return int(text[2]), text[start + 1 : len(text) - len(close)]


def _html_item(text: str) -> str | None:
    """The content of an `<li ...>content</li>` line (the closing tag optional)."""
    if len(text) < 4 or text[3] not in "> \t":
        return None
    start = text.find(">")
    if start == -1:
        return None
    content = text[start + 1 :]
    if content[-5:].casefold() == "</li>":
        content = content[:-5]
    return content


def _without_comments(line: str) -> tuple[str, bool]:
    """The line without its HTML comments, and whether a comment is left open at its end.

    One forward pass with `str.find` (a regex `<!--.*?-->` rescans the rest of the line from
    every unclosed `<!--`: quadratic).
    """
    if "<!--" not in line:
        return line, False
    out: list[str] = []
    i = 0
    while True:
        start = line.find("<!--", i)
        if start == -1:
            out.append(line[i:])
            return "".join(out), False
        out.append(line[i:start])
        end = line.find("-->", start + 4)
        if end == -1:
            return "".join(out), True
        i = end + 3


def _anchors_as_links(text: str) -> str:
    """`<a href="URL">Name</a>` rewritten as `[Name](URL)`, in one forward pass."""
    if "<a" not in text and "<A" not in text:
        return text
    out: list[str] = []
    i = 0
    while True:
        tag = _HTML_ANCHOR_OPEN.search(text, i)
        if tag is None:
            break
        href = _HTML_HREF.search(tag.group())
        if href is None:
            out.append(text[i : tag.end()])
            i = tag.end()
            continue
        close = _HTML_ANCHOR_CLOSE.search(text, tag.end())
        if close is None:
            break  # no later anchor can close either
        out.append(f"{text[i : tag.start()]}[{text[tag.end() : close.start()]}]({href.group(1)})")
        i = close.end()
    out.append(text[i:])
    return "".join(out)


class _Budget:
    """Characters a line's link scans may still look at: bounds overlapping unclosed links."""

    __slots__ = ("left",)

    def __init__(self, text: str) -> None:
        self.left = 2 * len(text) + 256


def _links(text: str) -> list[_LinkSpan]:
    """Every inline link and image of `text`, left to right, outermost only.

    The scans of destinations share one budget of about twice the text's length: a line of
    thousands of unclosed `[](` stops being read for links instead of costing quadratic time.
    """
    spans: list[_LinkSpan] = []
    i = text.find("[")
    # a link closes with ")": none after the last one (a line of unclosed `[](`, or of
    # `[x](` cells, has none at all), so from there no label needs its destination read
    last_paren = text.rfind(")")
    if i == -1 or last_paren == -1:
        return spans
    pairs = _bracket_pairs(text)
    budget = _Budget(text)
    while i != -1 and i < last_paren and budget.left > 0:
        span = _scan_link(text, i, pairs, budget)
        if span is None:
            i = text.find("[", i + 1)
            continue
        spans.append(span)
        i = text.find("[", span.end)
    return spans


def _scan_link(text: str, start: int, pairs: dict[int, int], budget: _Budget) -> _LinkSpan | None:
    """The link whose label opens at `text[start] == '['`, or None if none is well formed there."""
    close = pairs.get(start)
    if close is None or close + 1 >= len(text) or text[close + 1] != "(":
        return None
    dest_end = _destination_end(text, close + 2, budget)
    if dest_end is None:
        return None
    dest_start, dest_stop, end = dest_end
    label = text[start + 1 : close]
    dest = text[dest_start:dest_stop]
    is_image = start > 0 and text[start - 1] == "!"
    badge = _BADGE_LABEL.fullmatch(label) is not None
    return _LinkSpan(label, dest, start - 1 if is_image else start, end, is_image or badge)


def _bracket_pairs(text: str) -> dict[int, int]:
    """Index of the matching `]` of every `[` that has one (escaped brackets skipped).

    One pass for the whole text, so that a line of thousands of `[` stays linear.
    """
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET_OR_ESCAPE.finditer(text):
        char = match.group()
        if char == "[":
            opened.append(match.start())
        elif char == "]" and opened:
            pairs[opened.pop()] = match.start()
    return pairs


def _destination_end(text: str, i: int, budget: _Budget) -> tuple[int, int, int] | None:
    """(start, stop) of a link destination beginning at `i`, and the index after its `)`.

    Looks at no more than `_MAX_URL_CHARS` characters nor what is left of `budget` (and spends it).
    """
    while i < len(text) and text[i] in " \t":
        i += 1
    reach = min(_MAX_URL_CHARS, budget.left)
    if i < len(text) and text[i] == "<":
        stop = text.find(">", i, i + reach)
        budget.left -= reach if stop == -1 else stop - i
        if stop == -1:
            return None
        return _after_title(text, i + 1, stop, stop + 1)
    start, depth = i, 0
    limit = min(len(text), i + reach)
    try:
        while i < limit:
            char = text[i]
            if char == "\\":
                i += 2
                continue
            if char in " \t":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    return start, i, i + 1
                depth -= 1
            i += 1
    finally:
        budget.left -= i - start
    if i >= limit and limit < len(text):
        return None  # no URL is this long: a malformed link, not a reason to scan on
    return _after_title(text, start, min(i, len(text)), i)


def _after_title(text: str, start: int, stop: int, i: int) -> tuple[int, int, int] | None:
    """Skip an optional `"title"` and the closing parenthesis."""
    match = _TITLE_AND_CLOSE.match(text, i)
    if match is None:
        return None
    return start, stop, match.end()


def _strip_images(text: str) -> str:
    if "[" not in text:
        return text
    out, last = [], 0
    for span in _links(text):
        if span.image:
            out.append(text[last : span.start])
            last = span.end
    out.append(text[last:])
    return "".join(out)


def _plain(text: str) -> str:
    """Text without images, link syntax, HTML tags, emphasis marks and extra whitespace."""
    text = _strip_images(text)
    text = re.sub(r"\[([^\[\]]*)\]\([^()]*\)", r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _description(rest: str) -> str | None:
    """The text after the name's link, badges dropped, without its leading separator."""
    text = _plain(rest)
    text = text.lstrip(_SEPARATORS + " \t")
    return text or None
