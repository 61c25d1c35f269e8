"""The advise stage's error: one line for a person (a resolver that timed out, a bad line)."""

from __future__ import annotations

from mlops_radar.errors import RadarError

__all__ = ["AdviseError"]


class AdviseError(RadarError):
    """A stack cannot be checked: bad requirements, no resolver, a resolver that gave no answer."""
