"""Fact sets: named groups of typed facts that one source (or one field group of it) produces.

Each fact set is declared ONCE, as a frozen dataclass of optional fields; the field names and types
(`FactField`) are derived from that declaration, never restated. The store keeps each fact set in a
table of its own (`facts_<name>`, created by a migration revision), with the moment its values were
collected, so every value has an as-of date. The model's input table is built from the fact sets
it asks for. Missing data is `None`, never 0 or "".

    @dataclass(frozen=True, slots=True)
    class Core:
        stars: int | None = None
        archived: bool | None = None

    CORE = FactSet("github.core", Core, source="github")
    CORE.fields        # (FactField("stars", int), FactField("archived", bool))
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NewType

__all__ = [
    "FIELD_KINDS",
    "FactField",
    "FactRecord",
    "FactSet",
    "RepoKey",
    "repo_key",
]

#: A repository as the store keys it: lower-case "owner/name" (GitHub compares case-insensitively).
RepoKey = NewType("RepoKey", str)

#: The Python types a fact field may have (a JSON value for lists and mappings).
FIELD_KINDS: tuple[type, ...] = (bool, int, float, str, datetime, list, dict)

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


def repo_key(repo: str) -> RepoKey:
    """The store's key of a repository "owner/name" (or of any other collected key)."""
    return RepoKey(repo.strip().lower())


@dataclass(frozen=True, slots=True)
class FactField:
    """One typed fact: its column name and Python type (one of `FIELD_KINDS`)."""

    name: str
    kind: type


def _kind(hint: Any, where: str) -> type:
    """`X | None` -> X, for X in FIELD_KINDS (`list[str]`, `tuple[str, ...]` -> list)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    else:
        raise TypeError(f"{where}: a fact field is optional (`X | None = None`), got {hint!r}")
    origin = typing.get_origin(hint) or hint
    if origin is tuple:
        origin = list
    if origin not in FIELD_KINDS:
        raise TypeError(f"{where}: unsupported fact type {hint!r}")
    return origin  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FactSet:
    """A named set of facts about a repository, produced by one source.

    `record` is the frozen dataclass that declares the fields (all optional, default None).
    `refresh`: for slow-changing facts, how old a stored value may be before a collection asks
    again; a snapshot that did not ask uses the newest value collected up to its date (and says
    how old it is). None: collected with every snapshot, never carried over.
    `in_model`: whether the fields belong to the model's input table (large texts do not).
    """

    name: str
    record: type
    source: str
    refresh: timedelta | None = None
    in_model: bool = True
    fields: tuple[FactField, ...] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"fact set name {self.name!r}: lower-case words joined by dots")
        if not dataclasses.is_dataclass(self.record):
            raise TypeError(f"fact set {self.name}: record must be a dataclass")
        hints = typing.get_type_hints(self.record)
        fields = []
        for declared in dataclasses.fields(self.record):
            if declared.default is not None:
                raise TypeError(f"{self.name}.{declared.name}: a fact defaults to None")
            fields.append(FactField(declared.name, _kind(hints[declared.name], self.name)))
        object.__setattr__(self, "fields", tuple(fields))

    @property
    def table(self) -> str:
        """The store's table of this fact set: `facts_` + the name with dots as underscores."""
        return "facts_" + self.name.replace(".", "_")

    @property
    def field_names(self) -> tuple[str, ...]:
        """The fields' names, in declaration order."""
        return tuple(f.name for f in self.fields)

    def values(self, record: object) -> dict[str, Any]:
        """A record's values by field name (tuples as lists, for JSON columns)."""
        if not isinstance(record, self.record):
            raise TypeError(f"{self.name}: expected a {self.record.__name__}")
        values = {name: getattr(record, name) for name in self.field_names}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}

    def make(self, values: Mapping[str, Any]) -> Any:
        """A record from values by field name (unknown names are an error)."""
        unknown = set(values) - set(self.field_names)
        if unknown:
            raise TypeError(f"{self.name}: no field(s) {', '.join(sorted(unknown))}")
        return self.record(**values)


@dataclass(frozen=True, slots=True)
class FactRecord:
    """One fact set's values for one repository, as collected at `collected_at` (aware UTC).

    `repo` is the key as the collection asked for it (the catalog's spelling); `raw` is the part of
    the source's answer these values were read from, kept so they can be re-derived later.
    """

    fact_set: FactSet
    repo: str
    collected_at: datetime
    values: Any  # an instance of fact_set.record
    raw: Any = None

    @property
    def key(self) -> RepoKey:
        """The store's key of the repository."""
        return repo_key(self.repo)
