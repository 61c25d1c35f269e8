"""Parsers fed untrusted text: manifests and requirement lines never crash, never let an option,
a URL or an invalid name through."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.mapping import MANIFESTS, manifest_name, map_tool
from mlops_radar.advise.requirements import parse_line, read_requirements
from mlops_radar.advise.uvlog import Selected, UvLog


@given(st.sampled_from(MANIFESTS), st.text(max_size=300))
def test_manifest_text_gives_a_name_none_or_value_error(path: str, text: str) -> None:
    try:
        name = manifest_name(path, text)
    except ValueError:
        return
    assert name is None or (name.strip() == name and " " not in name and "@" not in name)


@given(st.text(max_size=120))
def test_requirement_line_is_parsed_or_refused_with_its_origin(text: str) -> None:
    refused = None
    try:
        requirement = parse_line(text, "req.txt:7")
    except AdviseError as exc:
        refused = str(exc)
    if refused is not None:
        assert refused.startswith("req.txt:7: ")
        assert "\n" not in refused
        return
    assert requirement.url is None
    assert not text.strip().startswith("-")


_REQ_LINE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["numpy>=1 \\", "  --hash=sha256:00", "-r other.txt", "-c c.txt", "-e .", "--pre",
         "# via x", "a[b]==1 ; python_version > '3'", "x @ https://h/x.whl", "\\"]
    ),
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_REQ_LINE, max_size=8))
def test_requirements_file_is_read_or_refused_in_one_line(tmp_path: Path, lines: list[str]) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("other>=1\n", encoding="utf-8")
    refused = None
    try:
        wanted = read_requirements(stack)
    except AdviseError as exc:
        refused = str(exc)
    if refused is not None:
        assert "\n" not in refused.strip()
        return
    for item in wanted:
        assert item.requirement.url is None
        assert item.origin.split(":")[0] in ("requirements.txt", "other.txt")


@given(st.text(max_size=60))
def test_mapping_names_are_valid_or_dropped(name: str) -> None:
    mapping = map_tool(
        "t", (name,), [{"path": "pyproject.toml", "text": f"[project]\nname = {name!r}\n"}]
    )
    for package in mapping.packages:
        parse_line(package, "mapped")  # never raises: a mapped name is a valid requirement


_LOG_LINE = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda pin, name: f"DEBUG Selecting: {pin} [compatible] ({name})\n",
        st.text(max_size=40),
        st.text(max_size=60),
    ),
    st.builds(
        lambda url: f"DEBUG Sending fresh GET request for: {url}\n",
        st.one_of(
            st.text(max_size=120),
            st.builds(lambda p: f"https://files.example/{p}", st.text(max_size=80)),
        ),
    ),
)


@given(st.lists(_LOG_LINE, max_size=30))
def test_uv_log_lines_give_well_formed_hints_or_none(lines: list[str]) -> None:
    seen: list[Selected] = []
    log = UvLog(seen.append)
    for line in lines:
        log.feed(line)
    log.finish()
    for hint in seen:
        assert hint.name
        assert hint.name == canonicalize_name(hint.name)
        assert hint.version
        assert not any(c.isspace() for c in hint.version)
        if hint.file_url is not None:
            parts = urlsplit(hint.file_url)
            assert parts.scheme in ("http", "https")
            assert "@" not in parts.netloc
            assert parts.path.endswith(".whl")
            assert not parts.fragment


def test_deeply_nested_manifests_are_problems_not_crashes() -> None:
    # tomllib recurses on nested arrays, ast.parse runs out of memory on a long unary chain
    files = [
        {"path": "pyproject.toml", "text": "a = " + "[" * 100_000},
        {"path": "setup.py", "text": "x = " + "-" * 1_000_000 + "1"},
    ]
    mapping = map_tool("t", (), files)
    assert mapping.status == "unmapped"
    assert [p.split(":")[0] for p in mapping.problems] == ["pyproject.toml", "setup.py"]
