"""The GraphQL documents: the union of the batch's field groups, every owner, name and file path a
variable, valid for GitHub's schema, and priced as the groups say by GitHub's formula."""

from __future__ import annotations

import itertools
import time

import graphql
import pytest

from github_simulator.analysis import analyse
from github_simulator.cost import measure
from mlops_radar.sources.github.documents import (
    MAX_BATCH,
    BatchShape,
    batch_document,
    batch_variables,
    cheapest_size,
    points,
)
from mlops_radar.sources.github.groups import field_groups
from mlops_radar.sources.github.source import MAX_RIDERS

OPTIONAL = [g for g in field_groups() if g != "core"]
#: Every set of groups a collection can ask for a repository (core always).
GROUP_SETS = [
    ("core", *chosen)
    for size in range(len(OPTIONAL) + 1)
    for chosen in itertools.combinations(OPTIONAL, size)
]


def _connections(groups: tuple[str, ...]) -> int:
    return sum(field_groups()[g].connections for g in groups)


def _sizes(groups: tuple[str, ...]) -> range:
    """Every batch size the collector can send for these groups: up to the cheapest one."""
    return range(1, cheapest_size(_connections(groups), MAX_BATCH) + 1)


def test_every_document_the_collector_can_send_validates(github_schema) -> None:
    checked = 0
    started = time.perf_counter()
    for groups in GROUP_SETS:
        for size in _sizes(groups):
            document = batch_document(BatchShape(groups, repos=size))
            errors = graphql.validate(github_schema, graphql.parse(document))
            assert errors == [], (groups, size, errors[:1])
            checked += 1
    for trees, blobs in itertools.product(range(MAX_RIDERS + 1), range(0, 3 * MAX_RIDERS + 1, 6)):
        if trees or blobs:
            document = batch_document(BatchShape(("core",), repos=1, trees=trees, blobs=blobs))
            assert graphql.validate(github_schema, graphql.parse(document)) == []
    for orgs in range(1, MAX_BATCH + 1):
        document = batch_document(BatchShape((), orgs=orgs, blobs=2))
        assert graphql.validate(github_schema, graphql.parse(document)) == []
    assert checked > 100, checked
    assert time.perf_counter() - started < 300  # a hang, not a timing: the loop is ~20 s


@pytest.mark.parametrize("name", list(field_groups()))
def test_each_groups_hand_count_is_what_githubs_formula_charges(github_schema, name) -> None:
    """docs/collect.md computes each group's connections by hand; the simulator's pricing (GitHub's
    published formula) must agree, for one repository and for a full batch."""
    group = field_groups()[name]
    for size in (1, 16, 50):
        groups = ("core", name) if name != "core" else ("core",)
        shape = BatchShape(groups, repos=size)
        plan = analyse(github_schema, batch_document(shape), None)
        cost = measure(plan, batch_variables([f"o{i}/n{i}" for i in range(size)]))
        core = field_groups()["core"].connections
        own = group.connections if name != "core" else 0
        assert cost.requests == size * (core + own), (name, size)
        assert cost.cost == points(size * (core + own))


def test_riders_cost_nothing() -> None:
    base = BatchShape(("core",), repos=10)
    with_riders = BatchShape(("core",), repos=10, trees=5, blobs=12)
    assert base.connections() == with_riders.connections() == 40


@pytest.mark.parametrize(
    ("connections", "cap", "size"),
    [(4, 50, 37), (5, 50, 29), (7, 50, 21), (8, 50, 18), (9, 50, 16), (1, 50, 50), (9, 10, 10),
     (0, 12, 12)],
)  # fmt: skip
def test_the_cheapest_batch_size_by_githubs_rounding(connections, cap, size) -> None:
    assert cheapest_size(connections, cap) == size
    chosen = size / points(size * connections) if connections else size
    for other in range(1, cap + 1):
        assert other / points(other * max(connections, 1)) <= chosen + 1e-9 or not connections


@pytest.mark.parametrize(("requests", "cost"), [(0, 1), (1, 1), (149, 1), (150, 2), (250, 3),
                                                (449, 4), (450, 5), (5000, 50)])  # fmt: skip
def test_points_round_half_up_with_a_minimum_of_one(requests, cost) -> None:
    assert points(requests) == cost


def test_one_document_per_shape_whatever_the_names() -> None:
    shape = BatchShape(("core", "files"), repos=3, blobs=1)
    assert batch_document(shape) is batch_document(shape)
    evil = 'evil"){x}/name'
    variables = batch_variables(["a/b", "c/d", evil], blobs=[(evil, 'LICENSE") {x}')])
    assert variables["o2"] == 'evil"){x}'
    assert variables["n2"] == "name"
    assert variables["bx0"] == 'HEAD:LICENSE") {x}'
    assert "evil" not in batch_document(shape)


def test_sizes_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        batch_document(BatchShape(("core",), repos=101))


def test_aliases_and_variables_line_up() -> None:
    shape = BatchShape(("core", "activity"), repos=3, trees=1, blobs=2, orgs=1)
    operation = graphql.parse(batch_document(shape)).definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    aliases = [s.alias.value for s in operation.selection_set.selections if s.alias]
    assert aliases == ["r0", "r1", "r2", "t0", "b0", "b1", "g0"]
    declared = {v.variable.name.value for v in operation.variable_definitions}
    given = batch_variables(["a/b", "c/d", "e/f"], ["g/h"], [("a/b", "X"), ("c/d", "Y")], ["o"])
    assert declared == set(given)
