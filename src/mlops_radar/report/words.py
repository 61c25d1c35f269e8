"""The model's typed results in English: gate reasons, signal reasons, ring reasons, trends and
robustness figures. Every sentence a user reads about a verdict is made here, once, for every
renderer (JSON carries the same words beside the numbers)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from mlops_radar.model.results import (
    Explanation,
    GateReason,
    QuietReason,
    RingBasis,
    RingReason,
    Robustness,
    SignalReason,
    TrendSeries,
)

__all__ = [
    "HEALTH_LABELS",
    "collection_warning",
    "gate_words",
    "health_words",
    "lead_reason",
    "quiet_words",
    "ring_words",
    "robustness_words",
    "signal_words",
    "trend_words",
]


def _github(facts: Mapping[str, Any]) -> str:
    said = facts.get("github")
    return f"GitHub says {said!r}" if said else "no license from GitHub"


def _detected(facts: Mapping[str, Any]) -> str:
    """'detected by DETECTOR (score S) in FILE: EXPRESSION'."""
    score = facts.get("score")
    scored = f" (score {float(score):.2f})" if score is not None else ""
    where = f" in {facts['file']}" if facts.get("file") else ""
    return (
        f"detected by {facts.get('detector') or 'a detector'}{scored}{where}: {facts['expression']}"
    )


def _analysis(facts: Mapping[str, Any]) -> str:
    """Who read the license by hand: the snapshot's own (the study's spreadsheet) or a review."""
    by = facts.get("by")
    if not by:
        return "the study's manual analysis"
    who = str(by) if str(by).startswith("the ") else f"the review by {by}"
    return who + (f" ({facts['on']})" if facts.get("on") else "")


_GATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # license
    "osi": lambda f: f"{f['spdx']} is OSI-approved",
    "not_osi": lambda f: f"{f['spdx']} is not an OSI-approved license",
    "unrecognised": lambda f: f"license {f['name']!r} not recognised: needs review",
    "manual_osi": lambda f: (
        f"{_github(f)}; {_analysis(f)} says {f['manual']!r} ({f['spdx']}, OSI-approved)"
    ),
    "manual_not_osi": lambda f: (
        f"{_github(f)}; {_analysis(f)} says {f['manual']!r}, not OSI-approved"
    ),
    "manual_unrecognised": lambda f: (
        f"{_github(f)}; {_analysis(f)} {f['manual']!r} not recognised: needs review"
        if f.get("by")
        else f"{_github(f)}; manual analysis {f['manual']!r} not recognised: needs review"
    ),
    "no_manual": lambda f: f"{_github(f)} and no manual analysis: needs review",
    "no_license": lambda f: "no license information: needs review",
    "detected_osi": lambda f: f"{_github(f)}; {_detected(f)} (OSI-approved)",
    "detected_not_osi": lambda f: f"{_github(f)}; {_detected(f)}, not OSI-approved",
    "detected_unknown": lambda f: (
        f"{_github(f)}; {_detected(f)}, not on the OSI list: needs review"
    ),
    "detected_unjudged": lambda f: f"{_github(f)}; {_detected(f)}: needs review",
    # activity
    "last_commit": lambda f: f"last commit {f['date']}, {_days(f['days'])} before the snapshot",
    "last_commit_old": lambda f: (
        f"last commit {f['date']}, {_days(f['days'])} before the snapshot "
        f"(limit: {f['months']} months)"
    ),
    "study_stale": lambda f: f"the study's verdict: last commit older than {f['months']} months",
    "study_recent": lambda f: f"the study's verdict: last commit within {f['months']} months",
    "no_commit_date": lambda f: "last commit date unknown",
    # archived
    "archived": lambda f: "the repository is archived (read-only)",
    "not_archived": lambda f: "not archived",
    "archived_unknown": lambda f: "archived state unknown",
}


def gate_words(reason: GateReason) -> str:
    """A gate's reason in words, with the policy that does not apply it, if any."""
    say = _GATES.get(reason.code)
    text = say(reason.facts) if say else reason.code.replace("_", " ")
    if reason.not_applied_under:
        text += f" (not applied under policy {reason.not_applied_under})"
    return text


#: Labels of the shipped count signals, for a count of one ("1 release in the last year").
_SINGULAR = {
    "stars": "star",
    "forks": "fork",
    "watchers": "watcher",
    "commits": "commit",
    "releases in the last year": "release in the last year",
    "mentionable users": "mentionable user",
}


