"""The repositories a simulator serves: records, fixture files and an awesome-list rendering.

A `Population` is plain data: frozen `SimRepo` records plus the logins that are organizations and
the reference date (`now`) that every relative date was generated from, so answers are reproducible.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from github_simulator.histories import SimHistory, history_from_document

if TYPE_CHECKING:
    from github_simulator.future import Future

__all__ = ["DEFAULT_NOW", "FixtureError", "Population", "SimRelease", "SimRepo", "checked_files"]

DEFAULT_NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class FixtureError(ValueError):
    """A population fixture file cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class SimRelease:
    """One release of a simulated repository."""

    tag_name: str
    created_at: dt.datetime
    published_at: dt.datetime | None = None
    name: str | None = None
    is_prerelease: bool = False
    is_draft: bool = False


@dataclass(frozen=True)
class SimRepo:
    """One simulated GitHub repository; None means GitHub would answer null (unknown or absent)."""

    owner: str
    name: str
    category: str = "Uncategorized"
    tool_name: str | None = None
    description: str | None = None
    homepage_url: str | None = None
    stars: int = 0
    forks: int = 0
    watchers: int = 0
    commits: int = 1
    created_at: dt.datetime = DEFAULT_NOW - dt.timedelta(days=365)
    last_commit_at: dt.datetime | None = DEFAULT_NOW - dt.timedelta(days=7)
    pushed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    license_spdx: str | None = None
    language: str | None = None
    archived: bool = False
    fork: bool = False
    disabled: bool = False
    default_branch: str = "main"
    open_issues: int = 0
    closed_issues: int = 0
    open_prs: int = 0
    closed_prs: int = 0
    merged_prs: int = 0
    releases: tuple[SimRelease, ...] = ()
    topics: tuple[str, ...] = ()
    disk_usage: int | None = None
    mentionable_users: int = 0
    assignable_users: int = 0
    has_issues: bool = True
    files: Mapping[str, str | bytes] | None = field(default=None, hash=False)
    license_truth: str | None = None
    pypi_name: str | None = None
    # Issues, pull requests and commit authors: given (a fixture), or drawn from the named stream
    # when first asked (a synthetic repository; see histories.py). Neither: not modelled.
    history: SimHistory | None = field(default=None, hash=False)
    history_stream: str | None = None

    def __post_init__(self) -> None:
        if self.files is not None:
            object.__setattr__(self, "files", MappingProxyType(checked_files(self.files)))

    @property
    def full_name(self) -> str:
        """`owner/name` as GitHub spells it."""
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        """Lower-case `owner/name`: GitHub matches owners and names case-insensitively."""
        return self.full_name.lower()

    @property
    def display_name(self) -> str:
        """The tool's name for lists: `tool_name`, else the repository name."""
        return self.tool_name or self.name

    @property
    def is_empty(self) -> bool:
        """An empty repository has no commits and no default branch."""
        return self.commits == 0


