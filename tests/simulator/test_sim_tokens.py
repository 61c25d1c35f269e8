"""`SimulatorConfig(tokens=...)`: only the configured tokens are accepted, others get GitHub's 401;
no token value is shown, logged or kept."""

from __future__ import annotations

import hmac
import os
import signal
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from github_simulator import Faults, Population, Simulator, SimulatorConfig
from github_simulator import service as service_module

RIGHT = "ghp_RightSimulatorToken0123456789"
OTHER = "ghp_OtherAcceptedToken9876543210"
WRONG = "ghp_WrongSimulatorToken000000000"
QUERY = {"query": "{ viewer { login } }"}
BAD_CREDENTIALS = {
    "message": "Bad credentials",
    "documentation_url": "https://docs.github.com/graphql",
}


def post(sim: Simulator, token: str | None) -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"bearer {token}"}
    return httpx.post(sim.url, json=QUERY, headers=headers, timeout=10)


def test_only_the_configured_tokens_are_accepted(start: Callable[..., Simulator]) -> None:
    sim = start(tokens=[RIGHT, OTHER])
    assert post(sim, RIGHT).json() == {"data": {"viewer": {"login": "simulated-user"}}}
    assert post(sim, OTHER).status_code == 200
    refused = post(sim, WRONG)
    assert refused.status_code == 401
    assert refused.json() == BAD_CREDENTIALS
    assert post(sim, RIGHT[:-1]).status_code == 401  # a prefix is not the token
    missing = post(sim, None)
    assert missing.status_code == 401
    assert missing.json()["message"] == "This endpoint requires you to be authenticated."
    assert sim.stats.statuses == {200: 2, 401: 3}
    assert sim.stats.points == 2  # refused requests are never charged


def test_any_token_is_accepted_by_default(start: Callable[..., Simulator]) -> None:
    sim = start()
    assert post(sim, WRONG).status_code == 200


def test_rate_limit_endpoint_refuses_a_wrong_token(start: Callable[..., Simulator]) -> None:
    sim = start(tokens=[RIGHT])
    url = sim.url.replace("/graphql", "/rate_limit")
    refused = httpx.get(url, headers={"Authorization": f"bearer {WRONG}"}, timeout=10)
    assert refused.status_code == 401
    assert refused.json() == BAD_CREDENTIALS
    accepted = httpx.get(url, headers={"Authorization": f"token {RIGHT}"}, timeout=10)
    assert accepted.json()["resources"]["graphql"]["remaining"] == 5000


def test_every_accepted_digest_is_compared_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unit test of `_authenticate`: no early exit on the first match, digests not tokens."""
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    population = Population.synthetic(3, seed=0)
    service = service_module.GraphQLService(
        SimulatorConfig(population=population, tokens=[RIGHT, OTHER, "third"])
    )
    assert service.budget_for(f"bearer {RIGHT}") is not None
    assert service.budget_for(f"bearer {WRONG}") is None
    assert len(compared) == 6
    assert all(len(a) == len(b) == 32 for a, b in compared)
    assert all(RIGHT.encode() not in a + b for a, b in compared)


def test_tokens_stay_out_of_repr_and_messages() -> None:
    config = SimulatorConfig(population=Population.synthetic(2, seed=0), tokens=[RIGHT])
    assert RIGHT not in repr(config)
    assert config.tokens == frozenset({RIGHT})
    with pytest.raises(ValueError, match="whitespace") as bad:
        SimulatorConfig(tokens=[f"{RIGHT} x"])
    assert RIGHT not in str(bad.value)
    with pytest.raises(ValueError, match="empty"):
        SimulatorConfig(tokens=[])
    with pytest.raises(TypeError, match="not one string"):
        SimulatorConfig(tokens=RIGHT)


def test_cli_accepts_only_the_token_of_the_named_variable() -> None:
    env = {**os.environ, "SIM_TOKEN": RIGHT}
    process = subprocess.Popen(
        [sys.executable, "-m", "github_simulator", "--size", "20", "--token-env", "SIM_TOKEN",
         "--forbidden", "nobody/secret", "--log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        query = {"query": '{ r0: repository(owner: "nobody", name: "secret") { id } }'}
        right = httpx.post(url, json=query, headers={"Authorization": f"bearer {RIGHT}"})
        wrong = httpx.post(url, json=query, headers={"Authorization": f"bearer {WRONG}"})
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert right.status_code == 200
    assert right.json()["errors"][0]["type"] == "FORBIDDEN"
    assert wrong.status_code == 401
    assert wrong.json() == BAD_CREDENTIALS
    assert "POST /graphql" in stderr  # --log is on, yet no token is logged
    assert RIGHT not in stderr + stdout + url
    assert WRONG not in stderr + stdout


def test_cli_token_env_must_be_set() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SIM_UNSET_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "github_simulator", "--size", "5", "--token-env", "SIM_UNSET_TOKEN"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: --token-env SIM_UNSET_TOKEN: the variable is not set or empty"
    ]


def test_faults_and_tokens_together(start: Callable[..., Simulator]) -> None:
    """Authentication comes first: a wrong token never reaches the injected faults."""
    sim = start(tokens=[RIGHT], faults=Faults(error_on=frozenset({1})))
    assert post(sim, WRONG).status_code == 401  # request 1: refused before the 502
    assert post(sim, RIGHT).status_code == 200
    assert sim.stats.faults == {}
