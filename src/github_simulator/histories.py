"""Issue, pull-request and commit-author histories of a simulated repository, with known answers.

A `SimHistory` lists a repository's newest issues and pull requests (with their comments and
reviews) and the authors of its newest commits. A fixture may give one (`history:` of a repo,
format in docs/simulator.md); a synthetic repository has one drawn, when first asked, from
`random.Random(history_stream(seed, index))`, a stream of its own, so every other field keeps the
value its seed gave before histories existed.

The lists hold the newest items only: a synthetic repository models its `HISTORY_DEPTH` newest
items of each state (GitHub's counts stay the repository's `open_issues`, `closed_issues`, ...),
and a query reaching past the modelled items is refused in strict mode.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from github_simulator.population import SimRepo

__all__ = [
    "BOTS",
    "HISTORY_DEPTH",
    "SimCommitAuthor",
    "SimHistory",
    "SimIssue",
    "SimPullRequest",
    "SimResponse",
    "history_from_document",
    "history_stream",
    "synthetic_history",
]

#: Items of each state a synthetic repository models (GitHub's largest page).
HISTORY_DEPTH = 100
#: Bot accounts synthetic repositories hear from (GitHub types them `Bot`).
BOTS = ("dependabot", "github-actions", "codecov")
_FREE_MAIL = ("gmail.com", "outlook.com", "users.noreply.github.com", "qq.com")


@dataclass(frozen=True)
class SimResponse:
    """A comment on an issue or pull request, or a review of a pull request."""

    author: str | None  # None: a deleted account ("ghost")
    created_at: dt.datetime
    bot: bool = False
    review: bool = False


@dataclass(frozen=True)
class SimIssue:
    """An issue: open while `closed_at` is None."""

    author: str | None
    created_at: dt.datetime
    closed_at: dt.datetime | None = None
    responses: tuple[SimResponse, ...] = ()


@dataclass(frozen=True)
class SimPullRequest:
    """A pull request: merged when `merged_at` is set (then closed at the same moment), closed
    without merging when only `closed_at` is, open otherwise."""

    author: str | None
    created_at: dt.datetime
    merged_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    responses: tuple[SimResponse, ...] = ()

    @property
    def state(self) -> str:
        """GitHub's PullRequestState."""
        if self.merged_at is not None:
            return "MERGED"
        return "OPEN" if self.closed_at is None else "CLOSED"


@dataclass(frozen=True)
class SimCommitAuthor:
    """A commit's author as git records it, and the GitHub user it links to (if any)."""

    email: str | None
    name: str | None = None
    login: str | None = None  # None: no GitHub account matches the e-mail
    company: str | None = None  # the linked user's profile company


@dataclass(frozen=True)
class SimHistory:
    """A repository's newest issues and pull requests and its newest commits' authors (newest
    commit first); `complete` says the lists hold every item (a fixture's), not the newest."""

    issues: tuple[SimIssue, ...] = ()
    pull_requests: tuple[SimPullRequest, ...] = ()
    commit_authors: tuple[SimCommitAuthor, ...] = ()
    complete: bool = field(default=True)


# -- fixtures ------------------------------------------------------------------------------------


def _time(value: object, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{where}: not an ISO 8601 time: {value!r}") from None
    else:
        raise ValueError(f"{where}: not a time: {value!r}")
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _maybe(value: object, where: str) -> dt.datetime | None:
    return None if value is None else _time(value, where)


def _fields(entry: object, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: expected a mapping")
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    return entry


def _responses(entries: object, where: str) -> tuple[SimResponse, ...]:
    found = []
    if entries is not None and not isinstance(entries, list | tuple):
        raise ValueError(f"{where}: expected a list")
    for i, entry in enumerate(entries or ()):
        e = _fields(entry, {"author", "created_at", "bot", "review"}, f"{where}[{i}]")
        at = _time(e.get("created_at"), f"{where}[{i}].created_at")
        found.append(SimResponse(e.get("author"), at, bool(e.get("bot")), bool(e.get("review"))))
    return tuple(found)


def history_from_document(entry: object, where: str) -> SimHistory:
    """A fixture's `history:` mapping (the inverse of `dataclasses.asdict`)."""
    e = _fields(entry, {"issues", "pull_requests", "commit_authors", "complete"}, where)
    issues = []
    for i, item in enumerate(e.get("issues") or ()):
        at = f"{where}.issues[{i}]"
        v = _fields(item, {"author", "created_at", "closed_at", "responses"}, at)
        issues.append(
            SimIssue(
                v.get("author"),
                _time(v.get("created_at"), f"{at}.created_at"),
                _maybe(v.get("closed_at"), f"{at}.closed_at"),
                _responses(v.get("responses"), f"{at}.responses"),
            )
        )
    pulls = []
    for i, item in enumerate(e.get("pull_requests") or ()):
        at = f"{where}.pull_requests[{i}]"
        v = _fields(item, {"author", "created_at", "merged_at", "closed_at", "responses"}, at)
        merged = _maybe(v.get("merged_at"), f"{at}.merged_at")
        pulls.append(
            SimPullRequest(
                v.get("author"),
                _time(v.get("created_at"), f"{at}.created_at"),
                merged,
                _maybe(v.get("closed_at"), f"{at}.closed_at") or merged,
                _responses(v.get("responses"), f"{at}.responses"),
            )
        )
    authors = []
    for i, item in enumerate(e.get("commit_authors") or ()):
        v = _fields(item, {"email", "name", "login", "company"}, f"{where}.commit_authors[{i}]")
        authors.append(SimCommitAuthor(v.get("email"), v.get("name"), v.get("login"),
                                       v.get("company")))  # fmt: skip
    return SimHistory(tuple(issues), tuple(pulls), tuple(authors), bool(e.get("complete", True)))


# -- synthetic -----------------------------------------------------------------------------------


def _hours(rng: random.Random, median: float, spread: float = 1.2) -> dt.timedelta:
    return dt.timedelta(seconds=round(3600 * median * rng.lognormvariate(0, spread)))


def _created(rng: random.Random, count: int, total: int, repo: SimRepo, now: dt.datetime) -> list:
    """Creation times of the `count` newest of `total` items, newest first: items arrive at an
    even rate over the repository's life, so the newest `count` span `count / total` of it."""
    life = max(1.0, (now - repo.created_at).total_seconds())
    span = life * count / max(1, total)
    return sorted((now - dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(count)),
                  reverse=True)  # fmt: skip


def _thread(
    rng: random.Random,
    author: str,
    start: dt.datetime,
    end: dt.datetime,
    people: list[str],
    *,
    reviews: bool,
) -> tuple[SimResponse, ...]:
    """0-5 responses after `start` (before `end`): maintainers, the author, bots, others."""
    responses = []
    at = start
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 5))):
        at = at + _hours(rng, 12)
        if at > end:
            break
        pick = rng.random()
        if pick < 0.15:
            responses.append(SimResponse(rng.choice(BOTS), at, bot=True))
        elif pick < 0.35:
            responses.append(SimResponse(author, at))
        else:
            responder = rng.choice(people[:3] if pick < 0.8 else people)
            review = reviews and rng.random() < 0.5
            responses.append(SimResponse(responder, at, review=review))
    return tuple(responses)


