"""Static analysis of a GraphQL document: GitHub-shaped validation errors and a connection plan.

`analyse` runs once per distinct (document, operation name): parsing and validating a 50-alias
document against GitHub's schema takes a good fraction of a second. The result, a `DocumentPlan`,
is reused by every request that sends the same document; only `measure`, which resolves variables
into `first`/`last` and computes the cost, runs per request (a walk over a few hundred nodes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import graphql
from graphql import language as gl

from github_simulator.shapes import ErrorEntry, github_validation_error, location_of

__all__ = ["Connection", "DocumentPlan", "VariableRef", "analyse"]

_CONNECTION_SUFFIX = "Connection"
_PAGE_FIELDS = frozenset({"nodes", "edges"})


@dataclass(frozen=True)
class VariableRef:
    """A `first`/`last` argument given as a variable, resolved per request."""

    name: str


PageArg = int | VariableRef | None


@dataclass(frozen=True)
class Connection:
    """One connection field of a document, with the connections nested under its nodes."""

    name: str
    path: tuple[str, ...]
    location: dict[str, int]
    first: PageArg
    last: PageArg
    selects_nodes: bool
    children: tuple[Connection, ...]


@dataclass(frozen=True)
class DocumentPlan:
    """The verdict on one document: errors (static) or what is needed to run and price it."""

    document: gl.DocumentNode | None
    errors: tuple[ErrorEntry, ...]
    connections: tuple[Connection, ...] = ()
    repository_fields: int = 0
    variable_defaults: dict[str, Any] | None = None
    is_mutation: bool = False


def analyse(schema: graphql.GraphQLSchema, query: str, operation_name: str | None) -> DocumentPlan:
    """Parse and validate `query` against `schema`, then plan its connections."""
    try:
        document = graphql.parse(query)
    except graphql.GraphQLError as exc:
        return DocumentPlan(None, (_syntax_error(exc),))
    paths = _field_paths(document)
    errors = graphql.validate(schema, document)
    if errors:
        return DocumentPlan(None, tuple(github_validation_error(e, paths) for e in errors))
    operation = _operation(document, operation_name)
    if operation is None:
        message = (
            f'No operation named "{operation_name}"'
            if operation_name
            else "An operation name is required"
        )
        return DocumentPlan(None, ({"message": message},))
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, document)
    connections = walker.walk(operation.selection_set, root, ())
    return DocumentPlan(
        document=document,
        errors=(),
        connections=tuple(connections),
        repository_fields=walker.repository_fields,
        variable_defaults=_variable_defaults(operation),
        is_mutation=operation.operation == gl.OperationType.MUTATION,
    )


def _syntax_error(exc: graphql.GraphQLError) -> ErrorEntry:
    description = re.sub(r"^Syntax Error: ", "", exc.message)
    entry: ErrorEntry = {"message": f"Parse error: {description}"}
    if exc.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in exc.locations]
    return entry


def _operation(
    document: gl.DocumentNode, operation_name: str | None
) -> gl.OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, gl.OperationDefinitionNode)]
    if operation_name:
        named = [op for op in operations if op.name and op.name.value == operation_name]
        return named[0] if named else None
    return operations[0] if len(operations) == 1 else None


def _variable_defaults(operation: gl.OperationDefinitionNode) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        if definition.default_value is not None:
            defaults[definition.variable.name.value] = graphql.value_from_ast_untyped(
                definition.default_value
            )
    return defaults


def _field_paths(document: gl.DocumentNode) -> dict[int, list[str]]:
    """Path of every field node, GitHub style: `["query Name", "alias", "field", ...]`."""
    paths: dict[int, list[str]] = {}

    def visit(selection_set: gl.SelectionSetNode | None, prefix: list[str]) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, gl.FieldNode):
                path = [*prefix, (selection.alias or selection.name).value]
                paths[id(selection)] = path
                visit(selection.selection_set, path)
            elif isinstance(selection, gl.InlineFragmentNode):
                condition = selection.type_condition
                inner = [*prefix, f"... on {condition.name.value}"] if condition else prefix
                visit(selection.selection_set, inner)

    for definition in document.definitions:
        if isinstance(definition, gl.OperationDefinitionNode):
            head = definition.operation.value
            if definition.name:
                head = f"{head} {definition.name.value}"
            visit(definition.selection_set, [head])
        elif isinstance(definition, gl.FragmentDefinitionNode):
            visit(definition.selection_set, [f"fragment {definition.name.value}"])
    return paths


class _Walker:
    """Finds connections (through fragments) and counts `Query.repository` fields."""

    def __init__(self, schema: graphql.GraphQLSchema, document: gl.DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, gl.FragmentDefinitionNode)
        }
        self.repository_fields = 0

    def walk(
        self, selection_set: gl.SelectionSetNode | None, parent: Any, path: tuple[str, ...]
    ) -> list[Connection]:
        found: list[Connection] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, gl.FieldNode):
                found += self._field(selection, parent, path)
            elif isinstance(selection, gl.InlineFragmentNode):
                found += self.walk(
                    selection.selection_set, self._condition(selection, parent), path
                )
            elif isinstance(selection, gl.FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                found += self.walk(fragment.selection_set, self._condition(fragment, parent), path)
        return found

    def _condition(
        self, fragment: gl.InlineFragmentNode | gl.FragmentDefinitionNode, parent: Any
    ) -> Any:
        if fragment.type_condition is None:
            return parent
        return self.schema.get_type(fragment.type_condition.name.value)

    def _field(self, node: gl.FieldNode, parent: Any, path: tuple[str, ...]) -> list[Connection]:
        name = node.name.value
        fields = getattr(parent, "fields", None)
        if name.startswith("__") or not fields or name not in fields:
            return []
        if parent is self.schema.query_type and name == "repository":
            self.repository_fields += 1
        field_type = graphql.get_named_type(fields[name].type)
        here = (*path, (node.alias or node.name).value)
        nested = self.walk(node.selection_set, field_type, here)
        if not field_type.name.endswith(_CONNECTION_SUFFIX):
            return nested
        arguments = {arg.name.value: arg.value for arg in node.arguments or ()}
        return [
            Connection(
                name=name,
                path=here,
                location=location_of(node),
                first=_page_arg(arguments.get("first")),
                last=_page_arg(arguments.get("last")),
                selects_nodes=self._selects_pages(node.selection_set),
                children=tuple(nested),
            )
        ]

    def _selects_pages(self, selection_set: gl.SelectionSetNode | None) -> bool:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, gl.FieldNode) and selection.name.value in _PAGE_FIELDS:
                return True
            if isinstance(selection, gl.InlineFragmentNode) and self._selects_pages(
                selection.selection_set
            ):
                return True
            if isinstance(selection, gl.FragmentSpreadNode) and self._selects_pages(
                self.fragments[selection.name.value].selection_set
            ):
                return True
        return False


def _page_arg(value: gl.ValueNode | None) -> PageArg:
    if isinstance(value, gl.IntValueNode):
        return int(value.value)
    if isinstance(value, gl.VariableNode):
        return VariableRef(value.name.value)
    return None
