"""A resolver's "no solution" explanation made short: at most ten lines, with the chain of who
depends on what, the requirement fought over, and where each of the user's requirements came
from (requirements.txt:4, the command line)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name

from mlops_radar.advise.requirements import Wanted

__all__ = ["MAX_LINES", "Conflict", "explain"]

MAX_LINES = 10
_NAME = r"[A-Za-z0-9][\w.\-]*(?:\[[^\]]*\])?"
_LINK = re.compile(
    rf"(?:all versions of |only )?({_NAME}(?:[<>=!~]=?[^\s,]*| [0-9][^\s,]*)?) depends? on "
    rf"({_NAME}[^\s,]*)"
)
_PREFIX = re.compile(r"^\s*(?:[×x]\s+|error:\s*|cause:\s*|╰─▶\s*|[│|]\s*)+")
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")
_MISSING = re.compile(
    rf"({_NAME}) was not found in the package registry"
    rf"|no matching distribution found for ({_NAME})"
    # uv, a release that needs a version its dependency never published (or not yet, on this
    # index): "there is no version of mlflow-tracing==3.18.0"
    rf"|there is no version of ({_NAME})",
    re.IGNORECASE,
)
_BARE = re.compile(r"^([A-Za-z0-9][\w.\-]*)")
# uv, resolving from wheels only: "Because foo==1.0 has no usable wheels and ...", "all of: foo==1
# foo==2 have no usable wheels", "all versions of foo have no usable wheels"
_NO_WHEEL = re.compile(r"\bha(?:s|ve) no usable wheels\b")
_CLAUSE_START = re.compile(r"(?i)\b(?:because|and)\b|:")
_FILLER = frozenset({"all", "of", "versions", "only", "the", "following"})


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why a set of requirements cannot be installed together."""

    packages: tuple[str, ...]  # what was asked for
    requirement: str | None  # the requirement fought over, e.g. "common<2"
    chain: tuple[str, ...]  # "beta 1.0 depends on common<2", in the resolver's order
    text: str  # at most MAX_LINES lines
    missing: tuple[str, ...] = ()  # packages the index does not have (or has no fitting file of)
    # packages with no wheel for the target: resolved from wheels only (no build code run), so
    # whether a source build would make the stack install is not known
    needs_build: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "packages": list(self.packages),
            "requirement": self.requirement,
            "chain": list(self.chain),
            "text": self.text,
            "missing": list(self.missing),
            "needs_build": list(self.needs_build),
        }


def _sentences(message: str) -> list[str]:
    body = []
    for line in message.splitlines():
        if "No solution found" in line or "ResolutionImpossible" in line:
            continue
        cleaned = _PREFIX.sub("", line).strip()
        if cleaned:
            body.append(cleaned)
    return [s.strip() for s in _SENTENCE.split(" ".join(body)) if s.strip()]


def _bare(text: str) -> str:
    found = _BARE.match(text)
    return canonicalize_name(found.group(1)) if found else text


def _contested(chain: Sequence[tuple[str, str]], wanted: Sequence[Wanted]) -> str | None:
    targets = Counter(_bare(dep) for _, dep in chain)
    asked = {w.name for w in wanted}
    for _, dep in chain:
        name = _bare(dep)
        if targets[name] > 1 or name in asked:
            return dep
    return chain[-1][1] if chain else None


def _wheelless(text: str) -> tuple[str, ...]:
    """The packages uv says have no usable wheels (canonical names, first mention first)."""
    names: dict[str, None] = {}
    for found in _NO_WHEEL.finditer(text):
        before = text[: found.start()]
        starts = list(_CLAUSE_START.finditer(before))
        clause = before[starts[-1].end() :] if starts else before
        for token in clause.split():
            if token.lower() not in _FILLER and _BARE.match(token):
                names[_bare(token)] = None
    return tuple(names)


def _where(message: str, wanted: Sequence[Wanted]) -> str | None:
    words = {canonicalize_name(w) for w in re.findall(_NAME, message)}
    mentioned = [w for w in wanted if w.name in words]
    if not mentioned:
        return None
    parts = [f"{w.text} ({w.origin}{', tool ' + w.tool if w.tool else ''})" for w in mentioned]
    return "you asked for: " + "; ".join(parts)


def explain(
    message: str, wanted: Sequence[Wanted], packages: Sequence[str] | None = None
) -> Conflict:
    """The resolver's `message` cut to at most MAX_LINES lines, with its chain and the origins of
    `wanted`; `packages` are the ones being checked (default: every text of `wanted`)."""
    sentences = [s.replace("you require", "you ask for") for s in _sentences(message)]
    links = [(m.group(1), m.group(2).rstrip(".")) for m in _LINK.finditer(" ".join(sentences))]
    where = _where(message, wanted)
    room = MAX_LINES - (1 if where else 0)
    if len(sentences) > room:
        cut = len(sentences) - (room - 1)
        head = (room - 1) // 2
        sentences = [*sentences[:head], f"... ({cut} steps cut)", *sentences[head + cut :]]
    lines = [*sentences, *([where] if where else [])] or ["the resolver found no solution"]
    return Conflict(
        packages=tuple(packages if packages is not None else (w.text for w in wanted)),
        requirement=_contested(links, wanted),
        chain=tuple(f"{a} depends on {b}" for a, b in links),
        text="\n".join(lines[:MAX_LINES]),
        missing=tuple(
            dict.fromkeys(
                canonicalize_name(next(g for g in groups if g))
                for groups in _MISSING.findall(message)
            )
        ),
        needs_build=_wheelless(" ".join(message.split())),
    )
