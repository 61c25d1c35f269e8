"""CLI commands of the catalog stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
