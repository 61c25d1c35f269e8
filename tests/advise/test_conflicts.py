"""The resolver's explanation cut to ten lines, table-driven over uv's and pip's wordings."""

from __future__ import annotations

import pytest

from mlops_radar.advise.conflicts import MAX_LINES, explain
from mlops_radar.advise.requirements import Wanted, from_arguments, parse_line

UV = """error: No solution found when resolving dependencies
  cause: Because metaflow==2.12.0 depends on boto3>=1.34 and you require metaflow==2.12.0, we can conclude that you require boto3>=1.34.
         And because you require boto3==1.28.0, we can conclude that your requirements are unsatisfiable."""  # noqa: E501
UV_TTY = """  × No solution found when resolving dependencies:
  ╰─▶ Because all versions of beta depend on common<2 and gamma==1.0 depends on common>=2, we can conclude that gamma==1.0 and all versions of beta are incompatible.
      And because you require beta and gamma, we can conclude that your requirements are unsatisfiable."""  # noqa: E501
PIP = """ERROR: Cannot install alpha==2.0 and common==1.5 because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested common==1.5
    alpha 2.0 depends on common>=2

To fix this you could try to:"""  # noqa: E501
MISSING = "  × No solution found when resolving dependencies:\n  ╰─▶ Because phantom was not found in the package registry and you require phantom, we can conclude that your requirements are unsatisfiable."  # noqa: E501

STACK = [Wanted(parse_line("boto3==1.28.0", "requirements.txt:4"), "requirements.txt:4")]


@pytest.mark.parametrize(
    ("message", "wanted", "chain", "requirement", "named"),
    [
        (UV, [*from_arguments(["metaflow==2.12.0"]), *STACK],
         ("metaflow==2.12.0 depends on boto3>=1.34",), "boto3>=1.34",
         "boto3==1.28.0 (requirements.txt:4)"),
        (UV_TTY, from_arguments(["beta", "gamma"]),
         ("beta depends on common<2", "gamma==1.0 depends on common>=2"), "common<2",
         "beta (command line)"),
        (PIP, from_arguments(["alpha==2.0", "common==1.5"]), ("alpha 2.0 depends on common>=2",),
         "common>=2", "common==1.5 (command line)"),
    ],
)  # fmt: skip
def test_explanations(
    message: str, wanted: list[Wanted], chain: tuple[str, ...], requirement: str, named: str
) -> None:
    conflict = explain(message, wanted)
    assert conflict.chain == chain
    assert conflict.requirement == requirement
    assert named in conflict.text
    assert len(conflict.text.splitlines()) <= MAX_LINES
    assert "No solution found" not in conflict.text
    assert "╰─▶" not in conflict.text


def test_missing_package_is_named() -> None:
    assert explain(MISSING, from_arguments(["phantom"])).missing == ("phantom",)


def test_a_pathological_explanation_is_cut_to_ten_lines() -> None:
    steps = " ".join(
        f"And because pkg{i}=={i} depends on pkg{i + 1}>={i + 1}, we can conclude that x{i}."
        for i in range(3000)
    )
    conflict = explain(f"  × No solution found\n  ╰─▶ Because a depends on b. {steps}", [])
    lines = conflict.text.splitlines()
    assert len(lines) == MAX_LINES
    assert any("steps cut" in line for line in lines)
    assert lines[0].startswith("Because a depends on b")
    assert "pkg2999==2999" in lines[-1]


def test_a_version_the_index_does_not_have_is_named_missing() -> None:
    # mlflow 3.18.0 on PyPI pinned mlflow-tracing==3.18.0 before that was on the index
    message = (
        "  × No solution found when resolving dependencies:\n"
        "  ╰─▶ Because there is no version of mlflow-tracing==3.18.0 and mlflow>=3.18.0 depends "
        "on mlflow-tracing==3.18.0, we can conclude that mlflow>=3.18.0 cannot be used.\n"
        "      And because you require mlflow==3.18.0, we can conclude that your requirements "
        "are unsatisfiable.\n"
    )
    conflict = explain(message, from_arguments(["mlflow==3.18.0"]))
    assert conflict.missing == ("mlflow-tracing",)
    assert conflict.chain == ("mlflow>=3.18.0 depends on mlflow-tracing==3.18.0",)
