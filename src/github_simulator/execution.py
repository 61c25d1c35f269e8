"""Running a validated document over the population with graphql-core.

`Directory` answers name lookups the way GitHub does: case-insensitive, following renames, hiding
repositories the faults mark missing, refusing those they mark forbidden. `execute_plan` runs one
request and shapes its errors (`NOT_FOUND` or `FORBIDDEN` per alias, the other aliases answered).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import graphql

from github_simulator.analysis import DocumentPlan
from github_simulator.answers import AnswerCache, SimExecutionContext
from github_simulator.errors import ForbiddenError, NotFoundError, UnmodelledError
from github_simulator.faults import Faults
from github_simulator.population import Population, SimRepo
from github_simulator.shapes import ErrorEntry, forbidden, not_found
from github_simulator.views import OwnerView, RepositoryView, connection

__all__ = [
    "VIEWER_LOGIN",
    "Directory",
    "ExecutionRuntime",
    "ForbiddenError",
    "NotFoundError",
    "UnmodelledError",
    "execute_plan",
]

VIEWER_LOGIN = "simulated-user"


class Directory:
    """The population as GitHub's name lookups see it, after the `missing`, `renamed` and
    `forbidden` faults."""

    def __init__(self, population: Population, faults: Faults) -> None:
        self.population = population
        self._faults = faults
        self._repos = {r.key: r for r in population.repos if r.key not in faults.missing}
        self._redirects: dict[str, str] = {}
        for old, new in faults.renamed.items():
            repo = population.get(old) or population.get(new)
            if repo is None:
                raise ValueError(f"renamed repository {old} -> {new}: neither is in the population")
            owner, _, name = new.partition("/")
            moved = dataclasses.replace(repo, owner=owner, name=name)
            self._repos.pop(repo.key, None)
            self._repos[moved.key] = moved
            self._redirects[old] = moved.key
        self._by_owner: dict[str, list[SimRepo]] = {}
        for repo in self._repos.values():
            self._by_owner.setdefault(repo.owner.lower(), []).append(repo)
        self.queried: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._views: dict[str, RepositoryView] = {}

    def lookup(self, owner: str, name: str, *, follow_renames: bool = True) -> SimRepo | None:
        """The repository `owner/name` (any case), or None; counts the query."""
        key = f"{owner}/{name}".lower()
        with self._lock:
            self.queried[key] += 1
        repo = self._repos.get(key)
        if repo is None and follow_renames and key in self._redirects:
            repo = self._repos.get(self._redirects[key])
        return repo

    def clear_queries(self) -> None:
        """Forget the per-repository query counts."""
        with self._lock:
            self.queried.clear()

    def view(self, owner: str, name: str, *, follow_renames: bool = True) -> RepositoryView | None:
        """The repository `owner/name` (any case), or None; raises `ForbiddenError` when the
        faults forbid the name as asked or the repository it resolves to."""
        repo = self.lookup(owner, name, follow_renames=follow_renames)
        asked = f"{owner}/{name}"
        if self._faults.is_forbidden(asked, *(() if repo is None else (repo.key,))):
            raise ForbiddenError(asked)
        return None if repo is None else self.view_of(repo)

    def view_of(self, repo: SimRepo) -> RepositoryView:
        """The one view of `repo` (views depend on the repository alone, so they are shared)."""
        view = self._views.get(repo.key)
        if view is None or view.repo is not repo:
            view = RepositoryView(repo, self)
            with self._lock:
                view = self._views.setdefault(repo.key, view)
        return view

    def owned_by(self, login: str) -> list[SimRepo]:
        return list(self._by_owner.get(login.lower(), ()))

    def is_org(self, login: str) -> bool:
        return self.population.is_org(login)

    def owner(self, login: str) -> OwnerView | None:
        """The organization or user `login`, spelled as the population spells it, or None."""
        repos = self.owned_by(login)
        if repos:
            return OwnerView(repos[0].owner, self.is_org(login), self)
        return OwnerView(login, True, self) if self.is_org(login) else None


@dataclass
class QueryRoot:
    """The `Query` type's fields; `rate_limit` is this request's `rateLimit` answer."""

    directory: Directory
    rate_limit: dict[str, Any]

    def repository(
        self, info: Any, owner: str, name: str, followRenames: bool = True
    ) -> RepositoryView:
        view = self.directory.view(owner, name, follow_renames=followRenames)
        if view is None:
            raise NotFoundError("Repository", f"{owner}/{name}")
        return view

    def organization(self, info: Any, login: str) -> OwnerView:
        owner = self.directory.owner(login)
        if owner is None or owner.typename != "Organization":
            raise NotFoundError("Organization", login)
        return owner

    def user(self, info: Any, login: str) -> OwnerView:
        owner = self.directory.owner(login)
        if owner is None or owner.typename != "User":
            raise NotFoundError("User", login)
        return owner

    def repositoryOwner(self, info: Any, login: str) -> OwnerView | None:
        return self.directory.owner(login)

    def rateLimit(self, info: Any, dryRun: bool = False) -> dict[str, Any]:
        return self.rate_limit

    def viewer(self, info: Any) -> OwnerView:
        """The token's user: every token is the same simulated user."""
        return OwnerView(VIEWER_LOGIN, False, self.directory)


