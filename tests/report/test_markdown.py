"""The Markdown list: size under GitHub's README limit at 5,000 tools, ranking order, the collapsed
tail, marks for new and moved tools, and outside text that stays text when a real GFM renderer
(cmark-gfm, the library GitHub's own renderer is built on) reads it, raw HTML let through."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
import synthetic_report as synthetic
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.model.results import Ranking
from mlops_radar.report.markdown import (
    GITHUB_README_LIMIT,
    LEVELS,
    md_text,
    release_dates,
    render_markdown,
    repository_url,
)

pytestmark = pytest.mark.filterwarnings("error")


#: GitHub's extensions but its tag filter, which would hide a <script> the list let through.
EXTENSIONS = ["table", "autolink", "strikethrough", "tasklist"]


def gfm(text: str) -> str:
    """GitHub-flavoured Markdown to HTML with raw HTML let through and no tag filter (GitHub
    filters and sanitises; letting everything through shows whatever the list failed to
    escape)."""
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=EXTENSIONS
    )


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text per top-level block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(markdown: str) -> Elements:
    parsed = Elements()
    parsed.feed(gfm(markdown))
    parsed.close()
    return parsed


OURS = {"h1", "h2", "p", "ol", "ul", "li", "strong", "a", "br", "details", "summary", "blockquote"}
LINK = re.compile(r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+|#[\w-]*")


def assert_inert(markdown: str) -> Elements:
    """Only the list's own elements, links only to GitHub repositories and anchors, no
    attribute but href."""
    parsed = elements(markdown)
    for tag, attrs in parsed.tags:
        assert tag in OURS, f"unexpected <{tag}> {attrs}"
        if tag == "a":
            assert set(attrs) == {"href"}, attrs
            assert LINK.fullmatch(attrs["href"] or ""), attrs
        elif tag == "ol":
            assert set(attrs) <= {"start"}, attrs
            assert (attrs.get("start") or "1").isdigit(), attrs
        else:
            assert not attrs, (tag, attrs)
    raw = gfm(markdown).lower()
    for bad in ("<script", "<img", "javascript:", "onerror"):
        assert bad not in re.sub(r">[^<]*<", "><", raw), bad  # in markup, not in text
    return parsed


@pytest.fixture(scope="module")
def table():
    return synthetic.facts(5_000)


@pytest.fixture(scope="module")
def ranking(table) -> Ranking:
    return synthetic.ranking_of(table)


@pytest.fixture(scope="module")
def changes(table):
    return synthetic.changes_of(table)


@pytest.fixture(scope="module")
def listing(ranking, changes, table) -> str:
    return render_markdown(ranking, changes, simulated=True, releases=release_dates(table))


def hostile_ranking() -> Ranking:
    """A small list (every tool among the first ten of its category) full of hostile names."""
    return synthetic.ranking_of(synthetic.facts(len(synthetic.HOSTILE) + 5, seed=3))


def test_five_thousand_tools_stay_under_githubs_readme_limit(listing, ranking) -> None:
    size = len(listing.encode("utf-8"))
    assert size <= 480_000 < GITHUB_README_LIMIT
    assert sum(len(g.tools) for g in ranking.groups) > 5_000  # a tenth sit in two categories
    assert_inert(listing)


def test_each_group_lists_its_tools_in_ranking_order_first_ten_in_full(listing, ranking) -> None:
    sections = listing.split("\n## ")[1:]
    assert len(sections) == len(ranking.groups)
    for section, group in zip(sections, ranking.groups, strict=True):
        assert section.startswith(md_text(group.name) + "\n")
        full = re.findall(r"^(\d+)\. \*\*", section, flags=re.M)
        tail = re.findall(r"^(\d+)\. \[", section, flags=re.M)
        assert [int(n) for n in full] == list(range(1, min(10, group.total) + 1))
        assert [int(n) for n in tail] == list(range(11, group.total + 1))
        names = re.findall(r"^\d+\. \**\[(.*?)\]\(https", section, flags=re.M)
        assert names == [md_text(t.tool) for t in group.tools if t.repo]
        more = group.total - 10
        if more > 0:
            assert section.count(f"<details><summary>{more:,} more</summary>") == 1
        else:
            assert "<details>" not in section


def test_full_entries_carry_ring_score_stars_release_license_and_reason(
    listing, ranking, table
) -> None:
    from mlops_radar.report.words import lead_reason

    group = ranking.groups[1]
    first = group.tools[0]
    released = release_dates(table)[first.repo.lower()]
    line, reason = re.search(
        rf"^1\. \*\*\[{re.escape(md_text(first.tool))}\].*\n.*", listing.split("\n## ")[2], re.M
    )[0].split("\n")
    assert f"· {first.ring.value} {first.score:.0f} ·" in line
    assert f"★ {first.explanation.ring.stars:,.0f}" in line
    assert ("last release " + (md_text(released.isoformat()) if released else "unknown")) in line
    assert reason.strip() == md_text(lead_reason(first.explanation), 320)


def test_unknown_stars_and_releases_say_unknown_not_zero() -> None:
    table = synthetic.facts(20, seed=5)
    table["stars"] = float("nan")
    table["latest_release_at"] = None
    text = render_markdown(synthetic.ranking_of(table), releases=release_dates(table))
    assert "★ unknown" in text
    assert "last release unknown" in text
    assert "★ 0 " not in text
    assert "last release" not in render_markdown(synthetic.ranking_of(table))  # not collected


def test_new_and_moved_tools_are_marked(listing, ranking, changes) -> None:
    new = {r.repo.lower() for r in changes.added}
    moved = {c.repo.lower(): c.old for c in changes.renamed}
    entries = [t for g in ranking.groups for t in g.tools]
    assert listing.count("· **new**") == sum(t.repo.lower() in new for t in entries)
    assert listing.count("**moved** from") == sum(t.repo.lower() in moved for t in entries)
    assert listing.count("· **new**") >= 40
    assert len(moved) == 10
    some = next(t for t in entries if t.repo.lower() in moved)
    assert f"**moved** from {md_text(moved[some.repo.lower()])}" in listing
    assert "3 gone" in listing
    assert "\\<b\\>gone\\</b\\>" in listing


def test_tighter_budgets_shrink_the_tail_and_say_what_was_collapsed(ranking, changes) -> None:
    sizes = []
    for budget in (480_000, 200_000, 60_000, 30_000):
        text = render_markdown(ranking, changes, budget=budget)
        size = len(text.encode("utf-8"))
        assert size <= budget
        sizes.append(size)
        said = [level.said for level in LEVELS if level.said and level.said in text]
        assert len(said) == (budget < 480_000)  # the level's sentence, once, when it collapsed
        assert_inert(text)
    assert sizes == sorted(sizes, reverse=True)
    names = render_markdown(ranking, changes, budget=200_000)
    assert "<details>" in names
    assert "https://github.com/owner" in names
    assert names.count("](https://github.com/") < listing_links(ranking)


def listing_links(ranking: Ranking) -> int:
    return sum(len(g.tools) for g in ranking.groups)


def test_a_budget_too_small_for_every_group_leaves_groups_out_and_says_so(ranking) -> None:
    text = render_markdown(ranking, budget=6_000)
    assert len(text.encode("utf-8")) <= 6_000
    assert re.search(r"\d+ more lists left out", text)
    assert_inert(text)


def test_simulated_data_has_a_banner(ranking) -> None:
    assert "**Simulated data.**" in render_markdown(ranking, simulated=True, budget=10**7)
    assert "Simulated" not in render_markdown(ranking, budget=10**7)


def test_same_input_gives_byte_identical_lists(table, listing, changes) -> None:
    again = render_markdown(
        synthetic.ranking_of(table.copy()), changes, simulated=True, releases=release_dates(table)
    )
    assert again.encode("utf-8") == listing.encode("utf-8")


def test_hostile_names_licenses_and_categories_render_as_text_only() -> None:
    ranking = hostile_ranking()
    text = render_markdown(ranking, title="<script>alert('title')</script> [x](javascript:y)")
    parsed = assert_inert(text)
    shown = "".join(parsed.text).replace("\u2060", "")
    for name in synthetic.HOSTILE:
        clean = " ".join(name.split()).replace("\u202e", "\ufffd").replace("\u202c", "\ufffd")
        assert clean.replace("\x1b", "\ufffd") in shown, name
    assert "<img src=x onerror=alert('license')>" in shown  # the license, as text
    assert "<script>alert('cat')</script>" in shown  # the category, as text
    assert "<script>alert('title')</script> [x](javascript:y)" in shown
    assert sum(tag == "h2" for tag, _ in parsed.tags) == len(ranking.groups)


def test_contents_link_to_the_anchors_github_gives_the_headings() -> None:
    ranking = hostile_ranking()
    text = render_markdown(ranking)
    anchors = re.findall(r"^- \[.*\]\(#([\w-]*)\)$", text, flags=re.M)
    assert len(anchors) == len(ranking.groups) == len(set(anchors))
    for group, anchor in zip(ranking.groups, anchors, strict=True):
        if group.name.startswith("Category "):
            assert anchor == group.name.lower().replace(" ", "-")
        else:
            assert (group.name, anchor) == ("<script>alert('cat')</script>", "scriptalertcatscript")


@pytest.mark.parametrize(
    ("repo", "url"),
    [
        ("apache/superset", "https://github.com/apache/superset"),
        ("a-b/c.d_e", "https://github.com/a-b/c.d_e"),
        ("javascript:alert(1)//x", None),
        ("evil.example/x y", None),
        ("owner/..", None),
        ("-owner/x", None),
        ("owner/name)](javascript:x", None),
        ("o/n/extra", None),
        (None, None),
    ],
)
def test_only_github_shaped_repositories_become_links(repo, url) -> None:
    assert repository_url(repo) == url


@pytest.mark.parametrize(
    "value",
    [
        *synthetic.HOSTILE,
        "mail@evil.example",
        "https://evil.example",
        "www.evil.example",
        "<https://evil.example>",
        "<mail@evil.example>",
        "[ref]\n\n[ref]: https://evil.example",
        "![x][ref]",
        "&#x3C;script&#x3E;",
        "<!-- comment -->",
        "<?php ?>",
        "<![CDATA[x]]>",
        "`<script>`",
        "- item",
        "1. item",
        "> quote",
        "| a | b |",
        "x\\",
        "\\<script>",
    ],
)
def test_hostile_text_renders_as_one_paragraph_of_that_text(value: str) -> None:
    parsed = elements("x " + md_text(value, limit=10_000) + " x")
    assert [tag for tag, _ in parsed.tags] == ["p"]
    shown = "".join(parsed.text).replace("\u2060", "").strip()
    assert (
        shown.replace("\ufffd", "")
        == "x " + re.sub("[\u202a-\u202e\x1b]", "", " ".join(value.split())) + " x"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_renders_as_exactly_that_text(value: str) -> None:
    """Property: whatever the text, GFM shows it as text in one paragraph, no other element."""
    markdown = "x " + md_text(value, limit=10_000) + " x"
    parsed = elements(markdown)
    assert [tag for tag, _ in parsed.tags] == ["p"]
    shown = html.unescape("".join(parsed.text)).replace("\u2060", "").strip()
    expected = " ".join(value.split())
    expected = re.sub("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]",
                      "\ufffd", expected)  # fmt: skip
    assert shown == f"x {expected} x".strip() or shown == f"x {expected} x"


def test_ring_moves_are_marked_up_or_down_from_the_ring_they_had() -> None:
    from mlops_radar.model.results import Ring, tool_key

    ranking = synthetic.ranking_of(synthetic.facts(20, seed=5))
    first, second = ranking.groups[0].tools[0], ranking.groups[0].tools[1]
    worse = Ring.HOLD if first.ring != Ring.HOLD else Ring.ADOPT
    then = {
        (tool_key(first.tool, first.repo), first.group): worse,
        (tool_key(second.tool, second.repo), second.group): second.ring,  # same ring: no mark
    }
    text = render_markdown(ranking, rings_then=then)
    line = next(x for x in text.splitlines() if x.startswith(f"{first.rank}. "))
    direction = "up" if worse == Ring.HOLD else "down"
    assert f"**{direction}** from {worse.value}" in line
    assert text.count("** from ") == 1
    assert render_markdown(ranking) == render_markdown(ranking, rings_then={})
