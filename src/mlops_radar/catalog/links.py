"""Classify a catalog entry by its link: a GitHub repository, a folder of one, an organisation, a
repository on another forge, or a website.

Lists spell the same repository many ways (`www.`, `.git`, a trailing slash, an anchor, a query,
other letter case); this module turns each spelling into one `Link`, so later stages can query the
forge and tell two entries apart by `ToolEntry.identity`. It never raises for a string: what it
cannot read as a forge address is a website.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mlops_radar.catalog.records import LinkKind, ToolEntry

__all__ = [
    "OTHER_FORGES",
    "RESERVED_GITHUB_PATHS",
    "Link",
    "absolute_url",
    "classify_link",
    "is_web_url",
    "tool_entry",
]

GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})

# First path segments of github.com that are GitHub's own pages, not a user or an organisation
# (https://github.com/features, /topics/mlops, /marketplace/actions/x, /sponsors/someone, ...).
RESERVED_GITHUB_PATHS = frozenset(
    {
        "about", "account", "apps", "blog", "codespaces", "collections", "contact",
        "customer-stories", "dashboard", "enterprise", "events", "explore", "features", "home",
        "join", "login", "logout", "marketplace", "new", "notifications", "organizations", "orgs",
        "pricing", "pulls", "issues", "readme", "search", "security", "settings", "site",
        "solutions", "sponsors", "team", "topics", "trending", "users",
    }
)  # fmt: skip

# Forges other than GitHub whose project pages are `host/owner/.../project`.
OTHER_FORGES = frozenset(
    {
        "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "git.sr.ht", "hg.sr.ht",
        "gitee.com", "framagit.org", "gitea.com", "notabug.org", "salsa.debian.org",
        "invent.kde.org", "gitlab.gnome.org", "sourceforge.net", "launchpad.net",
    }
)  # fmt: skip

_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


@dataclass(frozen=True, slots=True)
class Link:
    """What one URL points at; the fields mirror those of `ToolEntry`."""

    url: str
    kind: LinkKind
    repo: str | None = None
    subpath: str | None = None
    forge: str | None = None
    forge_path: str | None = None
    org: str | None = None


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def absolute_url(dest: str) -> str:
    """`dest` with `https://` in front when it is a forge address written without a scheme
    (`github.com/ray-project/ray`, `www.gitlab.com/x/y`), which lists do write; else `dest`.

    Only the forges named here: any other host-like start (`docs.example.com/x`) may as well
    be a relative path, so it is left for the reader to report."""
    text = dest.strip()
    host, slash, rest = text.partition("/")
    forge = host.lower().removeprefix("www.")
    if slash and rest and "://" not in text and forge in GITHUB_HOSTS | OTHER_FORGES:
        return f"https://{text}"
    return dest


def tool_entry(name: str, categories: tuple[str, ...], link: Link, **fields: Any) -> ToolEntry:
    """A catalog entry whose link fields come from a classified `link`; `fields` add the rest
    (description, stages, line, ...) and may override the URL."""
    return ToolEntry(
        name=name,
        categories=categories,
        url=fields.pop("url", None) or link.url,
        kind=link.kind,
        repo=link.repo,
        subpath=link.subpath,
        forge=link.forge,
        forge_path=link.forge_path,
        org=link.org,
        **fields,
    )


def classify_link(url: str) -> Link:
    """Classify `url` (surrounding whitespace ignored); anything unreadable is a website."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return Link(url, LinkKind.WEBSITE)
    segments = [s for s in parts.path.split("/") if s]
    if host in GITHUB_HOSTS:
        return _github_link(url, segments)
    forge = host.removeprefix("www.")
    if forge in OTHER_FORGES and segments:
        return _forge_link(url, forge, segments)
    return Link(url, LinkKind.WEBSITE)


def _github_link(url: str, segments: list[str]) -> Link:
    if not segments:
        return Link(url, LinkKind.WEBSITE)
    first = segments[0].lower()
    if first == "orgs" and len(segments) >= 2 and _OWNER.fullmatch(segments[1]):
        return Link(url, LinkKind.ORG, org=segments[1])
    if first in RESERVED_GITHUB_PATHS or not _OWNER.fullmatch(segments[0]):
        return Link(url, LinkKind.WEBSITE)
    if len(segments) == 1:
        return Link(url, LinkKind.ORG, org=segments[0])
    name = segments[1].removesuffix(".git")
    if not _REPO_NAME.fullmatch(name) or name in (".", ".."):
        return Link(url, LinkKind.WEBSITE)
    repo = f"{segments[0]}/{name}"
    subpath = _github_subpath(segments[2:])
    if subpath:
        return Link(url, LinkKind.SUBPATH, repo=repo, subpath=subpath)
    return Link(url, LinkKind.REPO, repo=repo)


def _github_subpath(rest: list[str]) -> str | None:
    """The folder of a `tree/BRANCH/PATH` or `blob/BRANCH/PATH/FILE` link, or None for the root.

    The branch is taken as one segment: a branch name with a slash cannot be told from a folder.
    A `blob` link names a file: its folder is the component; a file at the root means the
    repository. Other pages of a repository (issues, wiki, releases, ...) are about the whole
    repository.
    """
    if len(rest) < 3 or rest[0] not in ("tree", "blob"):
        return None
    path = rest[2:]
    if rest[0] == "blob":
        path = path[:-1]
    return "/".join(path) or None


def _forge_link(url: str, forge: str, segments: list[str]) -> Link:
    if "-" in segments:  # GitLab-style pages of a project: group/project/-/tree/main/...
        segments = segments[: segments.index("-")]
    if segments:
        segments[-1] = segments[-1].removesuffix(".git")
    path = "/".join(s for s in segments if s)
    if not path:
        return Link(url, LinkKind.WEBSITE)
    return Link(url, LinkKind.OTHER_FORGE, forge=forge, forge_path=path)
