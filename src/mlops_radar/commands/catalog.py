"""CLI commands of the catalog stage: `catalog show`, `catalog diff` and `catalog map`.

Thin on purpose: options are parsed here, the work is `mlops_radar.catalog`'s. Every text that comes
from a list (names, descriptions, links, problem lines) is untrusted: it reaches the terminal as
plain `rich.text.Text` with control characters replaced, never as markup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mlops_radar.catalog import (
    TAXONOMIES,
    Catalog,
    CatalogDiff,
    ToolEntry,
    diff_catalogs,
    load_stage_map,
    read_catalog,
)
from mlops_radar.catalog.as_json import catalog_as_dict, kind_counts, warning_message

if TYPE_CHECKING:
    from mlops_radar.catalog.mapper import StageProposal
from mlops_radar.commands.common import dump_json, json_option, make_console, section_options
from mlops_radar.errors import CatalogError, ConfigError
from mlops_radar.report.terminal import printable

__all__ = ["COMMANDS", "catalog"]

_MAX_DESCRIPTION = 80
_MAX_SKIPPED_NAMES = 8


def _clean(text: str | None) -> str:
    """Untrusted text made safe for a terminal: control characters (escape codes) replaced."""
    return "" if text is None else printable(text).replace("\n", "\ufffd")


@click.group(
    "catalog",
    epilog="""\b
Examples:
  mlops-radar catalog show README.md
  mlops-radar catalog diff README-2021-05-14.md README-2026-08-16.md
  mlops-radar catalog map other-list.md --write stages-proposed.yaml
