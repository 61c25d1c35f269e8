"""Known vulnerabilities of the versions picked, from OSV's batch API (`POST /v1/querybatch`),
through a local cache (a day). An index that cannot be asked gives unknown (None), not "none"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from mlops_radar.advise.cache import Cache

__all__ = ["OSV_URL", "vulnerabilities"]

OSV_URL = "https://api.osv.dev"
MAX_AGE = 24 * 3600.0
_BATCH = 1000  # OSV's limit of queries per batch


def _ask(url: str, pairs: list[tuple[str, str]], timeout: float) -> list[list[str]] | None:
    queries = [{"package": {"name": n, "ecosystem": "PyPI"}, "version": v} for n, v in pairs]
    try:
        answer = httpx.post(
            f"{url.rstrip('/')}/v1/querybatch", json={"queries": queries}, timeout=timeout
        )
        data: Any = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or len(results) != len(pairs):
        return None
    found = []
    for result in results:
        vulns = result.get("vulns") if isinstance(result, dict) else None
        found.append(sorted(str(v.get("id")) for v in vulns or () if isinstance(v, dict)))
    return found


def vulnerabilities(
    picked: Mapping[str, str], cache: Cache, *, url: str = OSV_URL, timeout: float = 20.0
) -> dict[str, list[str]] | None:
    """Package -> OSV ids affecting its picked version; None when OSV could not be asked."""
    found: dict[str, list[str]] = {}
    missing = []
    for name, version in sorted(picked.items()):
        cached = cache.get("osv", (url, name, version), max_age=MAX_AGE)
        if isinstance(cached, list):
            found[name] = cached
        else:
            missing.append((name, version))
    for start in range(0, len(missing), _BATCH):
        chunk = missing[start : start + _BATCH]
        answers = _ask(url, chunk, timeout)
        if answers is None:
            return None
        for (name, version), ids in zip(chunk, answers, strict=True):
            cache.put("osv", (url, name, version), ids)
            found[name] = ids
    return {name: ids for name, ids in found.items() if ids}