def checked_files(files: Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """`files` as a plain dict, checked: relative `/`-separated paths without empty, `.` or
    `..` segments, str (text) or bytes (binary) contents, and no path both a file and a folder.

    `SimRepo.files` models the default branch's tree: folders exist because files are in them.
    """
    if not isinstance(files, Mapping):
        raise TypeError("SimRepo.files is a mapping of path to text or bytes")
    checked: dict[str, str | bytes] = {}
    for path, content in files.items():
        if not isinstance(path, str) or not path or "\0" in path:
            raise ValueError(f"SimRepo.files: bad path {path!r}")
        if any(part in ("", ".", "..") for part in path.split("/")):
            raise ValueError(f"SimRepo.files: bad path {path!r}")
        if not isinstance(content, str | bytes):
            raise TypeError(f"SimRepo.files[{path!r}] must be str or bytes")
        checked[path] = content
    folders = {path.rsplit("/", 1)[0] for path in checked if "/" in path}
    folders |= {f.rsplit("/", i)[0] for f in folders for i in range(1, f.count("/") + 1)}
    if both := sorted(folders & set(checked)):
        raise ValueError(f"SimRepo.files: {both[0]!r} is both a file and a folder")
    return checked


@dataclass(frozen=True)
class Population:
    """The simulated world: repositories, organization logins and the reference date."""

    repos: Sequence[SimRepo] = ()
    orgs: Iterable[str] = frozenset()
    now: dt.datetime = DEFAULT_NOW
    _index: dict[str, SimRepo] = field(init=False, repr=False, compare=False)
    _orgs: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repos", tuple(self.repos))
        object.__setattr__(self, "orgs", frozenset(login.lower() for login in self.orgs))
        object.__setattr__(self, "_orgs", self.orgs)
        index: dict[str, SimRepo] = {}
        for repo in self.repos:
            if repo.key in index:
                raise ValueError(f"repository {repo.full_name} appears twice in the population")
            index[repo.key] = repo
        object.__setattr__(self, "_index", index)

    @classmethod
    def synthetic(
        cls,
        n: int,
        seed: int = 0,
        *,
        categories: Sequence[str] | None = None,
        now: dt.datetime = DEFAULT_NOW,
    ) -> Population:
        """`n` deterministic repositories for `seed`, with realistic skew (see `synthetic.py`)."""
        from github_simulator.synthetic import generate

        return generate(n, seed, categories=categories, now=now)

    @classmethod
    def from_file(cls, path: Path | str) -> Population:
        """A population from a JSON or YAML fixture (format in docs/simulator.md)."""
        path = Path(path)
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            reason = str(exc).splitlines()[0]
            raise FixtureError(f"{path}: cannot read the population fixture: {reason}") from None
        return population_from_document(document, source=str(path))

    def advance(self, *, months: int = 24, seed: int = 1, chance: Any = None) -> Future:
        """This population `months` later, each repository kept active with a known chance
        (`github_simulator.future`)."""
        from github_simulator.future import advance

        return advance(self, months=months, seed=seed, chance=chance)

    def get(self, full_name: str) -> SimRepo | None:
        """The repository named `owner/name` (any case), or None."""
        return self._index.get(full_name.lower())

    def owned_by(self, login: str) -> list[SimRepo]:
        """Repositories whose owner is `login` (any case), in population order."""
        login = login.lower()
        return [repo for repo in self.repos if repo.owner.lower() == login]

    def is_org(self, login: str) -> bool:
        """Whether `login` is an organization of this population."""
        return login.lower() in self._orgs

    def categories(self) -> list[str]:
        """Categories in order of first appearance."""
        return list(dict.fromkeys(repo.category for repo in self.repos))

    def to_markdown(self, title: str = "Awesome Simulated MLOps") -> str:
        """An awesome-list style Markdown: `## Category` then `* [Name](url) - description`."""
        lines = [f"# {title}", "", "A synthetic list of tools, served by the GitHub simulator.", ""]
        for category in self.categories():
            lines += [f"## {category}", ""]
            members = [repo for repo in self.repos if repo.category == category]
            for repo in sorted(members, key=lambda r: r.display_name.lower()):
                item = f"* [{repo.display_name}](https://github.com/{repo.full_name})"
                lines.append(f"{item} - {repo.description}" if repo.description else item)
            lines.append("")
        return "\n".join(lines)

    def to_document(self) -> dict[str, Any]:
        """The population as a fixture document (the inverse of `from_file`), JSON-serialisable."""
        return {
            "now": self.now.isoformat(),
            "orgs": sorted(self._orgs),
            "repos": [_repo_document(repo) for repo in self.repos],
        }

    def to_json(self) -> str:
        """The fixture document as JSON text."""
        return json.dumps(self.to_document(), indent=1)


def _repo_document(repo: SimRepo) -> dict[str, Any]:
    document = dataclasses.asdict(dataclasses.replace(repo, files=None))
    if repo.files is not None:
        document["files"] = {path: _file_document(c) for path, c in repo.files.items()}
    return json.loads(json.dumps(document, default=_json_default))  # type: ignore[no-any-return]


def _file_document(content: str | bytes) -> str | dict[str, str]:
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return content


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


_DATE_FIELDS = {"created_at", "last_commit_at", "pushed_at", "updated_at"}
_REPO_FIELDS = {f.name for f in dataclasses.fields(SimRepo)}
_RELEASE_FIELDS = {f.name for f in dataclasses.fields(SimRelease)}


def population_from_document(document: object, *, source: str = "<document>") -> Population:
    """Check and convert a fixture document (`{now, orgs, repos: [...]}`) into a `Population`."""
    if not isinstance(document, Mapping) or not isinstance(document.get("repos"), list):
        raise FixtureError(f"{source}: expected a mapping with a 'repos' list")
    now = _as_datetime(document.get("now", DEFAULT_NOW), f"{source}: now")
    repos = [_repo(entry, f"{source}: repos[{i}]") for i, entry in enumerate(document["repos"])]
    orgs = document.get("orgs") or []
    if not isinstance(orgs, list) or not all(isinstance(o, str) for o in orgs):
        raise FixtureError(f"{source}: 'orgs' must be a list of logins")
    try:
        return Population(repos=repos, orgs=orgs, now=now)
    except ValueError as exc:
        raise FixtureError(f"{source}: {exc}") from None


def _repo(entry: object, where: str) -> SimRepo:
    if not isinstance(entry, Mapping):
        raise FixtureError(f"{where}: expected a mapping")
    unknown = set(entry) - _REPO_FIELDS
    if unknown:
        raise FixtureError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    if not isinstance(entry.get("owner"), str) or not isinstance(entry.get("name"), str):
        raise FixtureError(f"{where}: 'owner' and 'name' are required strings")
    values = dict(entry)
    for name in _DATE_FIELDS & set(values):
        if values[name] is not None:
            values[name] = _as_datetime(values[name], f"{where}.{name}")
    values["releases"] = tuple(
        _release(r, f"{where}.releases[{i}]") for i, r in enumerate(values.get("releases") or [])
    )
    values["topics"] = tuple(str(t) for t in values.get("topics") or [])
    if values.get("files") is not None:
        values["files"] = _files(values["files"], f"{where}.files")
    if values.get("history") is not None:
        try:
            values["history"] = history_from_document(values["history"], f"{where}.history")
        except ValueError as exc:
            raise FixtureError(str(exc)) from None
    try:
        return SimRepo(**values)
    except (TypeError, ValueError) as exc:
        raise FixtureError(f"{where}: {exc}") from None


def _files(entry: object, where: str) -> dict[str, str | bytes]:
    """`files:` of a fixture: path -> text, or path -> `{base64: ...}` for binary content."""
    if not isinstance(entry, Mapping):
        raise FixtureError(f"{where}: expected a mapping of path to text or {{base64: ...}}")
    files: dict[str, str | bytes] = {}
    for path, content in entry.items():
        if isinstance(content, Mapping) and set(content) == {"base64"}:
            try:
                files[str(path)] = base64.b64decode(str(content["base64"]), validate=True)
            except (binascii.Error, ValueError):
                raise FixtureError(f"{where}[{path!r}]: not valid base64") from None
        elif isinstance(content, str):
            files[str(path)] = content
        else:
            raise FixtureError(f"{where}[{path!r}]: expected text or {{base64: ...}}")
    return files


def _release(entry: object, where: str) -> SimRelease:
    if not isinstance(entry, Mapping) or "tag_name" not in entry or "created_at" not in entry:
        raise FixtureError(f"{where}: a release needs 'tag_name' and 'created_at'")
    unknown = set(entry) - _RELEASE_FIELDS
    if unknown:
        raise FixtureError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    values = dict(entry)
    values["created_at"] = _as_datetime(values["created_at"], f"{where}.created_at")
    if values.get("published_at") is not None:
        values["published_at"] = _as_datetime(values["published_at"], f"{where}.published_at")
    return SimRelease(**values)


def _as_datetime(value: object, where: str) -> dt.datetime:
    """A timezone-aware UTC datetime from an ISO string, a date or a (naive = UTC) datetime."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise FixtureError(f"{where}: not an ISO 8601 date: {value!r}") from None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise FixtureError(f"{where}: not a date: {value!r}")
