"""Parsers fed untrusted text: manifests and requirement lines never crash, never let an option,
a URL or an invalid name through."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st
from packaging.utils import canonicalize_name

from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.mapping import MANIFESTS, manifest_name, map_tool
from mlops_radar.advise.requirements import parse_line
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
