"""The 2021 study's files as tools and facts (fact set `study`): its daily CSVs and its ODS.

Legacy facts: the commit date is not in these files, so `last_commit_stale` carries the study's own
verdict for that day (True = last commit older than six months). Cells are untrusted text: they are
parsed, never evaluated. A row that does not parse becomes a problem `(line, reason)`, never an
exception, so the importer can name `file:line` and decide (with `--skip-bad`) whether to go on.
Each layout collects some of the fact set's fields (`StudySnapshot.collected`): the 12-column CSV
has no issue counts, the spreadsheet only stars, forks, commits, the verdict and the license
analysed by hand.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from mlops_radar.catalog.links import classify_link, tool_entry
from mlops_radar.catalog.records import LinkKind, ToolEntry
from mlops_radar.catalog.stages import load_stage_map
from mlops_radar.catalog.study_files import OdsRow, read_ods_sheet, read_study_csv
from mlops_radar.errors import CatalogError, SourceError
from mlops_radar.sources.factsets import FactRecord, FactSet
from mlops_radar.sources.outcomes import Outcome, RepoOutcome

__all__ = [
    "LAYOUT_FIELDS",
    "STUDY",
    "StudyFacts",
    "StudySnapshot",
    "StudyTool",
    "read_study_csv_snapshot",
    "read_study_ods",
]


@dataclass(frozen=True, slots=True)
class StudyFacts:
    """What the study's files say about a repository (its Quadro 1 qualifiers)."""

    default_branch: str | None = None
    total_commits: int | None = None
    # The study's verdict where the commit date is not known: True means the last commit was
    # OLDER than six months on the file's day.
    last_commit_stale: bool | None = None
    stars: int | None = None
    forks: int | None = None
    watchers: int | None = None
    license_name: str | None = None  # GitHub's licenseInfo.name, "Other" where it could not tell
    license_manual: str | None = None  # the license identified by hand (the spreadsheet)
    primary_language: str | None = None
    archived: bool | None = None
    open_issues: int | None = None
    closed_issues: int | None = None


STUDY = FactSet("study", StudyFacts, source="study")

#: The fields each layout of the study's files holds.
LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    "study-csv-12": (
        "default_branch", "total_commits", "last_commit_stale", "forks", "stars", "watchers",
        "license_name", "primary_language", "archived",
    ),
    "study-ods": ("stars", "forks", "total_commits", "last_commit_stale", "license_manual"),
}  # fmt: skip
LAYOUT_FIELDS["study-csv-16"] = (*LAYOUT_FIELDS["study-csv-12"], "open_issues", "closed_issues")


def _stages(categories: tuple[str, ...]) -> tuple[str, ...]:
    """Pipeline stages of the categories in the default `study` taxonomy (Quadro 2 plus ours)."""
    return load_stage_map("study").stages_for(categories)


_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_DATE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_MISSING = ("", "None")  # the study wrote Python's str(): None would read "None"


@dataclass(frozen=True, slots=True)
class StudyTool:
    """A tool of a study file and what the file says beyond `ToolEntry` (for exact round trips)."""

    entry: ToolEntry
    row: int | None  # gspread_row (CSV) or the sheet's row number (ODS)
    category: str | None  # the category exactly as written, e.g. "CI/CD "


@dataclass(frozen=True, slots=True)
class StudySnapshot:
    """Everything one study file says about one day."""

    path: Path
    layout: str  # "study-csv-12", "study-csv-16" or "study-ods"
    snapshot_date: date | None
    tools: tuple[StudyTool, ...]
    facts: tuple[FactRecord, ...]  # one per repository (first row wins), fact set `study`
    outcomes: tuple[RepoOutcome, ...]
    problems: tuple[tuple[int, str], ...]  # (line or row, reason)

    @property
    def collected(self) -> tuple[str, ...]:
        """The fact fields this file's layout holds."""
        return LAYOUT_FIELDS[self.layout]


def _record(repo: str, values: StudyFacts, raw: dict[str, Any], day: date | None) -> FactRecord:
    # the file describes its day; its facts are as of that day's midnight (UTC)
    moment = datetime.combine(day or date(1970, 1, 1), time(), tzinfo=UTC)
    return FactRecord(STUDY, repo, moment, values, raw)


class _BadCell(ValueError):
    """A cell that does not hold what its column promises."""


def _text(value: str | None) -> str | None:
    return None if value is None or value.strip() in _MISSING else value


