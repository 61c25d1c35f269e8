"""The `forbidden` fault: one alias answered FORBIDDEN (SAML-protected organisation), the rest
answered, as GitHub does."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from github_simulator import Fault, Faults, Population, Simulator

Ask = Callable[..., httpx.Response]

SAML = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access "
    "token access to this organization."
)
BATCH = """query Batch {
  a: repository(owner: "acme", name: "widget") { nameWithOwner }
  b: repository(owner: "solo-dev", name: "tool") { nameWithOwner }
  c: repository(owner: "nobody", name: "nothing") { nameWithOwner }
}"""


def test_forbidden_alias_answers_null_with_githubs_error(
    start: Callable[..., Simulator], small_population: Population, ask: Ask
) -> None:
    sim = start(population=small_population, faults=Faults(forbidden=frozenset({"acme/widget"})))
    answer = ask(sim, BATCH)
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] == {"a": None, "b": {"nameWithOwner": "solo-dev/tool"}, "c": None}
    assert body["errors"] == [
        {
            "type": "FORBIDDEN",
            "path": ["a"],
            "extensions": {"saml_failure": True},
            "locations": [{"line": 2, "column": 3}],
            "message": SAML,
        },
        {
            "type": "NOT_FOUND",
            "path": ["c"],
            "locations": [{"line": 4, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'nobody/nothing'.",
        },
    ]
    stats = sim.stats
    assert stats.faults == {Fault.FORBIDDEN.value: 1}
    assert stats.faults_injected == 1
    assert stats.repo_queries == {"acme/widget": 1, "solo-dev/tool": 1, "nobody/nothing": 1}
    assert stats.points == 1  # the query is charged like any other


def test_forbidden_names_match_in_any_case_and_each_alias_counts(
    start: Callable[..., Simulator], small_population: Population, ask: Ask
) -> None:
    faults = Faults(forbidden=frozenset({"ACME/Widget", "Solo-Dev/TOOL"}))
    sim = start(population=small_population, faults=faults)
    query = """{ x: repository(owner: "acme", name: "WIDGET") { id }
      y: repository(owner: "SOLO-DEV", name: "tool") { id }
      z: repository(owner: "acme", name: "gadget") { nameWithOwner } }"""
    body = ask(sim, query).json()
    assert body["data"]["x"] is None
    assert body["data"]["y"] is None
    assert body["data"]["z"] == {"nameWithOwner": "acme/gadget"}
    assert [(e["type"], e["path"]) for e in body["errors"]] == [
        ("FORBIDDEN", ["x"]),
        ("FORBIDDEN", ["y"]),
    ]
    assert sim.stats.faults == {"forbidden": 2}


def test_a_forbidden_repository_stays_forbidden_under_its_old_name(
    start: Callable[..., Simulator], small_population: Population, ask: Ask
) -> None:
    faults = Faults(
        renamed={"acme/gadget": "acme-corp/gadget-ng"},
        forbidden=frozenset({"acme-corp/gadget-ng"}),
    )
    sim = start(population=small_population, faults=faults)
    query = """{ old: repository(owner: "acme", name: "gadget") { nameWithOwner }
      owned: organization(login: "acme") { repository(name: "widget") { nameWithOwner } } }"""
    body = ask(sim, query).json()
    assert body["data"]["old"] is None
    assert body["data"]["owned"] == {"repository": {"nameWithOwner": "acme/widget"}}
    assert [(e["type"], e["path"]) for e in body["errors"]] == [("FORBIDDEN", ["old"])]


def test_forbidden_through_an_organisation_has_the_nested_path(
    start: Callable[..., Simulator], small_population: Population, ask: Ask
) -> None:
    sim = start(population=small_population, faults=Faults(forbidden=frozenset({"acme/widget"})))
    query = '{ g0: organization(login: "acme") { login repository(name: "widget") { id } } }'
    body = ask(sim, query).json()
    assert body["data"] == {"g0": {"login": "acme", "repository": None}}
    assert [(e["type"], e["path"]) for e in body["errors"]] == [("FORBIDDEN", ["g0", "repository"])]


def test_forbidden_rejects_bad_options() -> None:
    with pytest.raises(TypeError, match="not one string"):
        Faults(forbidden="acme/widget")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="both missing and forbidden: acme/widget"):
        Faults(missing=frozenset({"acme/widget"}), forbidden=frozenset({"ACME/widget"}))
