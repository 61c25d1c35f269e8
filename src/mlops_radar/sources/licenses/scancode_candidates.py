"""A faster route to the same answers through ScanCode's approximate-matching candidate ranking.

Profiled on the license corpus, ScanCode spends about 85% of a non-exact text's time in
`licensedcode.match_set.compute_candidates`: for every query run it compares the run's token set
with each of about 30,000 rules' in pure Python (`compare_token_sets`), then keeps the best
`top * 10` for a second, finer ranking and the sequence alignment that follows.

This module does not change which candidates come out. Before ScanCode's own function runs, it
narrows the rules it is handed (`matchable_rids`) to those that can reach its first ranking:

1. Rules its first step would drop anyway, found for all rules at once with numpy (the same
   integer counts ScanCode computes one rule at a time): no token in common with the run, fewer
   legal ("high") tokens in common than the rule's minimum, fewer tokens than its minimum, or a
   containment under its minimum coverage. A run with no matchable token has no candidate.
2. Of the rest, the `top * 10` that ScanCode's first step would keep, ranked with its own score
   vector (the same Python arithmetic on the same integers, so the same floats and the same
   rounding; rule id breaks ties as in its sort).

ScanCode's `compute_candidates` then runs unchanged on those rules, so its first step keeps the
same rules in the same order, and its second step, duplicate filter and final ranking see exactly
what they would have. The one assumption is that the scoring of ScanCode 32.5's first step is
what step 2 above computes; the route is therefore only taken for the versions in
`VERIFIED_VERSIONS`, and the test suite compares both routes' matches on the corpus texts.
Any other version, a changed signature, or bigram multisets (not ScanCode's default) take
ScanCode's own route. Measured: 2.6x less time on the corpus, identical matches on its 212 files
(docs/licenses.md).

The route is taken only inside `accelerated(index)`, a context the detector opens around each
match: the replacement installed in `licensedcode.match_set` passes every other call through.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import threading
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

__all__ = ["VERIFIED_VERSIONS", "CandidateTables", "accelerated", "available"]

# ScanCode releases whose first candidate-ranking step `CandidateTables.shortlist` reproduces.
VERIFIED_VERSIONS = ("32.5.",)
_PARAMETERS = (
    "query_run",
    "idx",
    "matchable_rids",
    "top",
    "high_resemblance",
    "high_resemblance_threshold",
    "_use_bigrams",
)
_HIGH = np.int64(1) << np.int64(32)  # one gather counts all tokens (low bits) and high ones
_ACTIVE: contextvars.ContextVar[CandidateTables | None] = contextvars.ContextVar(
    "scancode_candidates", default=None
)
_INSTALL_LOCK = threading.Lock()
_ORIGINAL: list[Any] = []  # ScanCode's compute_candidates, once replaced
_SIGNATURE: list[inspect.Signature] = []


def _scancode_version() -> str | None:
    try:
        return version("scancode-toolkit-mini")
    except PackageNotFoundError:
        return None


def available() -> bool:
    """Whether the installed ScanCode is one this route was verified on."""
    found = _scancode_version()
    if found is None or not found.startswith(VERIFIED_VERSIONS):
        return False
    from licensedcode import match_set

    function = _ORIGINAL[0] if _ORIGINAL else match_set.compute_candidates
    return tuple(inspect.signature(function).parameters) == _PARAMETERS


class CandidateTables:
    """Every rule's token set as one flat array, and the thresholds of ScanCode's first step."""

    def __init__(self, index: Any) -> None:
        sets = index.sets_by_rid
        rules = index.rules_by_rid
        chunks = [np.fromiter(s or (), dtype=np.int64) for s in sets]
        lengths = np.array([len(c) for c in chunks], dtype=np.int64)
        self._tokens = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        self._starts = np.zeros(len(chunks), dtype=np.int64)
        np.cumsum(lengths[:-1], out=self._starts[1:])
        self._empty = lengths == 0
        self._vocabulary = int(self._tokens.max()) + 1 if len(self._tokens) else 0
        self._len_legalese = int(index.len_legalese)
        self._length = [int(r.get_length(True)) for r in rules]
        self._min_high = np.array([r.get_min_high_matched_length(True) for r in rules])
        self._min_matched = np.array([r.get_min_matched_length(True) for r in rules])
        length = np.array(self._length, dtype=np.float64)
        minimum = np.array([r._minimum_containment or 0 for r in rules], dtype=np.float64)
        # containment < minimum  <=>  matched < minimum * length; a margin keeps float noise
        # on ScanCode's side of the line (its own test decides those rules)
        self._min_contained = np.where(minimum > 0, minimum * length - 1e-6, 0.0)

    def _counts(self, tokens: list[int]) -> tuple[np.ndarray, np.ndarray]:
        size = max(self._vocabulary, max(tokens) + 1)
        weights = np.zeros(size, dtype=np.int64)
        query = np.asarray(tokens, dtype=np.int64)
        weights[query] = 1
        weights[query[query < self._len_legalese]] += _HIGH
        if not len(self._tokens):
            zero = np.zeros(len(self._starts), dtype=np.int64)
            return zero, zero
        sums = np.add.reduceat(np.take(weights, self._tokens), self._starts)
        sums[self._empty] = 0
        return sums & (_HIGH - 1), sums >> np.int64(32)

    def shortlist(
        self,
        tokens: list[int],
        matchable: Any,
        keep: int,
        high_resemblance: bool,
        threshold: float,
    ) -> list[int]:
        """The rule ids ScanCode's first step keeps for a run with these matchable `tokens`."""
        matched, high = self._counts(tokens)
        passing = (
            (matched > 0)
            & (high > 0)
            & (high >= self._min_high)
            & (matched >= self._min_matched)
            & (matched >= self._min_contained)
        )
        counts = matched.tolist()
        query_length = len(set(tokens))
        ranked = []
        for rid in np.flatnonzero(passing).tolist():
            if rid not in matchable:
                continue
            # match_set.compare_token_sets' first-step score vector, in the same arithmetic
            m = counts[rid]
            length = self._length[rid]
            resemblance = m / (query_length + length - m)
            containment = m / length
            amplified = resemblance**2
            rounded_high = round(resemblance, 1) >= threshold
            full_high = resemblance >= threshold
            if high_resemblance and not (rounded_high and full_high):
                continue
            rounded = (rounded_high, round(containment, 1), round(amplified, 1), round(m / 20, 1))
            ranked.append((rounded, (full_high, containment, amplified, m), rid))
        ranked.sort(reverse=True)
        return [rid for _, _, rid in ranked[:keep]]


