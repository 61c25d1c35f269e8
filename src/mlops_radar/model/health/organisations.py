"""Which organisation a commit author works for: the company on the author's GitHub profile,
else the domain of the commit e-mail unless it is a free-mail (or GitHub no-reply) domain, which
says nothing about an employer. Shared by the elephant factor and organisational diversity."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["free_mail", "organisation", "organisation_commits"]

_SUFFIX = re.compile(r"[,.]?\s+(inc|ltd|llc|gmbh|corp|corporation|co)\.?$")


def free_mail(domain: str, free: Collection[str]) -> bool:
    """Whether `domain` is one of `free` or a subdomain of one (users.noreply.github.com)."""
    parts = domain.split(".")
    return any(".".join(parts[i:]) in free for i in range(len(parts) - 1))


def _company(text: str) -> str | None:
    name = text.strip().lower().lstrip("@").strip()
    name = _SUFFIX.sub("", name).strip(" ,.")
    return name or None


def organisation(author: Mapping[str, Any], free: Collection[str]) -> str | None:
    """The organisation as `company:<name>` or `domain:<domain>`, None when neither says."""
    company = author.get("company")
    if isinstance(company, str) and (name := _company(company)):
        return f"company:{name}"
    domain = author.get("domain")
    if isinstance(domain, str) and domain and not free_mail(domain.lower(), free):
        return f"domain:{domain.lower()}"
    return None


def organisation_commits(
    authors: tuple[Mapping[str, Any], ...], free: Collection[str]
) -> Counter[str]:
    """Commits per known organisation."""
    found = (organisation(a, free) for a in authors)
    return Counter(org for org in found if org is not None)