def _int(column: str, value: str | None) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text.strip()) if "." in text else int(text.strip())
    except ValueError:
        raise _BadCell(f"{column} {text!r} is not a whole number") from None
    if number != int(number) or number < 0:
        raise _BadCell(f"{column} {text!r} is not a whole number")
    return int(number)


def _bool(column: str, value: str | None) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    if text.strip() in ("True", "False"):
        return text.strip() == "True"
    raise _BadCell(f"{column} {text!r} is not True or False")


def date_from_name(path: Path) -> date | None:
    """The date in a file's name (`2021-05-10.csv`), if any."""
    found = _DATE_NAME.search(path.name)
    if not found:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        return None


def _csv_tool(values: dict[str, str | None], line: int) -> StudyTool:
    owner, name = (values["repo_owner"] or "").strip(), (values["repo_name"] or "").strip()
    if not _NAME.match(owner) or not _NAME.match(name):
        raise _BadCell(f"repository {owner!r}/{name!r} is not a GitHub owner/name")
    category = values["use_area"]
    categories = (category.strip(),) if category and category.strip() else ()
    tool_name = _text(values["tool_name"]) or name  # the 12-column file names no tool
    entry = ToolEntry(
        name=tool_name.strip(),
        categories=categories,
        url=f"https://github.com/{owner}/{name}",
        kind=LinkKind.REPO,
        repo=f"{owner}/{name}",
        stages=_stages(categories),
        line=line,
    )
    return StudyTool(entry, _int("gspread_row", values["gspread_row"]), category)


def _csv_facts(values: dict[str, str | None]) -> StudyFacts:
    return StudyFacts(
        default_branch=_text(values["main_branch"]),
        total_commits=_int("total_commits", values["total_commits"]),
        last_commit_stale=_bool("last_commit_check", values["last_commit_check"]),
        forks=_int("fork_count", values["fork_count"]),
        stars=_int("stars_count", values["stars_count"]),
        watchers=_int("watchers_count", values["watchers_count"]),
        license_name=_text(values["license_name"]),
        primary_language=_text(values["primary_language"]),
        archived=_bool("is_archived", values["is_archived"]),
        open_issues=_int("open_issues", values["open_issues"]),
        closed_issues=_int("closed_issues", values["closed_issues"]),
    )


def read_study_csv_snapshot(path: Path, *, snapshot_date: date | None = None) -> StudySnapshot:
    """One of the study's daily CSVs (either layout) as tools, facts and outcomes."""
    try:
        study = read_study_csv(path)
    except CatalogError as exc:
        raise SourceError(str(exc)) from None
    day = snapshot_date or date_from_name(path)
    tools: list[StudyTool] = []
    facts: dict[str, FactRecord] = {}
    problems = list(study.problems)
    for row in study.rows:
        try:
            tool = _csv_tool(row.values, row.line)
            assert tool.entry.repo is not None
            found = _csv_facts(row.values)
        except _BadCell as exc:
            problems.append((row.line, str(exc)))
            continue
        tools.append(tool)
        raw = {"source": "study-csv", "row": {k: v for k, v in row.values.items() if v is not None}}
        facts.setdefault(tool.entry.repo.lower(), _record(tool.entry.repo, found, raw, day))
    return StudySnapshot(
        path=path,
        layout=f"study-csv-{study.layout}",
        snapshot_date=day,
        tools=tuple(tools),
        facts=tuple(facts.values()),
        outcomes=tuple(RepoOutcome(f.repo, Outcome.COLLECTED) for f in facts.values()),
        problems=tuple(sorted(problems)),
    )


# --- ODS --------------------------------------------------------------------------------


def _cell(row: OdsRow, index: int) -> str | None:
    return row.cells[index] if index < len(row.cells) else None


def _ods_tool(row: OdsRow) -> StudyTool:
    category, name, url = _cell(row, 0), _cell(row, 1), _cell(row, 2)
    if not name or not name.strip():
        raise _BadCell("no tool name (column Nome)")
    link = (row.links[2] if len(row.links) > 2 else None) or url or ""
    found = classify_link(link.strip())
    categories = (category.strip(),) if category and category.strip() else ()
    entry = tool_entry(name.strip(), categories, found, stages=_stages(categories), line=row.number)
    return StudyTool(entry, row.number, category)


