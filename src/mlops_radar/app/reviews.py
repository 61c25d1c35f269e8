"""License reviews from a person's file and from the study's spreadsheet, for `app.assessment`.

A reviews file is YAML, a list of entries:

    - repo: jupyter/notebook
      license: BSD-3-Clause          # an SPDX id or expression
      reviewer: Ana                  # who read the LICENSE file
      date: 2026-11-30               # optional
      note: BSD with the IPython header   # optional

Entries are checked; a bad one is one clear line naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from mlops_radar.errors import ConfigError
from mlops_radar.model.reviews import LicenseReview, reviews_from_mapping
from mlops_radar.store import Store
from mlops_radar.textfiles import TooLarge, read_capped

__all__ = ["STUDY_REVIEWER", "read_reviews", "study_reviews"]

STUDY_REVIEWER = "the study's manual analysis"
MAX_BYTES = 5_000_000


def _field(entry: dict[str, Any], name: str, where: str, *, required: bool = True) -> str | None:
    value = entry.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ConfigError(f"{where}: `{name}` is missing")
        return None
    if not isinstance(value, str | int | float):
        raise ConfigError(f"{where}: `{name}` must be text")
    return str(value).strip()


def read_reviews(path: str | Path) -> list[LicenseReview]:
    """The reviews of a YAML file (see the module's docstring)."""
    file = Path(path)
    try:
        data = yaml.safe_load(read_capped(file, MAX_BYTES))
    except TooLarge as exc:
        raise ConfigError(f"{file}: reviews file over {MAX_BYTES:,} bytes") from exc
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the reviews file: {exc.strerror or exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{file}{line}: not a readable YAML reviews file") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{file}: a reviews file is a list of entries (repo, license, reviewer)")
    found = []
    for n, entry in enumerate(data, start=1):
        where = f"{file}: entry {n}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a mapping with repo, license, reviewer")
        repo = _field(entry, "repo", where)
        assert repo is not None
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise ConfigError(f"{where}: repo must be owner/name, not {repo!r}")
        day = entry.get("date")
        if day is not None and not isinstance(day, dt.date):
            try:
                day = dt.date.fromisoformat(str(day))
            except ValueError as exc:
                raise ConfigError(f"{where}: date must be YYYY-MM-DD") from exc
        found.append(
            LicenseReview(
                repo=repo,
                license=_field(entry, "license", where) or "",
                reviewer=_field(entry, "reviewer", where) or "",
                on=day,
                note=_field(entry, "note", where, required=False),
            )
        )
    return found


def study_reviews(store: Store) -> list[LicenseReview]:
    """The study's spreadsheet analysis as reviews, from every imported spreadsheet snapshot."""
    return reviews_from_mapping(store.manual_licenses(), STUDY_REVIEWER)
