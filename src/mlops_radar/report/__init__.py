"""The report stage: terminal tables now; the HTML site and Markdown lists later."""

from mlops_radar.report.terminal import (
    compare_table,
    qualify_table,
    ranking_table,
    robustness_line,
    show_table,
)

__all__ = ["compare_table", "qualify_table", "ranking_table", "robustness_line", "show_table"]
