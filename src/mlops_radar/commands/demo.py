"""CLI commands of the demo stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
