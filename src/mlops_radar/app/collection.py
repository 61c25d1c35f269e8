"""A collection's lifecycle, as a library: open a snapshot (new, or the one to resume), run the
collector over it with the GitHub source, and close it with the status it earned.

The CLI (`mlops-radar collect`), the demo and notebooks call this; nothing here prints. A snapshot
is `complete` only when every key has an outcome and none failed; a run that stopped early (a
rate-limit wait past `max_wait`, an outage, Ctrl-C, an error) or left failed keys leaves it
`partial`, which `resume` finishes. A complete snapshot where more than `max_missing` of the
repositories were not found, forbidden or failed carries a warning (`many_missing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from mlops_radar.app.licensing import LicenseRun, detect_licenses
from mlops_radar.catalog import read_catalogs
from mlops_radar.catalog.records import Catalog, ToolEntry
from mlops_radar.errors import CollectError
from mlops_radar.sources.collector import Collector
from mlops_radar.sources.github.client import GitHubClient
from mlops_radar.sources.github.groups import DEFAULT_GROUPS, field_groups
from mlops_radar.sources.github.source import GitHubSource
from mlops_radar.sources.github.token import Token
from mlops_radar.sources.outcomes import Outcome
from mlops_radar.sources.summary import CollectConfig, CollectProgress, CollectSummary
from mlops_radar.store import SnapshotInfo, SnapshotStatus, Store

__all__ = [
    "DEFAULT_CATALOG",
    "MAX_MISSING_SHARE",
    "CollectionResult",
    "Opened",
    "open_collection",
    "run_collection",
]

DEFAULT_CATALOG = "https://raw.githubusercontent.com/kelvins/awesome-mlops/main/README.md"
#: Share of a snapshot's repositories that may be missing (not found, forbidden, failed) before
#: its collection ends with a warning: past it, the list or the token is more likely wrong than
#: the repositories gone.
MAX_MISSING_SHARE = 0.2
_MISSING = (Outcome.NOT_FOUND, Outcome.FORBIDDEN, Outcome.FAILED, Outcome.GIVEN_UP)


@dataclass(frozen=True, slots=True)
class Opened:
    """The snapshot a run writes into, and the entries it collects."""

    snapshot_id: int
    entries: tuple[ToolEntry, ...]
    resumed: SnapshotInfo | None  # the snapshot resumed, or None for a new one
    source: str  # the catalog's source (or the resumed snapshot's)


@dataclass(frozen=True, slots=True)
class CollectionResult:
    """How a run ended: its summary, the snapshot's status and its warnings."""

    snapshot_id: int
    summary: CollectSummary
    status: SnapshotStatus
    warnings: tuple[dict[str, object], ...]
    licenses: LicenseRun | None = None  # license detection over the fetched texts


def open_collection(
    store: Store,
    catalogs: Sequence[str] = (),
    *,
    resume: bool = False,
    force: bool = False,
    catalog: Catalog | None = None,
    taken_at: datetime | None = None,
    groups: Iterable[str] = DEFAULT_GROUPS,
    skip_sections: Iterable[str] = (),
    only_sections: Iterable[str] = (),
    keep_sections: Iterable[str] = (),
) -> Opened:
    """A new `running` snapshot for the catalog (read from `catalogs`, default Awesome MLOps,
    or given), or with `resume` the newest running or partial collected snapshot, claimed for
    this run (refused while another live run writes it, unless `force`). The snapshot says it
    collects the fields of the default groups and of `groups` (e.g. health with `--depth full`).
    `skip_sections`/`only_sections`/`keep_sections` are `--skip-section`/`--only-section`/
    `--keep-section` (see `read_catalog`)."""
    if resume:
        info = store.resumable_snapshot()
        if info is None:
            raise CollectError("--resume: no running or partial collected snapshot to resume")
        store.claim(info.id, force=force)
        entries = tuple(store.snapshot_tools(info.id))
        return Opened(info.id, entries, info, str(info.catalog_source))
    catalog = catalog or read_catalogs(
        list(catalogs) or [DEFAULT_CATALOG],
        skip_sections=skip_sections,
        only_sections=only_sections,
        keep_sections=keep_sections,
    )
    known = field_groups()
    chosen = [known[g] for g in known if g in {*DEFAULT_GROUPS, *groups}]
    collected = [name for g in chosen for name in g.fact_set.field_names]
    snapshot_id = store.begin_snapshot(
        catalog, origin="collected", taken_at=taken_at, collected=collected
    )
    return Opened(snapshot_id, catalog.tools, None, catalog.source)


def _warnings(summary: CollectSummary, max_missing: float) -> tuple[dict[str, object], ...]:
    missing = sum(summary.counts.get(o, 0) for o in _MISSING)
    asked = (
        missing + summary.counts.get(Outcome.COLLECTED, 0) + summary.counts.get(Outcome.RENAMED, 0)
    )
    if asked and missing / asked > max_missing:
        share = round(missing / asked, 4)
        return ({"code": "many_missing", "missing": missing, "asked": asked, "share": share,
                 "limit": max_missing},)  # fmt: skip
    return ()


def run_collection(
    store: Store,
    opened: Opened,
    *,
    api_url: str,
    token: Token,
    config: CollectConfig | None = None,
    progress: CollectProgress | None = None,
    groups: Iterable[str] = DEFAULT_GROUPS,
    max_missing: float = MAX_MISSING_SHARE,
    now: Callable[[], datetime] | None = None,
    run: Callable[[Collector, Sequence[ToolEntry]], CollectSummary] | None = None,
) -> CollectionResult:
    """Collect `opened.entries` into `opened.snapshot_id` and close the snapshot: complete, or
    partial when the run stopped early or keys failed (re-raising what interrupted it).

    `run` lets a front end wrap the collector's run (the CLI runs it inside a progress bar)."""
    clock = now or (lambda: datetime.now(UTC))
    source = GitHubSource(GitHubClient(api_url, token), groups=groups, clock=clock)
    collector = Collector(
        source,
        store.sink(opened.snapshot_id, source.name),
        config,
        progress,
        now=clock,
    )
    try:
        summary = run(collector, opened.entries) if run else collector.run(opened.entries)
    except BaseException:
        store.finish_snapshot(opened.snapshot_id, SnapshotStatus.PARTIAL)
        raise
    status = SnapshotStatus.PARTIAL if summary.partial else SnapshotStatus.COMPLETE
    warnings = _warnings(summary, max_missing)
    if "files" in tuple(groups):
        found = detect_licenses(store, opened.snapshot_id, now=now)
        licenses = found
        if found.skipped:
            warnings = (*warnings, {"code": "licenses_not_detected", "repositories": found.examined,
                                    "reason": found.skipped})  # fmt: skip
    else:
        licenses = None
    store.finish_snapshot(opened.snapshot_id, status, warnings=warnings)
    return CollectionResult(opened.snapshot_id, summary, status, warnings, licenses)
