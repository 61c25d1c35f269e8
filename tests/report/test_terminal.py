"""Terminal tables: outside text is escaped, unknown values show as '-'."""

from __future__ import annotations

from rich.console import Console

from mlops_radar.model.results import (
    Direction,
    Explanation,
    GateOutcome,
    GateReason,
    GateResult,
    Ring,
    RingBasis,
    RingReason,
    Robustness,
    SignalReason,
    Status,
    ToolQualification,
    ToolScore,
)
from mlops_radar.report.terminal import fmt, qualify_table, ranking_table, show_table
from mlops_radar.report.words import robustness_words


def render(renderable: object) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def gate(name: str, outcome: str, applied: bool = True) -> GateResult:
    return GateResult(name, GateOutcome(outcome), applied, GateReason("not_archived"))


def said(text: str, pull: float = 0.1) -> SignalReason:
    """A signal reason whose words are `text` (a signal with an unknown value says its label)."""
    return SignalReason("x", text, None, None, "G", Direction.HELPS, pull)


def scored(tool: str, ring: str, value: float, completeness: float, helps, hurts) -> ToolScore:
    why = RingReason(Ring(ring), RingBasis.TRIAL, 51.0, completeness)
    return ToolScore(
        tool=tool, repo=None, group="G", rank=1, status=Status.QUALIFIED, ring=Ring(ring),
        score=value, completeness=completeness, tier=1, dimensions={},
        explanation=Explanation(tuple(helps), tuple(hurts), why), gates={}, value=value,
    )  # fmt: skip


def test_markup_in_tool_names_is_printed_as_written() -> None:
    row = ToolQualification(
        name="[bold red]evil[/]",
        repo=None,
        categories=("[link=x]cat[/link]",),
        status=Status.QUALIFIED,
        gates={
            "license": gate("license", "pass"),
            "activity": gate("activity", "pass"),
            "archived": gate("archived", "fail", False),
        },
        counts={"stars": 1234, "forks": None, "watchers": 5, "total_commits": 7},
        last_commit=None,
        last_commit_stale=None,
        archived=None,
        license=None,
        attractiveness=412.0,
        study_rank=None,
    )
    text = render(qualify_table([row], "t"))
    assert "[bold red]evil[/]" in text
    assert "[link=x]cat[/link]" in text
    assert "fail (n/a)" in text
    assert "1,234" in text


def test_ranking_table_shows_explanation_and_ring() -> None:
    row = scored("x[/]", "Trial", 51.25, 0.8, [said("[i]stars[/i]")], [said("releases", -0.1)])
    text = render(ranking_table("Feature Store", [row], "maturity"))
    assert "x[/]" in text
    assert "+ [i]stars[/i]: unknown (counts as 0)" in text
    assert "- releases: unknown" in text
    assert "Trial: score 51 with 80% of the weight known" in text
    assert "80%" in text
    assert "51.2" in text


def test_robustness_words_and_fmt() -> None:
    line = robustness_words(Robustness(0.91, 0.5, 0.75, 0.2, 100))
    assert "mean Kendall tau 0.91" in line
    assert "75% of draws" in line
    assert "too few tools" in robustness_words(Robustness(None, None, 0.0, 0.2, 100))
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
    row = scored(evil, "Adopt", 70.0, 1.0, [said(evil)], [])
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
