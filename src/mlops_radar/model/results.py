"""The model's typed results: enums for outcomes, statuses, rings and their bases, numbers for
scores and trends, structured reasons for every verdict.

No words here: a reason says WHAT decided (a code and the facts it used), and `report/words.py`
says it in English; renderers in `report/` turn these objects into JSON, terminal tables, HTML
or Markdown. Unknown values are None, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "Comparison",
    "Direction",
    "Explanation",
    "GateOutcome",
    "GateReason",
    "GateResult",
    "Qualification",
    "QuietReason",
    "Ranking",
    "RankingGroup",
    "Ring",
    "RingBasis",
    "RingReason",
    "Robustness",
    "SignalReason",
    "Status",
    "ToolQualification",
    "ToolReport",
    "ToolScore",
    "Trend",
    "TrendSeries",
    "tool_key",
]


class GateOutcome(StrEnum):
    """What one eliminatory gate says of a tool."""

    PASS = "pass"  # noqa: S105 (a gate outcome, not a password)
    FAIL = "fail"
    UNKNOWN = "unknown"  # not enough data: a state of its own, never a silent pass or a fail


class Status(StrEnum):
    """A tool's standing under a policy's gates."""

    QUALIFIED = "qualified"
    NEEDS_REVIEW = "needs_review"  # no gate fails, one is unknown
    ELIMINATED = "eliminated"  # an applied gate fails


class Ring(StrEnum):
    """Technology-radar rings, best first."""

    ADOPT = "Adopt"
    TRIAL = "Trial"
    ASSESS = "Assess"
    HOLD = "Hold"
    UNRATED = "Unrated"  # nothing known about the tool: no data is not a verdict


class RingBasis(StrEnum):
    """Why a tool is in its ring."""

    NO_DATA = "no_data"  # no signal known: Unrated
    GATE = "gate"  # an applied gate failed: Hold
    LOW_SCORE = "low_score"  # score below the Hold threshold, on enough known data
    SCANT = "scant"  # score below the Hold threshold, but too little known to hold: Assess
    REVIEW = "review"  # Adopt or Trial score, but a gate is unknown: Assess until reviewed
    ADOPT = "adopt"
    TRIAL = "trial"
    TRIAL_FLOOR = "trial_floor"  # Adopt's score, too few stars for Adopt
    ASSESS_FLOOR = "assess_floor"  # Trial's score, too few stars for Trial
    ASSESS = "assess"


class Direction(StrEnum):
    """Whether a signal pulls a tool's score up or down."""

    HELPS = "helps"
    HURTS = "hurts"


@dataclass(frozen=True, slots=True)
class GateReason:
    """What decided a gate: a code (see `report/words.py` for each) and the facts it used.

    `not_applied_under` names the policy that does not apply this gate (the verdict is shown but
    does not count)."""

    code: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    not_applied_under: str | None = None


@dataclass(frozen=True, slots=True)
class GateResult:
    """One gate's verdict for one tool."""

    gate: str
    outcome: GateOutcome
    applied: bool
    reason: GateReason


@dataclass(frozen=True, slots=True)
class SignalReason:
    """One signal's pull on a tool's score: its raw value, its percentile in the group (None when
    unknown or not ranked), which way it pulls and how hard (weight x (signal score - 0.5))."""

    signal: str  # the signal's name in the weights file
    label: str  # the weights file's label for it
    value: float | None
    percentile: float | None
    group: str
    direction: Direction
    pull: float
    position: int | None = None  # 1 + the group's tools with a better value (None: unknown)
    group_size: int | None = None  # the group's tools with a known value
    tied: int = 0  # other tools of the group with the same value


@dataclass(frozen=True, slots=True)
class RingReason:
    """Why a tool is in its ring: the basis and the figures it was decided on.

    `reached` / `wanted` / `floor` are set for the star floors (the ring the score reached, the ring
    the floor kept it from, the floor in stars); `gates` holds the failing (basis gate) or unknown
    (basis review) applied gates."""

    ring: Ring
    basis: RingBasis
    score: float
    completeness: float
    stars: float | None = None
    outcome: str | None = None  # the collection's outcome, for an unrated tool
    reached: Ring | None = None
    wanted: Ring | None = None
    floor: int | None = None
    gates: tuple[GateResult, ...] = ()


