"""Table tests of the license, activity and archived gates and of a tool's status."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from mlops_radar.errors import ModelError
from mlops_radar.model import evaluate_gates
from mlops_radar.model.config import named_policy, policy_from_toml
from mlops_radar.model.licenses import judge_license
from mlops_radar.model.results import GateReason
from mlops_radar.report.words import gate_words

SNAP = date(2021, 5, 20)


@pytest.mark.parametrize(
    ("spdx", "name", "manual", "outcome", "resolved", "reason_part"),
    [
        ("Apache-2.0", None, None, "pass", "Apache-2.0", "OSI-approved"),
        (None, "Apache License 2.0", None, "pass", "Apache-2.0", "OSI-approved"),
        (None, 'BSD 3-Clause "New" or "Revised" License', None, "pass", "BSD-3-Clause", ""),
        ("NOASSERTION", "Other", None, "unknown", None, "needs review"),
        (None, "Other", None, "unknown", None, "needs review"),
        (None, "Other", "BSD-3", "pass", "BSD-3-Clause", "manual analysis says 'BSD-3'"),
        (None, "Other", "AGPL / Commercial", "pass", "AGPL-3.0", "manual analysis"),
        (None, "Other", "Commercial", "unknown", None, "not recognised"),
        ("SSPL-1.0", None, None, "fail", "SSPL-1.0", "not an OSI-approved"),
        (None, "Creative Commons Zero v1.0 Universal", None, "fail", "CC0-1.0", "not an OSI"),
        (None, "Some New License", None, "unknown", None, "not recognised"),
        (None, None, None, "unknown", None, "no license information"),
        ("MIT", "Other", "GPL-3.0", "pass", "MIT", "MIT is OSI-approved"),  # GitHub wins
    ],
)
def test_license_gate(study, spdx, name, manual, outcome, resolved, reason_part) -> None:
    for policy in (study, named_policy("radar")):
        verdict = judge_license(spdx, name, manual, policy)
        assert (verdict.outcome, verdict.spdx) == (outcome, resolved)
        assert reason_part in gate_words(verdict.reason)


def test_policy_file_can_allow_more_licenses() -> None:
    policy = policy_from_toml(
        'gates = ["license"]\n[license]\nalso_allow = ["CC0-1.0"]\n', source="p.toml"
    )
    assert judge_license("CC0-1.0", None, None, policy).outcome == "pass"
    assert policy.gates == ("license",)


@pytest.mark.parametrize(
    "text", ['gates = ["license", "popularity"]', "[activity]\nmonths = -1", "speed = 1", "gates ="]
)
def test_bad_policy_files_raise_one_line(text: str) -> None:
    with pytest.raises(ModelError, match=r"^bad\.toml: "):
        policy_from_toml(text, source="bad.toml")


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"last_commit_at": datetime(2021, 5, 1, tzinfo=UTC)}, "pass"),
        ({"last_commit_at": datetime(2020, 11, 20, tzinfo=UTC)}, "pass"),  # exactly six months
        ({"last_commit_at": datetime(2020, 11, 19, tzinfo=UTC)}, "fail"),
        ({"last_commit_at": datetime(2019, 1, 1, tzinfo=UTC)}, "fail"),
        ({"last_commit_stale": True}, "fail"),  # the study's own verdict on legacy rows
        ({"last_commit_stale": False}, "pass"),
        ({}, "unknown"),
    ],
)
def test_activity_gate(make_table, study, facts, outcome) -> None:
    gates = evaluate_gates(make_table([facts]), SNAP, study)
    assert gates["activity_outcome"].iat[0] == outcome


def test_2021_snapshot_gets_2021_verdicts_while_the_clock_says_2026(
    make_table, study, monkeypatch
) -> None:
    """The model reads no clock: with time itself moved to 2026 the verdicts follow the snapshot."""
    in_2026 = datetime(2026, 11, 29, tzinfo=UTC).timestamp()
    monkeypatch.setattr(time, "time", lambda: in_2026)
    monkeypatch.setattr(time, "time_ns", lambda: int(in_2026 * 1e9))
    table = make_table(
        [
            {
                "last_commit_at": datetime(2021, 3, 1, tzinfo=UTC),
                "license_spdx": "MIT",
                "archived": False,
            }
        ]
    )
    then = evaluate_gates(table, SNAP, study)
    assert then["activity_outcome"].iat[0] == "pass"
    assert then["status"].iat[0] == "qualified"
    assert then["activity_reason"].iat[0] == GateReason(
        "last_commit", {"date": "2021-03-01", "days": 80}
    )
    assert "80 days before the snapshot" in gate_words(then["activity_reason"].iat[0])
    later = evaluate_gates(table, date(2026, 11, 29), study)
    assert later["activity_outcome"].iat[0] == "fail"
    assert later["status"].iat[0] == "eliminated"


@pytest.mark.parametrize(
    ("facts", "study_status", "radar_status"),
    [
        # archived with a recent commit: the study keeps it, ours eliminates it
        (
            {"license_spdx": "MIT", "last_commit_stale": False, "archived": True},
            "qualified",
            "eliminated",
        ),
        (
            {"license_spdx": "MIT", "last_commit_stale": False, "archived": False},
            "qualified",
            "qualified",
        ),
        ({"license_spdx": "MIT", "last_commit_stale": False}, "qualified", "needs_review"),
        (
            {"license_name": "Other", "last_commit_stale": False, "archived": False},
            "needs_review",
            "needs_review",
        ),
        # a failed gate eliminates even when another is unknown
        (
            {"license_name": "Other", "last_commit_stale": True, "archived": False},
            "eliminated",
            "eliminated",
        ),
        ({"license_spdx": "SSPL-1.0"}, "eliminated", "eliminated"),
    ],
)
def test_status_under_both_policies(
    make_table, study, radar, facts, study_status, radar_status
) -> None:
    table = make_table([facts])
    assert evaluate_gates(table, SNAP, study)["status"].iat[0] == study_status
    assert evaluate_gates(table, SNAP, radar)["status"].iat[0] == radar_status


def test_unapplied_gate_is_reported_but_does_not_eliminate(make_table, study) -> None:
    gates = evaluate_gates(make_table([{"archived": True}]), SNAP, study)
    assert gates["archived_outcome"].iat[0] == "fail"
    assert not gates["archived_applied"].iat[0]
    assert gates["archived_reason"].iat[0].not_applied_under == "study"
    assert "not applied under policy study" in gate_words(gates["archived_reason"].iat[0])
