"""Our own catalog file (YAML): tools, overrides applied to other sources, errors with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_radar.catalog import LinkKind, read_catalog, read_catalogs
from mlops_radar.errors import CatalogError


def test_tools_of_a_catalog_file(samples: Path) -> None:
    catalog = read_catalog(samples / "catalog.yaml")
    tools = {tool.name: tool for tool in catalog.tools}
    feast = tools["Feast"]
    assert (feast.kind, feast.repo, feast.url, feast.pypi) == (
        LinkKind.REPO, "feast-dev/feast", "https://feast.dev", ("feast",),
    )  # fmt: skip
    assert feast.line == 5
    assert feast.stages == ("Feature Store",)
    assert (tools["Tune"].kind, tools["Tune"].subpath) == (LinkKind.SUBPATH, "python/ray/tune")
    assert tools["Tune"].categories == ("Hyperparameter Tuning",)
    assert tools["SaaS Thing"].kind == LinkKind.WEBSITE
    assert catalog.unmapped_categories == ("Monitoring Extras",)
    # its overrides matched nothing in this file alone: reported, not silently ignored
    assert [(p.line, p.text) for p in catalog.problems] == [
        (18, "Arrikto"), (20, "https://github.com/comet-ml"), (22, "CI/CD"),
    ]  # fmt: skip


def test_overrides_apply_to_other_sources(samples: Path, study: Path) -> None:
    catalog = read_catalogs([study / "FerramentasMLOps.ods", samples / "catalog.yaml"])
    tools = {tool.name: tool for tool in catalog.tools}
    assert (tools["Arrikto"].kind, tools["Arrikto"].repo) == (
        LinkKind.REPO,
        "arrikto/kubeflow-pipelines",
    )
    assert "Comet" not in tools
    assert tools["CML"].categories == ("CI/CD for Machine Learning",)
    assert "CI/CD" not in [c.name for c in catalog.categories]
    assert catalog.problems == ()
    # Tune is in both: one tool, the ODS's entry first
    tune = [tool for tool in catalog.tools if tool.subpath == "python/ray/tune"]
    assert len(tune) == 1
    assert tune[0].line == 37


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mlops-radar-catalog: 2\ntools: []\n",
         r"x\.yaml:1: unsupported mlops-radar-catalog version 2"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: A\n    categories: [X]\n",
         r"x\.yaml:3: tool 'A' needs 'repo' or 'url'"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: A\n    url: https://a.org\n",
         r"x\.yaml:3: tool 'A' has no 'categories'"),
        ("mlops-radar-catalog: 1\ntools:\n  - categories: [X]\n    url: https://a.org\n",
         r"x\.yaml:3: missing 'name'"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: A\n    categories: [X]\n    url: a.org\n",
         r"x\.yaml:3: 'url' must be an http\(s\) URL"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: A\n    categories: [X]\n    repo: not a repo\n",
         r"x\.yaml:3: 'repo' must be owner/name or a URL"),
        ("mlops-radar-catalog: 1\ntools:\n  - name: A\n    categoris: [X]\n",
         r"x\.yaml:3: unknown key\(s\) in a tool: categoris"),
        ("mlops-radar-catalog: 1\ntools:\n  - just a string\n",
         r"x\.yaml:1: each tool must be a mapping"),
        ("mlops-radar-catalog: 1\ntools: {}\n", r"x\.yaml:1: 'tools' must be a list"),
        ("mlops-radar-catalog: 1\noverrides:\n  - tool: A\n    category: B\n",
         r"x\.yaml:3: an override names exactly one of 'tool' or 'category'"),
        ("mlops-radar-catalog: 1\noverrides:\n\n  - category: B\n", r"x\.yaml:4: missing 'rename'"),
        ("mlops-radar-catalog: 1\ntools: [\n", r"x\.yaml:3: invalid YAML"),
    ],
)  # fmt: skip
def test_schema_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as info:
        read_catalog(path)
    assert "\n" not in str(info.value)
