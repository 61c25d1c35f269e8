"""The synthetic population is deterministic and skewed; fixtures load; the list renders."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from pathlib import Path

import pytest

from github_simulator import FixtureError, Population

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def thousand() -> Population:
    return Population.synthetic(1000, seed=7)


def test_same_seed_same_population(thousand: Population) -> None:
    again = Population.synthetic(1000, seed=7)
    assert again.repos == thousand.repos
    assert again.orgs == thousand.orgs
    other = Population.synthetic(1000, seed=8)
    assert [r.full_name for r in other.repos] != [r.full_name for r in thousand.repos]


def test_smaller_population_is_a_prefix(thousand: Population) -> None:
    assert Population.synthetic(100, seed=7).repos == thousand.repos[:100]


def test_names_are_unique_and_categorised(thousand: Population) -> None:
    assert len({r.key for r in thousand.repos}) == 1000
    assert len({r.tool_name for r in thousand.repos}) == 1000
    assert len(thousand.categories()) == 12
    assert all(r.description and r.category for r in thousand.repos)
    big = Population.synthetic(9000, seed=1)
    assert len({r.key for r in big.repos}) == 9000


def test_stars_are_skewed(thousand: Population) -> None:
    stars = sorted((r.stars for r in thousand.repos), reverse=True)
    assert stars[0] >= 20_000
    assert statistics.median(stars) < 300
    assert sum(stars[:10]) > 0.2 * sum(stars)
    assert sum(s < 50 for s in stars) > 250


def test_realistic_mix(thousand: Population) -> None:
    repos = thousand.repos
    stale = [
        r for r in repos if r.last_commit_at and NOW - r.last_commit_at > dt.timedelta(days=182)
    ]
    assert 0.1 < len(stale) / len(repos) < 0.35
    assert 0 < sum(r.archived for r in repos) < len(stale)
    licenses = [r.license_spdx for r in repos]
    assert licenses.count("NOASSERTION") > 20
    assert licenses.count(None) > 20
    assert sum(bool(r.releases) for r in repos) > 400
    per_owner = [len(thousand.owned_by(login)) for login in thousand.orgs]
    assert max(per_owner) >= 5
    forks_ratio = [r.forks / r.stars for r in repos if r.stars > 1000]
    assert statistics.median(forks_ratio) < 0.5
    assert all(r.created_at <= (r.last_commit_at or r.created_at) <= NOW for r in repos)


def test_fixture_round_trip_json_and_yaml(tmp_path: Path, thousand: Population) -> None:
    subset = Population(repos=thousand.repos[:30], orgs=thousand.orgs, now=thousand.now)
    path = tmp_path / "repos.json"
    path.write_text(subset.to_json(), encoding="utf-8")
    assert Population.from_file(path).repos == subset.repos
    yaml_path = tmp_path / "repos.yaml"
    yaml_path.write_text(
        "now: 2025-06-01\norgs: [acme]\nrepos:\n"
        "  - {owner: acme, name: one, stars: 10, created_at: 2024-01-01T00:00:00Z,\n"
        "     releases: [{tag_name: v1, created_at: '2024-02-01'}], topics: [mlops]}\n"
        "  - {owner: solo, name: two, license_spdx: NOASSERTION}\n",
        encoding="utf-8",
    )
    loaded = Population.from_file(yaml_path)
    assert loaded.now == dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert loaded.get("ACME/One").stars == 10
    assert loaded.get("acme/one").releases[0].created_at == dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    assert loaded.is_org("acme")
    assert not loaded.is_org("solo")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repos:\n  - {owner: a, name: b, starz: 3}\n", r"repos\[0\]: unknown field\(s\) starz"),
        ("repos:\n  - {owner: a}\n", r"repos\[0\]: 'owner' and 'name' are required"),
        ("repos: 3\n", "expected a mapping with a 'repos' list"),
        ("repos:\n  - {owner: a, name: b, created_at: yesterday}\n", "not an ISO 8601 date"),
        ("repos:\n  - {owner: a, name: b}\n  - {owner: A, name: B}\n", "appears twice"),
        ("repos: [\n", "cannot read the population fixture"),
    ],
)
def test_bad_fixture_is_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError, match=message) as caught:
        Population.from_file(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_to_markdown_is_an_awesome_list(thousand: Population) -> None:
    text = thousand.to_markdown("Awesome Test")
    assert text.startswith("# Awesome Test\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == thousand.categories()
    items = re.findall(
        r"^\* \[([^\]]+)\]\(https://github\.com/([^)]+)\) - (.+)$", text, re.MULTILINE
    )
    assert len(items) == 1000
    assert {full for _, full, _ in items} == {r.full_name for r in thousand.repos}