""",
)
def catalog() -> None:
    """Read tool lists (awesome Markdown, catalog YAML, the study's ODS/CSV) and compare them."""


@catalog.command(
    "show",
    epilog="""\b
Examples:
  mlops-radar catalog show README.md                        # a table per category
  mlops-radar catalog show https://example.org/README.md --json
  mlops-radar catalog show FerramentasMLOps.ods --taxonomy amershi
  mlops-radar catalog show README.md --stage-map my-stages.yaml --strict
  mlops-radar catalog show other-list.md --skip-section "Other Awesome Lists"
  mlops-radar catalog show selfhosted.md --keep-section "Polls and Events"
""",
)
@click.argument("source")
@click.option(
    "--taxonomy",
    type=click.Choice(TAXONOMIES),
    default="study",
    show_default=True,
    help="Pipeline stages to map categories to: the study's Quadro 2 or Amershi et al.'s nine "
    "stages.",
)
@click.option(
    "--stage-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A YAML file extending or overriding the taxonomy's mapping (see docs/catalog.md).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 2) when a line looks like an entry but can't be read.",
)
@section_options
@json_option
def show(
    source: str,
    taxonomy: str,
    stage_map: Path | None,
    strict: bool,
    skip_sections: tuple[str, ...],
    only_sections: tuple[str, ...],
    keep_sections: tuple[str, ...],
    as_json: bool,
) -> None:
    """Read SOURCE (a path or an http(s) URL) and list its tools by category.

    Sections that list resources rather than tools (articles, books, talks, courses, other
    awesome lists, contributing, ...) are recognised by their words and skipped; the output
    says which, and why.
    """
    result = read_catalog(
        source,
        taxonomy=taxonomy,
        stage_map=stage_map,
        skip_sections=skip_sections,
        only_sections=only_sections,
        keep_sections=keep_sections,
    )
    if strict and result.problems:
        for problem in result.problems:
            click.echo(
                _clean(f"{source}:{problem.line}: {problem.reason}: {problem.text}"), err=True
            )
        raise CatalogError(f"{source}: {len(result.problems)} problem(s) found (--strict)")
    if as_json:
        dump_json(catalog_as_dict(result))
        return
    _print_catalog(result, make_console())


@catalog.command(
    "diff",
    epilog="""\b
Examples:
  mlops-radar catalog diff README-2021-05-14.md README-2026-08-16.md
  mlops-radar catalog diff old.md new.md --json
""",
)
@click.argument("old")
@click.argument("new")
@section_options
@json_option
def diff(
    old: str,
    new: str,
    skip_sections: tuple[str, ...],
    only_sections: tuple[str, ...],
    keep_sections: tuple[str, ...],
    as_json: bool,
) -> None:
    """Tools added, removed, moved between categories and relinked from OLD to NEW."""
    read = functools.partial(
        read_catalog,
        skip_sections=skip_sections,
        only_sections=only_sections,
        keep_sections=keep_sections,
    )
    changes = diff_catalogs(
        read(old),
        read(new),
    )
    if as_json:
        dump_json(changes.as_dict())
        return
    _print_diff(changes, make_console())


@catalog.command(
    "map",
    epilog="""\b
Examples:
  mlops-radar catalog map other-list.md                      # a table of proposals
  mlops-radar catalog map other-list.md --taxonomy amershi --json
  mlops-radar catalog map other-list.md --write stages-proposed.yaml
  mlops-radar catalog show other-list.md --stage-map stages-proposed.yaml   # after checking it
""",
)
@click.argument("source")
@click.option(
    "--taxonomy",
    type=click.Choice(TAXONOMIES),
    default="study",
    show_default=True,
    help="Pipeline stages to propose: the study's Quadro 2 or Amershi et al.'s nine stages.",
)
@click.option(
    "--stage-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A YAML file extending or overriding the taxonomy's mapping (see docs/catalog.md).",
)
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the proposals as a stage-map file (each marked proposed_by: mlops-radar) for a "
    "person to confirm, then use with --stage-map.",
)
@section_options
@json_option
def map_stages(
    source: str,
    taxonomy: str,
    stage_map: Path | None,
    write_to: Path | None,
    skip_sections: tuple[str, ...],
    only_sections: tuple[str, ...],
    keep_sections: tuple[str, ...],
    as_json: bool,
) -> None:
    """Propose stages for the categories of SOURCE that the taxonomy does not map.

    Each proposal comes from the category's name and its tools' descriptions, matched against
    the taxonomy's stages (their names, descriptions and the categories already mapped to them),
    with a confidence and the words that decided it. Nothing is downloaded.
    """
    from mlops_radar.catalog import mapper

    mapping = load_stage_map(taxonomy, stage_map)
    result = read_catalog(
        source,
        taxonomy=taxonomy,
        stage_map=stage_map,
        skip_sections=skip_sections,
        only_sections=only_sections,
        keep_sections=keep_sections,
    )
    descriptions = mapper.stage_descriptions(taxonomy, stage_map)
    proposals = mapper.propose_for_catalog(result, mapping, descriptions)
    if write_to is not None:
        text = mapper.stage_map_yaml(mapping, proposals, source)
        try:
            write_to.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{write_to}: cannot write the stage map: {exc.strerror}") from exc
    if as_json:
        dump_json({"proposals": [p.as_dict() for p in proposals]})
        return
    console = make_console()
    if not proposals:
        console.print(
            Text(_clean(f"every category of {source} is mapped by the {taxonomy} taxonomy")),
        )
    else:
        console.print(_proposal_table(proposals, result, taxonomy))
    if write_to is not None:
        console.print(Text(_clean(f"wrote {write_to}: check each proposal, then --stage-map")))


def _proposal_table(proposals: Sequence[StageProposal], result: Catalog, taxonomy: str) -> Table:
    counts = {c.name: c.tools for c in result.categories}
    table = Table(
        title=Text(_clean(f"stages proposed ({taxonomy}) for unmapped categories")),
        title_justify="left",
    )
    for column in ("category", "tools", "proposed stages", "confidence", "why"):
        table.add_column(column, overflow="fold")
    for proposal in proposals:
        stages = ", ".join(proposal.stages) or "no proposal (nothing matched)"
        table.add_row(
            Text(_clean(proposal.category)),
            str(counts.get(proposal.category, 0)),
            Text(_clean(stages)),
            f"{proposal.confidence:.2f}",
            Text(_clean(", ".join(proposal.why))),
        )
    return table


