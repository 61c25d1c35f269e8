"""Every fact set mlops-radar knows, in one place: the GitHub field groups' (discovered in
`sources/github/groups/`), the study's, and any a caller registers (`register`).

The store keeps each in its own table and builds the model's input table from the ones marked
`in_model`, columns in this order; a field two fact sets share (stars: GitHub's and the study's)
is one column, filled from whichever the snapshot holds.
"""

from __future__ import annotations

from mlops_radar.sources.factsets import FactSet

__all__ = [
    "fact_set",
    "fact_sets",
    "model_columns",
    "model_fact_sets",
    "register",
    "unregister",
]

_REGISTERED: list[FactSet] = []


def register(fact_set: FactSet) -> None:
    """Make a fact set of another source known (its table comes from its migration revision)."""
    known = {f.name: f for f in fact_sets()}
    if fact_set.name in known and known[fact_set.name] is not fact_set:
        raise ValueError(f"a fact set named {fact_set.name} is already registered")
    if fact_set.name not in known:
        _REGISTERED.append(fact_set)


def unregister(fact_set: FactSet) -> None:
    """Forget a registered fact set (a test's, or a plugin's being unloaded)."""
    if fact_set in _REGISTERED:
        _REGISTERED.remove(fact_set)


def fact_sets() -> tuple[FactSet, ...]:
    """Built-in fact sets first (GitHub's groups in their order, the study's), then registered."""
    from mlops_radar.sources.github.groups import field_groups
    from mlops_radar.sources.licenses.factset import DETECTED
    from mlops_radar.sources.study import STUDY

    return (*(g.fact_set for g in field_groups().values()), STUDY, DETECTED, *_REGISTERED)


def fact_set(name: str) -> FactSet:
    """The fact set named `name` (KeyError when none is)."""
    for found in fact_sets():
        if found.name == name:
            return found
    raise KeyError(name)


def model_fact_sets() -> tuple[FactSet, ...]:
    """The fact sets whose fields make the model's input table."""
    return tuple(f for f in fact_sets() if f.in_model)


def model_columns() -> tuple[str, ...]:
    """The fact columns of the model's input table, each once, in fact-set order."""
    return tuple(dict.fromkeys(name for f in model_fact_sets() for name in f.field_names))