def _people(repo: SimRepo, rng: random.Random) -> list[str]:
    """Maintainers first (the first three), then other contributors."""
    count = max(1, min(40, repo.mentionable_users))
    base = repo.owner.lower()
    return [f"{base}-m{i}" if i < 3 else f"contrib-{base}-{i}" for i in range(max(3, count))]


def _commit_authors(repo: SimRepo, rng: random.Random, people: list[str]) -> list:
    authors = []
    domain = f"{repo.owner.lower()}.example.com"
    weights = [1.0 / (rank + 1) ** 1.2 for rank in range(len(people))]
    profiles = {}
    for login in people:
        pick = rng.random()
        if pick < 0.4:
            profiles[login] = SimCommitAuthor(f"{login}@{domain}", login, login, f"@{repo.owner}")
        elif pick < 0.75:
            email = f"{login}@{rng.choice(_FREE_MAIL)}"
            company = rng.choice((None, None, "Acme Corp", "Initech"))
            profiles[login] = SimCommitAuthor(email, login, login, company)
        elif pick < 0.9:
            profiles[login] = SimCommitAuthor(f"{login}@{rng.choice(('acme.com', 'initech.io'))}",
                                              login, login)  # fmt: skip
        else:  # a commit e-mail no GitHub account claims
            profiles[login] = SimCommitAuthor(f"{login}@{rng.choice(_FREE_MAIL)}", login)
    for _ in range(min(repo.commits, HISTORY_DEPTH)):
        authors.append(profiles[rng.choices(people, weights)[0]])
    return authors


def history_stream(seed: int, index: int) -> str:
    """The name of the random stream of the `index`-th synthetic repository of `seed`."""
    return f"{seed}:history:{index}"


def synthetic_history(repo: SimRepo, stream: str, now: dt.datetime) -> SimHistory:
    """The history drawn from `stream` (`history_stream`) for `repo`, as of `now`."""
    rng = random.Random(stream)
    people = _people(repo, rng)
    end = now
    issues: list[SimIssue] = []
    if repo.has_issues:
        count = min(repo.closed_issues, HISTORY_DEPTH)
        for created in _created(rng, count, repo.closed_issues, repo, now):
            author = rng.choice(people)
            closed = min(end, created + _hours(rng, 72, 1.6))
            thread = _thread(rng, author, created, closed, people, reviews=False)
            issues.append(SimIssue(author, created, closed, thread))
        count = min(repo.open_issues, HISTORY_DEPTH)
        for created in _created(rng, count, repo.open_issues, repo, now):
            author = rng.choice(people)
            thread = _thread(rng, author, created, end, people, reviews=False)
            issues.append(SimIssue(author, created, None, thread))
    pulls: list[SimPullRequest] = []
    done = repo.merged_prs + repo.closed_prs
    for created in _created(rng, min(done, HISTORY_DEPTH), done, repo, now):
        author = rng.choice(people)
        finished = min(end, created + _hours(rng, 30, 1.4))
        merged = finished if rng.random() < repo.merged_prs / max(1, done) else None
        thread = _thread(rng, author, created, finished, people, reviews=True)
        pulls.append(SimPullRequest(author, created, merged, finished, thread))
    for created in _created(rng, min(repo.open_prs, HISTORY_DEPTH), repo.open_prs, repo, now):
        author = rng.choice(people)
        thread = _thread(rng, author, created, end, people, reviews=True)
        pulls.append(SimPullRequest(author, created, None, None, thread))
    authors = _commit_authors(repo, rng, people) if not repo.is_empty else []
    return SimHistory(tuple(issues), tuple(pulls), tuple(authors), complete=False)
