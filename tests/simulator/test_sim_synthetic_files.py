"""Synthetic repositories carry files with known answers, without changing any earlier field."""

from __future__ import annotations

import ast
import configparser
import gzip
import hashlib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from importlib import resources

import httpx
import pytest
from spine_documents import GROUPS, document, variables

from github_simulator import Population, Simulator
from github_simulator.synthetic_files import license_text

Ask = Callable[..., httpx.Response]

# sha256 of every field a synthetic repository had before files existed, for
# Population.synthetic(1000, seed=7), recorded with the code of that time: the golden outputs of
# the demo depend on these values staying the same.
EARLIER_FIELDS = [
    "owner",
    "name",
    "category",
    "tool_name",
    "description",
    "homepage_url",
    "stars",
    "forks",
    "watchers",
    "commits",
    "created_at",
    "last_commit_at",
    "pushed_at",
    "updated_at",
    "license_spdx",
    "language",
    "archived",
    "fork",
    "disabled",
    "default_branch",
    "open_issues",
    "closed_issues",
    "open_prs",
    "closed_prs",
    "merged_prs",
    "releases",
    "topics",
    "disk_usage",
    "mentionable_users",
    "assignable_users",
]
EARLIER_DIGEST = "e078e38e8ed759a622f2a006aaf3bc83ae32759e47f522369e3203db7eb414c9"
LICENSE_NAMES = re.compile(r"^(LICEN[CS]E|COPYING)([-.].*)?$")


@pytest.fixture(scope="module")
def thousand() -> Population:
    return Population.synthetic(1000, seed=7)


def test_earlier_fields_keep_their_values(thousand: Population) -> None:
    rows = [[repr(getattr(r, f)) for f in EARLIER_FIELDS] for r in thousand.repos]
    text = json.dumps([rows, sorted(thousand.orgs), thousand.now.isoformat()])
    assert hashlib.sha256(text.encode()).hexdigest() == EARLIER_DIGEST


def test_files_are_deterministic_and_prefix_stable(thousand: Population) -> None:
    assert [r.files for r in Population.synthetic(50, seed=7).repos] == [
        r.files for r in thousand.repos[:50]
    ]
    assert [r.files for r in Population.synthetic(50, seed=8).repos] != [
        r.files for r in thousand.repos[:50]
    ]


def _root_licenses(files: dict[str, str | bytes]) -> list[str]:
    return sorted(path for path in files if "/" not in path and LICENSE_NAMES.match(path))


def test_identified_licenses_have_their_canonical_text(thousand: Population) -> None:
    plain = {"MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0", "AGPL-3.0", "MPL-2.0"}
    names: Counter[str] = Counter()
    for repo in (r for r in thousand.repos if r.license_spdx in plain):
        assert repo.files is not None
        (path,) = _root_licenses(dict(repo.files))
        names[path] += 1
        text = repo.files[path]
        assert isinstance(text, str)
        assert repo.license_truth is not None
        canonical = license_text(repo.license_truth)
        if repo.license_truth not in ("MIT", "BSD-3-Clause"):
            assert text == canonical, repo.full_name
            continue
        # The canonical text, with only its copyright placeholders filled.
        pattern = re.escape(canonical).replace(re.escape("<year>"), r"\d{4}", 1)
        for placeholder in ("<copyright holders>", "<owner>"):
            pattern = pattern.replace(re.escape(placeholder), "[^\n<>]+", 1)
        assert re.fullmatch(pattern, text, flags=re.DOTALL), repo.full_name
        assert "<year>" not in text
    assert {"LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING"} <= set(names)


def test_other_licenses_come_in_many_forms(thousand: Population) -> None:
    other = [r for r in thousand.repos if r.license_spdx == "NOASSERTION"]
    truths = Counter(r.license_truth for r in other)
    assert {"MIT", "Apache-2.0 OR MIT"} <= set(truths)
    assert len(truths) >= 5
    assert "" in truths or any(t and ("Proprietary" in t or t == "BUSL-1.1") for t in truths)
    assert any({"LICENSE-APACHE", "LICENSE-MIT"} <= set(r.files or {}) for r in other)
    assert all(r.license_truth is not None for r in other)


