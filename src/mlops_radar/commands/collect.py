"""CLI commands of the collect stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
