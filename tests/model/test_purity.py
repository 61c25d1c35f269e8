"""model/ does no I/O and reads no clock: checked on the modules' source (ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "src" / "mlops_radar" / "model"
FORBIDDEN_MODULES = {
    "httpx",
    "sqlalchemy",
    "pathlib",
    "os",
    "io",
    "shutil",
    "socket",
    "urllib",
    "requests",
    "time",
    "sqlite3",
    "subprocess",
    "builtins",
}
FORBIDDEN_CALLS = {
    "open",
    "now",
    "today",
    "utcnow",
    "time",
    "read_csv",
    "read_sql",
    "to_csv",
    "read_text",
    "write_text",
    "read_parquet",
}
MODULES = sorted(MODEL.rglob("*.py"))  # health/ and any other subpackage too


def imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_model_has_modules_to_check() -> None:
    assert len(MODULES) >= 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_io_modules_and_no_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not imported(tree) & FORBIDDEN_MODULES
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    allowed = {"read_text"} if path.name == "config.py" else set()
    assert not (calls & FORBIDDEN_CALLS) - allowed
    if path.name != "config.py":
        assert "importlib" not in imported(tree)


def test_config_reads_only_package_resources() -> None:
    tree = ast.parse((MODEL / "config.py").read_text(encoding="utf-8"))
    assert (
        imported(tree)
        - {"__future__", "tomllib", "functools", "importlib", "typing", "mlops_radar"}
        == set()
    )
