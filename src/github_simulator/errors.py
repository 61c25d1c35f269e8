"""Exceptions raised while executing a query; `execution` shapes each into GitHub's error entry."""

from __future__ import annotations

from typing import Any

__all__ = ["ForbiddenError", "NotFoundError", "UnmodelledError", "unmodelled"]


class NotFoundError(Exception):
    """An object a query names does not exist; becomes a `NOT_FOUND` error for that alias."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name} not found")
        self.kind = kind
        self.name = name


class ForbiddenError(Exception):
    """The token may not read a repository a query names; becomes a `FORBIDDEN` error."""

    def __init__(self, name: str) -> None:
        super().__init__(f"repository {name} is forbidden")
        self.name = name


class UnmodelledError(Exception):
    """Strict mode: a selected field the simulator cannot answer truthfully.

    The message names the type and the field ("the simulator does not model Repository.fooBar"),
    with what exactly is missing in parentheses when the field is modelled only in part.
    """

    def __init__(self, type_name: str, field_name: str, detail: str | None = None) -> None:
        message = f"the simulator does not model {type_name}.{field_name}"
        super().__init__(f"{message} ({detail})" if detail else message)
        self.type_name = type_name
        self.field_name = field_name


def unmodelled(info: Any, detail: str | None = None) -> None:
    """Raise `UnmodelledError` for the field `info` resolves when the run is strict; in lenient
    mode return None (the caller then answers null, as the simulator did before strict mode)."""
    if getattr(info.context, "strict", True):
        raise UnmodelledError(info.parent_type.name, info.field_name, detail)
