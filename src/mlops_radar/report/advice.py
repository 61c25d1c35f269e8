"""The advise stage's words: stack-check's lines, a candidate's one-line verdict, the adoption
checklist and a shortlist entry's JSON (the results are typed in `mlops_radar.advise`). Outside
text passes through `printable` before it reaches a terminal."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mlops_radar.advise.lockin import LockIn
from mlops_radar.advise.stack import HeldBack, StackCheck
from mlops_radar.report.terminal import printable

if TYPE_CHECKING:
    from mlops_radar.advise.advisor import Candidate

__all__ = ["candidate_json", "checklist", "held_back_words", "stack_lines", "verdict"]


def _mb(value: float | None, unknown: int) -> str:
    if value is None:
        return "size unknown"
    text = "<0.1 MB" if value < 0.1 else f"{value:,.1f} MB"
    return text + (f" (+{unknown} of unknown size)" if unknown else "")


def _bounds(count: int) -> str:
    return f"{count} upper bound{'' if count == 1 else 's'} or pin{'' if count == 1 else 's'}"


NO_PACKAGE = " (the catalog names none, no manifest declares one)"
SHOWN_CONSTRAINTS = 6  # per tool in a terminal; --json has them all


def _footprint_lines(check: StackCheck) -> list[str]:
    lines = []
    for name, fp in check.footprints.items():
        direct = ", ".join(n for n, d in sorted(fp.tree.items()) if d == 1) or "none"
        lines.append(
            f"  {name} {fp.version}: {fp.packages} packages, "
            f"{_mb(fp.size_mb, fp.unknown_sizes)}; direct: {direct}"
        )
        if fp.beyond_depth:
            noun = "package" if fp.beyond_depth == 1 else "packages"
            lines.append(f"    {fp.beyond_depth} more {noun} deeper than depth {fp.depth_limit}")
        lines += [f"    heavy: {p} ({mb:,.0f} MB)" for p, mb in fp.heavy]
        shown = fp.constraints[:SHOWN_CONSTRAINTS]
        lines += [f"    {c['kind']}: {c['package']} needs {c['requirement']}" for c in shown]
        if len(fp.constraints) > len(shown):
            lines.append(f"    ... {_bounds(len(fp.constraints) - len(shown))} more")
    return lines


def _lock_lines(check: StackCheck) -> list[str]:
    lines = []
    hard: dict[tuple[str, str], list[LockIn]] = {}
    for item in check.lock_in:
        if item.kind == "hard":
            hard.setdefault((item.tool, item.cloud), []).append(item)
        else:
            whose = " (for its developers)" if item.developer else ""
            lines.append(
                f"  {item.tool}: extra [{item.extra}]{whose} brings {item.package} ({item.cloud})"
            )
    for (tool, cloud), items in hard.items():
        first = min(items, key=lambda i: (len(i.chain), i.package))
        more = f" (+{len(items) - 1} more {cloud} packages)" if len(items) > 1 else ""
        lines.insert(
            0, f"  {tool}: installs {first.package} ({cloud}) via {' -> '.join(first.chain)}{more}"
        )
    return lines or ["  none found"]


def stack_lines(check: StackCheck) -> list[str]:
    """stack-check's answer for a terminal."""
    head = "yes" if check.compatible else "NO"
    held = len(check.held_back)
    lines = [
        f"compatible: {head} (python {check.target.python}, {check.target.platform}, "
        f"{check.resolver} {check.resolver_seconds:.1f} s)"
        + (f"; {held} held back below {'its' if held == 1 else 'their'} newest release"
           if held else "")
    ]  # fmt: skip
    if check.compatible:
        lines.append("picked: " + ", ".join(f"{n} {v}" for n, v in sorted(check.picked.items())))
        if check.held_back:
            lines += ["held back:", *(f"  {held_back_words(h, check)}" for h in check.held_back)]
        lines += ["footprint:", *_footprint_lines(check), "cloud lock-in:", *_lock_lines(check)]
        if check.vulnerabilities is not None:
            found = [
                f"  {n} {check.picked[n]}: {', '.join(ids)}"
                for n, ids in check.vulnerabilities.items()
            ]
            lines += ["known vulnerabilities (OSV):", *(found or ["  none known"])]
    for conflict in check.conflicts:
        lines += ["conflict:", *(f"  {line}" for line in conflict.text.splitlines())]
        if conflict.needs_build:
            lines.append(
                f"  wheels only: {', '.join(conflict.needs_build)} "
                f"{'has' if len(conflict.needs_build) == 1 else 'have'} no wheel for python "
                f"{check.target.python} on {check.target.platform} (in some or all versions); "
                "--allow-builds lets uv build them from source (runs their build code)"
            )
    if check.matrix:
        lines.append("pairs:")
        for pair in check.matrix:
            over = pair.conflict.requirement if pair.conflict else None
            state = "installs together" if pair.compatible else f"CONFLICT over {over or '?'}"
            lines.append(f"  {pair.first} + {pair.second}: {state}")
    lines += [f"warning: {w}" for w in check.warnings]
    return [printable(line) for line in lines]


