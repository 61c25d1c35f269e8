"""A leaner way through graphql-core's executor, and answers cached per repository alias.

`SimExecutionContext` is graphql-core's `ExecutionContext` with two shortcuts, both giving exactly
what the base class gives (the tests compare them):

- A leaf field (scalar or enum) without arguments whose source holds a plain, non-null value
  is serialised at once, without building a `GraphQLResolveInfo` or coercing arguments. Anything
  else (a method, a missing value, a value the serialiser refuses) takes the base class's path.
- A root `repository(...)` field is answered from an `AnswerCache` when the same selection was
  answered for the same repository before. The key is the selection's canonical text (fragments
  inlined, variables numbered in order of use) plus the values of the variables it uses and the
  repository it resolved to; the population and faults of a service never change, so neither
  does the answer. Only answers given without any error are kept; the lookup itself (counted in
  `stats.repo_queries`, and where `NOT_FOUND`/`FORBIDDEN` come from) runs on every request.
"""

from __future__ import annotations

import inspect
import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import graphql
from graphql import language as gl
from graphql.execution.execute import ExecutionContext, get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined

__all__ = ["ANSWER_CACHE_SIZE", "AnswerCache", "SimExecutionContext", "selection_signature"]

#: Repository answers kept (least recently used dropped first); about 2-4 KB each.
ANSWER_CACHE_SIZE = 20_000

_ABSENT = object()
# Per schema: (type name, field name) -> (leaf type, non-null) or None.
_LEAVES: weakref.WeakKeyDictionary[graphql.GraphQLSchema, dict[tuple[str, str], Any]] = (
    weakref.WeakKeyDictionary()
)


class AnswerCache:
    """Thread-safe LRU of completed repository answers, with hit and miss counts."""

    def __init__(self, size: int = ANSWER_CACHE_SIZE) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        # id of a field node -> (the node, its signature): the node is kept so its id is not
        # reused by another document's node while the entry exists.
        self._signatures: dict[int, tuple[gl.FieldNode, tuple[str, tuple[str, ...]]]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
            else:
                self.hits += 1
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Any) -> None:
        with self._lock:
            self._answers[key] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def signature(
        self, field_nodes: list[gl.FieldNode], fragments: dict[str, gl.FragmentDefinitionNode]
    ) -> tuple[str, tuple[str, ...]]:
        """`selection_signature` of these field nodes, computed once per field node."""
        node = field_nodes[0]
        with self._lock:
            found = self._signatures.get(id(node))
        if found is not None and found[0] is node and len(field_nodes) == 1:
            return found[1]
        signature = selection_signature(field_nodes, fragments)
        if len(field_nodes) == 1:
            with self._lock:
                if len(self._signatures) > 10 * self.size:
                    self._signatures.clear()
                self._signatures[id(node)] = (node, signature)
        return signature

    def counts(self) -> tuple[int, int]:
        """(hits, misses) since the start or the last `reset_counts`."""
        with self._lock:
            return self.hits, self.misses

    def reset_counts(self) -> None:
        with self._lock:
            self.hits = self.misses = 0


def selection_signature(
    field_nodes: list[gl.FieldNode], fragments: dict[str, gl.FragmentDefinitionNode]
) -> tuple[str, tuple[str, ...]]:
    """The canonical text of what `field_nodes` select below themselves, and the variables it
    uses (in order): two selections with the same text give the same answer for the same
    source and variable values, whatever their aliases, documents or variable names."""
    variables: list[str] = []
    parts: list[str] = []
    for node in field_nodes:
        _selection_text(node.selection_set, fragments, variables, parts)
    return "".join(parts), tuple(variables)


