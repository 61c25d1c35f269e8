"""What each ring predicted in the backtest behind a set of weights, said where the ring is shown.

A small TOML record, written by `backtest --record FILE` (and by `backtest --calibrate --write
W.toml`, as `W.backtest.toml` beside it), read here: for the shipped weights the record shipped in
`report/data/backtest.toml`; for a weights file `W.toml`, the record `W.backtest.toml` beside it
(none: nothing is said). `rank` and `show` print its one line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlops_radar.errors import ConfigError
from mlops_radar.textfiles import read_capped

if TYPE_CHECKING:
    from mlops_radar.app.backtest import BacktestRun

__all__ = ["RingEvidence", "evidence_line", "evidence_path", "evidence_toml", "load_evidence"]


@dataclass(frozen=True, slots=True)
class RingEvidence:
    """One backtest's ring figures, as recorded."""

    origin: str  # the --from snapshot's date
    evidence: str  # what decided the fates
    rule: str  # activity | archived | listed
    fitted: bool  # whether the weights were fitted to this backtest
    hold: tuple[int, int]  # (dead, rated Hold) among tools of known fate
    adopt_trial: tuple[int, int]  # (alive, rated Adopt or Trial)
    alive: int
    dead: int


def evidence_path(weights_file: str | Path) -> Path:
    """Where the record of a weights file lives: `W.toml` -> `W.backtest.toml`."""
    path = Path(weights_file)
    return path.with_name(f"{path.stem}.backtest.toml")


def evidence_toml(run: BacktestRun, *, fitted: bool) -> str:
    """The record of a backtest run (TOML)."""
    r = run.result
    lines = [
        "# What the rings predicted in a backtest (mlops-radar backtest; read by rank and show).",
        f'origin = "{run.origin.snapshot_date.isoformat()}"',
        f"evidence = {_quoted(run.evidence)}",
        f'rule = "{run.rule}"',
        f"fitted = {'true' if fitted else 'false'}",
        f"alive = {r.alive}",
        f"dead = {r.dead}",
        f"hold = [{r.hold_dead.hits}, {r.hold_dead.predicted}]",
        f"adopt_trial = [{r.adopt_trial_alive.hits}, {r.adopt_trial_alive.predicted}]",
    ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pair(value: Any, key: str, source: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
    ):
        raise ConfigError(f"{source}: {key} must be two non-negative integers")
    return int(value[0]), int(value[1])


def _parse(text: str, source: str) -> RingEvidence:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise ConfigError(f"{source}: not valid TOML: nested too deeply") from exc
    try:
        return RingEvidence(
            origin=str(data["origin"]),
            evidence=str(data["evidence"]),
            rule=str(data["rule"]),
            fitted=bool(data.get("fitted", False)),
            hold=_pair(data["hold"], "hold", source),
            adopt_trial=_pair(data["adopt_trial"], "adopt_trial", source),
            alive=int(data["alive"]),
            dead=int(data["dead"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: not a backtest record ({exc})") from exc


def load_evidence(weights_file: str | None) -> RingEvidence | None:
    """The record behind the weights in use (see the module), or None."""
    if weights_file is None:
        text = resources.files("mlops_radar.report").joinpath("data", "backtest.toml")
        return _parse(text.read_text(encoding="utf-8"), "backtest.toml")
    path = evidence_path(weights_file)
    if not path.is_file():
        return None
    try:
        content = read_capped(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the backtest record: {exc}") from exc
    return _parse(content, str(path))


_FATES = {
    "listed": ("listed in", "not listed in"),
    "archived": ("not archived in", "archived or gone in"),
    "activity": ("active in", "inactive or gone in"),
}


def evidence_line(found: RingEvidence | None) -> str | None:
    """The one line `rank` and `show` print ("of the tools rated Hold in 2021, ...")."""
    if found is None:
        return None
    alive_words, dead_words = _FATES.get(found.rule, ("alive by", "dead by"))
    year = found.origin[:4]
    held, rated = found.hold
    kept, promoted = found.adopt_trial
    how = "the weights were fitted to it" if found.fitted else "the weights were not fitted to it"
    caution = (
        f"; only {min(found.alive, found.dead)} tool(s) of one fate, so this says little"
        if min(found.alive, found.dead) < 5
        else ""
    )
    return (
        f"Backtest ({how}): of the tools rated Hold in {year}, {held} of {rated} "
        f"were {dead_words} {found.evidence}; of those rated Adopt or Trial, {kept} of "
        f"{promoted} were {alive_words} it{caution}."
    )
