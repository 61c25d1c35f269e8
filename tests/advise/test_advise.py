"""`advise` on a snapshot in a temp SQLite file: the model's ranking of one category, each tool in
or out and why, checked against a local package index."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from factrecords import github_facts
from mlops_radar.advise.mapping import map_tool
from mlops_radar.catalog.records import Catalog, LinkKind, ToolEntry
from mlops_radar.sources.outcomes import Outcome, RepoOutcome
from mlops_radar.store import Store

SRC = Path(__file__).resolve().parents[2] / "src"
WHEN = datetime(2024, 3, 1, tzinfo=UTC)
CATEGORY = "Feature Store"


def _files(**texts: str) -> list[dict[str, Any]]:
    return [
        {
            "path": p.replace("_", ".", 1) if p != "setup_py" else "setup.py",
            "text": t,
            "byte_size": len(t),
            "is_binary": False,
            "is_truncated": False,
        }
        for p, t in texts.items()
    ]


#: name -> (pypi names in the catalog, manifests, license, archived, stars)
TOOLS: dict[str, tuple[tuple[str, ...], list[dict[str, Any]], str, bool, int]] = {
    "Alphastore": (("alpha",), [], "Apache-2.0", False, 5000),
    "Gammaflow": ((), _files(pyproject_toml='[project]\nname = "gamma"\n'), "MIT", False, 4000),
    "Cloudy": (
        (),
        _files(setup_py='from setuptools import setup\nsetup(name="cloudy")\n'),
        "Apache-2.0",
        False,
        3000,
    ),
    "Mystery": ((), [], "MIT", False, 2500),
    "Twin": (
        (),
        _files(
            setup_cfg="[metadata]\nname = deep0\n", pyproject_toml='[project]\nname = "other"\n'
        ),
        "MIT",
        False,
        2000,
    ),
    "Leftish": (("beta",), [], "GPL-3.0", False, 1500),
    "Gone": (("alpha",), [], "MIT", True, 1200),
    "Phantom": ((), _files(pyproject_toml='[project]\nname = "phantom"\n'), "MIT", False, 1100),
}


def _seed(path: Path) -> None:
    tools = tuple(
        ToolEntry(
            name=name,
            categories=(CATEGORY,),
            url=f"https://github.com/o/{name.lower()}",
            kind=LinkKind.REPO,
            repo=f"o/{name.lower()}",
            pypi=pypi,
        )
        for name, (pypi, *_rest) in TOOLS.items()
    )
    with Store.open(str(path)) as store:
        sid = store.begin_snapshot(
            Catalog(source="test", tools=tools), origin="collected", taken_at=WHEN
        )
        sink = store.sink(sid)
        for name, (_, files, license_spdx, archived, stars) in TOOLS.items():
            repo = f"o/{name.lower()}"
            sink.write(
                github_facts(
                    repo,
                    stars=stars,
                    archived=archived,
                    license_spdx=license_spdx,
                    license_name=license_spdx,
                    last_commit_at=datetime(2024, 2, 20, tzinfo=UTC),
                    open_issues=10,
                    closed_issues=90,
                    files=files or None,
                ),
                [RepoOutcome(repo, Outcome.COLLECTED)],
            )
        store.finish_snapshot(sid, "complete")


def _advise(
    db: Path, index_url: str, tmp_path: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MLOPS_RADAR_CACHE": str(tmp_path / "cache")}
    env.pop("MLOPS_RADAR_DB", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_radar",
            "advise",
            "--db",
            str(db),
            "--category",
            CATEGORY,
            "--index-url",
            index_url,
            "--no-vulns",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def snapshot_db(tmp_path: Path) -> Path:
    db = tmp_path / "radar.sqlite3"
    _seed(db)
    return db


def test_every_entry_says_why_it_is_in_or_out(
    snapshot_db: Path, index_url: str, tmp_path: Path
) -> None:
    stack = tmp_path / "requirements.txt"
    stack.write_text("common<2\n")
    done = _advise(
        snapshot_db,
        index_url,
        tmp_path,
        "--with",
        str(stack),
        "--no-lock-in",
        "--license",
        "permissive",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    tools = {t["tool"]: t for t in payload["tools"]}
    assert set(tools) == set(TOOLS)
    for entry in tools.values():
        assert entry["verdict"] in ("in", "out")
        assert entry["why"]
        assert (entry["verdict"] == "out") == bool(entry["reasons"])
    assert tools["Alphastore"]["verdict"] == "in"
    # the stack's common<2 holds alpha at 1.0 (alpha 2.0 needs common>=2): said, not hidden
    assert tools["Alphastore"]["why"].startswith(
        "installs with your stack (alpha 1.0, not its newest 2.0); Apache-2.0; no cloud SDK"
    )
    assert any(
        line.startswith("held back: alpha 1.0 is picked, not its newest 2.0: it conflicts over")
        for line in tools["Alphastore"]["checklist"]
    )
    assert tools["Alphastore"]["check"]["picked"] == {"alpha": "1.0", "common": "1.5"}
    assert tools["Alphastore"]["checklist"]
    assert any("90% of its issues closed" in line for line in tools["Alphastore"]["checklist"])
    assert tools["Gammaflow"]["mapping_source"] == "pyproject.toml"
    assert tools["Gammaflow"]["why"].startswith("conflicts with your stack over common")
    assert tools["Cloudy"]["why"] == "ties you to one cloud: boto3 (AWS)"
    assert tools["Mystery"]["reasons"][0]["code"] == "no_package"
    assert "deep0, other" in tools["Twin"]["why"]
    assert tools["Leftish"]["why"] == "license GPL-3.0 (strong copyleft) is not permissive"
    assert tools["Leftish"]["license_family"] == "strong copyleft"
    assert tools["Alphastore"]["license_family"] == "permissive"
    assert tools["Gone"]["reasons"][0]["code"] == "not_qualified"
    assert tools["Phantom"]["reasons"] == [
        {
            "code": "no_package",
            "detail": "phantom (from pyproject.toml) is not on the package index",
        }
    ]
    ranks = [t["rank"] for t in payload["tools"] if t["rank"] is not None]
    assert ranks == sorted(ranks)  # best first


def test_terminal_output_and_lock_in_allowed(
    snapshot_db: Path, index_url: str, tmp_path: Path
) -> None:
    done = _advise(snapshot_db, index_url, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"category {CATEGORY}: {len(TOOLS)} tools")
    cloudy = next(line for line in lines if "Cloudy:" in line)
    assert cloudy.startswith("IN ")
    assert "needs boto3 (AWS)" in cloudy
    assert any(line.strip().startswith("- license: Apache-2.0 (permissive)") for line in lines)


def test_unknown_category_is_one_clear_line(
    snapshot_db: Path, index_url: str, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_radar",
            "advise",
            "--db",
            str(snapshot_db),
            "--category",
            "Nope",
            "--no-vulns",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: category 'Nope': not in snapshot")


def test_stack_check_maps_a_tool_name_through_the_snapshot(
    snapshot_db: Path, index_url: str, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MLOPS_RADAR_CACHE": str(tmp_path / "c")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_radar",
            "stack-check",
            "Gammaflow",
            "Alphastore",
            "--db",
            str(snapshot_db),
            "--index-url",
            index_url,
            "--no-vulns",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["picked"]["gamma"] == "1.0"


@pytest.mark.parametrize(
    ("pypi", "files", "expected"),
    [
        (("Foo_Bar",), [], ("mapped", ("foo-bar",), "catalog")),
        (
            (),
            [{"path": "pyproject.toml", "text": '[tool.poetry]\nname = "poet"\n'}],
            ("mapped", ("poet",), "pyproject.toml"),
        ),
        (
            (),
            [{"path": "setup.py", "text": "import os\nsetup(name=os.environ['X'])\n"}],
            ("unmapped", (), None),
        ),
        (
            (),
            [{"path": "setup.py", "text": "raise SystemExit(1)\nsetup(name='x'"}],
            ("unmapped", (), None),
        ),
        (
            (),
            [
                {"path": "sub/setup.cfg", "text": "[metadata]\nname = subpkg\n"},
                {"path": "pyproject.toml", "text": '[project]\nname = "root"\n'},
            ],
            ("mapped", ("subpkg",), "sub/setup.cfg"),
        ),
    ],
)
def test_mapping_table(
    pypi: tuple[str, ...], files: list[dict[str, Any]], expected: tuple[Any, ...]
) -> None:
    subpath = "sub" if any(f["path"].startswith("sub/") for f in files) else None
    mapping = map_tool("t", pypi, files, subpath)
    assert (mapping.status, mapping.packages, mapping.source) == expected


def test_unreadable_manifest_is_a_problem_not_a_crash() -> None:
    mapping = map_tool("t", (), [{"path": "pyproject.toml", "text": "[project\nname="}])
    assert mapping.status == "unmapped"
    assert mapping.problems
    assert mapping.problems[0].startswith("pyproject.toml:")


@pytest.mark.parametrize(
    ("spdx", "wish", "codes"),
    [
        ("Apache-2.0", "permissive", []),
        ("GPL-3.0-only", "permissive", ["license"]),
        ("GPL-3.0-only", "copyleft-ok", []),
        (None, "copyleft-ok", ["license_unknown"]),
        (None, "permissive", ["license_unknown"]),
        (None, "any", []),
        ("MPL-2.0", "permissive", ["license"]),
        ("AGPL-3.0-only", "copyleft-ok", []),
        # an AND is as restrictive as its most restrictive part, an OR as its most permissive
        ("MIT AND GPL-3.0-only", "permissive", ["license"]),
        ("Apache-2.0 OR GPL-2.0-only", "permissive", []),
        ("BUSL-1.1", "permissive", ["license"]),
        ("BUSL-1.1", "copyleft-ok", ["license_closed"]),
        ("SSPL-1.0", "copyleft-ok", ["license_closed"]),
        ("Elastic-2.0", "any", []),
    ],
)
def test_license_wishes(spdx: str | None, wish: str, codes: list[str]) -> None:
    # the family comes from the model's classification (the SPDX list data), as advise uses it
    import pandas as pd

    from mlops_radar.advise.advisor import Wishes, _pre_check
    from mlops_radar.advise.mapping import PackageMapping
    from mlops_radar.advise.ranking import with_license_families

    frame = with_license_families(pd.DataFrame({"license": [spdx]}), _license_data())
    row = {"status": "qualified", **frame.iloc[0].to_dict()}
    mapping = PackageMapping("t", "mapped", ("t",), "catalog")
    assert [code for code, _ in _pre_check(row, mapping, Wishes(license=wish))] == codes


@functools.cache
def _license_data() -> Any:
    from mlops_radar.sources.licenses import load_license_data

    return load_license_data()


def test_adoption_cost_is_weighed_only_when_asked(
    snapshot_db: Path, index_url: str, tmp_path: Path
) -> None:
    plain = json.loads(_advise(snapshot_db, index_url, tmp_path, "--json").stdout)
    weighed_run = _advise(snapshot_db, index_url, tmp_path, "--json", "--weigh-adoption-cost")
    assert weighed_run.returncode == 0, weighed_run.stderr
    weighed = json.loads(weighed_run.stdout)
    rank = {t["tool"]: t["rank"] for t in plain["tools"]}
    rank_weighed = {t["tool"]: t["rank"] for t in weighed["tools"]}
    assert rank["Cloudy"] < rank["Leftish"]  # more stars
    assert rank_weighed["Cloudy"] > rank_weighed["Leftish"]  # but it ties you to AWS
    assert all(t["why"] for t in weighed["tools"])
