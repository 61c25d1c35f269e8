"""The project's own error hierarchy.

Library exceptions (httpx, SQLAlchemy, zipfile, YAML, ...) are wrapped into these at the edge of
each
stage, so the CLI can show a person one clear line instead of a traceback.
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "CollectError",
    "ConfigError",
    "ModelError",
    "RadarError",
    "SourceError",
    "StoreError",
    "TokenError",
]


class RadarError(Exception):
    """Base of every error mlops-radar raises on purpose; its message is one line for a person."""


class ConfigError(RadarError):
    """A configuration file or option is invalid."""


class CatalogError(RadarError):
    """A catalog source cannot be read (missing file, unknown format, strict-mode problems)."""


class SourceError(RadarError):
    """A data source (GitHub, PyPI, a legacy file) answered something unusable."""


class TokenError(SourceError):
    """No GitHub token could be found; the message says how to get one (never the token itself)."""


class CollectError(SourceError):
    """A collection run cannot go on."""


class StoreError(RadarError):
    """The database cannot be opened, migrated, read or written."""


class ModelError(RadarError):
    """The model was handed a table it cannot score (missing columns, bad policy or weights)."""
