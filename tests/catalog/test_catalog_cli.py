"""`mlops-radar catalog show|diff` through the real CLI entry point (click's CliRunner)."""

from __future__ import annotations

import http.server
import json
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_radar.cli import main

TOOL_KEYS = {
    "name",
    "categories",
    "stages",
    "url",
    "kind",
    "repo",
    "subpath",
    "forge",
    "description",
}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_json_shape(samples: Path) -> None:
    code, out, _ = _run("catalog", "show", str(samples / "tricky.md"), "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {
        "source",
        "tools",
        "categories",
        "unmapped_categories",
        "counts",
        "problems",
        "skipped",
        "warnings",
    }
    assert all(set(tool) == TOOL_KEYS for tool in payload["tools"])
    assert payload["counts"] == {"repo": 2, "subpath": 1, "org": 1, "other-forge": 1, "website": 2}
    assert payload["categories"][0] == {"name": "Serving", "tools": 7, "stages": []}
    assert payload["unmapped_categories"] == ["Serving", "Monitoring"]
    assert payload["problems"][0] == {
        "line": 32,
        "text": "* [Broken](https://github.com/acme/broken - unclosed link",
        "reason": "malformed [name](url) link",
        "locations": [],
    }
    gamma = next(tool for tool in payload["tools"] if tool["name"] == "Gamma")
    assert (gamma["kind"], gamma["repo"], gamma["subpath"]) == (
        "subpath",
        "acme/mono",
        "python/gamma",
    )


def test_strict_turns_problems_into_an_error_exit(samples: Path) -> None:
    code, out, err = _run("catalog", "show", str(samples / "tricky.md"), "--strict")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    expected = "tricky.md:32: malformed [name](url) link: * [Broken](https://github.com/acme/broken"
    assert lines[0].endswith(expected + " - unclosed link")
    assert len(lines) == 7  # six problems (one a repository under two names), then the error
    assert lines[-1].startswith("error: ")
    assert "6 problem(s)" in lines[-1]


def test_strict_passes_a_clean_list(awesome: Path) -> None:
    code, out, _ = _run(
        "catalog", "show", str(awesome / "README-2021-05-14.md"), "--strict", "--json"
    )
    assert code == 0
    assert len(json.loads(out)["tools"]) == 130


def test_show_tables_escape_markup(tmp_path: Path) -> None:
    path = tmp_path / "evil.md"
    path.write_text(
        "# L\n\n## Cat [red]\n\n"
        "* [[bold]Evil[/bold]](https://github.com/a/b) - \x1b[31mred[/] text\n",
        encoding="utf-8",
    )
    code, out, _ = _run("catalog", "show", str(path))
    assert code == 0
    assert "[bold]Evil[/bold]" in out  # shown literally, not interpreted
    assert "Cat [red]" in out
    assert "\x1b" not in out


def test_show_taxonomy_and_stage_map(samples: Path) -> None:
    code, out, _ = _run(
        "catalog", "show", str(samples / "catalog.yaml"), "--json",
        "--stage-map", str(samples / "stage-map.yaml"),
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["unmapped_categories"] == []
    code, out, _ = _run(
        "catalog", "show", str(samples / "catalog.yaml"), "--taxonomy", "amershi", "--json"
    )
    feast = next(t for t in json.loads(out)["tools"] if t["name"] == "Feast")
    assert feast["stages"] == ["Feature Engineering"]


def test_diff_json(awesome: Path) -> None:
    code, out, _ = _run(
        "catalog", "diff", str(awesome / "README-2021-05-14.md"),
        str(awesome / "README-2026-08-16.md"), "--json",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"added", "removed", "moved", "relinked"}
    assert "KitOps" in {tool["name"] for tool in payload["added"]}
    assert "Cubonacci" in {tool["name"] for tool in payload["removed"]}
    assert all(set(tool) >= TOOL_KEYS for key in payload for tool in payload[key])


def test_diff_tables(awesome: Path) -> None:
    code, out, _ = _run(
        "catalog",
        "diff",
        str(awesome / "README-2021-05-14.md"),
        str(awesome / "README-2026-08-16.md"),
    )
    assert code == 0
    assert "removed (3)" in out
    assert "Cubonacci" in out


def test_errors_are_one_line(tmp_path: Path) -> None:
    code, _, err = _run("catalog", "show", str(tmp_path / "absent.md"))
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("error: ")


@pytest.mark.parametrize("args", [("catalog",), ("catalog", "show"), ("catalog", "diff")])
def test_help_has_examples(args: tuple[str, ...]) -> None:
    code, out, _ = _run(*args, "--help")
    assert code == 0
    assert "Examples:" in out


@pytest.fixture
def served(samples: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving tests/data/catalog."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean."""

    handler = partial(QuietHandler, directory=str(samples))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_show_reads_a_url(served: str) -> None:
    code, out, _ = _run("catalog", "show", f"{served}/tricky.md", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["source"] == f"{served}/tricky.md"
    assert len(payload["tools"]) == 7
    code, _, err = _run("catalog", "show", f"{served}/absent.md")
    assert code == 2
    assert "HTTP 404" in err


_MALFORMED = st.sampled_from(
    [
        "* [Broken](https://github.com/a/b - x",
        "* [](https://github.com/a/b) - x",
        "* [Rel](docs/x.md) - x",
        "* No link at all",
        "[Bare](https://github.com/a/b) - x",
    ]
)
_GOOD = st.sampled_from(["* [Good](https://github.com/a/good) - fine", "", "Some prose."])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_MALFORMED, _GOOD), max_size=8))
def test_strict_fails_exactly_when_there_are_problems(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.md"
        path.write_text("# L\n\n## Tools\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        code, _, err = _run("catalog", "show", str(path), "--strict")
    bad = [
        n
        for n, line in enumerate(lines, start=5)
        if line.startswith(("* [B", "* [R", "* [](", "* N", "[B"))
    ]
    if bad:
        assert code == 2
        reported = [int(line.split(":")[1]) for line in err.splitlines()[:-1]]
        assert reported == bad
    else:
        assert code == 0