def test_unlicensed_repositories_mostly_have_no_license_file(thousand: Population) -> None:
    none = [r for r in thousand.repos if r.license_spdx is None]
    assert all(not _root_licenses(dict(r.files or {})) for r in none)
    reuse = [r for r in none if r.license_truth is not None]
    assert 0 < len(reuse) < len(none) / 2
    for repo in reuse:
        assert f"LICENSES/{repo.license_truth}.txt" in (repo.files or {})


def _declared_name(files: dict[str, str | bytes]) -> str | None:
    """What a careful reader of the manifests finds (tomllib, configparser, ast)."""
    if "pyproject.toml" in files:
        manifest = tomllib.loads(str(files["pyproject.toml"]))
        name = manifest.get("project", {}).get("name")
        name = name or manifest.get("tool", {}).get("poetry", {}).get("name")
        if name:
            return str(name)
    if "setup.cfg" in files:
        parser = configparser.ConfigParser()
        parser.read_string(str(files["setup.cfg"]))
        return parser.get("metadata", "name", fallback=None)
    if "setup.py" in files:
        for node in ast.walk(ast.parse(str(files["setup.py"]))):
            if isinstance(node, ast.keyword) and node.arg == "name":
                return str(ast.literal_eval(node.value))
    return None


def test_python_manifests_declare_the_known_name(thousand: Population) -> None:
    kinds: Counter[str] = Counter()
    for repo in thousand.repos:
        files = dict(repo.files or {})
        assert _declared_name(files) == repo.pypi_name, repo.full_name
        if repo.language != "Python":
            assert repo.pypi_name is None
            continue
        kind = next(
            (k for k in ("setup.cfg", "setup.py") if k in files),
            "pyproject.toml" if repo.pypi_name else "none",
        )
        kinds[kind] += 1
        assert files["README.md"].startswith(f"# {repo.display_name}\n")  # type: ignore[union-attr]
    assert kinds["pyproject.toml"] > kinds["setup.cfg"] > 0
    assert kinds["setup.py"] > 0
    assert kinds["none"] > 0


def test_shipped_texts_match_their_provenance() -> None:
    folder = resources.files("github_simulator").joinpath("data/licenses")
    source = folder.joinpath("SOURCE.md").read_text(encoding="utf-8")
    shipped = sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt.gz"))
    assert len(shipped) == 10
    for name in shipped:
        text = gzip.decompress(folder.joinpath(name).read_bytes())
        assert f"| `{name}` | {len(text)} | `{hashlib.sha256(text).hexdigest()}` |" in source


def test_the_spine_document_is_answered_without_errors(
    start: Callable[..., Simulator], ask: Ask
) -> None:
    population = Population.synthetic(60, seed=3)
    sim = start(population=population)
    repos = population.repos[:50]
    blobs = [
        (r.full_name, f"HEAD:{_root_licenses(dict(r.files or {}))[0]}")
        for r in repos[:15]
        if _root_licenses(dict(r.files or {}))
    ]
    assert len(blobs) >= 10
    answer = ask(
        sim, document(50, len(blobs), GROUPS), variables([r.full_name for r in repos], blobs)
    )
    body = answer.json()
    assert "errors" not in body
    for i, repo in enumerate(repos):
        entries = body["data"][f"r{i}"]["rootTree"]["entries"]
        assert sorted(e["name"] for e in entries if e["type"] == "blob") == sorted(
            p for p in repo.files or {} if "/" not in p
        )
        has_folder = any(p.startswith("LICENSES/") for p in repo.files or {})
        assert (body["data"][f"r{i}"]["licensesTree"] is not None) == has_folder
    for i, (name, expression) in enumerate(blobs):
        repo = population.get(name)
        assert repo is not None
        assert repo.files is not None
        blob = body["data"][f"b{i}"]["object"]
        assert blob["text"] == repo.files[expression.removeprefix("HEAD:")]
        assert blob["isBinary"] is False
