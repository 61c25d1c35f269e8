"""GitHub field groups: one module each, with its GraphQL selection, its reader and its fact set.

A batch document is the union of the groups its repositories need (see `documents.py`). Each group
states by hand how many connections it opens per repository, which is what GitHub's cost formula
counts (docs/collect.md shows the computation; a test checks it against the simulator's pricing).
Groups are discovered: adding one is adding a module here that defines `GROUP` (and a migration
revision for its fact set's table).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from typing import Any

from mlops_radar.sources.factsets import FactSet
from mlops_radar.sources.github.answer import AnswerReader

__all__ = ["DEFAULT_GROUPS", "DEPTHS", "FieldGroup", "ReadContext", "field_groups"]


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a reader needs besides the answer: when it arrived (for windows like "last year")."""

    collected_at: datetime


@dataclass(frozen=True)
class FieldGroup:
    """One group of fields asked for every repository that needs it.

    `fragment` is a GraphQL fragment on Repository named `fragment_name`; `connections` is the
    number of connections it opens per repository (GitHub's cost unit); `read` turns an answer
    into the fact set's record (None for a group read in phases, such as files). `nodes` is the
    group's nodes per repository by GitHub's node formula, when it matters for the batch size
    (GitHub refuses a query over 500,000 nodes). `variables` are document variables the fragment
    uses ((name, GraphQL type) pairs), shared by every alias, valued by `variable_values(now)`.
    """

    name: str
    order: int
    fact_set: FactSet
    fragment_name: str
    fragment: str
    connections: int
    read: Callable[[AnswerReader, ReadContext], Any] | None = None
    selectable: bool = field(default=True)  # shown by `collect --groups`
    nodes: int = 0
    variables: tuple[tuple[str, str], ...] = ()
    variable_values: Callable[[datetime], dict[str, Any]] | None = None

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The answer's top-level keys the fragment selects (the slice kept as raw evidence)."""
        import graphql  # only a collection needs the parser

        [definition] = graphql.parse(self.fragment).definitions
        assert isinstance(definition, graphql.FragmentDefinitionNode)
        return tuple(
            (selection.alias or selection.name).value
            for selection in definition.selection_set.selections
            if isinstance(selection, graphql.FieldNode)
        )


#: The groups a default collection asks for (`collect --groups` chooses others).
DEFAULT_GROUPS = ("core", "activity", "community", "topics", "files")
#: `collect --depth`: basic is the default groups, full adds the community-health histories.
DEPTHS: dict[str, tuple[str, ...]] = {"basic": DEFAULT_GROUPS, "full": (*DEFAULT_GROUPS, "health")}


@cache
def field_groups() -> dict[str, FieldGroup]:
    """Every group of this package by name, in their declared order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        group = getattr(loaded, "GROUP", None)
        if isinstance(group, FieldGroup):
            found.append(group)
    return {g.name: g for g in sorted(found, key=lambda g: g.order)}
