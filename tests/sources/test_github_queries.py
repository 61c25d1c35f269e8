"""The GraphQL documents: one per batch size, owners and names as variables, valid for GitHub."""

from __future__ import annotations

import graphql
import pytest

from mlops_radar.sources.github.queries import (
    MAX_BATCH,
    org_query,
    org_variables,
    repo_query,
    repo_variables,
)


def test_every_repo_batch_size_validates_against_githubs_schema(github_schema) -> None:
    for size in range(1, MAX_BATCH + 1):
        errors = graphql.validate(github_schema, graphql.parse(repo_query(size)))
        assert errors == [], (size, errors[:1])


def test_every_org_batch_size_validates_against_githubs_schema(github_schema) -> None:
    for size in range(1, MAX_BATCH + 1):
        assert graphql.validate(github_schema, graphql.parse(org_query(size))) == []


def test_a_wrong_field_would_be_caught_by_the_same_check(github_schema) -> None:
    broken = repo_query(2).replace("stargazerCount", "stargazersTotal")
    assert graphql.validate(github_schema, graphql.parse(broken))


def test_one_document_per_size_whatever_the_repositories() -> None:
    assert repo_query(3) is repo_query(3)
    variables = repo_variables(["a/b", "c/d", 'evil"){x}/name'])
    assert variables == {
        "o0": "a",
        "n0": "b",
        "o1": "c",
        "n1": "d",
        "o2": 'evil"){x}',
        "n2": "name",
    }
    assert "evil" not in repo_query(3)


def test_sizes_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 100"):
        repo_query(0)
    with pytest.raises(ValueError, match="between 1 and 100"):
        repo_variables(["a/b"] * 101)


def test_aliases_and_variables_line_up() -> None:
    document = graphql.parse(repo_query(4))
    operation = document.definitions[0]
    aliases = [s.alias.value for s in operation.selection_set.selections if s.alias]
    assert aliases == ["r0", "r1", "r2", "r3"]
    names = {v.variable.name.value for v in operation.variable_definitions}
    assert names == set(repo_variables(["a/b", "c/d", "e/f", "g/h"]))
    assert set(org_variables(["x", "y"])) == {"l0", "l1"}