def _print_catalog(result: Catalog, console: Console) -> None:
    for category in result.categories:
        stages = ", ".join(category.stages) or "unmapped"
        tools = [t for t in result.tools if category.name in t.categories]
        console.print(_tool_table(f"{category.name} ({category.tools}) - {stages}", tools))
    uncategorised = [t for t in result.tools if not t.categories]
    if uncategorised:
        console.print(_tool_table(f"(no category) ({len(uncategorised)})", uncategorised))
    counts = ", ".join(f"{kind} {n}" for kind, n in kind_counts(result).items())
    console.print(Text(_clean(f"{len(result.tools)} tools from {result.source}: {counts}")))
    if result.unmapped_categories:
        unmapped = ", ".join(result.unmapped_categories)
        console.print(Text(_clean(f"unmapped categories ({result.taxonomy}): {unmapped}")))
    for problem in result.problems:
        console.print(Text(_clean(f"line {problem.line}: {problem.reason}: {problem.text}")))
    if result.skipped:
        console.print(Text(_clean(_skipped_line(result))))
    for warning in result.warnings:
        console.print(Text(_clean(f"warning: {warning_message(warning)}"), style="yellow"))


def _skipped_line(result: Catalog) -> str:
    """One line: the sections not read as tools, grouped by why (`--json` lists each)."""
    groups: dict[str, list[str]] = {}
    entries: dict[str, int] = {}
    for section in result.skipped:
        count = f" ({section.entries})" if section.entries else ""
        groups.setdefault(section.reason, []).append(section.section + count)
        entries[section.reason] = entries.get(section.reason, 0) + section.entries
    parts = []
    for reason, names in groups.items():
        shown = (
            ", ".join(names)
            if len(names) <= _MAX_SKIPPED_NAMES
            else (f"{len(names)} sections, {entries[reason]} entries")
        )
        parts.append(f"{reason}: {shown}")
    total = sum(entries.values())
    line = f"skipped, not read as tools ({total} entries): " + "; ".join(parts)
    if any(s.reason.startswith("resource section") and s.entries for s in result.skipped):
        line += " (--keep-section NAME reads one as tools)"
    return line


def _tool_table(title: str, tools: Iterable[ToolEntry]) -> Table:
    table = Table(title=Text(_clean(title)), title_justify="left", expand=False)
    for column in ("tool", "kind", "repository / link", "description"):
        table.add_column(column, overflow="fold")
    for tool in tools:
        where = tool.repo + (f"/{tool.subpath}" if tool.subpath else "") if tool.repo else tool.url
        description = tool.description or ""
        if len(description) > _MAX_DESCRIPTION:
            description = description[: _MAX_DESCRIPTION - 1] + "…"
        table.add_row(*(Text(_clean(v)) for v in (tool.name, str(tool.kind), where, description)))
    return table


def _print_diff(changes: CatalogDiff, console: Console) -> None:
    sections: Sequence[tuple[str, list[tuple[str, str, str]]]] = (
        ("added", [(t.name, ", ".join(t.categories), t.url) for t in changes.added]),
        ("removed", [(t.name, ", ".join(t.categories), t.url) for t in changes.removed]),
        (
            "moved",
            [
                (c.new.name, ", ".join(c.old.categories), ", ".join(c.new.categories))
                for c in changes.moved
            ],
        ),
        ("relinked", [(c.new.name, c.old.url, c.new.url) for c in changes.relinked]),
    )
    headers = {"moved": ("from", "to"), "relinked": ("old link", "new link")}
    for title, rows in sections:
        table = Table(title=f"{title} ({len(rows)})", title_justify="left")
        second, third = headers.get(title, ("categories", "link"))
        for column in ("tool", second, third):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(_clean(v)) for v in row))
        console.print(table)


COMMANDS: list[click.Command] = [catalog]