def _compute_candidates(*args: Any, **kwargs: Any) -> Any:
    original = _ORIGINAL[0]
    tables = _ACTIVE.get()
    if tables is None:
        return original(*args, **kwargs)
    bound = _SIGNATURE[0].bind(*args, **kwargs)
    bound.apply_defaults()
    call = bound.arguments
    if call["_use_bigrams"]:
        return original(*args, **kwargs)
    tokens = [t for t in call["query_run"].matchable_tokens() if t != -1]
    if not tokens:
        return []  # an empty token set intersects no rule: ScanCode's answer too
    from intbitset import intbitset

    shortlist = tables.shortlist(
        tokens,
        call["matchable_rids"],
        call["top"] * 10,
        call["high_resemblance"],
        call["high_resemblance_threshold"],
    )
    call["matchable_rids"] = intbitset(shortlist)
    return original(**call)


def _install() -> None:
    with _INSTALL_LOCK:
        if _ORIGINAL:
            return
        from licensedcode import match_set

        _SIGNATURE.append(inspect.signature(match_set.compute_candidates))
        _ORIGINAL.append(match_set.compute_candidates)
        match_set.compute_candidates = _compute_candidates


@contextlib.contextmanager
def accelerated(tables: CandidateTables | None) -> Iterator[None]:
    """ScanCode's matching inside this block uses `tables` (None: ScanCode's own route)."""
    if tables is not None:
        _install()
    token = _ACTIVE.set(tables)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
