"""A small JSON cache in the user's cache folder: per (package, version, Python, platform) facts
from the package index, and OSV answers (with an age limit). Unreadable entries are misses."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

__all__ = ["Cache", "default_cache_dir"]


def default_cache_dir() -> Path:
    """`$MLOPS_RADAR_CACHE` or the user cache folder of mlops-radar."""
    override = os.environ.get("MLOPS_RADAR_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("mlops-radar"))


@dataclass(frozen=True, slots=True)
class Cache:
    """JSON values under `folder/<kind>/`, keyed by the parts that make them what they are."""

    folder: Path
    enabled: bool = True

    def _path(self, kind: str, key: tuple[str, ...]) -> Path:
        digest = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]
        return self.folder / kind / f"{digest}.json"

    def get(self, kind: str, key: tuple[str, ...], max_age: float | None = None) -> Any:
        """The stored value, or None when absent, unreadable or older than `max_age` seconds."""
        if not self.enabled:
            return None
        path = self._path(kind, key)
        try:
            if max_age is not None and time.time() - path.stat().st_mtime > max_age:
                return None
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return (
            entry.get("value")
            if isinstance(entry, dict) and entry.get("key") == list(key)
            else None
        )

    def put(self, kind: str, key: tuple[str, ...], value: Any) -> None:
        """Store `value` (JSON-able); a cache that cannot be written is skipped silently."""
        if not self.enabled:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
            partial.write_text(json.dumps({"key": list(key), "value": value}), encoding="utf-8")
            partial.replace(path)
        except OSError:
            return
