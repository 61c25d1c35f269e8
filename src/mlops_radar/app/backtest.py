"""Backtest's library layer: the `--from` snapshot scored as the model would have on its date, each
tool's fate from later evidence, and the model's figures (`model.backtest`).

Later evidence is either a later snapshot of the store (`--to`) or a later tool list
(`--listed-in`, read with the catalog readers). Outcomes (the fate rules, one copy each):

- `activity` (a later snapshot): alive if its last commit is within `months` before the later
  snapshot's date; dead if archived, gone (not found), or no commit in the 12 months before it;
  unknown otherwise (not in the later snapshot, last commit unknown, or between `months` and 12).
- `archived` (a later snapshot): dead if archived or gone, alive if found and not archived.
- `listed` (a later list): alive if the list still holds the tool, dead if it dropped it. A tool
  is matched by its repository under every name the store's rename records give it (both ways),
  by normalised owner/name, then by normalised tool name (a repository moved to another owner),
  then by a website link whose host names the tool or its repository (`healthchecks.io` for
  healthchecks/healthchecks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import pandas as pd

from mlops_radar.app import assessment
from mlops_radar.errors import ConfigError
from mlops_radar.model import Policy, Scored, qualify
from mlops_radar.model.backtest import Backtest, Fate, backtest
from mlops_radar.model.weights import Weights
from mlops_radar.store import SnapshotInfo, Store

__all__ = [
    "DEAD_AFTER_MONTHS",
    "BacktestRun",
    "OutcomeRule",
    "activity_fates",
    "listed_fates",
    "run",
]

#: No commit in this many months before the later snapshot's date: dead.
DEAD_AFTER_MONTHS = 12
_GONE = frozenset({"not_found"})


class OutcomeRule(StrEnum):
    """Which later evidence decides a tool's fate."""

    ACTIVITY = "activity"
    ARCHIVED = "archived"
    LISTED = "listed"


@dataclass(frozen=True)
class BacktestRun:
    """A backtest with what it was computed on (for the report)."""

    result: Backtest
    origin: SnapshotInfo  # the --from snapshot
    evidence: str  # the later snapshot ("snapshot N (date)") or list source
    evidence_date: date | None
    rule: OutcomeRule
    months: int
    policy: str
    tools: pd.DataFrame  # per tool: tool, repo, ring, score, baselines, fate (for --json)
    scored: Scored
    measures: pd.DataFrame
    fates: tuple[Fate, ...]


def _key(value: object) -> str | None:
    """Normalised owner/name: lower case, no `.git`, no slashes around."""
    if not isinstance(value, str) or "/" not in value:
        return None
    text = value.strip().strip("/").lower()
    text = text.removesuffix(".git")
    return text or None


def _name_key(value: object) -> str | None:
    text = re.sub(r"[^a-z0-9]", "", str(value).lower()) if isinstance(value, str) else ""
    return text or None


def _aliases(store: Store) -> dict[str, set[str]]:
    """Each repository key -> every key it was known by in any snapshot (renames both ways)."""
    from mlops_radar.store.queries import _rename_groups

    with store.transaction() as conn:
        return _rename_groups(conn)


def _names_of(repo: object, aliases: dict[str, set[str]]) -> set[str]:
    key = _key(repo)
    if key is None:
        return set()
    return aliases.get(key, {key}) | {key}


def _months_before(when: date, months: int) -> pd.Timestamp:
    return pd.Timestamp(when) - pd.DateOffset(months=months)


def activity_fates(
    before: pd.DataFrame,
    after: pd.DataFrame,
    after_date: date,
    *,
    rule: OutcomeRule,
    months: int,
    aliases: dict[str, set[str]],
) -> list[Fate]:
    """Per tool of `before`, its fate by the later snapshot's table `after` (see the module)."""
    later: dict[str, int] = {}
    for i, repo in enumerate(after["repo"]):
        for name in _names_of(repo, aliases):
            later.setdefault(name, i)
    alive_since = _months_before(after_date, months)
    dead_before = _months_before(after_date, DEAD_AFTER_MONTHS)
    commits = pd.to_datetime(after["last_commit_at"], utc=True, errors="coerce").dt.tz_localize(
        None
    )
    archived = after["archived"].to_numpy() if "archived" in after.columns else None
    outcome = after["outcome"].to_numpy() if "outcome" in after.columns else None
    fates = []
    for repo in before["repo"]:
        found = next((later[n] for n in sorted(_names_of(repo, aliases)) if n in later), None)
        if found is None:
            fates.append(Fate.UNKNOWN)
            continue
        gone = outcome is not None and str(outcome[found]) in _GONE
        is_archived = archived is not None and archived[found] is True
        if gone or is_archived:
            fates.append(Fate.DEAD)
            continue
        if rule is OutcomeRule.ARCHIVED:
            known = archived is not None and archived[found] is False
            fates.append(Fate.ALIVE if known else Fate.UNKNOWN)
            continue
        last = commits.iloc[found]
        if pd.isna(last):
            fates.append(Fate.UNKNOWN)
        elif last >= alive_since:
            fates.append(Fate.ALIVE)
        elif last < dead_before:
            fates.append(Fate.DEAD)
        else:
            fates.append(Fate.UNKNOWN)
    return fates


