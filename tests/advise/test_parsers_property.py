"""Parsers fed untrusted text: manifests and requirement lines never crash, never let an option,
a URL or an invalid name through."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.mapping import MANIFESTS, manifest_name, map_tool
from mlops_radar.advise.requirements import parse_line


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