def _selection_text(
    selection_set: gl.SelectionSetNode | None,
    fragments: dict[str, gl.FragmentDefinitionNode],
    variables: list[str],
    out: list[str],
) -> None:
    if selection_set is None:
        return
    out.append("{")
    for selection in selection_set.selections:
        directives = "".join(_directive_text(d, variables) for d in selection.directives or ())
        if isinstance(selection, gl.FieldNode):
            alias = f"{selection.alias.value}:" if selection.alias else ""
            arguments = ",".join(
                f"{a.name.value}:{_value_text(a.value, variables)}"
                for a in selection.arguments or ()
            )
            out.append(f" {alias}{selection.name.value}({arguments}){directives}")
            _selection_text(selection.selection_set, fragments, variables, out)
        elif isinstance(selection, gl.InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else ""
            out.append(f" ...on {condition}{directives}")
            _selection_text(selection.selection_set, fragments, variables, out)
        elif isinstance(selection, gl.FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            inner = "".join(_directive_text(d, variables) for d in fragment.directives or ())
            out.append(f" ...on {fragment.type_condition.name.value}{directives}{inner}")
            _selection_text(fragment.selection_set, fragments, variables, out)
    out.append("}")


def _directive_text(directive: gl.DirectiveNode, variables: list[str]) -> str:
    arguments = ",".join(
        f"{a.name.value}:{_value_text(a.value, variables)}" for a in directive.arguments or ()
    )
    return f"@{directive.name.value}({arguments})"


def _value_text(value: gl.ValueNode, variables: list[str]) -> str:
    if isinstance(value, gl.VariableNode):
        name = value.name.value
        if name not in variables:
            variables.append(name)
        return f"${variables.index(name)}"
    if isinstance(value, gl.ListValueNode):
        return "[" + ",".join(_value_text(v, variables) for v in value.values) + "]"
    if isinstance(value, gl.ObjectValueNode):
        fields = (f"{f.name.value}:{_value_text(f.value, variables)}" for f in value.fields)
        return "{" + ",".join(fields) + "}"
    return graphql.print_ast(value)


# id of a field node -> (the node, its arguments), for nodes whose arguments use no variable;
# the node is kept so that its id cannot be reused by another node while the entry exists.
_CONSTANT_ARGUMENTS: dict[int, tuple[gl.FieldNode, dict[str, Any]]] = {}


def _uses_variable(value: gl.ValueNode) -> bool:
    if isinstance(value, gl.VariableNode):
        return True
    if isinstance(value, gl.ListValueNode):
        return any(_uses_variable(v) for v in value.values)
    if isinstance(value, gl.ObjectValueNode):
        return any(_uses_variable(f.value) for f in value.fields)
    return False


# graphql-core 3.2.9+ collects errors in `collected_errors` and passes the path to
# `handle_field_error`; 3.2.0-3.2.8 keep `errors` and take no path. Both are served.
_ERROR_TAKES_PATH = "path" in inspect.signature(ExecutionContext.handle_field_error).parameters


class SimExecutionContext(ExecutionContext):
    """graphql-core's executor with the simulator's two shortcuts (see the module docstring)."""

    def _field_error(
        self, error: graphql.GraphQLError, return_type: graphql.GraphQLOutputType, path: Path
    ) -> None:
        if _ERROR_TAKES_PATH:
            self.handle_field_error(error, return_type, path)  # type: ignore[call-arg,unused-ignore]
        else:
            self.handle_field_error(error, return_type)  # type: ignore[call-arg,unused-ignore]

    def _errors_so_far(self) -> int:
        collected = getattr(self, "collected_errors", None)
        if collected is not None:
            return len(collected.errors)
        return len(getattr(self, "errors"))  # noqa: B009 - absent from 3.2.9+'s stubs

    def execute_fields(
        self,
        parent_type: graphql.GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[gl.FieldNode]],
    ) -> dict[str, Any]:
        """The base class's `execute_fields` (all resolvers are synchronous), with plain leaf
        values serialised in place; every other field goes through `execute_field`."""
        results: dict[str, Any] = {}
        source_is_dict = type(source_value) is dict
        for response_name, field_nodes, name, leaf in self._plan(parent_type, fields):
            if leaf is not None:
                value = (
                    source_value.get(name, _ABSENT)
                    if source_is_dict
                    else getattr(source_value, name, _ABSENT)
                )
                if value is None:
                    if not leaf[1]:
                        results[response_name] = None
                        continue
                elif value is not _ABSENT and not callable(value):
                    try:
                        serialized = leaf[0].serialize(value)
                    except Exception:  # the base class raises it again, located
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        results[response_name] = serialized
                        continue
            field_path = Path(path, response_name, parent_type.name)
            result = self.execute_field(parent_type, source_value, field_nodes, field_path)
            if result is not Undefined:
                results[response_name] = result
        return results

    def _plan(
        self, parent_type: graphql.GraphQLObjectType, fields: dict[str, list[gl.FieldNode]]
    ) -> list[tuple[str, list[gl.FieldNode], str, Any]]:
        """Per collected field: (response name, nodes, field name, leaf shortcut or None).

        `fields` comes from graphql-core's per-request cache of collected subfields, so the
        same dict object stands for the same selection during one request."""
        plans: dict[int, Any] = self.__dict__.setdefault("_sim_plans", {})
        found = plans.get(id(fields))
        if found is not None and found[0] is fields:
            return found[1]  # type: ignore[no-any-return]
        plan = []
        for response_name, field_nodes in fields.items():
            node = field_nodes[0]
            name = node.name.value
            leaf = None
            if not node.arguments and not name.startswith("__"):
                leaf = self._leaf(parent_type, name)
            plan.append((response_name, field_nodes, name, leaf))
        plans[id(fields)] = (fields, plan)
        return plan

    def execute_field(
        self,
        parent_type: graphql.GraphQLObjectType,
        source: Any,
        field_nodes: list[gl.FieldNode],
        path: Path,
    ) -> Any:
        answers = self.context_value.answers
        if (
            answers is not None
            and parent_type is self.schema.query_type
            and field_nodes[0].name.value == "repository"
        ):
            return self._cached_repository(parent_type, source, field_nodes, path, answers)
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if not field_def:
            return Undefined
        return_type = field_def.type
        info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
        try:
            args = self._arguments(field_def, field_nodes[0])
            result = (field_def.resolve or self.field_resolver)(source, info, **args)
            return self.complete_value(return_type, field_nodes, info, path, result)
        except Exception as raw_error:
            error = graphql.located_error(raw_error, field_nodes, path.as_list())
            self._field_error(error, return_type, path)
            return None

    def _arguments(self, field_def: graphql.GraphQLField, node: gl.FieldNode) -> dict[str, Any]:
        """graphql-core's `get_argument_values`, computed once per field node when the node's
        arguments use no variable (they are then the same for every request)."""
        if not node.arguments and not field_def.args:
            return {}
        found = _CONSTANT_ARGUMENTS.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        args = get_argument_values(field_def, node, self.variable_values)
        if not any(_uses_variable(a.value) for a in node.arguments or ()):
            if len(_CONSTANT_ARGUMENTS) > 200_000:
                _CONSTANT_ARGUMENTS.clear()
            _CONSTANT_ARGUMENTS[id(node)] = (node, args)
        return args

    def _leaf(self, parent_type: graphql.GraphQLObjectType, name: str) -> Any:
        """`(leaf type, non-null)` of a scalar or enum field, else None (cached per schema)."""
        key = (parent_type.name, name)
        cache = _LEAVES.get(self.schema)
        if cache is None:
            cache = _LEAVES.setdefault(self.schema, {})
        if key not in cache:
            field = parent_type.fields.get(name)
            found = None
            if field is not None:
                inner = graphql.get_nullable_type(field.type)
                if graphql.is_leaf_type(inner):
                    found = (inner, graphql.is_non_null_type(field.type))
            cache[key] = found
        return cache[key]

    def _cached_repository(
        self,
        parent_type: graphql.GraphQLObjectType,
        source: Any,
        field_nodes: list[gl.FieldNode],
        path: Path,
        answers: AnswerCache,
    ) -> Any:
        """The base class's `execute_field` for a root `repository` field, through the cache."""
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        return_type = field_def.type
        info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
        try:
            args = get_argument_values(field_def, field_nodes[0], self.variable_values)
            result = self.field_resolver(source, info, **args)
            key = self._answer_key(field_nodes, result, answers)
            if key is not None:
                cached = answers.get(key)
                if cached is not None:
                    return cached
            errors_before = self._errors_so_far()
            completed = self.complete_value(return_type, field_nodes, info, path, result)
            if key is not None and completed is not None and self._errors_so_far() == errors_before:
                answers.put(key, completed)
            return completed
        except Exception as raw_error:
            error = graphql.located_error(raw_error, field_nodes, path.as_list())
            self._field_error(error, return_type, path)
            return None

    def _answer_key(
        self, field_nodes: list[gl.FieldNode], result: Any, answers: AnswerCache
    ) -> Hashable | None:
        repo = getattr(result, "repo", None)
        if repo is None:
            return None
        text, names = answers.signature(field_nodes, self.fragments)
        values = json.dumps(
            [self.variable_values.get(n) for n in names], sort_keys=True, default=repr
        )
        return (text, values, repo.key)