def _standing(pct: float, group: str) -> str:
    if pct >= 0.5:
        return f"in the top {max(10, math.ceil((1.0 - pct) * 10) * 10)}% of {group}"
    return f"in the bottom {max(10, math.ceil(pct * 10) * 10)}% of {group}"


def _license_clarity(value: float) -> str:
    """The clarity signal's value says how the license was resolved (`model.licenses`)."""
    from mlops_radar.model import licenses as resolved

    if value >= resolved.CLARITY_CLEAR:
        return "license clearly open source"
    if value >= resolved.CLARITY_DETECTED:
        return "license open source as detected in its license files"
    if value >= resolved.CLARITY_REVIEWED:
        return "license open source by manual analysis only"
    if value > resolved.CLARITY_CLOSED:
        return "license unclear (needs review)"
    return "license not open source"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


#: Below this many tools with a known value, a standing is a place ("2nd of 5"), not a percentile.
SMALL_GROUP = 10


def _place(reason: SignalReason) -> str | None:
    n, position = reason.group_size, reason.position
    if n is None or position is None or n >= SMALL_GROUP:
        return None
    if n == 1:
        return f"the only one known in {reason.group}"
    tied = "tied " if reason.tied else ""
    return f"{tied}{_ordinal(position)} of {n} in {reason.group}"


def signal_words(reason: SignalReason) -> str:
    """One signal of one tool in words. The pull explains a standing that seems to point the
    other way: a signal scores on its in-group percentile AND a global scale."""
    value, pct = reason.value, reason.percentile
    if value is None:
        return f"{reason.label}: unknown (counts as 0)"
    if reason.signal == "days_since_commit":
        text = f"last commit {_days(int(value))} before the snapshot"
    elif reason.signal == "issue_closure":
        return f"{value:.0%} of its issues closed"
    elif reason.signal == "pr_merge":
        return f"{value:.0%} of its pull requests merged"
    elif reason.signal == "license_clarity":
        return _license_clarity(value)
    elif reason.signal == "not_archived":
        return "not archived" if value >= 1 else "archived (read-only)"
    else:
        label = _SINGULAR.get(reason.label, reason.label) if int(value) == 1 else reason.label
        text = f"{int(value):,} {label}"
    place = _place(reason)
    if place is not None:
        return f"{text}, {place}"
    if pct is None:
        return text
    standing = f"{text}, {_standing(pct, reason.group)}"
    if reason.pull < 0 and pct >= 0.5:
        return f"{standing}, but low on the global scale"
    if reason.pull > 0 and pct < 0.5:
        return f"{standing}, but high on the global scale"
    return standing


#: Why nothing is known about a tool, by the collection's outcome.
_UNRATED = {
    "not_found": "its repository was not found",
    "forbidden": "its repository could not be read (forbidden)",
    "failed": "its repository could not be collected",
    "given_up": "its repository could not be collected in three runs",
    "skipped": "no repository to collect",
    "unresolved": "its link names an organisation, not one repository",
}


def ring_words(reason: RingReason) -> str:
    """Why a tool is in its ring, in one sentence."""
    ring, score = reason.ring.value, reason.score
    if reason.floor is not None and reason.reached is not None and reason.wanted is not None:
        stars = reason.stars
        have = "unknown stars" if stars is None else f"{int(stars):,} stars"
        return (
            f"{ring}: score {score:.0f} reaches {reason.reached.value}, but {have} is below the "
            f"{reason.floor:,} that {reason.wanted.value} asks as evidence of adoption"
        )
    if reason.basis is RingBasis.GATE:
        return "Hold: " + "; ".join(gate_words(g.reason) for g in reason.gates)
    if reason.basis is RingBasis.REVIEW:
        return "Assess at most until reviewed: " + "; ".join(
            gate_words(g.reason) for g in reason.gates
        )
    if reason.basis is RingBasis.NO_DATA:
        why = _UNRATED.get(reason.outcome or "", "no facts about it in this snapshot")
        return f"Unrated: {why}; no data is not a verdict"
    if reason.basis is RingBasis.LOW_SCORE:
        return f"Hold: score {score:.0f} is below the Hold threshold"
    if reason.basis is RingBasis.SCANT:
        return (
            f"Assess: score {score:.0f} is below the Hold threshold, but only "
            f"{reason.completeness:.0%} of the weight is known"
        )
    return f"{ring}: score {score:.0f} with {reason.completeness:.0%} of the weight known"


#: Ring bases whose ring follows from the score alone: the tool's best signal says more than
#: the ring's own sentence. Any other basis (a gate, a floor, review, no data) is the reason.
_PLAIN_BASES = frozenset({RingBasis.ADOPT, RingBasis.TRIAL, RingBasis.ASSESS})


