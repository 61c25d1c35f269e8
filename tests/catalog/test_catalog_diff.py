"""Catalog diff: real snapshots spot-checked by name, and each kind of change on small catalogs."""

from __future__ import annotations

import json
from pathlib import Path

from mlops_radar.catalog import diff_catalogs, read_catalog


def test_diff_2021_to_2026(awesome: Path) -> None:
    old = read_catalog(awesome / "README-2021-05-14.md")
    new = read_catalog(awesome / "README-2026-08-16.md")
    changes = diff_catalogs(old, new)
    added = {tool.name for tool in changes.added}
    removed = {tool.name for tool in changes.removed}
    relinked = {change.new.name: change for change in changes.relinked}
    # spot checks, looked up by hand in the two files
    assert {"EvalML", "FLAML", "MindsDB", "KitOps"} <= added  # absent in 2021, present in 2026
    assert {"Cubonacci", "Neu.ro"} <= removed  # present in 2021, gone in 2026
    assert "AutoGluon" not in added | removed  # in both, same repository
    assert relinked["BentoML"].old.url == "https://bentoml.org"
    assert relinked["BentoML"].new.repo == "bentoml/BentoML"
    payload = changes.as_dict()
    assert set(payload) == {"added", "removed", "moved", "relinked"}
    assert len(payload["added"]) == len(changes.added)
    json.dumps(payload)  # JSON-serialisable as is


def _write(path: Path, body: str) -> Path:
    path.write_text("# List\n\n" + body, encoding="utf-8")
    return path


def test_each_kind_of_change(tmp_path: Path) -> None:
    old = _write(
        tmp_path / "old.md",
        "## A\n\n* [Keep](https://github.com/o/keep) - x\n* [Move](https://github.com/o/move) - x\n"
        "* [Gone](https://github.com/o/gone) - x\n* [Renamed](https://github.com/o/old-name) - x\n",
    )
    new = _write(
        tmp_path / "new.md",
        "## A\n\n* [Keep](https://github.com/O/Keep/) - x\n"
        "* [Renamed](https://github.com/o/new-name) - x\n"
        "## B\n\n* [Move](https://github.com/o/move) - x\n* [New](https://new.example.org) - x\n",
    )
    changes = diff_catalogs(read_catalog(old), read_catalog(new))
    assert [t.name for t in changes.added] == ["New"]
    assert [t.name for t in changes.removed] == ["Gone"]
    assert [(c.old.categories, c.new.categories) for c in changes.moved] == [(("A",), ("B",))]
    assert [(c.old.repo, c.new.repo) for c in changes.relinked] == [("o/old-name", "o/new-name")]
    payload = changes.as_dict()
    assert payload["moved"][0]["old_categories"] == ["A"]
    assert payload["relinked"][0]["old_repo"] == "o/old-name"
    assert diff_catalogs(read_catalog(new), read_catalog(new)).as_dict() == {
        "added": [], "removed": [], "moved": [], "relinked": [],
    }  # fmt: skip
