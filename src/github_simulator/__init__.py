"""A GitHub GraphQL API simulator on 127.0.0.1, for tests, benchmarks and `mlops-radar demo`.

It validates every query against GitHub's published schema, prices it with GitHub's formula,
enforces the primary and secondary rate limits, answers from a seeded synthetic (or fixture)
population and injects faults on request. See docs/simulator.md.
"""

from github_simulator.config import SimulatorConfig
from github_simulator.faults import Fault, Faults
from github_simulator.population import FixtureError, Population, SimRelease, SimRepo
from github_simulator.server import Simulator
from github_simulator.stats import SimulatorStats

__all__ = [
    "Fault",
    "Faults",
    "FixtureError",
    "Population",
    "SimRelease",
    "SimRepo",
    "Simulator",
    "SimulatorConfig",
    "SimulatorStats",
]