def _host_key(url: object) -> str | None:
    """The first label of a link's host, normalised (`https://www.healthchecks.io/` ->
    `healthchecks`); None for GitHub links and text that is no link."""
    found = re.match(r"https?://(?:www\.)?([^/.:]+)\.", url) if isinstance(url, str) else None
    if found is None or found.group(1).lower() == "github":
        return None
    return _name_key(found.group(1))


def listed_fates(
    before: pd.DataFrame,
    repos: Iterable[str | None],
    names: Iterable[str],
    aliases: dict[str, set[str]],
    urls: Iterable[str | None] = (),
) -> list[Fate]:
    """Per tool of `before`: alive if the later list (its tools' repositories, names and links)
    still holds it, dead if not. A tool with neither a repository nor a name is unknown."""
    listed: set[str] = set()
    for repo in repos:
        listed |= _names_of(repo, aliases)
    listed_names = {n for n in (_name_key(x) for x in names) if n}
    listed_names |= {h for h in (_host_key(u) for u in urls) if h}
    fates = []
    for repo, tool in zip(before["repo"], before["tool"], strict=True):
        mine, name = _names_of(repo, aliases), _name_key(tool)
        repo_name = _name_key(str(repo).split("/")[-1]) if _key(repo) else None
        if not mine and name is None:
            fates.append(Fate.UNKNOWN)
        elif mine & listed or {name, repo_name} & listed_names:
            fates.append(Fate.ALIVE)
        else:
            fates.append(Fate.DEAD)
    return fates


def run(
    store: Store,
    origin_ref: str,
    *,
    to_ref: str | None = None,
    listed_in: str | None = None,
    rule: OutcomeRule | None = None,
    months: int = DEAD_AFTER_MONTHS,
    chosen: Policy,
    weighting: Weights,
    seed: int = 0,
    resamples: int = 1000,
) -> BacktestRun:
    """Score `origin_ref` on its date and measure it against the later evidence."""
    if (to_ref is None) == (listed_in is None):
        raise ConfigError("backtest: give exactly one of --to REF or --listed-in SOURCE")
    if rule is None:
        rule = OutcomeRule.LISTED if listed_in is not None else OutcomeRule.ACTIVITY
    if (rule is OutcomeRule.LISTED) != (listed_in is not None):
        wants = "--listed-in SOURCE" if rule is OutcomeRule.LISTED else "--to REF"
        raise ConfigError(f"backtest: --outcome {rule} needs {wants}")
    if not 1 <= months <= DEAD_AFTER_MONTHS:
        raise ConfigError(f"backtest: --months must be between 1 and {DEAD_AFTER_MONTHS}")
    loaded = assessment.load(store, origin_ref, known_by_its_date=True)
    scored = assessment.scored(loaded, chosen, weighting, "category")
    measures = qualify(loaded.table, loaded.info.snapshot_date, assessment._judging(loaded, chosen))
    aliases = _aliases(store)
    evidence_date: date | None
    if to_ref is not None:
        later = store.resolve_snapshot(to_ref)
        if later.snapshot_date <= loaded.info.snapshot_date:
            raise ConfigError(
                f"backtest: --to snapshot {later.id} ({later.snapshot_date}) is not later than "
                f"--from snapshot {loaded.info.id} ({loaded.info.snapshot_date})"
            )
        after = store.tool_facts(later.id)
        fates = activity_fates(
            loaded.table, after, later.snapshot_date, rule=rule, months=months, aliases=aliases
        )
        evidence, evidence_date = (
            f"snapshot {later.id} ({later.snapshot_date})",
            later.snapshot_date,
        )
    else:
        from mlops_radar.catalog import read_catalog

        assert listed_in is not None
        catalog = read_catalog(listed_in)
        fates = listed_fates(
            loaded.table,
            [t.repo for t in catalog.tools],
            [t.name for t in catalog.tools],
            aliases,
            [t.url for t in catalog.tools],
        )
        evidence, evidence_date = listed_in, _date_in(listed_in)
    result = backtest(scored, measures, fates, seed=seed, resamples=resamples)
    from mlops_radar.model.backtest import per_tool

    tools = per_tool(scored, measures).assign(fate=[str(f) for f in fates])
    return BacktestRun(
        result=result,
        origin=loaded.info,
        evidence=evidence,
        evidence_date=evidence_date,
        rule=rule,
        months=months,
        policy=chosen.name,
        tools=tools,
        scored=scored,
        measures=measures,
        fates=tuple(fates),
    )


def _date_in(source: str) -> date | None:
    """The date a list's file name carries (README-2026-08-16.md), if any."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", source)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
