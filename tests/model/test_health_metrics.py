"""Community-health metrics against hand-computed values (docs/health.md), one record per case.

Records are `github.health` field mappings; the snapshot is 2026-05-31, whose end (UTC) is AT.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mlops_radar.model.health import METRIC_KEYS, health_metrics
from mlops_radar.model.health.base import half_of, median, nearest_rank
from mlops_radar.model.health.organisations import free_mail, organisation

SNAPSHOT = dt.date(2026, 5, 31)
AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
FREE = frozenset({"gmail.com", "noreply.github.com"})


def ago(days: float = 0, hours: float = 0) -> str:
    return (AT - dt.timedelta(days=days, hours=hours)).isoformat().replace("+00:00", "Z")


def after(moment: str, hours: float) -> str:
    at = dt.datetime.fromisoformat(moment.replace("Z", "+00:00")) + dt.timedelta(hours=hours)
    return at.isoformat().replace("+00:00", "Z")


def said(at: str, author: str | None, bot: bool = False) -> dict[str, Any]:
    return {"at": at, "author": author, "bot": bot}


def issue(author: str, created: str, closed: str | None, *responses: dict[str, Any]) -> dict:
    return {"created_at": created, "closed_at": closed, "author": author,
            "responses": list(responses)}  # fmt: skip


def pull(
    author: str, created: str, merged: str | None, closed: str | None, *responses: Any
) -> dict:
    return {"created_at": created, "merged_at": merged, "closed_at": closed or merged,
            "author": author, "responses": list(responses)}  # fmt: skip


def commits(*spec: tuple[int, str | None, str | None, str | None]) -> list[dict[str, Any]]:
    """(count, login, domain, company) rows as the health group stores commit authors."""
    rows = []
    for count, login, domain, company in spec:
        identity = f"login:{login}" if login else (f"email:{domain}" if domain else None)
        rows += [
            {"login": login, "domain": domain, "company": company, "identity": identity}
        ] * count
    return rows


def metrics(**record: Any) -> dict[str, Any]:
    return health_metrics(record, SNAPSHOT, free_mail=FREE).values()


A_CREATED, B_CREATED, C_CREATED = ago(10), ago(20), ago(30)
P1, P2, P3, P4 = ago(10), ago(40), ago(50), ago(200)
FULL: dict[str, Any] = {
    "recent_closed_issues": [
        # alice answers herself, then a bot, then bob after 5 h: 5 h
        issue("alice", A_CREATED, after(A_CREATED, 48), said(after(A_CREATED, 1), "alice"),
              said(after(A_CREATED, 2), "dependabot", bot=True), said(after(A_CREATED, 5), "bob")),
        issue("bob", B_CREATED, after(B_CREATED, 24), said(after(B_CREATED, 3), "carol")),  # 3 h
        issue("carol", C_CREATED, after(C_CREATED, 120)),  # no response: not counted
    ],
    "closed_issues_total": 3,
    "open_issue_created": [ago(5), ago(15), ago(100)],
    "open_issues_total": 3,
    "recent_closed_prs": [
        pull("alice", P1, after(P1, 24), None, said(after(P1, 2), "bob")),  # 2 h
        pull("bob", P2, after(P2, 96), None, said(after(P2, 1), "BOB"),  # the author, any case
             said(after(P2, 1), "github-actions", bot=True), said(after(P2, 10), "alice")),  # 10 h
        pull("carol", P3, None, after(P3, 120)),  # closed unmerged, no response
        pull("dave", P4, after(P4, 24), None),  # merged 199 days ago: outside the 90 days
    ],
    "closed_prs_total": 4,
    "open_pr_created": [ago(3)],
    "open_prs_total": 1,
    "release_published": [ago(30), ago(200), ago(400)],
    "releases_total": 3,
    "commits_90d": 90,
    "commits_365d": 365,
    "commit_authors": commits(
        (60, "alice", "acme.com", "Acme Inc."),
        (25, "bob", "gmail.com", None),
        (15, None, "initech.io", None),
    ),
}  # fmt: skip


def test_every_metric_of_a_repository_by_hand() -> None:
    assert metrics(**FULL) == {
        "time_to_first_response_median_h": 4.0,  # 2, 3, 5, 10 h
        "time_to_close_median_h": 48.0,  # 24, 48, 120 h
        "open_issue_age_median_d": 15.0,  # 5, 15, 100 days
        "open_issue_age_p90_d": 100.0,  # nearest rank: ceil(0.9 * 3) = 3rd
        "change_request_closure_ratio_90d": 0.75,  # closed P1 P2 P3 / opened P1 P2 P3 + open
        "time_to_merge_median_h": 60.0,  # P1 24 h, P2 96 h (P4 outside the window)
        "releases_last_year": 2,
        "commits_90d": 90,
        "commits_365d": 365,
        "contributor_absence_factor": 1,  # alice made 60 of 100
        "elephant_factor": 1,  # acme 60 of 75 known (gmail names no employer)
        "organisational_diversity": 2,  # acme, initech.io
        "largest_organisation_share": 0.8,
    }
    measured = health_metrics(FULL, SNAPSHOT, free_mail=FREE)
    assert measured.n["time_to_first_response_median_h"] == 4
    assert measured.n["elephant_factor"] == 75
    assert measured.lower_bounds == frozenset()
    assert set(measured.values()) == set(METRIC_KEYS)


def test_nothing_collected_is_unknown_never_zero() -> None:
    assert set(metrics().values()) == {None}


def test_no_issues_at_all() -> None:
    found = metrics(recent_closed_issues=[], closed_issues_total=0, open_issue_created=[],
                    open_issues_total=0, recent_closed_prs=[], closed_prs_total=0,
                    open_pr_created=[], open_prs_total=0, release_published=[],
                    releases_total=0)  # fmt: skip
    assert found["time_to_first_response_median_h"] is None
    assert found["time_to_close_median_h"] is None
    assert found["open_issue_age_median_d"] is None
    assert found["open_issue_age_p90_d"] is None
    assert found["change_request_closure_ratio_90d"] is None  # nothing opened: no ratio
    assert found["time_to_merge_median_h"] is None
    assert found["releases_last_year"] == 0  # known: none


def test_all_issues_open() -> None:
    opened = [ago(1), ago(2), ago(4), ago(8)]
    found = metrics(
        recent_closed_issues=[],
        closed_issues_total=0,
        open_issue_created=opened,
        open_issues_total=4,
    )
    assert found["time_to_close_median_h"] is None
    assert found["time_to_first_response_median_h"] is None
    assert found["open_issue_age_median_d"] == 3.0
    assert found["open_issue_age_p90_d"] == 8.0


def test_bot_comments_are_not_a_first_response() -> None:
    created = ago(3)
    only_bots = issue("alice", created, ago(1), said(after(created, 1), "codecov", bot=True),
                      said(after(created, 2), "renovate[bot]", bot=True))  # fmt: skip
    assert metrics(recent_closed_issues=[only_bots])["time_to_first_response_median_h"] is None
    human = issue("alice", created, ago(1), said(after(created, 1), "codecov", bot=True),
                  said(after(created, 7), "bob"))  # fmt: skip
    assert metrics(recent_closed_issues=[human])["time_to_first_response_median_h"] == 7.0


def test_the_authors_own_comments_are_not_a_first_response() -> None:
    created = ago(3)
    own = issue("Alice", created, ago(1), said(after(created, 1), "alice"),
                said(after(created, 2), "ALICE"))  # fmt: skip
    assert metrics(recent_closed_issues=[own])["time_to_first_response_median_h"] is None
    ghost = issue("alice", created, ago(1), said(after(created, 1), None))  # a deleted account
    assert metrics(recent_closed_issues=[ghost])["time_to_first_response_median_h"] is None


def test_one_author_making_all_commits() -> None:
    found = metrics(commit_authors=commits((100, "solo", "solo.dev", None)))
    assert found["contributor_absence_factor"] == 1
    assert found["elephant_factor"] == 1
    assert found["organisational_diversity"] == 1
    assert found["largest_organisation_share"] == 1.0


def test_free_mail_domains_name_no_organisation() -> None:
    authors = commits((50, "a", "gmail.com", None), (50, "b", "users.noreply.github.com", None))
    found = metrics(commit_authors=authors)
    assert found["contributor_absence_factor"] == 1  # 50 of 100 is half
    assert found["elephant_factor"] is None
    assert found["organisational_diversity"] is None
    assert found["largest_organisation_share"] is None


@pytest.mark.parametrize(
    ("spec", "absence", "elephant"),
    [
        ([(40, "a", "x.com", None), (35, "b", "y.com", None), (25, "c", "y.com", None)], 2, 1),
        ([(30, "a", "x.com", None), (30, "b", "y.com", None), (40, "c", "z.com", None)], 2, 2),
        ([(10, None, None, None)], None, None),  # no identity, no organisation
        ([(3, "a", "gmail.com", "@ACME"), (1, "b", "acme.com", "Acme, Inc.")], 1, 1),
    ],
)
def test_the_fifty_percent_rule(spec, absence, elephant) -> None:
    found = metrics(commit_authors=commits(*spec))
    assert (found["contributor_absence_factor"], found["elephant_factor"]) == (absence, elephant)


def test_cut_lists_make_lower_bounds_or_unknowns() -> None:
    cut = health_metrics(
        {"open_issue_created": [ago(1), ago(3)], "open_issues_total": 500,
         "recent_closed_prs": [pull("a", ago(5), ago(4), None)], "closed_prs_total": 900,
         "open_pr_created": [], "open_prs_total": 0,
         "release_published": [ago(1), ago(2)], "releases_total": 250},
        SNAPSHOT, free_mail=FREE,
    )  # fmt: skip
    assert cut.open_issue_age_median_d == 2.0
    assert {"open_issue_age_median_d", "open_issue_age_p90_d", "releases_last_year"} <= (
        cut.lower_bounds
    )
    # 900 closed pull requests, the newest 1 listed, created 5 days ago: the 90 days are not
    # covered, so the opened ones cannot be counted
    assert cut.change_request_closure_ratio_90d is None
    assert cut.time_to_merge_median_h == 24.0


def test_bad_values_in_a_record_are_skipped_not_guessed() -> None:
    found = metrics(recent_closed_issues=[{"created_at": "yesterday"}, "junk",
                                   issue("a", ago(2), ago(1))],
                    open_issue_created=[ago(2), 17, None], open_issues_total=-3,
                    commits_90d=True, commits_365d=-1)  # fmt: skip
    assert found["time_to_close_median_h"] == 24.0
    assert found["open_issue_age_median_d"] == 2.0
    assert found["commits_90d"] is None
    assert found["commits_365d"] is None


def test_a_snapshot_datetime_is_used_as_given() -> None:
    record = {"open_issue_created": [ago(1)], "open_issues_total": 1}
    at_noon = health_metrics(record, AT - dt.timedelta(hours=12), free_mail=FREE)
    assert at_noon.open_issue_age_median_d == 0.5


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [(list(range(1, 11)), 0.9, 9.0), (list(range(1, 21)), 0.9, 18.0), ([5.0], 0.9, 5.0),
     (list(range(1, 12)), 0.9, 10.0), ([], 0.9, None)],
)  # fmt: skip
def test_nearest_rank(values, share, expected) -> None:
    assert nearest_rank(values, share) == expected


def test_median_and_half() -> None:
    from collections import Counter

    assert median([1.0, 2.0, 10.0, 20.0]) == 6.0
    assert median([]) is None
    assert half_of(Counter()) is None
    assert half_of(Counter({"a": 1, "b": 1})) == 1


def test_organisations() -> None:
    assert free_mail("users.noreply.github.com", FREE)
    assert not free_mail("github.com", FREE)
    assert not free_mail("mail.gmail.com.evil.org", FREE)
    assert organisation({"company": "  @Acme Corp. ", "domain": "gmail.com"}, FREE) == (
        "company:acme"
    )
    assert organisation({"company": "", "domain": "Initech.IO"}, FREE) == "domain:initech.io"
    assert organisation({"company": None, "domain": "gmail.com"}, FREE) is None


def test_the_packaged_free_mail_list() -> None:
    from mlops_radar.model.config import free_mail_domains

    domains = free_mail_domains()
    assert {"gmail.com", "qq.com", "noreply.github.com"} <= domains
    assert "github.com" not in domains  # GitHub's staff are an organisation
    found = health_metrics({"commit_authors": commits((1, "a", "gmail.com", None))}, SNAPSHOT)
    assert found.elephant_factor is None
