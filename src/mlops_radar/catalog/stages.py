"""Map list categories to MLOps pipeline stages (many-to-many), by a named taxonomy.

The taxonomies ship as YAML data files in `mlops_radar/catalog/data/` (`stages-<name>.yaml`):
`study` (the study's Quadro 2 plus our marked proposals) and `amershi` (Amershi et al.'s nine
stages). A user file in the same schema extends or overrides one: its stages are added, its
categories replace the shipped mapping of the same name. A category mapped to no stage is reported,
never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mlops_radar.catalog.located_yaml import LocatedMap, load_located_yaml
from mlops_radar.catalog.records import HEADING_SEPARATOR
from mlops_radar.errors import ConfigError
from mlops_radar.textfiles import read_capped

__all__ = ["TAXONOMIES", "StageMap", "category_key", "load_stage_map"]

TAXONOMIES = ("study", "amershi")
OURS = "mlops-radar"  # value of `proposed_by` for mappings this project proposes


def category_key(name: str) -> str:
    """How categories are compared: case-insensitive, whitespace collapsed."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class StageMap:
    """A taxonomy's stages (in pipeline order) and the stages of each known category."""

    taxonomy: str
    stages: tuple[str, ...]
    mapping: Mapping[str, tuple[str, ...]]  # category_key -> stages
    proposed: frozenset[str]  # category keys whose mapping is a proposal of ours
    aliases: Mapping[str, str]  # category_key -> category_key

    def _key(self, category: str) -> str:
        """The mapping's key for a category. A name the Markdown reader qualified with the
        headings above it ("Python / Computer Vision") that is not mapped itself is looked up
        by its own last part."""
        key = category_key(category)
        key = self.aliases.get(key, key)
        if key not in self.mapping and HEADING_SEPARATOR in key:
            last = key.rsplit(HEADING_SEPARATOR, 1)[1]
            key = self.aliases.get(last, last)
        return key

    def stages_of(self, category: str) -> tuple[str, ...]:
        """Stages of one category, in pipeline order; () when unmapped."""
        return self.mapping.get(self._key(category), ())

    def stages_for(self, categories: Iterable[str]) -> tuple[str, ...]:
        """Stages of a tool listed in `categories`: each once, in pipeline order. The one rule for
        a tool's stages (the catalog, the study's files and a re-staged snapshot all use it)."""
        wanted = {stage for category in categories for stage in self.stages_of(category)}
        return tuple(stage for stage in self.stages if stage in wanted)

    def is_proposed(self, category: str) -> bool:
        """True when the category's mapping is ours rather than the taxonomy's source."""
        return self._key(category) in self.proposed


def load_stage_map(taxonomy: str = "study", user_file: Path | None = None) -> StageMap:
    """The named shipped taxonomy, extended/overridden by `user_file` when given."""
    if taxonomy not in TAXONOMIES:
        raise ConfigError(f"unknown taxonomy {taxonomy!r}: choose one of {', '.join(TAXONOMIES)}")
    shipped = _shipped_map(taxonomy)
    if user_file is None:
        return shipped
    try:
        text = read_capped(user_file)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{user_file}: cannot read the stage map: {exc}") from exc
    builder = _Builder.starting_from(shipped)
    builder.add(text, str(user_file))
    return builder.build()


@cache
def _shipped_map(taxonomy: str) -> StageMap:
    """A shipped taxonomy, parsed once per process (the data files do not change at run time)."""
    resource = resources.files("mlops_radar.catalog") / "data" / f"stages-{taxonomy}.yaml"
    builder = _Builder(taxonomy)
    builder.add(resource.read_text(encoding="utf-8"), f"stages-{taxonomy}.yaml")
    return builder.build()


class _Builder:
    """Accumulates stage-map files, later ones overriding earlier ones."""

    def __init__(self, taxonomy: str) -> None:
        self.taxonomy = taxonomy
        self.stages: list[str] = []
        self.mapping: dict[str, tuple[str, ...]] = {}
        self.proposed: set[str] = set()
        self.aliases: dict[str, str] = {}

    @classmethod
    def starting_from(cls, stage_map: StageMap) -> _Builder:
        builder = cls(stage_map.taxonomy)
        builder.stages = list(stage_map.stages)
        builder.mapping = dict(stage_map.mapping)
        builder.proposed = set(stage_map.proposed)
        builder.aliases = dict(stage_map.aliases)
        return builder

    def add(self, text: str, name: str) -> None:
        top = load_located_yaml(text, name, ConfigError)
        if top is None:
            return
        if not isinstance(top, LocatedMap):
            raise ConfigError(f"{name}:1: a stage map is a mapping with 'stages' and 'categories'")
        unknown = set(top) - {"taxonomy", "title", "stages", "categories", "aliases"}
        if unknown:
            raise ConfigError(f"{name}:{top.line}: unknown key(s): {', '.join(sorted(unknown))}")
        for stage in _list(top, "stages", name):
            self._stage(stage, name, top.line)
        for category, value in _mapping(top, "categories", name).items():
            self._category(str(category), value, name, top.line)
        for alias, target in _mapping(top, "aliases", name).items():
            self.aliases[category_key(str(alias))] = category_key(str(target))

    def _stage(self, stage: object, name: str, line: int) -> None:
        if isinstance(stage, LocatedMap):
            line, stage = stage.line, stage.get("name")
        if not isinstance(stage, str) or not stage.strip():
            raise ConfigError(f"{name}:{line}: each stage needs a 'name'")
        if stage not in self.stages:
            self.stages.append(stage)

    def _category(self, category: str, value: object, name: str, line: int) -> None:
        if isinstance(value, list):  # shorthand: `Category: [Stage, ...]`
            value = {"stages": value}
        if not isinstance(value, dict):
            raise ConfigError(f"{name}:{line}: category {category!r} needs 'stages: [...]'")
        line = value.line if isinstance(value, LocatedMap) else line
        stages = value.get("stages") or []
        if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
            raise ConfigError(f"{name}:{line}: 'stages' of {category!r} must be a list of names")
        undeclared = [s for s in stages if s not in self.stages]
        if undeclared:
            raise ConfigError(
                f"{name}:{line}: category {category!r} maps to undeclared stage(s) "
                f"{', '.join(undeclared)} (declare them under 'stages:')"
            )
        key = category_key(category)
        self.mapping[key] = tuple(s for s in self.stages if s in stages)
        if value.get("proposed_by") == OURS:
            self.proposed.add(key)
        else:
            self.proposed.discard(key)

    def build(self) -> StageMap:
        return StageMap(
            self.taxonomy, tuple(self.stages), MappingProxyType(dict(self.mapping)),
            frozenset(self.proposed), MappingProxyType(dict(self.aliases)),
        )  # fmt: skip


def _list(top: LocatedMap, key: str, name: str) -> list[Any]:
    value = top.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"{name}:{top.line}: '{key}' must be a list")
    return value


def _mapping(top: LocatedMap, key: str, name: str) -> dict[str, Any]:
    value = top.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{name}:{top.line}: '{key}' must be a mapping")
    return value
