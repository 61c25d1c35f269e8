"""Histories in fixtures: `history:` round-trips through a fixture document, bad entries are one
line naming the entry. (That the synthetic history stream leaves every earlier field as it was
is `test_sim_synthetic_files.test_earlier_fields_keep_their_values`'s digest.)"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from github_simulator import Population, SimRepo
from github_simulator.histories import (
    SimCommitAuthor,
    SimHistory,
    SimIssue,
    SimPullRequest,
    SimResponse,
)
from github_simulator.population import FixtureError, population_from_document

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def test_a_history_round_trips_through_a_fixture_document() -> None:
    history = SimHistory(
        issues=(SimIssue("alice", NOW - 5 * HOUR, NOW - HOUR,
                         (SimResponse("bot", NOW - 4 * HOUR, bot=True),)),
                SimIssue(None, NOW - 2 * HOUR)),
        pull_requests=(SimPullRequest("bob", NOW - 9 * HOUR, NOW - 8 * HOUR, NOW - 8 * HOUR,
                                      (SimResponse("alice", NOW - 8.5 * HOUR, review=True),)),),
        commit_authors=(SimCommitAuthor("a@acme.com", "A", "alice", "Acme"),
                        SimCommitAuthor(None)),
    )  # fmt: skip
    population = Population(repos=[SimRepo(owner="o", name="r", history=history)], now=NOW)
    document = json.loads(population.to_json())
    again = population_from_document(document)
    assert again.repos[0].history == history


def test_a_merged_pull_request_is_closed_when_it_merged() -> None:
    document = {"repos": [{"owner": "o", "name": "r", "history": {"pull_requests": [
        {"author": "a", "created_at": "2025-12-01", "merged_at": "2025-12-02"}]}}]}  # fmt: skip
    [pull] = population_from_document(document).repos[0].history.pull_requests
    assert pull.closed_at == pull.merged_at
    assert pull.state == "MERGED"


@pytest.mark.parametrize(
    ("history", "says"),
    [
        ({"issues": [{"author": "a"}]}, "repos[0].history.issues[0].created_at: not a time"),
        ({"issues": [{"created_at": "2025-01-01", "colour": "red"}]}, "unknown field(s) colour"),
        ({"pull_requests": [{"created_at": "soon"}]}, "pull_requests[0].created_at"),
        ({"issues": [{"created_at": "2025-01-01", "responses": "many"}]}, "expected a list"),
        ({"commit_authors": ["alice"]}, "commit_authors[0]: expected a mapping"),
    ],
)
def test_bad_history_entries_are_one_line_naming_the_entry(history, says) -> None:
    with pytest.raises(FixtureError, match=None) as raised:
        population_from_document({"repos": [{"owner": "o", "name": "r", "history": history}]})
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)
