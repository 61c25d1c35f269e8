"""`Repository.object(expression:)`: trees and blobs from `SimRepo.files`, as GitHub answers."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from github_simulator import FixtureError, Population, SimRepo, Simulator
from github_simulator.gitobjects import BLOB_TEXT_LIMIT

Ask = Callable[..., httpx.Response]

# 512,005 bytes of UTF-8; the cut after 512,000 bytes splits the 256,000th "é" (2 bytes).
BIG = "a" + "é" * (BLOB_TEXT_LIMIT // 2) + "tail"
FILES: dict[str, str | bytes] = {
    "README.md": "# Widget\n",
    "LICENSES/MIT.txt": "MIT License\n",
    "LICENSES/Apache-2.0.txt": "Apache License\n",
    "src/widget/__init__.py": "",
    "logo.png": b"\x89PNG\r\n\x1a\n\x00\x01",
    "big.txt": BIG,
    "src-notes": "a file sorting between 'src' and 'src/' in git's order\n",
}
TREE = "... on Tree { oid entries { name type size path mode oid } }"
BLOB = "... on Blob { oid byteSize isBinary isTruncated text }"


@pytest.fixture
def sim(start: Callable[..., Simulator]) -> Simulator:
    return start(
        population=Population(
            repos=[
                SimRepo(owner="acme", name="widget", files=FILES, default_branch="trunk"),
                SimRepo(owner="acme", name="bare", files={}),
                SimRepo(owner="acme", name="unknown"),  # files=None: not modelled
                SimRepo(owner="acme", name="empty", commits=0, files={}),
            ]
        )
    )


def _object(sim: Simulator, ask: Ask, expression: str, selection: str, name: str = "widget") -> Any:
    query = (
        'query($name: String!, $x: String!) { repository(owner: "acme", name: $name) { '
        f"object(expression: $x) {{ __typename {selection} }} }} }}"
    )
    return ask(sim, query, {"name": name, "x": expression}).json()


def test_root_tree_lists_entries_in_git_order(sim: Simulator, ask: Ask) -> None:
    answer = _object(sim, ask, "HEAD:", TREE)
    assert "errors" not in answer
    tree = answer["data"]["repository"]["object"]
    assert tree["__typename"] == "Tree"
    assert [(e["name"], e["type"], e["size"], e["mode"]) for e in tree["entries"]] == [
        ("LICENSES", "tree", 0, 0o40000),
        ("README.md", "blob", 9, 0o100644),
        ("big.txt", "blob", len(BIG.encode()), 0o100644),
        ("logo.png", "blob", 10, 0o100644),
        ("src-notes", "blob", 55, 0o100644),
        ("src", "tree", 0, 0o40000),  # "src/" sorts after "src-notes" as bytes
    ]
    licenses = _object(sim, ask, "HEAD:LICENSES", TREE)["data"]["repository"]["object"]
    assert [(e["name"], e["path"]) for e in licenses["entries"]] == [
        ("Apache-2.0.txt", "LICENSES/Apache-2.0.txt"),
        ("MIT.txt", "LICENSES/MIT.txt"),
    ]


def test_object_ids_are_git_s_own(sim: Simulator, ask: Ask, tmp_path: Path) -> None:
    """`git` itself, fed the same files, computes the same blob and tree ids."""
    for path, content in FILES.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True
        ).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    root = _object(sim, ask, "HEAD:", TREE)["data"]["repository"]["object"]
    assert root["oid"] == git("write-tree")
    blob = _object(sim, ask, "trunk:LICENSES/MIT.txt", BLOB)["data"]["repository"]["object"]
    assert blob["oid"] == git("hash-object", "LICENSES/MIT.txt")


def test_blobs_text_binary_and_truncated(sim: Simulator, ask: Ask) -> None:
    readme = _object(sim, ask, "HEAD:README.md", BLOB)["data"]["repository"]["object"]
    assert readme == {
        "__typename": "Blob",
        "oid": readme["oid"],
        "byteSize": 9,
        "isBinary": False,
        "isTruncated": False,
        "text": "# Widget\n",
    }
    logo = _object(sim, ask, "HEAD:logo.png", BLOB)["data"]["repository"]["object"]
    assert (logo["byteSize"], logo["isBinary"], logo["text"]) == (10, True, None)
    big = _object(sim, ask, "HEAD:big.txt", BLOB)["data"]["repository"]["object"]
    assert big["isTruncated"] is True
    assert big["byteSize"] == BLOB_TEXT_LIMIT + 5
    assert big["text"] == "a" + "é" * (BLOB_TEXT_LIMIT // 2 - 1)  # the split "é" is dropped


@pytest.mark.parametrize(
    ("name", "expression", "expected"),
    [
        ("widget", "HEAD:NOTICE", None),  # a path that does not exist: null, no error
        ("widget", "HEAD:README.md/x", None),
        ("bare", "HEAD:", {"__typename": "Tree", "entries": []}),  # files={}: an empty tree
        ("bare", "HEAD:LICENSE", None),
        ("empty", "HEAD:", None),  # no commit, no HEAD
    ],
)
def test_missing_paths_answer_null(
    sim: Simulator, ask: Ask, name: str, expression: str, expected: object
) -> None:
    answer = _object(sim, ask, expression, "... on Tree { entries { name } }", name)
    assert "errors" not in answer
    assert answer["data"]["repository"]["object"] == expected


def test_a_blob_fragment_on_a_tree_selects_nothing(sim: Simulator, ask: Ask) -> None:
    answer = _object(sim, ask, "HEAD:LICENSES", BLOB)
    assert answer["data"]["repository"]["object"] == {"__typename": "Tree"}


def test_head_commit_by_revision(sim: Simulator, ask: Ask) -> None:
    answer = _object(sim, ask, "trunk", "... on Commit { committedDate }")
    assert answer["data"]["repository"]["object"]["__typename"] == "Commit"


@pytest.mark.parametrize(
    ("name", "expression", "message"),
    [
        (
            "unknown",
            "HEAD:LICENSE",
            "the simulator does not model Repository.object (the files of acme/unknown)",
        ),
        (
            "widget",
            "v1.0:LICENSE",
            "the simulator does not model Repository.object (the revision 'v1.0': only HEAD and "
            "the default branch)",
        ),
    ],
)
def test_strict_mode_refuses_what_it_cannot_know(
    sim: Simulator, ask: Ask, name: str, expression: str, message: str
) -> None:
    answer = _object(sim, ask, expression, BLOB, name)
    assert answer["data"]["repository"]["object"] is None
    assert [e["message"] for e in answer["errors"]] == [message]
    assert answer["errors"][0]["path"] == ["repository", "object"]


def test_lenient_mode_answers_unmodelled_files_null(
    start: Callable[..., Simulator], ask: Ask
) -> None:
    sim = start(population=Population(repos=[SimRepo(owner="acme", name="unknown")]), strict=False)
    answer = _object(sim, ask, "HEAD:LICENSE", BLOB, "unknown")
    assert answer == {"data": {"repository": {"object": None}}}


def test_has_issues_enabled_and_issue_counts(start: Callable[..., Simulator], ask: Ask) -> None:
    repos = [
        SimRepo(owner="a", name="on", open_issues=3, closed_issues=4, open_prs=1, merged_prs=2),
        SimRepo(owner="a", name="off", open_issues=3, closed_issues=4, has_issues=False),
    ]
    sim = start(population=Population(repos=repos))
    fields = """hasIssuesEnabled open: issues(states: [OPEN]) { totalCount }
      all: issues { totalCount } pullRequests { totalCount }"""
    query = f"""{{ on: repository(owner: "a", name: "on") {{ {fields} }}
      off: repository(owner: "a", name: "off") {{ {fields} }} }}"""
    data = ask(sim, query).json()["data"]
    assert data["on"] == {
        "hasIssuesEnabled": True,
        "open": {"totalCount": 3},
        "all": {"totalCount": 7},
        "pullRequests": {"totalCount": 3},
    }
    assert data["off"] == {
        "hasIssuesEnabled": False,
        "open": {"totalCount": 0},
        "all": {"totalCount": 0},
        "pullRequests": {"totalCount": 0},
    }


def test_fixture_files_text_and_base64(tmp_path: Path) -> None:
    path = tmp_path / "repos.yaml"
    path.write_text(
        "repos:\n"
        "  - owner: acme\n"
        "    name: widget\n"
        "    has_issues: false\n"
        "    license_truth: MIT\n"
        "    pypi_name: acme-widget\n"
        "    files:\n"
        "      LICENSE: 'MIT License'\n"
        "      logo.png: {base64: iVBORw==}\n",
        encoding="utf-8",
    )
    (repo,) = Population.from_file(path).repos
    assert repo.files == {"LICENSE": "MIT License", "logo.png": b"\x89PNG"}
    assert (repo.has_issues, repo.license_truth, repo.pypi_name) == (False, "MIT", "acme-widget")
    again = tmp_path / "again.json"
    again.write_text(Population(repos=[repo]).to_json(), encoding="utf-8")
    assert Population.from_file(again).repos == (repo,)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ("LICENSE: {base64: '***'}", "not valid base64"),
        ("LICENSE: 12", "expected text or {base64: ...}"),
        ("'../etc/passwd': x", "bad path '../etc/passwd'"),
        ("{'a': x, 'a/b': y}", "'a' is both a file and a folder"),
    ],
)
def test_bad_fixture_files_name_the_entry(tmp_path: Path, files: str, message: str) -> None:
    path = tmp_path / "repos.yaml"
    path.write_text(f"repos:\n  - owner: a\n    name: b\n    files: {{{files}}}\n")
    if files.startswith("{"):
        path.write_text(f"repos:\n  - owner: a\n    name: b\n    files: {files}\n")
    with pytest.raises(FixtureError) as raised:
        Population.from_file(path)
    assert str(raised.value).startswith(f"{path}: repos[0]")
    assert message in str(raised.value)