def lead_reason(why: Explanation) -> str:
    """The one reason that sets a tool apart, for one-line listings: the signal that helps it
    most when its ring follows from its score, else why it is in its ring."""
    if why.helps and why.ring.basis in _PLAIN_BASES:
        return signal_words(why.helps[0])
    return ring_words(why.ring)


def trend_words(series: TrendSeries | None) -> str:
    """A count's move from the first to the last known snapshot."""
    if series is None:
        return "no trend (fewer than two snapshots)"
    return (
        f"{series.first:,} on {series.first_date} -> {series.last:,} on {series.last_date} "
        f"({series.change:+,})"
    )


def robustness_words(figures: Robustness) -> str:
    """The robustness figure under a ranking, in words."""
    tau = figures.mean_tau
    if tau is None:
        return "robustness: too few tools to compare orders"
    return (
        f"robustness (weights ±{figures.spread:.0%}, {figures.draws} draws): "
        f"mean Kendall tau {tau:.2f}, top 3 unchanged in {figures.top3_unchanged:.0%} of draws"
    )


#: The community-health metrics `show TOOL` prints, in order, with their names and units.
HEALTH_LABELS: dict[str, tuple[str, str]] = {
    "time_to_first_response_median_h": ("time to first response (median)", "h"),
    "time_to_close_median_h": ("time to close an issue (median)", "h"),
    "open_issue_age_median_d": ("open issue age (median)", "days"),
    "open_issue_age_p90_d": ("open issue age (90th percentile)", "days"),
    "change_request_closure_ratio_90d": ("pull requests closed per opened, 90 days", ""),
    "time_to_merge_median_h": ("time to merge, 90 days (median)", "h"),
    "releases_last_year": ("releases in the last year", ""),
    "commits_90d": ("commits in 90 days", ""),
    "commits_365d": ("commits in 365 days", ""),
    "contributor_absence_factor": ("contributor absence factor", "authors"),
    "elephant_factor": ("elephant factor", "organisations"),
    "organisational_diversity": ("organisations among recent commit authors", ""),
}


def health_words(
    value: float | None, unit: str, n: int, as_of: str | None, *, lower_bound: bool = False
) -> str:
    """One metric's value in words, with how many items it rests on and its as-of date."""
    when = f"as of {as_of}" if as_of else "as-of date unknown"
    if value is None:
        return f"unknown ({when})"
    fraction = isinstance(value, float) and not value.is_integer()
    shown = f"{value:,.1f}" if fraction else f"{value:,.0f}"
    text = f"at least {shown}" if lower_bound else shown
    if unit in ("authors", "organisations", "days") and value == 1 and not lower_bound:
        unit = unit[:-1]
    return f"{text}{' ' + unit if unit else ''} (n {n:,}, {when})"


def quiet_words(reason: QuietReason) -> str:
    """Why a tool with few recent commits reads as maintained, not abandoned."""
    commits = "1 commit" if reason.commits_90d == 1 else f"{reason.commits_90d:,} commits"
    releases = (
        "1 release" if reason.releases_last_year == 1 else f"{reason.releases_last_year:,} releases"
    )
    hours = reason.first_response_median_h
    answered = f"{hours:,.0f} hours" if hours >= 1 else "under an hour"
    return (
        f"quiet but maintained, not abandoned: {commits} in the last 90 days, but issues "
        f"answered in a median of {answered} and {releases} in the last year"
    )


def collection_warning(warning: Mapping[str, Any]) -> str:
    """One collection warning (`CollectionResult.warnings`, stored with the snapshot) in words."""
    code = warning.get("code")
    if code == "many_missing":
        return (
            f"{warning.get('missing', 0):,} of {warning.get('asked', 0):,} repositories "
            f"({float(warning.get('share', 0.0)):.0%}) were not found or failed (more than "
            f"{float(warning.get('limit', 0.0)):.0%}): check the catalog's links and the token"
        )
    if code == "licenses_not_detected":
        return (
            f"the license files of {warning.get('repositories', 0):,} repositories whose license "
            "GitHub could not identify were not read, so those licenses stay 'needs review': "
            f"{warning.get('reason', 'no license detector')}"
        )
    return f"{code}: {', '.join(f'{k}={v}' for k, v in warning.items() if k != 'code')}"


def extra_kind(tie: Any) -> str:
    """What an extra bringing a cloud SDK is, in words: "developer extra" for one a project keeps
    for its own tests or docs (`LockIn.developer`), else "extra"."""
    return "developer extra" if getattr(tie, "developer", False) else "extra"
