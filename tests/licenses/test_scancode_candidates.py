"""The faster candidate route through ScanCode's approximate matching gives ScanCode's own matches.

`scancode_candidates` narrows the rules ScanCode's candidate ranking is handed; these tests run
ScanCode's real index both ways on texts that need approximate matching (license texts with every
seventh word replaced, which no exact matcher finds, corpus variants, shuffled legal words) and
compare every match. A deliberately wrong shortlist changes the matches of those texts, so the
comparison can fail.
If a ScanCode release changes its first ranking step, they fail: re-verify the route and update
`VERIFIED_VERSIONS`.
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from typing import Any

import pytest

from license_corpus import Case, shipped_texts
from mlops_radar.sources.licenses import load_detector
from mlops_radar.sources.licenses.scancode import ScanCodeDetector

pytest.importorskip("licensedcode")

from mlops_radar.sources.licenses import scancode_candidates
from mlops_radar.sources.licenses.scancode_candidates import (
    CandidateTables,
    accelerated,
)

_APPROXIMATE_KINDS = ("holders", "preamble", "markdown", "appended", "concatenated", "either")
_ALTERED = ("MIT", "Apache-2.0", "BSD-3-Clause", "BUSL-1.1", "SSPL-1.0")


@pytest.fixture(scope="module")
def index() -> Any:
    # through the detector, which loads the index with typecode's import-time warning silenced
    return ScanCodeDetector(accelerate=False)._index


@pytest.fixture(scope="module")
def tables(index: Any) -> CandidateTables:
    return CandidateTables(index)


def _matches(index: Any, text: str) -> list[tuple[object, ...]]:
    found = index.match(query_string=text, deadline=time.time() + 120)
    return [
        (m.rule.identifier, m.qspan.start, m.qspan.end, m.ispan.start, m.ispan.end, m.score())
        for m in found
    ]


def _texts(cases: list[Case]) -> list[str]:
    picked: dict[str, str] = {}
    for case in cases:
        if case.kind in _APPROXIMATE_KINDS and case.kind not in picked:
            picked[case.kind] = str(case.files[0]["text"])
    return list(picked.values())


def _altered(spdx: str) -> str:
    words = shipped_texts()[spdx].split(" ")
    return " ".join("changed" if i % 7 == 3 else w for i, w in enumerate(words))


def _shuffled(cases: list[Case]) -> str:
    words = " ".join(str(c.files[0]["text"]) for c in cases if c.kind == "canonical").split()
    random.Random(7).shuffle(words)
    lines = [" ".join(words[i : i + 12]) for i in range(0, min(len(words), 2400), 12)]
    return "\n".join(lines)


def test_both_routes_give_the_same_matches(
    shipped_corpus: list[Case], index: Any, tables: CandidateTables
) -> None:
    texts = [_altered(spdx) for spdx in _ALTERED] + _texts(shipped_corpus)
    texts.append(_shuffled(shipped_corpus))
    assert len(texts) == len(_ALTERED) + len(_APPROXIMATE_KINDS) + 1
    for text in texts:
        plain = _matches(index, text)
        with accelerated(tables):
            fast = _matches(index, text)
        assert plain, text[:80]
        assert fast == plain, text[:80]


def test_a_wrong_shortlist_would_change_the_matches(
    index: Any, tables: CandidateTables, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _altered("Apache-2.0")
    with accelerated(tables):
        right = _matches(index, text)
    shortlist = CandidateTables.shortlist

    def worst_tenth(self: CandidateTables, *args: Any) -> list[int]:
        kept = shortlist(self, *args)
        return kept[::-1][: max(1, len(kept) // 10)]

    monkeypatch.setattr(CandidateTables, "shortlist", worst_tenth)
    with accelerated(tables):
        assert _matches(index, text) != right


def test_outside_its_context_scancode_takes_its_own_route(
    shipped_corpus: list[Case], index: Any, tables: CandidateTables
) -> None:
    text = _texts(shipped_corpus)[0]
    with accelerated(tables):
        _matches(index, text)  # installs the replacement
    from licensedcode import match_set

    assert match_set.compute_candidates is not scancode_candidates._ORIGINAL[0]
    calls: list[int] = []
    original = scancode_candidates._ORIGINAL[0]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    scancode_candidates._ORIGINAL[0] = counting
    try:
        _matches(index, text)
        outside = len(calls)
        with accelerated(tables):
            _matches(index, text)
    finally:
        scancode_candidates._ORIGINAL[0] = original
    assert outside > 0  # every call reached ScanCode's function with all its rules
    assert len(calls) > outside


def test_a_run_with_no_matchable_token_has_no_candidate(tables: CandidateTables) -> None:
    class Run:
        def matchable_tokens(self) -> list[int]:
            return [-1, -1, -1]

    with accelerated(tables):
        from licensedcode import match_set

        assert match_set.compute_candidates(Run(), None, frozenset()) == []


def test_the_shortlist_keeps_at_most_what_scancode_keeps(
    index: Any, tables: CandidateTables
) -> None:
    from licensedcode import query

    text = "Permission is hereby granted, free of charge, to any person obtaining a copy"
    run = query.build_query(query_string=text, idx=index).whole_query_run()
    tokens = [t for t in run.matchable_tokens() if t != -1]
    shortlist = tables.shortlist(tokens, index.approx_matchable_rids, 30, False, 0.8)
    assert 0 < len(shortlist) <= 30
    assert all(rid in index.approx_matchable_rids for rid in shortlist)


def test_the_default_detector_takes_the_route_on_a_verified_scancode() -> None:
    if not scancode_candidates.available():
        pytest.skip("this ScanCode release is not one the route was verified on")
    assert isinstance(load_detector("scancode"), ScanCodeDetector)
    assert load_detector("scancode").accelerated  # type: ignore[attr-defined]
    assert load_detector("scancode-fast").accelerated  # type: ignore[attr-defined]
    plain = load_detector("scancode-plain")
    assert plain.name == "scancode-plain"
    assert not plain.accelerated  # type: ignore[attr-defined]


class _Rule:
    """What the tables (and ScanCode's ranking) read of a rule: a unit test of the tables alone.
    `length` counts its distinct tokens, `total` its tokens (ScanCode's `rule.length`)."""

    def __init__(
        self,
        length: int,
        minimum_high: int = 1,
        containment: float = 0.0,
        *,
        total: int | None = None,
        expression: str = "mit",
        identifier: str = "rule",
    ) -> None:
        self.unique_length = length
        self.length = length if total is None else total
        self.minimum_high = minimum_high
        self._minimum_containment = containment
        self.license_expression = expression
        self.identifier = identifier

    def get_length(self, unique: bool) -> int:
        return self.unique_length if unique else self.length

    def get_min_high_matched_length(self, unique: bool) -> int:
        return self.minimum_high

    def get_min_matched_length(self, unique: bool) -> int:
        return 1


def test_the_tables_count_and_filter_like_scancodes_first_step() -> None:
    from types import SimpleNamespace

    rules = [_Rule(2), _Rule(0), _Rule(2), _Rule(3, minimum_high=2), _Rule(4, containment=0.9)]
    sets = [{1, 2}, set(), {0, 5}, {0, 1, 7}, {0, 1, 5, 8}]
    index = SimpleNamespace(
        sets_by_rid=[*sets, set()],
        msets_by_rid=[dict.fromkeys(s, 1) for s in [*sets, set()]],
        rules_by_rid=[*rules, _Rule(0)],
    )
    index.len_legalese = 3  # token ids 0-2 are legal words
    tables = CandidateTables(index)
    matched, high = tables._counts([1, 5, 0])
    assert matched.tolist() == [1, 0, 2, 2, 3, 0]  # empty rules, the last one too, count 0
    assert high.tolist() == [1, 0, 1, 2, 2, 0]
    # rule 4 holds 3 of its 4 tokens, under its 90% coverage; rule 2 ranks above 3, 3 above 0
    assert tables.shortlist([1, 5, 0], set(range(6)), 10, False, 0.8) == [0, 2, 3]
    assert tables.shortlist([1, 5, 0], {0, 3}, 10, False, 0.8) == [0, 3]  # matchable only
    assert tables.shortlist([1, 5, 0], set(range(6)), 2, False, 0.8) == [2, 3]
    assert tables.shortlist([1, 5, 0], set(range(6)), 1, False, 0.8) == [2]
    assert tables.shortlist([1, 5, 0], set(range(6)), 0, False, 0.8) == []
    assert tables.shortlist([99, -1], set(range(6)), 10, False, 0.8) == []  # tokens in no rule


def _first_step(
    rules: list[_Rule], sets: list[set[int]], tokens: list[int], keep: int, high: bool, bar: float
) -> list[int]:
    """ScanCode 32.5's first ranking step restated rule by rule (`compare_token_sets`,
    unique tokens): the filters, the score vector, and the `keep` best, ties by rule id."""
    query = set(tokens)
    ranked = []
    for rid, (rule, rule_set) in enumerate(zip(rules, sets, strict=True)):
        m = len(query & rule_set)
        legal = len({t for t in query & rule_set if t < 10})
        if not m or not legal or legal < rule.minimum_high:
            continue
        length = rule.get_length(True)
        if rule._minimum_containment and m / length < rule._minimum_containment:
            continue
        resemblance = m / (len(query) + length - m)
        containment = m / length
        rounded_high = round(resemblance, 1) >= bar
        full_high = resemblance >= bar
        if high and not (rounded_high and full_high):
            continue
        rounded = (rounded_high, round(containment, 1), round(resemblance**2, 1), round(m / 20, 1))
        ranked.append((rounded, (full_high, containment, resemblance**2, m), rid))
    ranked.sort(reverse=True)
    return sorted(rid for _, _, rid in ranked[:keep])


@pytest.mark.parametrize("seed", range(12))
def test_the_shortlist_is_the_first_steps_best_even_among_ties(seed: int) -> None:
    """Many rules with the same rounded scores: the rules kept without ScanCode's arithmetic
    (surely above the cut) and those it ranks (in doubt) still make exactly its best `keep`."""
    from types import SimpleNamespace

    rng = random.Random(seed)
    sets = [set(rng.sample(range(40), rng.randint(1, 12))) for _ in range(400)]
    rules = [
        _Rule(len(s), minimum_high=rng.choice((1, 1, 2)), containment=rng.choice((0.0, 0.0, 0.5)))
        for s in sets
    ]
    msets = [dict.fromkeys(s, 1) for s in sets]
    index = SimpleNamespace(
        sets_by_rid=sets, msets_by_rid=msets, rules_by_rid=rules, len_legalese=10
    )
    tables = CandidateTables(index)
    tokens = rng.sample(range(40), rng.randint(3, 30))
    everyone = set(range(len(rules)))
    for keep in (1, 5, 30, 120, 500):
        for high, bar in ((False, 0.8), (True, 0.3)):
            expected = _first_step(rules, sets, tokens, keep, high, bar)
            assert tables.shortlist(tokens, everyone, keep, high, bar) == expected, (keep, high)


def test_a_failure_of_the_route_falls_back_to_scancodes_own(
    index: Any, tables: CandidateTables, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _altered("MIT")
    plain = _matches(index, text)

    def broken(self: CandidateTables, *args: Any) -> list[int]:
        raise AttributeError("an index not shaped as in ScanCode 32.5")

    monkeypatch.setattr(CandidateTables, "shortlist", broken)
    with accelerated(tables):
        assert _matches(index, text) == plain


def test_the_compiled_alignment_gives_scancodes_python_matches(
    shipped_corpus: list[Case], index: Any, tables: CandidateTables, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ScanCode aligns with cyseq (its authors' compiled `licensedcode.seq`) when it can import
    it: on texts only approximate matching finds, the matches are those of its Python alignment."""
    pytest.importorskip("cyseq")
    from mlops_radar.sources.licenses.scancode import alignment

    texts = [_altered(spdx) for spdx in _ALTERED] + _texts(shipped_corpus)[:3]
    assert alignment().startswith("cyseq ")
    with accelerated(tables):
        compiled = [_matches(index, text) for text in texts]
    monkeypatch.setitem(sys.modules, "cyseq", None)  # its import fails: ScanCode's fallback
    assert alignment() == "Python"
    with accelerated(tables):
        python = [_matches(index, text) for text in texts]
    assert all(compiled)
    assert compiled == python


@pytest.mark.parametrize("seed", range(12))
def test_the_route_answers_scancodes_own_ranking_even_among_duplicates(seed: int) -> None:
    """ScanCode's own `compute_candidates` on a small index of many alike rules (tokens that
    recur, few licenses, so duplicate groups and ties) is the reference: the route, which
    shortlists the first step's best and then answers its second step (multisets, duplicate
    groups, the final `top`), hands ScanCode's function the rules it returns the same way."""
    from types import SimpleNamespace

    from intbitset import intbitset
    from licensedcode import match_set

    rng = random.Random(seed)
    msets: list[defaultdict[int, int]] = []  # ScanCode's multisets are defaultdicts
    for _ in range(300):
        tokens = rng.sample(range(30), rng.randint(1, 10))
        msets.append(defaultdict(int, {t: rng.choice((1, 1, 2, 3)) for t in tokens}))
    rules = [
        _Rule(
            len(m),
            minimum_high=rng.choice((1, 1, 2)),
            containment=rng.choice((0.0, 0.0, 0.4)),
            total=sum(m.values()),
            expression=rng.choice(("mit", "bsd-new", "apache-2.0")),
            identifier=f"rule_{rid % 50}_{rid}",
        )
        for rid, m in enumerate(msets)
    ]
    index = SimpleNamespace(
        sets_by_rid=[intbitset(list(m)) for m in msets],
        msets_by_rid=msets,
        rules_by_rid=rules,
        len_legalese=8,
    )
    tables = CandidateTables(index)
    scancode_candidates._install()
    scancodes = scancode_candidates._ORIGINAL[0]
    run = [*rng.choices(range(30), k=rng.randint(3, 40)), -1]  # -1: a token already matched
    query_run = SimpleNamespace(matchable_tokens=lambda: run)
    everyone = intbitset(range(len(rules)))
    for top in (1, 3, 10, 40):
        for high, bar in ((False, 0.8), (True, 0.3)):
            arguments = {
                "query_run": query_run,
                "idx": index,
                "matchable_rids": everyone,
                "top": top,
                "high_resemblance": high,
                "high_resemblance_threshold": bar,
            }
            expected = [(scores, rid) for scores, rid, *_ in scancodes(**arguments)]
            with accelerated(tables):
                routed = match_set.compute_candidates(**arguments)
            assert [(scores, rid) for scores, rid, *_ in routed] == expected, (top, high)


def test_the_digits_only_test_answers_as_scancodes_own(
    shipped_corpus: list[Case], index: Any, tables: CandidateTables
) -> None:
    from licensedcode.query import QueryRun, build_query

    with accelerated(tables):
        _matches(index, "installs the replacement")
    original = scancode_candidates._ORIGINAL_DIGITS[0]
    assert QueryRun.is_digits_only is not original
    texts = [*_texts(shipped_corpus), "2019 2020 2021\n1234 5678\n", "Copyright 2019 Jane\n"]
    runs: list[Any] = []
    for text in texts:
        query = build_query(query_string=text, idx=index)
        if query is not None:
            runs += [*query.query_runs, query.whole_query_run()]
            # runs that are only digits, and empty ones, cut from the query's own tokens
            runs += [QueryRun(query, s, s + 2) for s in range(0, len(query.tokens) - 2, 5)]
            runs.append(QueryRun(query, 0, None))
    answers = [original(run) for run in runs]
    assert True in answers  # the year-only text gives digit-only runs: both answers are seen
    assert False in answers
    with accelerated(tables):
        assert [run.is_digits_only() for run in runs] == answers
    assert [run.is_digits_only() for run in runs] == answers  # outside: ScanCode's own
