"""The CLI's table of lazily loaded commands matches what each stage module defines."""

from __future__ import annotations

import importlib
import subprocess
import sys

from mlops_radar.cli import COMMAND_MODULES, COMMANDS, main


def test_every_command_is_listed_with_its_module_and_nothing_else() -> None:
    defined = {}
    for module_name in set(COMMAND_MODULES.values()):
        module = importlib.import_module(f"mlops_radar.commands.{module_name}")
        defined.update({command.name: module_name for command in module.COMMANDS})
    assert defined == COMMAND_MODULES


def test_catalog_commands_do_not_load_the_database_or_pandas() -> None:
    code = (
        "import sys; from mlops_radar.cli import main\n"
        "try:\n    main(['catalog', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'sqlalchemy', 'httpx') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "['httpx']"  # URL sources; no pandas, no SQLAlchemy


def test_the_static_help_of_each_command_is_its_own() -> None:
    for name, (module_name, short) in COMMANDS.items():
        module = importlib.import_module(f"mlops_radar.commands.{module_name}")
        command = next(c for c in module.COMMANDS if c.name == name)
        assert command.get_short_help_str(limit=1000) == short, name


def test_top_level_help_lists_every_command_without_importing_one() -> None:
    code = (
        "import sys; from mlops_radar.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('mlops_radar.commands.')"
        " or m in ('pandas', 'sqlalchemy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    lines = out.strip().splitlines()
    assert lines[-1] == "[]"
    listed = {line.split()[0] for line in lines if line.startswith("  ") and line.split()}
    assert set(COMMANDS) <= listed
    assert main.name == "main"
