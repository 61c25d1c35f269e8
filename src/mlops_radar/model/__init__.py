"""The model stage: gates, the study's formulas, the maturity model, rings, explanations,
robustness.

Pure functions over the store's `tool_facts` table with the snapshot's date passed in: no I/O, no
clock. Results are typed (`model.results`): enums, numbers and structured reasons, no words.
Defaults (policies, weights, rings, license tables) come from `mlops_radar.model.config`.
"""

from mlops_radar.model.explain import explain
from mlops_radar.model.gates import STATUSES, evaluate_gates
from mlops_radar.model.maturity import GROUPINGS, Scored, score
from mlops_radar.model.policy import GATES, Policy
from mlops_radar.model.results import Explanation
from mlops_radar.model.rings import RINGS
from mlops_radar.model.robustness import kendall_tau_b, robustness
from mlops_radar.model.study import attractiveness, qualify, study_rank, summarise
from mlops_radar.model.weights import RingRules, SignalSpec, Weights

__all__ = [
    "GATES",
    "GROUPINGS",
    "RINGS",
    "STATUSES",
    "Explanation",
    "Policy",
    "RingRules",
    "Scored",
    "SignalSpec",
    "Weights",
    "attractiveness",
    "evaluate_gates",
    "explain",
    "kendall_tau_b",
    "qualify",
    "robustness",
    "score",
    "study_rank",
    "summarise",
]
