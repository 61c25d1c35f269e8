"""YAML loading that remembers the line of every mapping, so errors in a catalog or stage-map file
can name `file:line` (PyYAML's plain `safe_load` forgets where things were).

Untrusted files are bounded: a size cap (PyYAML's pure-Python loader reads ~0.3 MB/s), nesting
deeper than Python's recursion limit is one error line, and a key given twice in one mapping is
refused (PyYAML silently keeps the last).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from mlops_radar.errors import RadarError

__all__ = ["MAX_YAML_CHARS", "LocatedMap", "line_of", "load_located_yaml"]

#: A catalog of 2,000 tools is ~300 KB; anything past this is not a catalog or stage map. The
#: pure-Python loader needs ~4.5 s of CPU for 512 KiB of flow mappings (its worst case); libyaml's
#: is faster but crashes the process on deeply nested flow collections, so it is not used.
MAX_YAML_CHARS = 2**19


class LocatedMap(dict[str, Any]):
    """A YAML mapping and the 1-based line where it starts."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are `LocatedMap`s."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LocatedMap]:
    data = LocatedMap()
    data.line = node.start_mark.line + 1
    yield data
    _refuse_duplicate_keys(loader, node)
    data.update({str(key): value for key, value in loader.construct_mapping(node).items()})


def _refuse_duplicate_keys(loader: _LineLoader, node: yaml.MappingNode) -> None:
    seen: set[object] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                problem=f"key {str(key)[:60]!r} appears twice in one mapping",
                problem_mark=key_node.start_mark,
            )
        seen.add(key)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def load_located_yaml(text: str, name: str, error: type[RadarError]) -> object:
    """Parse `text` (from the file `name`); invalid YAML raises `error` naming `name:line`."""
    if len(text) > MAX_YAML_CHARS:
        raise error(f"{name}: {len(text):,} characters, more than a YAML file here may have "
                    f"({MAX_YAML_CHARS:,})")  # fmt: skip
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except RecursionError:
        raise error(f"{name}: invalid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise error(f"{name}{line}: invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{name}: invalid YAML: {exc}") from exc


def line_of(value: object, default: int | None = None) -> int | None:
    """The line of a mapping read by `load_located_yaml`, else `default`."""
    return value.line if isinstance(value, LocatedMap) else default
