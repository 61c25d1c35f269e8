"""CLI commands of the model stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
