"""GitHub's answer shapes: error entries and messages, as github.com words them.

graphql-core words its validation errors differently from GitHub (graphql-ruby); the messages
GitHub clients commonly see are translated here so the simulator's answers read like GitHub's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Any

import graphql
from graphql import language as gl

__all__ = [
    "DOCS_URL",
    "FORBIDDEN_MESSAGE",
    "RATE_LIMIT_MESSAGE",
    "SECONDARY_LIMIT_MESSAGE",
    "TIMEOUT_MESSAGE",
    "ErrorEntry",
    "forbidden",
    "github_validation_error",
    "iso",
    "location_of",
    "node_id",
    "not_found",
]

ErrorEntry = dict[str, Any]

TIMEOUT_MESSAGE = (
    "Something went wrong while executing your query. This may be the result of a timeout, or it "
    "could be a GitHub bug. Please include `{request_id}` when reporting this issue."
)
RATE_LIMIT_MESSAGE = (
    "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please "
    "include the request ID {request_id} and timestamp {timestamp}."
)
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)
FORBIDDEN_MESSAGE = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access "
    "token access to this organization."
)
DOCS_URL = "https://docs.github.com/graphql"
SECONDARY_DOCS_URL = (
    "https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api"
    "#secondary-rate-limits"
)

# (graphql-core message pattern, GitHub message template, extensions code, extension fields)
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str, str, tuple[str, ...]], ...] = (
    (
        re.compile(r"Cannot query field '(?P<fieldName>\w+)' on type '(?P<typeName>\w+)'"),
        "Field '{fieldName}' doesn't exist on type '{typeName}'",
        "undefinedField",
        ("typeName", "fieldName"),
    ),
    (
        re.compile(r"Unknown argument '(?P<argumentName>\w+)' on field '\w+\.(?P<name>\w+)'"),
        "Field '{name}' doesn't accept argument '{argumentName}'",
        "argumentNotAccepted",
        ("name", "argumentName"),
    ),
    (
        re.compile(r"Argument '\w+\.(?P<name>\w+)\((?P<arguments>\w+):\)' of type .* is required"),
        "Field '{name}' is missing required arguments: {arguments}",
        "missingRequiredArguments",
        ("name", "arguments"),
    ),
    (
        re.compile(r"Field '(?P<name>\w+)' argument '(?P<arguments>\w+)' of type .* is required"),
        "Field '{name}' is missing required arguments: {arguments}",
        "missingRequiredArguments",
        ("name", "arguments"),
    ),
    (
        re.compile(r"Field '(?P<name>\w+)' of type '(?P<type>[\w!\[\]]+)' must have a selection"),
        "Field must have selections (field '{name}' returns {type} but has no selections. "
        "Did you mean '{name} {{ ... }}'?)",
        "selectionMismatch",
        ("name",),
    ),
    (
        re.compile(r"Unknown type '(?P<typeName>\w+)'"),
        "No such type {typeName}, so it can't be a fragment condition",
        "undefinedType",
        ("typeName",),
    ),
    (
        re.compile(r"Variable '\$(?P<variableName>\w+)' is never used"),
        "Variable ${variableName} is declared but not used",
        "variableNotUsed",
        ("variableName",),
    ),
)


def iso(moment: dt.datetime | None) -> str | None:
    """GitHub's DateTime form: `2025-01-31T12:00:00Z`."""
    return None if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(prefix: str, key: str) -> str:
    """A stable, opaque global node id."""
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).digest()[:9]
    return prefix + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def github_validation_error(error: graphql.GraphQLError, paths: dict[int, list[str]]) -> ErrorEntry:
    """A graphql-core validation error as GitHub words and shapes it."""
    entry: ErrorEntry = {"message": error.message}
    for pattern, template, code, keys in _TRANSLATIONS:
        match = pattern.search(error.message)
        if match:
            found = match.groupdict()
            entry = {
                "message": template.format(**found),
                "extensions": {"code": code, **{key: found[key] for key in keys}},
            }
            break
    field_nodes = [node for node in error.nodes or () if isinstance(node, gl.FieldNode)]
    if field_nodes and id(field_nodes[0]) in paths:
        entry["path"] = paths[id(field_nodes[0])]
    if error.locations:
        entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return entry


def location_of(node: gl.Node) -> dict[str, int]:
    """`{"line", "column"}` of a node of a parsed document."""
    if node.loc is None:
        return {"line": 1, "column": 1}
    where = graphql.get_location(node.loc.source, node.loc.start)
    return {"line": where.line, "column": where.column}


def not_found(kind: str, name: str, path: list[Any], locations: list[dict[str, int]]) -> ErrorEntry:
    """GitHub's error for an alias whose object does not exist (the alias answers null)."""
    if kind == "Repository":
        message = f"Could not resolve to a Repository with the name '{name}'."
    else:
        message = f"Could not resolve to {_article(kind)} {kind} with the login of '{name}'."
    return {"type": "NOT_FOUND", "path": path, "locations": locations, "message": message}


def forbidden(path: list[Any], locations: list[dict[str, int]]) -> ErrorEntry:
    """GitHub's error for an alias the token may not read (SAML-protected organisation); the
    alias answers null, the rest of the query is answered (HTTP 200)."""
    return {
        "type": "FORBIDDEN",
        "path": path,
        "extensions": {"saml_failure": True},
        "locations": locations,
        "message": FORBIDDEN_MESSAGE,
    }


def _article(kind: str) -> str:
    return "an" if kind[0] in "AEIOU" else "a"
