"""Advise: can these tools be installed with my stack, what do they bring, do they tie me to one
cloud, and which tool of a stage should I adopt (issue 12; see docs/advise.md).

`check_stack` resolves packages with a stack (uv in a subprocess, pip as fallback) and adds each
tool's footprint, cloud lock-in and known vulnerabilities; `shortlist` takes the maturity model's
ranking of one group and says, for each tool, whether it is in or out and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlops_radar.advise.cache import Cache, default_cache_dir
from mlops_radar.advise.errors import AdviseError
from mlops_radar.advise.lockin import CloudSdks, LockIn, load_cloud_sdks
from mlops_radar.advise.mapping import PackageMapping, map_tool
from mlops_radar.advise.requirements import Wanted, from_arguments, read_requirements
from mlops_radar.advise.resolver import Target, resolve
from mlops_radar.advise.stack import CheckOptions, StackCheck, check_stack

if TYPE_CHECKING:
    from mlops_radar.advise.advisor import Candidate, Wishes, shortlist

__all__ = [
    "AdviseError",
    "Cache",
    "Candidate",
    "CheckOptions",
    "CloudSdks",
    "LockIn",
    "PackageMapping",
    "StackCheck",
    "Target",
    "Wanted",
    "Wishes",
    "check_stack",
    "default_cache_dir",
    "from_arguments",
    "load_cloud_sdks",
    "map_tool",
    "read_requirements",
    "resolve",
    "shortlist",
]


def __getattr__(name: str) -> Any:
    """The advisor (which needs pandas) is loaded only when asked for: stack-check does not."""
    if name in ("Candidate", "Wishes", "shortlist"):
        from mlops_radar.advise import advisor

        return getattr(advisor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
