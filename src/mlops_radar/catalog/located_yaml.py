"""YAML loading that remembers the line of every mapping, so errors in a catalog or stage-map file
can name `file:line` (PyYAML's plain `safe_load` forgets where things were)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from mlops_radar.errors import RadarError

__all__ = ["LocatedMap", "line_of", "load_located_yaml"]


class LocatedMap(dict[str, Any]):
    """A YAML mapping and the 1-based line where it starts."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are `LocatedMap`s."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[LocatedMap]:
    data = LocatedMap()
    data.line = node.start_mark.line + 1
    yield data
    data.update({str(key): value for key, value in loader.construct_mapping(node).items()})


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def load_located_yaml(text: str, name: str, error: type[RadarError]) -> object:
    """Parse `text` (from the file `name`); invalid YAML raises `error` naming `name:line`."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise error(f"{name}{line}: invalid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise error(f"{name}: invalid YAML: {exc}") from exc


def line_of(value: object, default: int | None = None) -> int | None:
    """The line of a mapping read by `load_located_yaml`, else `default`."""
    return value.line if isinstance(value, LocatedMap) else default
