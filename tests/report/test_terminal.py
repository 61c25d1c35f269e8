"""Terminal tables: outside text is escaped, unknown values show as '-'."""

from __future__ import annotations

from rich.console import Console

from mlops_radar.report import qualify_table, ranking_table, robustness_line, show_table
from mlops_radar.report.terminal import fmt


def render(renderable: object) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def gate(outcome: str, applied: bool = True) -> dict:
    return {"outcome": outcome, "reason": "r", "applied": applied}


def test_markup_in_tool_names_is_printed_as_written() -> None:
    row = {
        "name": "[bold red]evil[/]",
        "categories": ["[link=x]cat[/link]"],
        "status": "qualified",
        "gates": {
            "license": gate("pass"),
            "activity": gate("pass"),
            "archived": gate("fail", False),
        },
        "stars": 1234,
        "forks": None,
        "watchers": 5,
        "total_commits": 7,
        "attractiveness": 412.0,
        "study_rank": None,
    }
    text = render(qualify_table([row], "t"))
    assert "[bold red]evil[/]" in text
    assert "[link=x]cat[/link]" in text
    assert "fail (n/a)" in text
    assert "1,234" in text


def test_ranking_table_shows_explanation_and_ring() -> None:
    row = {
        "rank": 1,
        "tool": "x[/]",
        "ring": "Trial",
        "value": 51.25,
        "completeness": 0.8,
        "helps": ["[i]stars[/i] high"],
        "hurts": ["no releases"],
        "ring_reason": "Trial: score 51",
    }
    text = render(ranking_table("Feature Store", [row], "maturity"))
    assert "x[/]" in text
    assert "+ [i]stars[/i] high" in text
    assert "- no releases" in text
    assert "80%" in text
    assert "51.2" in text


def test_robustness_line_and_fmt() -> None:
    line = robustness_line({"mean_tau": 0.91, "top3_unchanged": 0.75, "spread": 0.2, "draws": 100})
    assert "mean Kendall tau 0.91" in line
    assert "75% of draws" in line
    assert "too few tools" in robustness_line({"mean_tau": None})
    assert fmt(None) == "-"
    assert fmt(float("nan")) == "-"
    assert fmt(12345.678, 1) == "12,345.7"


def test_show_table_sections() -> None:
    text = render(show_table("[b]t", {"facts": {"stars": 3, "repo": "o/[x]"}}))
    assert "[b]t" in text
    assert "o/[x]" in text


def test_control_sequences_in_outside_text_never_reach_the_terminal() -> None:
    """A repository description or name could carry ANSI/OSC sequences (clear the screen, retitle
    the window, fake a line); they are shown as U+FFFD, never sent to the terminal."""
    evil = "tool\x1b[2J\x1b]0;pwned\x07\u202eeman"
    row = {
        "tool": evil,
        "ring": "Adopt",
        "ring_reason": evil,
        "value": 70.0,
        "completeness": 1.0,
        "rank": 1,
        "helps": [evil],
        "hurts": [],
    }
    out = render(ranking_table("Cat\x1b[31m", [row], "maturity"))
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "tool\ufffd[2J\ufffd]0;pwned" in out


def test_cli_errors_are_printed_without_control_characters(tmp_path) -> None:
    from click.testing import CliRunner

    from mlops_radar.cli import main

    bad = tmp_path / "list\x1b[2J.md"
    result = CliRunner().invoke(main, ["catalog", "show", str(bad)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "list\ufffd[2J.md" in result.output