@dataclass(frozen=True, slots=True)
class QuietReason:
    """A repository with few recent commits whose issues are answered and which released in
    the last year: quiet but maintained, not abandoned (`model/health/quiet.py` decides; the
    figures it decided on)."""

    commits_90d: int
    releases_last_year: int
    first_response_median_h: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """The signals that help a tool most and those that hurt it most, and why its ring;
    `quiet` when the tool is quiet but maintained (None otherwise, or unknown)."""

    helps: tuple[SignalReason, ...]
    hurts: tuple[SignalReason, ...]
    ring: RingReason
    quiet: QuietReason | None = None


@dataclass(frozen=True, slots=True)
class ToolQualification:
    """One tool under a policy: its gates, status, the study's qualifiers and measures."""

    name: str
    repo: str | None
    categories: tuple[str, ...]
    status: Status
    gates: Mapping[str, GateResult]
    counts: Mapping[str, int | None]  # stars, forks, watchers, open/closed issues, commits
    last_commit: datetime | None
    last_commit_stale: bool | None
    archived: bool | None
    license: str | None
    attractiveness: float | None
    study_rank: float | None


@dataclass(frozen=True, slots=True)
class Qualification:
    """Every tool of a snapshot under one policy, and the study's summary figures."""

    policy: str
    tools: tuple[ToolQualification, ...]
    summary: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ToolScore:
    """One tool in one group (category or stage): rank, ring, scores and their explanation.

    `value` is what the ranking was ordered by (the score, or one of the study's measures)."""

    tool: str
    repo: str | None
    group: str
    rank: int
    status: Status
    ring: Ring
    score: float
    completeness: float
    tier: int
    dimensions: Mapping[str, float | None]  # None: none of the dimension's signals judged
    explanation: Explanation
    gates: Mapping[str, GateResult]
    value: float | None = None
    attractiveness: float | None = None
    study_rank: float | None = None


@dataclass(frozen=True, slots=True)
class Robustness:
    """How stable a group's order is when the weights move (Kendall tau over random draws)."""

    mean_tau: float | None
    min_tau: float | None
    top3_unchanged: float
    spread: float
    draws: int


@dataclass(frozen=True, slots=True)
class RankingGroup:
    """One group's ordered tools. `total` counts the group's tools, `tools` the ones kept."""

    name: str
    tools: tuple[ToolScore, ...]
    total: int
    robustness: Robustness


@dataclass(frozen=True, slots=True)
class Ranking:
    """Tools ranked within each group; `unknown_everywhere` lists the labels of the signals no tool
    of the snapshot has although its sources collect them (they lower every tool's completeness
    alike and explain nothing); `not_collected` those its sources do not collect (left out of the
    scores for everyone)."""

    grouping: str  # "category" or "stage"
    by: str  # "maturity", "attractiveness" or "study-rank"
    groups: tuple[RankingGroup, ...]
    unknown_everywhere: tuple[str, ...]
    not_collected: tuple[str, ...] = ()  # labels of signals no source of the snapshot collects
    coverage: float = 1.0  # share of the full model's weight the collected signals carry


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """A count from a tool's first to its last known snapshot."""

    first: int
    first_date: date
    last: int
    last_date: date

    @property
    def change(self) -> int:
        return self.last - self.first


@dataclass(frozen=True, slots=True)
class Trend:
    """How a tool's counts moved over its history; a series is None with fewer than two points."""

    snapshots: int
    series: Mapping[str, TrendSeries | None]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Tools side by side (each in its first category), with their trends, in the order asked."""

    tools: tuple[ToolScore, ...]
    trends: tuple[Trend, ...]


@dataclass(frozen=True, slots=True)
class ToolReport:
    """Everything known about one tool in one snapshot: its facts as stored, its qualification,
    its score in each of its groups, and its history."""

    facts: Mapping[str, Any]
    qualification: ToolQualification
    scores: tuple[ToolScore, ...]
    history_snapshots: int
    trend: Trend
    # cloud SDKs its manifests declare (advise.lockin.LockIn items); None: no manifest known
    lock_in: tuple[Any, ...] | None = None
    # community health (model.health.columns.ToolHealth); None: no record for the tool, or the
    # snapshot did not collect the github.health group (`health_collected` says which)
    health: Any = None
    health_collected: bool = False
    # its resolved license over the snapshots (model.license_history.LicenseHistory)
    license_history: Any = None


def tool_key(name: str, repo: str | None) -> str:
    """A tool's identity across snapshots: its repository (any case), else its name."""
    return repo.lower() if isinstance(repo, str) and repo else f"tool:{name.strip().lower()}"