def held_back_words(held: HeldBack, check: StackCheck) -> str:
    """Why a tool is picked older than its newest release, in one line."""
    head = f"{held.package} {held.picked} is picked, not its newest {held.newest}"
    conflict = held.conflict
    if held.error is not None:
        return f"{head}; why is not known: {held.error}"
    if conflict is None:
        return f"{head}, which also resolves if other packages give way (uv preferred this)"
    if conflict.needs_build:
        return (
            f"{head}: that needs {', '.join(conflict.needs_build)}, with no wheel for python "
            f"{check.target.python} on {check.target.platform} (--allow-builds lets uv build it)"
        )
    if conflict.missing:
        return f"{head}: the index has no installable {', '.join(conflict.missing)}"
    chain = f" ({conflict.chain[-1]})" if conflict.chain else ""
    over = conflict.requirement or "a requirement"
    return f"{head}: it conflicts over {over}{chain}"


_OUT = {
    "not_qualified": "not qualified by the gates ({})",
    "license": "license {} is not permissive",
    "license_unknown": "license {}: its family is not known (read the LICENSE file)",
    "license_closed": "license {} is not an open-source family",
    "ambiguous_package": "several packages could be it ({}): name one in the catalog",
    "no_package": "no Python package known{}",
    "conflict": "conflicts with your stack over {}",
    "not_on_index": "the package index has no installable {} for this Python and platform",
    "needs_build": "not installable from wheels alone (no wheel of {} here): "
    "--allow-builds lets uv build from source",
    "lock_in": "ties you to one cloud: {}",
    "not_checked": "not checked: beyond the first {} candidates (--top)",
}


def _cloud_words(check: StackCheck | None) -> str:
    if check is None:
        return "lock-in unknown"
    hard = sorted({f"{i.package} ({i.cloud})" for i in check.lock_in if i.kind == "hard"})
    extras = [i for i in check.lock_in if i.kind == "extra"]
    users = sorted({f"[{i.extra}]" for i in extras if not i.developer})
    developers = sorted({f"[{i.extra}]" for i in extras if i.developer})
    if hard:
        return "needs " + ", ".join(hard)
    if users and developers:
        return (
            f"no cloud SDK (extras {' '.join(users)} bring one; its developers' "
            f"{' '.join(developers)} too)"
        )
    if developers:
        return f"no cloud SDK (only its developers' extras {' '.join(developers)} bring one)"
    return "no cloud SDK" + (f" (extras {' '.join(users)} bring one)" if users else "")


def verdict(candidate: Candidate) -> str:
    """One line: why the tool is in, or why it is out."""
    if candidate.verdict == "out":
        parts = []
        for code, detail in candidate.reasons:
            if code == "no_package":
                detail = f": {detail}" if detail else NO_PACKAGE
            parts.append(_OUT[code].format(detail or "?"))
        return printable("; ".join(parts))
    ring = candidate.ring or "no ring"
    score = "score unknown" if candidate.score is None else f"score {candidate.score:.0f}"
    held = candidate.check.held_back if candidate.check is not None else ()
    older = "".join(f" ({h.package} {h.picked}, not its newest {h.newest})" for h in held)
    return printable(
        f"installs with your stack{older}; {candidate.license or 'license unknown'}; "
        f"{_cloud_words(candidate.check)}; {ring}: {score}"
    )


def _days(value: Any, on: date) -> int | None:
    if not isinstance(value, date):
        return None
    return (on - (value.date() if isinstance(value, datetime) else value)).days


def checklist(candidate: Candidate, on: date) -> list[str]:
    """The adoption checklist of a recommended tool, in words."""
    facts, check = candidate.facts, candidate.check
    family = candidate.family or "unknown: read the LICENSE file"
    lines = [f"license: {candidate.license or 'unknown'} ({family})"]
    lines.append(f"cloud lock-in: {_cloud_words(check)}")
    if check is not None:
        lines += [f"held back: {held_back_words(h, check)}" for h in check.held_back]
        for name, fp in check.footprints.items():
            heavy = ", ".join(p for p, _ in fp.heavy) or "none"
            lines.append(
                f"dependency weight: {name} brings {fp.packages} packages, "
                f"{_mb(fp.size_mb, fp.unknown_sizes)}; heavy: {heavy}; "
                f"{_bounds(len(fp.constraints))}"
            )
        if check.vulnerabilities:
            lines.append("known vulnerabilities: " + ", ".join(sorted(check.vulnerabilities)))
    days = _days(facts.get("last_commit_at"), on)
    lines.append(
        "activity: "
        + (
            "last commit unknown"
            if days is None
            else f"last commit {days} days before the snapshot"
        )
    )
    closed, opened = facts.get("closed_issues"), facts.get("open_issues")
    if isinstance(closed, int) and isinstance(opened, int) and closed + opened:
        lines.append(f"responsiveness: {closed / (closed + opened):.0%} of its issues closed")
    else:
        lines.append("responsiveness: unknown")
    lines.append(
        "check by hand: the docs for your deployment target, the upgrade path between "
        "major versions, who maintains it (a company, a foundation, one person)"
    )
    return [printable(line) for line in lines]


def candidate_json(candidate: Candidate, on: date, *, with_checklist: bool) -> dict[str, Any]:
    """One shortlist entry for `--json`."""
    return {
        "tool": candidate.tool,
        "repo": candidate.repo,
        "rank": candidate.rank,
        "ring": candidate.ring,
        "score": candidate.score,
        "status": candidate.status,
        "license": candidate.license,
        "license_family": candidate.family,
        "packages": list(candidate.mapping.packages),
        "mapping": candidate.mapping.status,
        "mapping_source": candidate.mapping.source,
        "verdict": candidate.verdict,
        "reasons": [{"code": c, "detail": d} for c, d in candidate.reasons],
        "why": verdict(candidate),
        "check": candidate.check.as_json() if candidate.check else None,
        "checklist": checklist(candidate, on) if with_checklist else None,
    }
