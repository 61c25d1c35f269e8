"""GitHub's pagination limits, node limit and point cost, applied to a planned document.

The formula is GitHub's documented one ("Rate limits and node limits for the GraphQL API"):
assume every connection returns its `first`/`last` items; a connection needs one request per
item of each enclosing connection; sum those requests, divide by 100, round to the nearest
integer, with a minimum of 1. The node count sums each connection's size times its parents'.
A connection that selects only `totalCount`/`pageInfo` still counts as one request but no nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from github_simulator.analysis import Connection, DocumentPlan, PageArg, VariableRef
from github_simulator.shapes import ErrorEntry

__all__ = ["MAX_NODES", "MAX_PAGE", "Measure", "measure", "points"]

MAX_PAGE = 100
MAX_NODES = 500_000


@dataclass(frozen=True)
class Measure:
    """Cost of one request: `errors` (limits broken) or the points it will be charged."""

    cost: int
    requests: int
    node_count: int
    errors: tuple[ErrorEntry, ...] = ()


def points(requests: int) -> int:
    """Requests to points: divide by 100, round half up, at least 1."""
    return max(1, (requests + 50) // 100)


def measure(plan: DocumentPlan, variables: Mapping[str, Any] | None) -> Measure:
    """Check pagination arguments and the node limit, and price the query."""
    values = {**(plan.variable_defaults or {}), **(variables or {})}
    errors: list[ErrorEntry] = []
    requests, nodes = _tally(plan.connections, 1, values, errors)
    if not errors and nodes > MAX_NODES:
        errors.append(
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "message": f"This query requests up to {nodes:,} possible nodes which exceeds "
                f"the maximum limit of {MAX_NODES:,}.",
                "extensions": {"code": "MAX_NODE_LIMIT_EXCEEDED"},
            }
        )
    return Measure(points(requests), requests, nodes, tuple(errors))


def _tally(
    connections: Iterable[Connection],
    multiplier: int,
    values: Mapping[str, Any],
    errors: list[ErrorEntry],
) -> tuple[int, int]:
    requests = nodes = 0
    for connection in connections:
        size = _page_size(connection, values, errors)
        requests += multiplier
        nodes += multiplier * size
        inner_requests, inner_nodes = _tally(connection.children, multiplier * size, values, errors)
        requests += inner_requests
        nodes += inner_nodes
    return requests, nodes


def _page_size(connection: Connection, values: Mapping[str, Any], errors: list[ErrorEntry]) -> int:
    """The connection's `first` or `last`, or 0 (with an error when one was needed or invalid)."""
    first, last = _value(connection.first, values), _value(connection.last, values)
    if first is not None and last is not None:
        errors.append(
            _error(
                connection,
                "EXCESSIVE_PAGINATION",
                f"Passing both `first` and `last` to paginate the `{connection.name}` connection "
                "is not supported.",
            )
        )
        return 0
    argument, size = ("first", first) if first is not None else ("last", last)
    if size is None:
        if connection.selects_nodes:
            errors.append(
                _error(
                    connection,
                    "MISSING_PAGINATION_BOUNDARIES",
                    f"You must provide a `first` or `last` value to properly paginate the "
                    f"`{connection.name}` connection.",
                )
            )
        return 0
    if size > MAX_PAGE:
        errors.append(
            _error(
                connection,
                "EXCESSIVE_PAGINATION",
                f"Requesting {size} records on the `{connection.name}` connection exceeds the "
                f"`{argument}` limit of {MAX_PAGE} records.",
            )
        )
    elif size < 0:
        errors.append(
            _error(
                connection,
                "INVALID_PAGINATION",
                f"`{argument}` on the `{connection.name}` connection cannot be less than zero.",
            )
        )
    return max(0, min(size, MAX_PAGE))


def _value(argument: PageArg, values: Mapping[str, Any]) -> int | None:
    if isinstance(argument, VariableRef):
        value = values.get(argument.name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return argument


def _error(connection: Connection, kind: str, message: str) -> ErrorEntry:
    return {
        "type": kind,
        "path": list(connection.path),
        "locations": [connection.location],
        "message": message,
        "extensions": {"code": kind},
    }
