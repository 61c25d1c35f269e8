"""Link classification: (URL, expected kind and fields) rows."""

from __future__ import annotations

import pytest

from mlops_radar.catalog.links import absolute_url, classify_link, is_web_url
from mlops_radar.catalog.records import LinkKind

R, S, G, F, W = (
    LinkKind.REPO,
    LinkKind.SUBPATH,
    LinkKind.ORG,
    LinkKind.OTHER_FORGE,
    LinkKind.WEBSITE,
)

ROWS = [
    # url, kind, repo, subpath, org, forge, forge_path
    ("https://github.com/feast-dev/feast", R, "feast-dev/feast", None, None, None, None),
    ("https://github.com/VertaAI/modeldb/", R, "VertaAI/modeldb", None, None, None, None),
    ("https://www.github.com/polyaxon/polyaxon/", R, "polyaxon/polyaxon", None, None, None, None),
    ("http://GitHub.com/Owner/Name.git", R, "Owner/Name", None, None, None, None),
    ("https://github.com/owner/name#readme", R, "owner/name", None, None, None, None),
    ("https://github.com/owner/name?tab=readme-ov-file", R, "owner/name", None, None, None, None),
    ("https://github.com/owner/name/issues/12", R, "owner/name", None, None, None, None),
    ("https://github.com/owner/name/tree/main", R, "owner/name", None, None, None, None),
    ("https://github.com/owner/name/blob/main/README.md", R, "owner/name", None, None, None, None),
    ("https://github.com/ray-project/ray/tree/master/python/ray/tune", S, "ray-project/ray",
     "python/ray/tune", None, None, None),
    ("https://github.com/apache/spark/tree/master/mllib", S, "apache/spark", "mllib",
     None, None, None),
    ("https://github.com/o/n/blob/main/docs/guide/x.md", S, "o/n", "docs/guide", None, None, None),
    ("https://github.com/arrikto", G, None, None, "arrikto", None, None),
    ("https://github.com/googledatastudio/", G, None, None, "googledatastudio", None, None),
    ("https://github.com/orgs/kubeflow/repositories", G, None, None, "kubeflow", None, None),
    ("https://github.com/features/actions", W, None, None, None, None, None),
    ("https://github.com/topics/mlops", W, None, None, None, None, None),
    ("https://github.com/marketplace/actions/x", W, None, None, None, None, None),
    ("https://github.com/sponsors/someone", W, None, None, None, None, None),
    ("https://github.com", W, None, None, None, None, None),
    ("https://gitlab.com/group/sub/project", F, None, None, None, "gitlab.com",
     "group/sub/project"),
    ("https://gitlab.com/group/project/-/tree/main/x", F, None, None, None, "gitlab.com",
     "group/project"),
    ("https://www.gitlab.com/group/project.git", F, None, None, None, "gitlab.com",
     "group/project"),
    ("https://bitbucket.org/team/repo/", F, None, None, None, "bitbucket.org", "team/repo"),
    ("https://codeberg.org/forgejo/forgejo", F, None, None, None, "codeberg.org",
     "forgejo/forgejo"),
    ("https://git.sr.ht/~sircmpwn/aerc", F, None, None, None, "git.sr.ht", "~sircmpwn/aerc"),
    ("https://gitlab.com/", W, None, None, None, None, None),
    ("https://feast.dev", W, None, None, None, None, None),
    ("https://oracle.github.io/graphpipe", W, None, None, None, None, None),
    ("https://gist.github.com/someone/abc", W, None, None, None, None, None),
    ("https://github.com/bad owner/x", W, None, None, None, None, None),
    ("http://[::1", W, None, None, None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("url", "kind", "repo", "subpath", "org", "forge", "forge_path"), ROWS)
def test_classify_link(
    url: str,
    kind: LinkKind,
    repo: str | None,
    subpath: str | None,
    org: str | None,
    forge: str | None,
    forge_path: str | None,
) -> None:
    link = classify_link(url)
    assert (link.kind, link.repo, link.subpath, link.org, link.forge, link.forge_path) == (
        kind, repo, subpath, org, forge, forge_path,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://x.org", True), ("HTTP://x.org/a", True), ("ftp://x.org", False),
     ("docs/a.md", False), ("https://", False), ("#anchor", False), ("http://[::1", False)],
)  # fmt: skip
def test_is_web_url(url: str, expected: bool) -> None:
    assert is_web_url(url) is expected


@pytest.mark.parametrize(
    ("dest", "expected"),
    [
        ("github.com/ray-project/ray", "https://github.com/ray-project/ray"),
        ("WWW.GitHub.com/a/b", "https://WWW.GitHub.com/a/b"),
        ("gitlab.com/group/project", "https://gitlab.com/group/project"),
        ("https://github.com/a/b", "https://github.com/a/b"),
        ("github.com", "github.com"),  # no path: nothing to name
        ("github.com/", "github.com/"),
        ("docs/tool.md", "docs/tool.md"),
        ("docs.example.com/tool", "docs.example.com/tool"),  # not a forge: maybe a path
        ("#section", "#section"),
        ("", ""),
    ],
)
def test_absolute_url(dest: str, expected: str) -> None:
    assert absolute_url(dest) == expected