@dataclass(frozen=True)
class ExecutionRuntime:
    """What resolvers need beyond their source (graphql-core's `context_value`): whether
    unmodelled fields are errors (`strict`), the answer cache (None: no caching) and whether
    execution takes `SimExecutionContext`'s shortcuts (False: graphql-core's stock executor,
    the benchmark's baseline; the cache then goes unused)."""

    strict: bool = True
    answers: AnswerCache | None = None
    shortcuts: bool = True


_ABSENT = object()


def resolve_field(source: Any, info: graphql.GraphQLResolveInfo, **args: Any) -> Any:
    """graphql-core's default resolver (the attribute or key named like the field, called with
    `(info, **args)` when callable). A field the source lacks is not modelled: strict mode
    raises `UnmodelledError`; lenient mode answers a placeholder (see `_placeholder`)."""
    name = info.field_name
    value = (
        source.get(name, _ABSENT) if isinstance(source, Mapping) else getattr(source, name, _ABSENT)
    )
    strict = info.context.strict
    if value is _ABSENT:
        if strict:
            raise UnmodelledError(info.parent_type.name, name)
        return _placeholder(info)
    if callable(value):
        value = value(info, **args)
    if value is None and not strict and isinstance(info.return_type, graphql.GraphQLNonNull):
        return _zero(info.return_type.of_type)
    return value


_EMPTY_PAGE = connection((), {}, 0)


def _placeholder(info: graphql.GraphQLResolveInfo) -> Any:
    """Lenient mode's answer for an unmodelled field: the empty page of a connection, else
    null, or a zero value when the schema says non-null."""
    if info.parent_type.name.endswith("Connection") and info.field_name in _EMPTY_PAGE:
        return _EMPTY_PAGE[info.field_name]
    if isinstance(info.return_type, graphql.GraphQLNonNull):
        return _zero(info.return_type.of_type)
    return None


_SCALAR_ZEROS: dict[str, Any] = {
    "Boolean": False,
    "Int": 0,
    "Float": 0.0,
    "String": "",
    "ID": "",
    "HTML": "",
    "URI": "https://github.com/",
    "DateTime": "1970-01-01T00:00:00Z",
    "GitTimestamp": "1970-01-01T00:00:00Z",
    "GitObjectID": "0" * 40,
}


def _zero(kind: Any) -> Any:
    """Lenient mode's placeholder for a non-null field the simulator does not model: false, 0,
    "", [], the enum's first value or an empty connection; None (an execution error) otherwise."""
    if isinstance(kind, graphql.GraphQLList):
        return []
    if isinstance(kind, graphql.GraphQLEnumType):
        return next(iter(kind.values))
    name = getattr(kind, "name", "")
    if name.endswith("Connection"):
        return _EMPTY_PAGE
    return _SCALAR_ZEROS.get(name)


def resolve_type(value: Any, info: Any, abstract_type: Any) -> str:
    """The concrete GitHub type of a view (or of a dict carrying `__typename`)."""
    if isinstance(value, Mapping):
        return str(value["__typename"])
    return str(value.typename)


def execute_plan(
    schema: graphql.GraphQLSchema,
    plan: DocumentPlan,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    root: QueryRoot,
    runtime: ExecutionRuntime | None = None,
) -> tuple[dict[str, Any] | None, list[ErrorEntry]]:
    """Run the planned document; `(data, errors)` with errors shaped like GitHub's.

    Execution is graphql-core's, through `SimExecutionContext` (a leaner path for plain leaf
    fields and, with `runtime.answers`, cached answers per repository alias): the answers are
    the same as graphql-core's own executor gives, which the tests check.
    """
    assert plan.document is not None
    runtime = runtime or ExecutionRuntime()
    result = graphql.execute(
        schema,
        plan.document,
        root_value=root,
        context_value=runtime,
        variable_values=dict(variables or {}),
        operation_name=operation_name,
        field_resolver=resolve_field,
        type_resolver=resolve_type,
        execution_context_class=SimExecutionContext if runtime.shortcuts else None,
        is_awaitable=_never_awaitable,
    )
    if not isinstance(result, graphql.ExecutionResult):  # pragma: no cover - no async resolvers
        raise TypeError("the simulator's resolvers are synchronous")
    return result.data, [_shape(error) for error in result.errors or ()]


def _never_awaitable(value: Any) -> bool:
    """The simulator's resolvers are synchronous: graphql-core need not check every value."""
    return False


def _shape(error: graphql.GraphQLError) -> ErrorEntry:
    locations = [{"line": loc.line, "column": loc.column} for loc in error.locations or ()]
    path = list(error.path or ())
    original = error.original_error
    if isinstance(original, NotFoundError):
        return not_found(original.kind, original.name, path, locations)
    if isinstance(original, ForbiddenError):
        return forbidden(path, locations)
    entry: ErrorEntry = {"message": error.message, "locations": locations}
    if path:
        entry["path"] = path
    if isinstance(original, UnmodelledError):
        entry["extensions"] = {
            "code": "SIMULATOR_UNMODELLED",
            "typeName": original.type_name,
            "fieldName": original.field_name,
        }
    return entry
