"""Lists of any shape (issue 9 item 5): resource sections by their words, skipped sections,
--skip-section/--only-section, mostly-websites warnings, one repository under two names, file
order; nested headings, tables, HTML lists and collapsed sections; and arbitrary list structures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.catalog import read_catalog
from mlops_radar.catalog.assemble import MOSTLY_WEBSITES, assemble_catalog
from mlops_radar.catalog.readers import ReadOptions
from mlops_radar.catalog.readers.markdown import read_markdown
from mlops_radar.catalog.records import LinkKind
from mlops_radar.catalog.sections import resource_reason
from mlops_radar.catalog.stages import load_stage_map
from mlops_radar.cli import main

# --- the rule, table-driven ---------------------------------------------------------------------

RESOURCES = [
    "Articles", "Books", "MLOps Books", "Other Awesome Lists", "Awesome Lists", "Talks",
    "Videos", "Courses & Tutorials", "Blogs and Newsletters", "Newsletters", "Podcasts",
    "Communities", "Community", "Events", "Conferences and Meetups", "Papers",
    "Research Papers", "Further Reading", "Learning Resources", "Resources", "Contributing",
    "License", "Code of Conduct", "Table of Contents", "Star History", "Websites", "Slack",
    "📚 Books", "1. Articles", "Related Lists", "IMPORTANT NOTE ON PRs:", "Release Notes",
    "Notes", "Pull Requests",
]  # fmt: skip
TOOLS = [
    "Dataset Management", "Knowledge Sharing", "Model Serving", "Data Catalog", "Feature Store",
    "Distributed Training", "Model Training", "Cron Job Monitoring", "Event Streaming",
    "Video Analytics", "Content Moderation", "Resource Management", "Credit Scoring",
    "Experiment Tracking", "AutoML", "Other", "Machine Learning", "Data Validation",
    "Jupyter Notebooks", "Hardware Support", "Explainability", "Model History",
    "Notebooks", "PR Review Bots", "Note Taking Apps",
]  # fmt: skip


@pytest.mark.parametrize("heading", RESOURCES)
def test_resource_headings_are_recognised_by_their_words(heading: str) -> None:
    assert resource_reason(heading) is not None, heading


@pytest.mark.parametrize("heading", TOOLS)
def test_tool_headings_are_not_resources(heading: str) -> None:
    assert resource_reason(heading) is None, heading


# --- a list of many shapes ------------------------------------------------------------------------


def test_nested_headings_tables_html_and_details(samples: Path) -> None:
    catalog = read_catalog(samples / "shapes.md")
    tools = {tool.name: tool for tool in catalog.tools}
    assert list(tools) == [
        "Alpha Serve", "Beta Batch", "Gamma Watch", "Delta Logs", "Epsilon Label", "Zeta Label",
        "Eta Serve",
    ]  # fmt: skip
    # the deepest heading names the category; <details> is read under its heading
    assert tools["Alpha Serve"].categories == ("Online Serving", "Batch Scoring")
    assert tools["Beta Batch"].categories == ("Batch Scoring",)
    # a table row whose first cell is plain text: that cell names the tool, badges dropped
    assert (tools["Gamma Watch"].repo, tools["Gamma Watch"].description) == (
        "shapes/gamma",
        "Watches drift.",
    )
    assert tools["Delta Logs"].description == "Keeps logs."
    # an HTML heading and an HTML list
    assert tools["Epsilon Label"].categories == ("Labeling",)
    assert tools["Zeta Label"].kind is LinkKind.WEBSITE
    assert [c.name for c in catalog.categories] == [
        "Online Serving", "Batch Scoring", "Monitoring", "Labeling", "Serving",
    ]  # fmt: skip
    assert [c.tools for c in catalog.categories] == [1, 2, 2, 2, 1]


def test_resource_sections_at_any_level_are_skipped_and_listed(samples: Path) -> None:
    catalog = read_catalog(samples / "shapes.md")
    names = {tool.name for tool in catalog.tools}
    assert not names & {"A Book", "Awesome Something", "A Course"}
    skipped = [(s.section, s.line, s.entries) for s in catalog.skipped]
    text = (samples / "shapes.md").read_text(encoding="utf-8").splitlines()
    for section, line, _ in skipped:  # each names its heading's line
        assert section in text[line - 1]
    assert [(s, n) for s, _, n in skipped] == [
        ("Contents", 0), ("MLOps Books", 1), ("Other Awesome Lists", 1),
        ("Learning Resources", 0), ("Courses & Tutorials", 1), ("Contributing", 0),
    ]  # fmt: skip
    reasons = {s.section: s.reason for s in catalog.skipped}
    assert "inside the skipped section 'Learning Resources'" in reasons["Courses & Tutorials"]


def test_a_heading_that_only_organises_the_page_keeps_its_subsections(tmp_path: Path) -> None:
    # EthicalML's list puts every category under "# Main Content": skipping that heading (a
    # table of contents is no category) must not skip the categories under it
    path = tmp_path / "list.md"
    path.write_text(
        "# A list\n\n## Table of Contents\n* [Serving](#serving)\n\n# Main Content\n\n"
        "## Serving\n* [Alpha](https://github.com/o/alpha) - Serves.\n\n"
        "## Resources\n### Model Serving\n* [A talk](https://github.com/o/talk)\n",
        encoding="utf-8",
    )
    catalog = read_catalog(path)
    assert [(t.name, t.categories) for t in catalog.tools] == [("Alpha", ("Serving",))]
    reasons = {s.section: s.reason for s in catalog.skipped}
    assert set(reasons) == {"Table of Contents", "Main Content", "Resources", "Model Serving"}
    # a resource section still takes its subsections, whatever their names
    assert reasons["Model Serving"] == "inside the skipped section 'Resources'"


@pytest.mark.parametrize(
    ("name", "organises"),
    [("Main Content", True), ("Table of Contents", True), ("Contents", True), ("TOC", True),
     ("Content Moderation", False), ("Contributing", False), ("Content Management", False)],
)  # fmt: skip
def test_structural_headings(name: str, organises: bool) -> None:
    from mlops_radar.catalog.sections import structural

    assert structural(name) is organises


def test_same_repository_under_two_names_is_a_problem_naming_both_places(samples: Path) -> None:
    source = samples / "shapes.md"
    catalog = read_catalog(source)
    assert sum(1 for t in catalog.tools if t.repo == "shapes/alpha") == 1  # still one tool
    (problem,) = [p for p in catalog.problems if "two" in p.reason or "listed as" in p.reason]
    assert problem.locations == (f"{source}:17", f"{source}:25")
    assert "'Alpha Serve'" in problem.reason
    assert "'Alpha Batch'" in problem.reason


def test_same_name_in_two_categories_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text(
        "# L\n## A\n* [Tool](https://github.com/o/t) - x\n## B\n* [tool](https://github.com/O/T)\n"
    )
    catalog = read_catalog(path)
    assert catalog.problems == ()
    assert catalog.tools[0].categories == ("A", "B")


def test_categories_keep_file_order_when_a_tool_reappears(tmp_path: Path) -> None:
    # Alpha (first in A) reappears in C: C must still come after B
    path = tmp_path / "list.md"
    path.write_text(
        "# L\n## A\n* [Alpha](https://github.com/o/alpha)\n"
        "## B\n* [Beta](https://github.com/o/beta)\n"
        "## C\n* [Alpha](https://github.com/o/alpha)\n* [Gamma](https://github.com/o/gamma)\n"
    )
    assert [c.name for c in read_catalog(path).categories] == ["A", "B", "C"]


def test_shared_snapshots_categories_in_file_order(awesome: Path) -> None:
    for path in sorted(awesome.glob("README-*.md")):
        text = path.read_text(encoding="utf-8")
        catalog = read_catalog(path)
        headings = [" ".join(h.split()) for h in re.findall(r"^## (.+)$", text, re.M)]
        names = [c.name for c in catalog.categories]
        assert names == [h for h in headings if h in names], path.name
        # every resource heading of the file is listed as skipped, none read as tools
        assert {"Articles", "Books", "Other Lists"} <= {s.section for s in catalog.skipped} or (
            not catalog.tools
        )
        assert catalog.warnings == (), path.name  # tool lists, even where half link homepages


# --- warnings -------------------------------------------------------------------------------------


def test_a_reading_list_warns_mostly_websites(samples: Path) -> None:
    catalog = read_catalog(samples / "reading-list.md")
    (warning,) = catalog.warnings
    assert (warning.code, warning.websites, warning.tools, warning.section) == (
        "mostly_websites",
        36,
        40,
        None,
    )


def test_a_section_of_websites_warns_on_its_own(tmp_path: Path) -> None:
    repos = "".join(f"* [R{i}](https://github.com/o/r{i})\n" for i in range(30))
    sites = "".join(f"* [S{i}](https://s{i}.example.org)\n" for i in range(10))
    path = tmp_path / "list.md"
    path.write_text(f"# L\n## Tools\n{repos}## Vendors\n{sites}")
    (warning,) = read_catalog(path).warnings
    assert (warning.section, warning.websites, warning.tools) == ("Vendors", 10, 10)


# --- the CLI -------------------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_show_json_lists_skipped_and_warnings(samples: Path) -> None:
    code, out, _ = _run("catalog", "show", str(samples / "reading-list.md"), "--json")
    assert code == 0
    payload = json.loads(out)
    (warning,) = payload["warnings"]
    assert warning["code"] == "mostly_websites"
    assert warning["message"].startswith("36 of 40 entries are websites, not repositories")
    code, out, _ = _run("catalog", "show", str(samples / "shapes.md"), "--json")
    skipped = json.loads(out)["skipped"]
    assert {"section": "Other Awesome Lists", "line": 52, "reason": skipped[2]["reason"],
            "entries": 1} == skipped[2]  # fmt: skip
    assert skipped[2]["reason"].startswith("resource section")


def test_show_says_skipped_sections_and_warnings_in_the_terminal(samples: Path) -> None:
    code, out, _ = _run("catalog", "show", str(samples / "reading-list.md"))
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "36 of 40 entries are websites, not repositories: is this a reading list?" in out
    code, out, _ = _run("catalog", "show", str(samples / "shapes.md"))
    skipped = [line for line in out.splitlines() if line.startswith("skipped")]
    assert skipped
    assert "Other Awesome Lists (1)" in " ".join(out.split())


def test_skip_and_only_section_are_case_insensitive_and_repeatable(samples: Path) -> None:
    path = str(samples / "shapes.md")
    code, out, _ = _run(
        "catalog", "show", path, "--json", "--skip-section", "monitoring",
        "--skip-section", "LABELING",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert {c["name"] for c in payload["categories"]} == {
        "Online Serving", "Batch Scoring", "Serving",
    }  # fmt: skip
    by = {s["section"]: s for s in payload["skipped"]}
    assert by["Monitoring"]["reason"] == "skipped by --skip-section"
    assert by["Monitoring"]["entries"] == 2
    # --only-section reads a section and its subsections, even one that looks like resources
    _, out, _ = _run(
        "catalog", "show", path, "--json", "--only-section", "serving",
        "--only-section", "Other Awesome Lists",
    )  # fmt: skip
    payload = json.loads(out)
    assert [c["name"] for c in payload["categories"]] == [
        "Online Serving", "Batch Scoring", "Serving", "Other Awesome Lists",
    ]  # fmt: skip
    assert "Gamma Watch" not in {t["name"] for t in payload["tools"]}


def test_only_section_on_the_study_spreadsheet(study: Path) -> None:
    full = read_catalog(study / "FerramentasMLOps.ods")
    first = full.categories[0].name
    only = read_catalog(study / "FerramentasMLOps.ods", only_sections=[first.upper()])
    assert [c.name for c in only.categories] == [first]
    assert len(only.tools) == full.categories[0].tools
    assert sum(s.entries for s in only.skipped) > 0


def test_collect_reads_the_catalog_with_the_section_options(samples: Path, tmp_path: Path) -> None:
    from mlops_radar.app.collection import open_collection
    from mlops_radar.store import Store

    with Store.open(str(tmp_path / "radar.sqlite3")) as store:
        opened = open_collection(
            store, [str(samples / "shapes.md")], skip_sections=["Labeling", "monitoring"]
        )
    assert {t.name for t in opened.entries} == {"Alpha Serve", "Beta Batch", "Eta Serve"}


def test_collect_has_the_section_options() -> None:
    code, out, _ = _run("collect", "--help")
    assert code == 0
    assert "--skip-section" in out
    assert "--only-section" in out


# --- arbitrary list structures --------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["Articles", "Books", "Other", "Awesome", "Lists", "Serving", "Data", "Model", "Talks",
     "Tools", "Contributing", "Resources", "Dataset", "Management", "&", "and", "Training"]
)  # fmt: skip
_NAME = st.one_of(
    st.lists(_WORDS, min_size=1, max_size=3).map(" ".join),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzÉé &/-", min_size=1, max_size=20).filter(
        lambda s: any(c.isalpha() for c in s)
    ),
)
_LINK = st.sampled_from(["repo", "website", "org", "html", "table", "badge", "li"])
_SECTION = st.tuples(st.integers(2, 4), _NAME, st.lists(_LINK, max_size=6))


def _entry_line(kind: str, n: int) -> str:
    repo = f"https://github.com/owner{n}/tool{n}"
    return {
        "repo": f"* [Tool {n}]({repo}) - a tool.",
        "website": f"- [Site {n}](https://site{n}.example.org) – a site.",
        "org": f"* [Org {n}](https://github.com/org{n})",
        "html": f'* <a href="{repo}">Tool {n}</a> - html',
        "table": f"| [Tool {n}]({repo}) | a tool |",
        "badge": f"* [Tool {n}]({repo}) ![s](https://img.shields.io/b{n}.svg) - badge",
        "li": f'<li><a href="https://site{n}.example.org">Site {n}</a></li>',
    }[kind]


@settings(max_examples=200, deadline=None)
@given(st.lists(_SECTION, max_size=8))
def test_arbitrary_list_structures(sections: list[tuple[int, str, list[str]]]) -> None:
    lines = ["# A List", ""]
    heading_lines: list[int] = []
    expected: list[int] = []  # entries per section
    kinds: list[str] = []
    n = 0
    for level, name, links in sections:
        lines.append(f"{'#' * level} {name}")
        heading_lines.append(len(lines))
        lines.append("")
        for kind in links:
            n += 1
            lines.append(_entry_line(kind, n))
            kinds.append(kind)
        expected.append(len(links))
        lines.append("")
    text = "\n".join(lines)
    result = read_markdown(text)
    # every section is either skipped (its entries counted) or read (its entries are tools)
    skipped = {s.line: s for s in result.skipped}
    for (_, name, _links), line, count in zip(sections, heading_lines, expected, strict=True):
        if line in skipped:
            assert skipped[line].entries == count
            assert skipped[line].section == " ".join(name.split())
        else:
            # a name read in two places is qualified by a heading above it ("a / Name")
            title = " ".join(name.split())
            read = [
                e
                for e in result.entries
                if e.categories[0] == title or e.categories[0].endswith(f" / {title}")
            ]
            assert len([e for e in read if line < (e.line or 0)]) >= count
    assert len(result.entries) + sum(s.entries for s in result.skipped) == n
    assert result.problems == ()
    # order preserved: entries in line order, categories in the order of their headings
    assert [e.line for e in result.entries] == sorted(e.line or 0 for e in result.entries)
    catalog = assemble_catalog("list.md", [result], load_stage_map("study", None))
    order = list(dict.fromkeys(c for e in result.entries for c in e.categories))
    assert [c.name for c in catalog.categories] == order
    assert sum(c.tools for c in catalog.categories) == sum(len(t.categories) for t in catalog.tools)
    # a list of mostly websites always warns
    sites = sum(1 for t in catalog.tools if t.kind is LinkKind.WEBSITE)
    if catalog.tools and sites > MOSTLY_WEBSITES * len(catalog.tools):
        assert [w.code for w in catalog.warnings if w.section is None] == ["mostly_websites"]
    else:
        assert all(w.section is not None for w in catalog.warnings)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.text(max_size=30)), max_size=6),
    st.lists(st.sampled_from(["website", "li"]), min_size=1, max_size=8),
)
def test_any_section_names_never_crash_and_only_websites_always_warn(
    headings: list[tuple[int, str]], links: list[str]
) -> None:
    body = "\n".join(_entry_line(kind, i) for i, kind in enumerate(links))
    text = "# T\n" + "\n".join(f"{'#' * lv} {name}" for lv, name in headings)
    text += "\n## Sites\n" + body + "\n"
    options = ReadOptions(only_sections=frozenset({"sites"}))
    for result in (read_markdown(text), read_markdown(text, options=options)):
        catalog = assemble_catalog("t.md", [result], load_stage_map("study", None))
        if catalog.tools:
            assert catalog.warnings[0].code == "mostly_websites"
    # with --only-section Sites, the sites are read whatever the headings before them
    assert len(read_markdown(text, options=options).entries) == len(links)


# --- links written without a scheme, and table rows whose link is no URL -------------------------


def test_forge_addresses_without_a_scheme_are_read_and_other_relative_links_reported() -> None:
    text = (
        "## Tuning\n\n"
        "| Project | Details |\n| --- | --- |\n"
        "| [Ray Tune](github.com/ray-project/ray) | Scalable tuning. |\n"
        "| [Local](./docs/local.md) | A page of this list. |\n"
        "| [Jump](#tuning) | An anchor. |\n\n"
        "## Tracking\n\n"
        "- [Aim](www.github.com/aimhubio/aim) - Experiment tracking.\n"
        "- [Site](docs.example.com/tool) - Not a forge: may be a relative path.\n"
    )
    result = read_markdown(text)
    by_name = {e.name: e for e in result.entries}
    assert set(by_name) == {"Ray Tune", "Aim"}
    assert by_name["Ray Tune"].url == "https://github.com/ray-project/ray"
    assert by_name["Aim"].url == "https://www.github.com/aimhubio/aim"
    problems = {p.line: p.reason for p in result.problems}
    assert problems == {
        6: "table row's link is not an absolute http(s) URL",
        12: "entry's link is not an absolute http(s) URL",
    }


def test_a_list_item_whose_link_is_wrapped_onto_the_next_lines_is_one_entry() -> None:
    text = (
        "## Vision\n\n"
        "* [Training a deep autoencoder or a classifier\n"
        "on MNIST digits](https://example.org/mnist) - Trains a classifier.\n"
        "* Several machine learning models are\n"
        "  included in the [`AI`](https://metacpan.org/search?q=AI) namespace.\n"
        "* A note with no link at all\n"
        "\n"
        "* Another note\n"
        "## Next\n"
        "* A note that goes on\n  and on\n  and on\n  and on\n  [Late](https://example.org/late)\n"
    )
    result = read_markdown(text)
    assert [(e.name, e.line) for e in result.entries] == [
        ("Training a deep autoencoder or a classifier on MNIST digits", 3),
        ("AI", 5),
    ]
    assert result.entries[0].description == "Trains a classifier."
    # no link by the end of the paragraph, or within three continuation lines: a problem,
    # shown by its first line
    assert [(p.line, p.reason) for p in result.problems] == [
        (7, "list item without a [name](url) link"),
        (9, "list item without a [name](url) link"),
        (11, "list item without a [name](url) link"),
    ]
    assert result.problems[0].text == "* A note with no link at all"


def test_a_homepage_entry_takes_the_repository_its_item_labels_as_its_code() -> None:
    text = (
        "## Vector search\n\n"
        "* [Qdrant](https://qdrant.tech) - Qdrant is [open source](https://github.com/qdrant/qdrant)"
        " vector search.\n"
        "* [Cheminfo](https://www.cheminfo.org/) - Uses the [visualizer]"
        "(https://github.com/npellet/visualizer) project.\n"
        "* [Tool](https://tool.example.org) - A tool. ([Demo](https://demo.example.org),"
        " [Source Code](https://gitlab.com/group/tool))\n"
        "* [Badge](https://badge.example.org) [![GitHub](https://img.shields.io/x.svg)]"
        "(https://github.com/acme/badge) - A badge is no label.\n"
        "* [Alpha](https://github.com/acme/alpha) - [GitHub](https://github.com/acme/other): its"
        " own link is already a repository.\n"
    )
    catalog = assemble_catalog("list.md", [read_markdown(text)], load_stage_map("study", None))
    found = {t.name: (t.kind, t.repo, t.forge_path, t.url) for t in catalog.tools}
    assert found["Qdrant"] == (LinkKind.REPO, "qdrant/qdrant", None, "https://qdrant.tech")
    assert found["Cheminfo"][:2] == (LinkKind.WEBSITE, None)  # a component, not its code
    assert found["Tool"][0] == LinkKind.OTHER_FORGE
    assert found["Tool"][3] == "https://tool.example.org"
    assert found["Badge"][:2] == (LinkKind.WEBSITE, None)
    assert found["Alpha"][:2] == (LinkKind.REPO, "acme/alpha")


def test_keep_section_reads_a_section_its_words_would_skip(tmp_path: Path) -> None:
    path = tmp_path / "selfhosted.md"
    path.write_text(
        "# Self-hosted\n\n"
        "## Polls and Events\n\n"
        "* [Framadate](https://framagit.org/framasoft/framadate) - Polls.\n\n"
        "## Resources\n\n### Tools we like\n\n"
        "* [Alpha](https://github.com/acme/alpha) - A tool.\n\n"
        "### Articles\n\n* [Post](https://example.org/post) - An article.\n\n"
        "## Monitoring\n\n* [Beta](https://github.com/acme/beta) - Watches.\n",
        encoding="utf-8",
    )
    _, out, _ = _run("catalog", "show", str(path))
    assert "--keep-section NAME reads one as tools" in " ".join(out.split())
    code, out, _ = _run(
        "catalog", "show", str(path), "--json", "--keep-section", "POLLS AND EVENTS",
        "--keep-section", "tools we like",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    # kept beside every other section, even under a skipped one; the rest as before
    assert [c["name"] for c in payload["categories"]] == [
        "Polls and Events", "Tools we like", "Monitoring",
    ]  # fmt: skip
    assert {s["section"] for s in payload["skipped"]} == {"Resources", "Articles"}
    # --skip-section wins over --keep-section
    _, out, _ = _run(
        "catalog", "show", str(path), "--json", "--keep-section", "Polls and Events",
        "--skip-section", "polls and events",
    )  # fmt: skip
    assert "Polls and Events" not in {c["name"] for c in json.loads(out)["categories"]}


def test_a_headings_trailing_colon_is_not_part_of_the_category() -> None:
    text = "## LLM Evaluation:\n\n* [Eval](https://github.com/acme/eval) - Evaluates.\n"
    assert [e.categories for e in read_markdown(text).entries] == [("LLM Evaluation",)]
