"""The awesome-list Markdown reader: real snapshots, awkward forms, and arbitrary text."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.catalog import LinkKind, read_catalog
from mlops_radar.catalog.readers.markdown import read_markdown

SNAPSHOTS = (
    "README-2020-05-25.md", "README-2021-05-14.md", "README-2021-12-06.md", "README-2022-12-06.md",
    "README-2023-11-29.md", "README-2024-11-29.md", "README-2025-12-17.md", "README-2026-08-16.md",
)  # fmt: skip

# Per-category entry counts, counted in the shell with awk, independently of the parser:
#   awk '/^# Resources/{exit} /^## /{sec=substr($0,4)} /^\* \[/{c[sec]++}
#        END{for(s in c) printf "%s\t%d\n", s, c[s]}' README-....md
COUNTS_2021_05_14 = {
    "AutoML": 8, "CI/CD for Machine Learning": 1, "Cron Job Monitoring": 2, "Data Exploration": 6,
    "Data Management": 5, "Data Processing": 4, "Data Validation": 2, "Data Visualization": 9,
    "Feature Store": 3, "Hyperparameter Tuning": 7, "Knowledge Sharing": 2,
    "Machine Learning Platform": 23, "Model Interpretability": 4, "Model Lifecycle": 8,
    "Model Serving": 13, "Optimization Tools": 12, "Simplification Tools": 7,
    "Visual Analysis and Debugging": 4, "Workflow Tools": 10,
}  # fmt: skip
COUNTS_2026_08_16 = {
    "AutoML": 11, "CI/CD for Machine Learning": 3, "Cron Job Monitoring": 3, "Data Catalog": 7,
    "Data Enrichment": 2, "Data Exploration": 10, "Data Management": 16, "Data Processing": 6,
    "Data Validation": 5, "Data Visualization": 11, "Drift Detection": 3, "Feature Engineering": 3,
    "Feature Store": 6, "Hyperparameter Tuning": 9, "Knowledge Sharing": 2,
    "Machine Learning Platform": 33, "Model Fairness and Privacy": 4, "Model Interpretability": 8,
    "Model Lifecycle": 12, "Model Serving": 25, "Model Testing & Validation": 3,
    "Optimization Tools": 15, "Simplification Tools": 12, "Visual Analysis and Debugging": 15,
    "Workflow Tools": 20,
}  # fmt: skip
# Entries in tool sections of each snapshot, same awk count summed (2020-05-25 is an empty stub).
TOTALS = {
    "README-2020-05-25.md": 0, "README-2021-05-14.md": 130, "README-2021-12-06.md": 160,
    "README-2022-12-06.md": 210, "README-2023-11-29.md": 229, "README-2024-11-29.md": 236,
    "README-2025-12-17.md": 240, "README-2026-08-16.md": 244,
}  # fmt: skip


@pytest.mark.parametrize(
    ("snapshot", "expected"),
    [("README-2021-05-14.md", COUNTS_2021_05_14), ("README-2026-08-16.md", COUNTS_2026_08_16)],
)
def test_per_category_counts_match_an_independent_count(
    awesome: Path, snapshot: str, expected: dict[str, int]
) -> None:
    result = read_markdown((awesome / snapshot).read_text(encoding="utf-8"))
    counted = Counter(entry.categories[0] for entry in result.entries)
    assert dict(counted) == expected
    assert result.problems == ()


def _resource_start(text: str) -> int:
    """Line number of `# Resources`: everything from there on is resources, not tools."""
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith("# Resources"))


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_tool_entry_and_nothing_from_resources(awesome: Path, snapshot: str) -> None:
    text = (awesome / snapshot).read_text(encoding="utf-8")
    entries = read_markdown(text).entries
    assert len(entries) == TOTALS[snapshot]
    if not entries:
        return
    start = _resource_start(text)
    assert all(entry.line is not None and entry.line < start for entry in entries)
    # every `* [` line of a `##` section before the resources is an entry, by its line number
    lines = text.splitlines()[: start - 1]
    first_section = next(n for n, line in enumerate(lines, start=1) if line.startswith("## "))
    entry_lines = {
        n for n, line in enumerate(lines, start=1) if n > first_section and line.startswith("* [")
    }
    assert {entry.line for entry in entries} == entry_lines


def test_catalog_of_a_snapshot_merges_nothing_it_should_not(awesome: Path) -> None:
    catalog = read_catalog(awesome / "README-2026-08-16.md")
    assert catalog.problems == ()
    assert sum(category.tools for category in catalog.categories) == 244
    tools = {tool.name: tool for tool in catalog.tools}
    butterfree = tools["Butterfree"]
    assert (butterfree.kind, butterfree.repo) == (LinkKind.REPO, "quintoandar/butterfree")
    assert butterfree.categories == ("Feature Store",)
    assert (tools["Feast"].kind, tools["Feast"].repo) == (LinkKind.WEBSITE, None)  # feast.dev


def test_awkward_forms(samples: Path) -> None:
    catalog = read_catalog(samples / "tricky.md")
    tools = {tool.name: tool for tool in catalog.tools}
    assert list(tools) == ["Alpha", "Beta", "Gamma", "Gamma Lite", "Delta", "Epsilon", "Zeta"]
    alpha = tools["Alpha"]  # `.git`, `#readme` and a second category merged into the first entry
    assert (alpha.repo, alpha.line, alpha.categories) == (
        "Acme/Alpha",
        13,
        ("Serving", "Monitoring"),
    )
    assert tools["Beta"].description == "En-dash before the description."
    assert (tools["Gamma"].kind, tools["Gamma"].subpath) == (LinkKind.SUBPATH, "python/gamma")
    assert tools["Gamma"].description == "Badge after the name."
    assert (tools["Gamma Lite"].forge, tools["Gamma Lite"].forge_path) == (
        "gitlab.com",
        "acme/gamma-lite",
    )
    assert tools["Delta"].url == "https://gamma.example.org"
    assert tools["Epsilon"].description == "Bold name, HTML in the description."
    assert (tools["Zeta"].kind, tools["Zeta"].org) == (LinkKind.ORG, "acme")
    assert [c.name for c in catalog.categories] == ["Serving", "Monitoring"]


def test_malformed_entries_are_problems_with_line_numbers(samples: Path) -> None:
    source = samples / "tricky.md"
    catalog = read_catalog(source)
    assert [(p.line, p.reason) for p in catalog.problems] == [
        (32, "malformed [name](url) link"),
        (33, "entry has an empty name"),
        (34, "entry's link is not an absolute http(s) URL"),
        (35, "list item without a [name](url) link"),
        (36, "entry-like line without a list marker ('* ')"),
        (21, f"the same repository Acme/Alpha is listed as 'Alpha' ({source}:13) and as "
         f"'Alpha again' ({source}:21): read as one tool, 'Alpha'"),
    ]  # fmt: skip
    assert catalog.problems[0].text.startswith("* [Broken]")
    assert catalog.problems[-1].locations == (f"{source}:13", f"{source}:21")


def test_resource_sections_are_configurable(samples: Path) -> None:
    default = {tool.name for tool in read_catalog(samples / "tricky.md").tools}
    assert "A Tutorial" not in default
    # `Resources` no longer a resource section (a list given is the whole rule, no words):
    # its sub-sections' entries become tools
    tools = read_catalog(samples / "tricky.md", resource_sections=["Articles"]).tools
    assert {"A Tutorial"} <= {tool.name for tool in tools} - default
    assert "An Article" not in {tool.name for tool in tools}


# --- arbitrary text -------------------------------------------------------------------------------

_ENTRY_PARTS = st.sampled_from(
    ["* ", "- ", "  * ", "[", "]", "(", ")", "![b](i)", "Name", "https://github.com/a/b",
     "http://x.y", " - ", " – ", "desc", "<a href='https://q.r'>", "</a>", "#x", "`", "**", "\\",
     "<!--", "-->", "```"]
)  # fmt: skip
_entry_like = st.lists(_ENTRY_PARTS, min_size=1, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = read_markdown(text)
    lines = text.splitlines()
    for problem in result.problems:
        assert 1 <= problem.line <= len(lines)
    for entry in result.entries:
        assert entry.name
        assert entry.link.lower().startswith("http")


@settings(max_examples=300, deadline=None)
@given(st.lists(_entry_like, max_size=10))
def test_entry_like_lines_become_entries_or_problems(lines: list[str]) -> None:
    text = "# Title\n\n## Tools\n\n" + "\n".join(lines) + "\n"
    result = read_markdown(text)
    numbered = text.splitlines()
    for problem in result.problems:
        assert problem.text == numbered[problem.line - 1].strip()[:300]
    for entry in result.entries:
        assert entry.line is not None
        assert entry.line > 4
        assert entry.categories == ("Tools",)
    # a well-formed top-level entry is always read (unless a fence or comment hides it)
    if "```" in text or "<!--" in text:
        return
    for number, line in enumerate(numbered, start=1):
        if re.fullmatch(r"[*-] \[[A-Za-z]+\]\(https://github\.com/a/b\) - desc", line):
            assert number in {entry.line for entry in result.entries}


def test_a_category_name_read_in_several_places_is_qualified_by_its_headings() -> None:
    text = "\n".join(
        [
            "# Awesome",
            "## C",
            "#### General-Purpose Machine Learning",
            "* [Darknet](https://github.com/pjreddie/darknet) - a network framework.",
            "#### Computer Vision",
            "* [CCV](https://github.com/liuliu/ccv) - vision.",
            "## Python",
            "### Tools",
            "#### General-Purpose Machine Learning",
            "* [scikit-learn](https://github.com/scikit-learn/scikit-learn) - machine learning.",
            "## Scala",
            "### Tools",
            "#### General-Purpose Machine Learning",
            "* [Smile](https://github.com/haifengl/smile) - machine learning.",
            "## Serving",
            "### Serving",  # a subsection named as its section: the same place
            "* [BentoML](https://github.com/bentoml/BentoML) - serving.",
            "## Python",  # the same path again later in the file: the same category
            "### Tools",
            "#### General-Purpose Machine Learning",
            "* [Orange](https://github.com/biolab/orange3) - data mining.",
        ]
    )
    result = read_markdown(text)
    categories = {e.name: e.categories for e in result.entries}
    assert categories == {
        "Darknet": ("C / General-Purpose Machine Learning",),
        "CCV": ("Computer Vision",),  # found in one place: its name as written
        # "Tools" is above both, so the nearest heading that tells them apart is the language
        "scikit-learn": ("Python / Tools / General-Purpose Machine Learning",),
        "Smile": ("Scala / Tools / General-Purpose Machine Learning",),
        "BentoML": ("Serving",),
        "Orange": ("Python / Tools / General-Purpose Machine Learning",),
    }
