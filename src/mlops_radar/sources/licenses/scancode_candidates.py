"""A faster route to the same answers through ScanCode's approximate-matching candidate ranking.

Profiled on the license corpus, ScanCode spends about 85% of a non-exact text's time in
`licensedcode.match_set.compute_candidates`: for every query run it compares the run's token set
with each of about 30,000 rules' in pure Python (`compare_token_sets`), then keeps the best
`top * 10` for a second, finer ranking and the sequence alignment that follows.

This module does not change which candidates come out. Before ScanCode's own function runs, it
narrows the rules it is handed to those that its ranking keeps:

1. Rules its first step would drop anyway, found for all rules at once with numpy (the same
   integer counts ScanCode computes one rule at a time): no token in common with the run, fewer
   legal ("high") tokens in common than the rule's minimum, fewer tokens than its minimum, or a
   containment under its minimum coverage. A run with no matchable token has no candidate.
2. Of the rest, those surely outranked by `top * 10` others are dropped (numpy bounds on the
   rounded scores), those surely among them kept, and the remainder ranked with ScanCode's own
   score vector (the same Python arithmetic on the same integers, so the same floats and the
   same rounding; the rule id breaks ties as in its sort): the `top * 10` its first step keeps.
3. Its second step on those (`CandidateTables.second_step`): the same comparison on token
   multisets (numpy counts the occurrences in common, ScanCode's arithmetic scores them), one
   rule of each group of duplicates, and the `top` best: the rules its answer holds.

ScanCode's `compute_candidates` then runs unchanged on an index made of just those rules, in the
same order (so that it need not walk all 30,000; their own ids are put back in its answer): both
its steps keep every one of them, each is alone in its duplicate group, and its final ranking
orders them as it would have, with the intersections it computes itself.

The one assumption is that ScanCode's two steps score and filter as in its 32.5 release, which
is what this module reproduces: the route is only taken for the versions in `VERIFIED_VERSIONS`
with the same function signature (anything else, and bigram multisets, which are not ScanCode's
default, take ScanCode's own route), and the test suite compares both routes' matches on texts
only approximate matching finds. Measured in docs/licenses.md ("Speed").

The route is taken only inside `accelerated(tables)`, a context the detector opens around each
match: the replacement installed in `licensedcode.match_set` passes every other call through.
So does the second one, `licensedcode.query.QueryRun.is_digits_only`, which inside the context
gives ScanCode's answer at the run's first token that is not a digit instead of building a set
of the whole run on each call (`_is_digits_only`).
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import threading
from collections.abc import Iterator
from dataclasses import dataclass
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
_MARGIN = 1e-7  # on values in tenths: far above float noise, far below a tenth
_WHOLE_RADIX = np.int64(1) << np.int64(31)  # above any matched length / 2
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
    """Every rule's token set and multiset as flat arrays, and the thresholds of both of
    ScanCode's ranking steps."""

    def __init__(self, index: Any) -> None:
        sets = index.sets_by_rid
        rules = index.rules_by_rid
        chunks = [np.fromiter(s or (), dtype=np.int32) for s in sets]
        lengths = np.array([len(c) for c in chunks], dtype=np.int64)
        tokens = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)
        self._rules = len(chunks)
        self._vocabulary = int(tokens.max()) + 1 if len(tokens) else 0
        # the index inverted: for each token, the ids of the rules whose set holds it, so that
        # a run's counts cost what its own tokens are worth, not a walk of all 2 million
        order = np.argsort(tokens, kind="stable")
        self._postings = np.repeat(np.arange(self._rules, dtype=np.int32), lengths)[order]
        self._token_starts = np.zeros(self._vocabulary + 1, dtype=np.int64)
        np.cumsum(np.bincount(tokens, minlength=self._vocabulary), out=self._token_starts[1:])
        self._len_legalese = int(index.len_legalese)
        self._length = [int(r.get_length(True)) for r in rules]  # for the ranking's Python loop
        self._length_array = np.array(self._length, dtype=np.float64)  # for numpy
        self._matchable: tuple[Any, np.ndarray] | None = None
        self._min_high = np.array([r.get_min_high_matched_length(True) for r in rules])
        self._min_matched = np.array([r.get_min_matched_length(True) for r in rules])
        minimum = np.array([r._minimum_containment or 0 for r in rules], dtype=np.float64)
        # containment < minimum  <=>  matched < minimum * length; a margin keeps float noise
        # on ScanCode's side of the line (its own test decides those rules)
        self._min_contained = np.where(minimum > 0, minimum * self._length_array - 1e-6, 0.0)
        # the second step's multisets (token -> occurrences in the rule), flat, and the values
        # of its filters and duplicate groups, per rule
        msets = [m or {} for m in index.msets_by_rid]
        sizes = np.array([len(m) for m in msets], dtype=np.int64)
        self._mset_starts = np.zeros(len(msets) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._mset_starts[1:])
        total = int(self._mset_starts[-1])
        self._mset_tokens = np.fromiter((t for m in msets for t in m), dtype=np.int32, count=total)
        self._mset_counts = np.fromiter(
            (c for m in msets for c in m.values()), dtype=np.int32, count=total
        )
        self._multi_length = [int(r.get_length(False)) for r in rules]
        self._multi_min_high = [r.get_min_high_matched_length(False) for r in rules]
        self._multi_min_matched = [r.get_min_matched_length(False) for r in rules]
        self._minimum = [r._minimum_containment for r in rules]
        self._group = [(r.license_expression, r.length) for r in rules]
        self._identifier = [r.identifier for r in rules]

    def _counts(self, tokens: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per rule, how many of the run's distinct tokens its set holds, and how many high ones."""
        query = np.unique(np.asarray(tokens, dtype=np.int64))
        query = query[(query >= 0) & (query < self._vocabulary)]  # others are in no rule
        high = query[query < self._len_legalese]
        low = query[query >= self._len_legalese]
        starts, ends = self._token_starts, self._token_starts[1:]
        slices = [self._postings[starts[t] : ends[t]] for t in (*high.tolist(), *low.tolist())]
        rids = np.concatenate(slices) if slices else self._postings[:0]
        high_total = int((ends[high] - starts[high]).sum())
        matched = np.bincount(rids, minlength=self._rules)
        return matched, np.bincount(rids[:high_total], minlength=self._rules)

    def _mask(self, matchable: Any) -> np.ndarray:
        """`matchable` (an intbitset of rule ids, the same object run after run) as a mask."""
        if self._matchable is None or self._matchable[0] is not matchable:
            mask = np.zeros(self._rules, dtype=bool)
            ids = np.fromiter(matchable, dtype=np.int64)
            mask[ids[ids < len(mask)]] = True
            self._matchable = (matchable, mask)
        return self._matchable[1]

    def _beyond_doubt(
        self, rids: np.ndarray, matched: np.ndarray, query_length: int, keep: int, threshold: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`rids` less those `keep` others surely outrank, with the bounds of the rest's keys.

        ScanCode's ranking starts with rounded values (resemblance >= threshold, containment,
        squared resemblance, matched length / 20, to one decimal). Each is bounded here from
        below and above, with a margin for rounding and float noise, and the bounds packed into
        one integer in the same lexicographic order: a rule whose upper bound is under the
        `keep`-th best lower bound is outranked by at least `keep` rules whatever the exact
        values, so ScanCode would not keep it either. The bounds (lower, upper) of the rules
        kept are returned beside them.
        """
        length = self._length_array[rids]
        m = matched.astype(np.float64)
        resemblance = m / (query_length + length - m)
        containment = m / length

        def tenths(values: np.ndarray, margin: float) -> np.ndarray:
            return np.floor(values * 10 + 0.5 + margin).astype(np.int64)

        def packed(margin: float) -> np.ndarray:
            high = (tenths(resemblance, margin) / 10 >= threshold - margin).astype(np.int64)
            whole = matched // 2 if margin < 0 else (matched + 1) // 2
            key: np.ndarray = (
                (high * 11 + tenths(containment, margin)) * 11 + tenths(resemblance**2, margin)
            ) * _WHOLE_RADIX + whole
            return key

        lower, upper = packed(-_MARGIN), packed(_MARGIN)
        bar = np.partition(lower, len(lower) - keep)[len(lower) - keep]
        kept = upper >= bar
        return rids[kept], lower[kept], upper[kept]

    def shortlist(
        self,
        tokens: list[int],
        matchable: Any,
        keep: int,
        high_resemblance: bool,
        threshold: float,
    ) -> list[int]:
        """The rule ids ScanCode's first step keeps for a run with these matchable `tokens`.

        In rule id order (ScanCode ranks them again). Only the rules whose place is in doubt go
        through ScanCode's Python arithmetic: when the first step keeps every rule that passes
        its filters, no ranking is needed; and a rule whose rounded key is surely above the
        `keep`-th best one (its lower bound above the `keep`-th best upper bound) is kept
        whatever the exact values.
        """
        if keep <= 0:
            return []
        matched, high = self._counts(tokens)
        passing = (
            (matched > 0)
            & (high > 0)
            & (high >= self._min_high)
            & (matched >= self._min_matched)
            & (matched >= self._min_contained)
        )
        query_length = len(set(tokens))
        rids = np.flatnonzero(passing & self._mask(matchable))
        certain: list[int] = []
        if high_resemblance:
            # the same float division as ScanCode's: a rule under the threshold is dropped
            m = matched[rids].astype(np.float64)
            resemblance = m / (query_length + self._length_array[rids] - m)
            rids = rids[resemblance >= threshold]
        else:
            if len(rids) <= keep:
                return [int(rid) for rid in rids]
            rids, lower, upper = self._beyond_doubt(
                rids, matched[rids], query_length, keep, threshold
            )
            if len(rids) > keep:
                top_upper = np.partition(upper, len(upper) - keep)[len(upper) - keep]
                sure = lower > top_upper
                certain = rids[sure].tolist()
                rids = rids[~sure]
                keep -= len(certain)
        counts = matched.tolist()
        ranked = []
        for rid in rids.tolist():
            m = counts[rid]
            rounded, full = _score_vectors(m, query_length, self._length[rid], threshold)
            if high_resemblance and not (rounded[0] and full[0]):
                continue
            ranked.append((rounded, full, rid))
        ranked.sort(reverse=True)
        return sorted(certain + [rid for _, _, rid in ranked[:keep]])

    def second_step(
        self,
        tokens: list[int],
        rids: list[int],
        top: int,
        high_resemblance: bool,
        threshold: float,
    ) -> list[int]:
        """The rule ids ScanCode's second step answers, of the first step's `rids`, in id order.

        ScanCode compares the run's token multiset with each of `rids`' (the occurrences of a
        token in both: the smaller count), filters and scores them as in the first step but
        with occurrences, keeps one rule of each group of duplicates (same license expression,
        rounded scores and rule length: the best full scores, then the greatest identifier),
        and ranks what is left to keep `top`. The counts are numpy's, the filters and scores
        ScanCode's own Python arithmetic on the same integers. Handed just these rules,
        ScanCode's function keeps them all, each alone in its group, in the same order.
        """
        if not rids or top <= 0:
            return []
        chosen = np.asarray(sorted(rids), dtype=np.int64)
        query = np.asarray(tokens, dtype=np.int64)
        occurrences = np.bincount(query[query >= 0], minlength=self._vocabulary)
        starts = self._mset_starts[chosen]
        sizes = self._mset_starts[chosen + 1] - starts
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        rule_tokens = self._mset_tokens[offsets]
        known = rule_tokens < len(occurrences)
        both = np.minimum(self._mset_counts[offsets], occurrences[np.where(known, rule_tokens, 0)])
        both = np.where(known, both, 0)
        owner = np.repeat(np.arange(len(chosen)), sizes)
        matched_all = np.bincount(owner, weights=both, minlength=len(chosen))
        high_weights = np.where(rule_tokens < self._len_legalese, both, 0)
        high_all = np.bincount(owner, weights=high_weights, minlength=len(chosen))
        query_length = len(tokens)
        best: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        counted = zip(
            chosen.tolist(),
            matched_all.astype(np.int64).tolist(),
            high_all.astype(np.int64).tolist(),
            strict=True,
        )
        for rid, m, h in counted:
            # match_set.compare_token_sets' filters on multisets
            if not m or not h or h < self._multi_min_high[rid] or m < self._multi_min_matched[rid]:
                continue
            length = self._multi_length[rid]
            minimum = self._minimum[rid]
            if minimum and m / length < minimum:
                continue
            rounded, full = _score_vectors(m, query_length, length, threshold)
            if high_resemblance and not (rounded[0] and full[0]):
                continue
            expression, rule_length = self._group[rid]
            group = (expression, *rounded, rule_length)  # match_set.filter_dupes' group key
            rank = (full, self._identifier[rid])
            if group not in best or rank > best[group][0]:
                best[group] = (rank, (rounded, full), rid)
        ranked = sorted(((scores, rid) for _, scores, rid in best.values()), reverse=True)
        return sorted(rid for _, rid in ranked[:top])


def _score_vectors(
    matched: int, query_length: int, length: int, threshold: float
) -> tuple[tuple[bool, float, float, float], tuple[bool, float, float, int]]:
    """match_set.compare_token_sets' two score vectors (rounded, full), in the same arithmetic
    on the same integers (so the same floats): highly resemblant, containment, squared
    resemblance, matched length. Both ranking steps sort on them."""
    resemblance = matched / (query_length + length - matched)
    containment = matched / length
    amplified = resemblance**2
    rounded = (
        round(resemblance, 1) >= threshold,
        round(containment, 1),
        round(amplified, 1),
        round(matched / 20, 1),
    )
    return rounded, (resemblance >= threshold, containment, amplified, matched)


@dataclass(frozen=True)
class _Shortlisted:
    """What `compute_candidates` reads of an index (32.5), for a few of its rules."""

    rules_by_rid: list[Any]
    sets_by_rid: list[Any]
    msets_by_rid: list[Any]
    len_legalese: int


def _compute_candidates(*args: Any, **kwargs: Any) -> Any:
    original = _ORIGINAL[0]
    tables = _ACTIVE.get()
    if tables is None:
        return original(*args, **kwargs)
    try:
        return _shortlisted(original, tables, args, kwargs)
    except (AttributeError, IndexError, KeyError, TypeError):
        # ScanCode's internals are not as verified after all: its own route, same answers
        return original(*args, **kwargs)


def _shortlisted(
    original: Any, tables: CandidateTables, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    bound = _SIGNATURE[0].bind(*args, **kwargs)
    bound.apply_defaults()
    call = bound.arguments
    if call["_use_bigrams"]:
        return original(*args, **kwargs)
    tokens = [t for t in call["query_run"].matchable_tokens() if t != -1]
    if not tokens:
        return []  # an empty token set intersects no rule: ScanCode's answer too
    from intbitset import intbitset

    first = tables.shortlist(
        tokens,
        call["matchable_rids"],
        call["top"] * 10,
        call["high_resemblance"],
        call["high_resemblance_threshold"],
    )
    shortlist = tables.second_step(
        tokens, first, call["top"], call["high_resemblance"], call["high_resemblance_threshold"]
    )
    # ScanCode's function walks every rule of the index it is given: hand it one made of the
    # shortlisted rules only, numbered in the same order, and put their own ids back after
    rids = sorted(shortlist)
    index = call["idx"]
    call["idx"] = _Shortlisted(
        [index.rules_by_rid[r] for r in rids],
        [index.sets_by_rid[r] for r in rids],
        [index.msets_by_rid[r] for r in rids],
        index.len_legalese,
    )
    call["matchable_rids"] = intbitset(range(len(rids)))
    return [(scores, rids[rid], *rest) for scores, rid, *rest in original(**call)]


_ORIGINAL_DIGITS: list[Any] = []  # ScanCode's QueryRun.is_digits_only, once replaced


def _is_digits_only(run: Any) -> bool:
    """`QueryRun.is_digits_only` with the same answer, faster inside `accelerated`: ScanCode
    builds an intbitset of the whole run on each call (its own comment: "this should be
    cached"), and its sequence matching asks once per alignment; a run's first token that is not
    a digit answers here. Every token is an int of the index's dictionary, so "the set of the
    run's tokens is a subset of the digit-only ones" is "every token is one of them"."""
    if _ACTIVE.get() is None:
        return bool(_ORIGINAL_DIGITS[0](run))
    digits = run.digit_only_tids
    return all(token in digits for token in run.tokens)


def _install() -> None:
    with _INSTALL_LOCK:
        if _ORIGINAL:
            return
        from licensedcode import match_set, query

        _SIGNATURE.append(inspect.signature(match_set.compute_candidates))
        _ORIGINAL.append(match_set.compute_candidates)
        match_set.compute_candidates = _compute_candidates
        _ORIGINAL_DIGITS.append(query.QueryRun.is_digits_only)
        query.QueryRun.is_digits_only = _is_digits_only


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
