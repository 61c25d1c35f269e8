"""The renderer interface: one renderer per format, each turning the model's typed results (and
the store's snapshot changes) into output for one medium.

    renderer = renderer_for("json")        # or "terminal"
    renderer.render(result, Context(info, policy="radar"))

Adding a format is one module with a class that has `render`, registered in `RENDERERS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mlops_radar.store.records import SnapshotInfo

__all__ = ["RENDERERS", "Context", "Renderer", "renderer_for"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a result was computed on: the snapshot and the policy's name (None where no policy
    applies), plus format options (`show_all`: every tool of a ranking, not its top)."""

    snapshot: SnapshotInfo | None = None
    policy: str | None = None
    options: dict[str, Any] | None = None


class Renderer(Protocol):
    """Writes one result (Qualification, Ranking, Comparison, ToolReport, SnapshotChanges) in
    its format to its output."""

    def render(self, result: object, context: Context) -> None: ...


#: Format name -> "module:class" under mlops_radar.report (imported when asked for).
RENDERERS = {"json": "as_json:JsonRenderer", "terminal": "terminal:TerminalRenderer"}


def renderer_for(fmt: str, **options: Any) -> Renderer:
    """The renderer of a format, built with its options (e.g. `console=` for terminal)."""
    module_name, _, cls = RENDERERS[fmt].partition(":")
    module = importlib.import_module(f"mlops_radar.report.{module_name}")
    made: Renderer = getattr(module, cls)(**options)
    return made