def _ods_numbers(row: OdsRow) -> dict[str, int | bool | None]:
    stale = _int("Último commit na master > 6 meses", _cell(row, 4))
    if stale not in (None, 0, 1):
        raise _BadCell(f"Último commit na master > 6 meses is {stale}, expected 0 or 1")
    return {
        "stars": _int("Estrelas", _cell(row, 1)),
        "forks": _int("Forks", _cell(row, 2)),
        "total_commits": _int("Total de commits na master", _cell(row, 3)),
        "last_commit_stale": None if stale is None else stale == 1,
    }


def ods_date(path: Path) -> date | None:
    """The date in an ODS file's metadata (dc:date, else meta:creation-date), if any."""
    names = (
        "{http://purl.org/dc/elements/1.1/}date",
        "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}creation-date",
    )
    try:
        with zipfile.ZipFile(path) as archive, archive.open("meta.xml") as meta:
            root = SafeET.parse(meta).getroot()
            if root is None:
                return None
    except (OSError, KeyError, zipfile.BadZipFile, SafeET.ParseError):
        return None
    for name in names:
        element = root.find(f".//{name}")
        if element is not None and element.text:
            try:
                return date.fromisoformat(element.text.strip()[:10])
            except ValueError:
                continue
    return None


def read_study_ods(path: Path, *, snapshot_date: date | None = None) -> StudySnapshot:
    """The spreadsheet: sheet Ferramentas (tools, hand-analysed license) joined with sheet Github
    (hand-typed stars, forks, commits and the six-month verdict) by tool name.

    Facts are per repository: a plain repository row wins over a monorepo component's row (Tune's
    row does not override Ray's). Rows of Github with no numbers (organisations, blank lines) are
    not facts and not problems.
    """
    try:
        tool_rows = read_ods_sheet(path, "Ferramentas")[1:]
        number_rows = read_ods_sheet(path, "Github")[1:]
    except CatalogError as exc:
        raise SourceError(str(exc)) from None
    problems: list[tuple[int, str]] = []
    tools: list[StudyTool] = []
    for row in tool_rows:
        try:
            tools.append(_ods_tool(row))
        except _BadCell as exc:
            problems.append((row.number, f"sheet Ferramentas: {exc}"))
    numbers: dict[str, dict[str, int | bool | None]] = {}
    for row in number_rows:
        try:
            parsed = _ods_numbers(row)
        except _BadCell as exc:
            problems.append((row.number, f"sheet Github: {exc}"))
            continue
        name = (_cell(row, 0) or "").strip().lower()
        if name and any(v is not None for v in parsed.values()):
            numbers.setdefault(name, parsed)
    day = snapshot_date or ods_date(path)
    facts = _ods_facts(tools, numbers, tool_rows, day)
    outcomes = [RepoOutcome(f.repo, Outcome.COLLECTED) for f in facts.values()]
    outcomes += [
        RepoOutcome(
            t.entry.org, Outcome.UNRESOLVED, reason="organisation link: no single repository"
        )
        for t in tools
        if t.entry.kind is LinkKind.ORG and t.entry.org
    ]
    return StudySnapshot(
        path=path,
        layout="study-ods",
        snapshot_date=day,
        tools=tuple(tools),
        facts=tuple(facts.values()),
        outcomes=tuple({o.repo.lower(): o for o in outcomes}.values()),
        problems=tuple(sorted(problems)),
    )


def _ods_facts(
    tools: list[StudyTool],
    numbers: dict[str, dict[str, int | bool | None]],
    tool_rows: list[OdsRow],
    day: date | None,
) -> dict[str, FactRecord]:
    licenses = {row.number: _text(_cell(row, 3)) for row in tool_rows}
    facts: dict[str, FactRecord] = {}
    # plain repositories first, then components: the first writer of a repository wins
    ordered = sorted(tools, key=lambda t: t.entry.kind is LinkKind.SUBPATH)
    for tool in ordered:
        repo = tool.entry.repo
        if repo is None or repo.lower() in facts:
            continue
        found = numbers.get(tool.entry.name.lower(), {})
        manual = licenses.get(tool.row or -1)
        if not found and manual is None:
            continue
        values = StudyFacts(
            license_manual=manual.strip() if manual else None,
            **found,  # type: ignore[arg-type]
        )
        raw = {"source": "study-ods", "sheet_row": tool.row, "numbers": found or None}
        facts[repo.lower()] = _record(repo, values, raw, day)
    return facts
