"""Benchmark of license detectors on the license corpus (benchmarks/license_corpus.py).

Per detector: detection rate (license files given any answer), precision (right SPDX expression
among the answers, non-license files answered as licenses counted wrong), unknown rate on
non-license files, files per second after loading, load time, install size (the distribution and
the dependencies mlops-radar does not already need), and a per-kind table of right answers.

Run: python benchmarks/licenses.py [--shipped] [--detectors scancode-plain,scancode,askalono]
[--no-cyseq]
`scancode-plain` (ScanCode's own candidate route) is the baseline: each table gives every
detector's files per CPU-second as a ratio to its rate measured in the same run.
Without --shipped the canonical texts come from the npm package spdx-license-list (npm pack into
~/.cache/mlops-radar/bench, once); --shipped uses the ten texts the GitHub simulator ships.
Targets for the default detector: detection >= 99%, precision >= 99%, >= 20 files/s.

`--all-spdx` reads the canonical text of every SPDX license the npm package ships (about 700,
deprecated ids aside) once each: texts the corpus's 27 licenses do not cover, to see how a
detector does on licenses nobody tuned it for.

ScanCode aligns sequences with cyseq (its authors' compiled copy of `licensedcode.seq`) when it
is installed; `--no-cyseq` hides it for the run, to measure what it brings (the first line
printed says which alignment ran).

`--installed` measures speed on real license files instead: the LICENSE*, LICENCE*, COPYING* and
UNLICENSE files of the Python distributions installed beside this interpreter (what projects
ship, with their bundled third-party notices; no known answers, so each detector's agreement
with the first one is given instead of accuracy). The files differ from machine to machine:
the table names how many and how large.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

import platformdirs
from license_expression import ExpressionError, Licensing
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))

from license_corpus import (
    KINDS,
    Case,
    all_npm_ids,
    canonical_case,
    corpus,
    npm_texts,
    shipped_texts,
)
from mlops_radar.sources.licenses import DETECTORS, DetectorError, detect_with, load_detector

_LICENSING = Licensing()


def same(found: str | None, expected: str | None) -> bool:
    """Whether two SPDX expressions are the same (case, order and parentheses aside)."""
    if found is None or expected is None:
        return found is expected
    try:
        return bool(_LICENSING.is_equivalent(found.lower(), expected.lower()))
    except ExpressionError:
        return found.lower() == expected.lower()


def _requirement_name(spec: str) -> str | None:
    if ";" in spec and "extra ==" in spec.split(";", 1)[1]:
        return None
    match = re.match(r"[A-Za-z0-9._-]+", spec)
    return match.group(0).lower().replace("_", "-") if match else None


def _closure(name: str) -> set[str]:
    seen: set[str] = set()
    todo = [name.lower()]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        try:
            requires = metadata.requires(current) or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(current)
        todo += [n for n in map(_requirement_name, requires) if n]
    return seen


def _size(distribution: str) -> int:
    files = metadata.distribution(distribution).files or []
    return sum(f.size or 0 for f in files)


def install_size(distribution: str) -> tuple[int, int]:
    """(bytes of the distribution itself, bytes with the dependencies mlops-radar lacks)."""
    ours = _closure("mlops-radar") if _has("mlops-radar") else set()
    theirs = _closure(distribution) - ours
    return _size(distribution), sum(_size(d) for d in theirs)


def _has(name: str) -> bool:
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


@dataclass
class Result:
    detector: str
    version: str = ""
    error: str | None = None
    load_s: float = 0.0
    files: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: what other work on the machine spares
    licensed: int = 0
    detected: int = 0
    correct: int = 0
    false_alarms: int = 0
    non_licenses: int = 0
    own_bytes: int = 0
    total_bytes: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [right, total]
    kind_seconds: dict[str, float] = field(default_factory=dict)  # kind -> seconds per file
    whole_licensed: int = 0  # license cases whose text is whole (not truncated)
    whole_detected: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def detection(self) -> float:
        return self.detected / self.licensed if self.licensed else 0.0

    @property
    def whole_detection(self) -> float:
        return self.whole_detected / self.whole_licensed if self.whole_licensed else 0.0

    @property
    def precision(self) -> float:
        answered = self.detected + self.false_alarms
        return self.correct / answered if answered else 0.0

    @property
    def files_per_s(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    @property
    def files_per_cpu_s(self) -> float:
        return self.files / self.cpu_seconds if self.cpu_seconds else 0.0


def run(name: str, cases: list[Case]) -> Result:
    result = Result(name)
    started = time.perf_counter()
    try:
        detector = load_detector(name)
    except DetectorError as exc:
        result.error = str(exc)
        return result
    result.load_s = time.perf_counter() - started
    result.version = detector.version
    result.own_bytes, result.total_bytes = install_size(DETECTORS[name][1])
    kinds: Counter[str] = Counter()
    right: Counter[str] = Counter()
    files: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    forget = getattr(detector, "forget", None)
    started, cpu_started = time.perf_counter(), time.process_time()
    for case in cases:
        if forget is not None:
            forget()  # a text seen in an earlier case would be free: measure every file
        began = time.perf_counter()
        found = detect_with(detector, case.files)
        seconds[case.kind] += time.perf_counter() - began
        files[case.kind] += len(case.files)
        expression = found.expression if found is not None else None
        result.files += len(case.files)
        kinds[case.kind] += 1
        ok = same(expression, case.expected)
        right[case.kind] += ok
        if case.expected is None:
            result.non_licenses += 1
            result.false_alarms += expression is not None
        else:
            result.licensed += 1
            result.detected += expression is not None
            result.correct += ok and expression is not None
            if case.kind != "truncated":
                result.whole_licensed += 1
                result.whole_detected += expression is not None
        if not ok:
            result.wrong.append(f"{case.name}: {expression}")
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    result.by_kind = {k: [right[k], kinds[k]] for k in KINDS if kinds[k]}
    result.kind_seconds = {k: seconds[k] / files[k] for k in KINDS if files[k]}
    return result


# ScanCode's own candidate route, measured in the same run as the routes compared with it.
BASELINE = "scancode-plain"
BASELINE_COLUMN = f"CPU speed vs {BASELINE}"
DEFAULT_DETECTORS = (BASELINE, "scancode", "scancode-fast", "askalono", "licenseid")


def _ratio(rate: float, baseline: float | None) -> str:
    return f"{rate / baseline:.2f}x" if baseline else "-"


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def show(results: list[Result], cases: list[Case], console: Console) -> None:
    table = Table(title=f"License detectors on {len(cases)} corpus cases")
    for column in ("detector", "detection", "whole texts", "precision", "non-licenses unknown",
                   "files/s", "files/CPU-s", BASELINE_COLUMN, "load",
                   "install (own / with deps)"):  # fmt: skip
        table.add_column(column, justify="left" if column == "detector" else "right")
    baseline = next((r.files_per_cpu_s for r in results if r.detector == BASELINE), None)
    for r in results:
        if r.error:
            table.add_row(r.detector, "-", "-", "-", "-", "-", "-", "-", "-", r.error)
            continue
        unknown = 1 - r.false_alarms / r.non_licenses if r.non_licenses else 0.0
        table.add_row(
            f"{r.detector} ({r.version})",
            f"{r.detection:.1%}",
            f"{r.whole_detection:.1%}",
            f"{r.precision:.1%}",
            f"{unknown:.0%}",
            f"{r.files_per_s:,.1f}",
            f"{r.files_per_cpu_s:,.1f}",
            _ratio(r.files_per_cpu_s, baseline),
            f"{r.load_s:.1f} s",
            f"{_mb(r.own_bytes)} / {_mb(r.total_bytes)}",
        )
    console.print(table)
    kinds = Table(title="Right answers (and seconds per file) per kind of variant")
    kinds.add_column("kind")
    ok = [r for r in results if not r.error]
    for r in ok:
        kinds.add_column(r.detector, justify="right")
    for kind in KINDS:
        cells = [
            f"{r.by_kind[kind][0]}/{r.by_kind[kind][1]} ({r.kind_seconds[kind]:.2f} s)"
            for r in ok
            if kind in r.by_kind
        ]
        if cells:
            kinds.add_row(kind, *cells)
    console.print(kinds)


def _alignment() -> str:
    try:
        from mlops_radar.sources.licenses.scancode import alignment
    except ImportError:
        return "ScanCode not installed"
    return alignment()


_LICENSE_NAME = re.compile(r"(LICEN[CS]E|COPYING|UNLICENSE)", re.IGNORECASE)


def installed_files() -> list[dict[str, object]]:
    """The license files of the installed distributions, by the names a collection takes."""
    found: dict[str, dict[str, object]] = {}
    for dist in distributions():
        for entry in dist.files or ():
            if ".dist-info/" not in str(entry) or not _LICENSE_NAME.match(entry.name):
                continue
            path = Path(str(dist.locate_file(entry)))
            try:
                data = path.read_bytes()
            except OSError:
                continue
            text = data.decode("utf-8", "replace")
            found[str(path)] = {
                "path": entry.name,
                "byte_size": len(data),
                "is_binary": False,
                "is_truncated": False,
                "capped": False,
                "text": text,
                "skipped": None,
            }
    return [found[k] for k in sorted(found)]


def _columns(table: Table, *names: str) -> None:
    """A detector column, then `names` right-aligned."""
    table.add_column("detector", justify="left")
    for name in names:
        table.add_column(name, justify="right")


def _loaded(names: list[str], table: Table) -> Iterator[Any]:
    """Each detector of `names`, loaded; one that cannot load is a row saying why."""
    for name in names:
        try:
            yield load_detector(name)
        except DetectorError as exc:
            cells = ["-"] * (len(table.columns) - 2)
            table.add_row(name, *cells, str(exc))


def run_installed(names: list[str], console: Console) -> None:
    files = installed_files()
    size = sum(int(str(f["byte_size"])) for f in files)
    table = Table(
        title=f"License detectors on {len(files)} license files of the installed distributions "
        f"({size / 1e6:.1f} MB)"
    )
    _columns(table, "files/s", "files/CPU-s", BASELINE_COLUMN, "> 0.2 s", "> 1 s", "answered",
             "same answer as the first")  # fmt: skip
    first: list[str | None] | None = None
    rows: list[tuple[str, float, list[str]]] = []
    for detector in _loaded(names, table):
        name = detector.name
        forget = getattr(detector, "forget", None)
        answers: list[str | None] = []
        spent: list[float] = []
        started, cpu_started = time.perf_counter(), time.process_time()
        for item in files:
            if forget is not None:
                forget()
            began = time.perf_counter()
            found = detect_with(detector, [item])
            spent.append(time.perf_counter() - began)
            answers.append(found.expression if found is not None else None)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if first is None:
            first = answers
        same = sum(a == b for a, b in zip(answers, first, strict=True))
        rate = len(files) / cpu
        cells = [
            f"{len(files) / wall:,.1f}",
            f"{rate:,.1f}",
            str(sum(1 for t in spent if t > 0.2)),
            str(sum(1 for t in spent if t > 1.0)),
            f"{sum(a is not None for a in answers) / len(files):.0%}",
            f"{same}/{len(files)}",
        ]
        rows.append((f"{name} ({detector.version})", rate, cells))
    _add_rows(table, rows, insert_at=2)
    console.print(table)


def _add_rows(table: Table, rows: list[tuple[str, float, list[str]]], insert_at: int) -> None:
    """Rows of (label, files per CPU-second, cells), with the ratio to the baseline's rate
    inserted at `insert_at` among the cells (the baseline may come in any order)."""
    baseline = next((rate for label, rate, _ in rows if label.startswith(f"{BASELINE} (")), None)
    for label, rate, cells in rows:
        table.add_row(label, *cells[:insert_at], _ratio(rate, baseline), *cells[insert_at:])


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def run_all_spdx(names: list[str], cache: Path, console: Console) -> None:
    """Every SPDX license's canonical text, once each: how often each detector names it.

    "same text" counts answers naming another id whose SPDX text is word for word the same
    (GPL-3.0-only and GPL-3.0-or-later: the "or later" is in a project's notice, not in the
    license text), which no reader of the file alone can tell apart."""
    ids = all_npm_ids(cache)
    texts = npm_texts(cache, ids)
    words = {spdx: _words(text) for spdx, text in texts.items()}
    table = Table(title=f"License detectors on the canonical texts of {len(ids)} SPDX licenses")
    _columns(table, "right", "same text, other id", "other answer", "unknown", "files/s",
             "files/CPU-s", BASELINE_COLUMN)  # fmt: skip
    wrong: list[str] = []
    rows: list[tuple[str, float, list[str]]] = []
    for detector in _loaded(names, table):
        name = detector.name
        counts: Counter[str] = Counter()
        started, cpu_started = time.perf_counter(), time.process_time()
        for spdx in ids:
            found = detect_with(detector, list(canonical_case(spdx, texts[spdx]).files))
            answer = found.expression if found is not None else None
            if answer is None:
                counts["unknown"] += 1
            elif same(answer, spdx):
                counts["right"] += 1
            elif answer in words and words[answer] == words[spdx]:
                counts["same text"] += 1
            else:
                counts["other"] += 1
                wrong.append(f"{name}: {spdx} -> {answer}")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        cells = [
            *(f"{counts[k]} ({counts[k] / len(ids):.1%})" for k in
              ("right", "same text", "other", "unknown")),
            f"{len(ids) / wall:,.1f}",
            f"{len(ids) / cpu:,.1f}",
        ]  # fmt: skip
        rows.append((f"{name} ({detector.version})", len(ids) / cpu, cells))
    _add_rows(table, rows, insert_at=6)
    console.print(table)
    for line in wrong:
        console.print(line, markup=False, highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipped", action="store_true", help="the ten shipped texts only")
    parser.add_argument(
        "--detectors",
        default=",".join(DEFAULT_DETECTORS),
        help=f"comma-separated, of {', '.join(DETECTORS)}; {BASELINE} is the ratios' baseline",
    )
    parser.add_argument("--wrong", action="store_true", help="list every wrong answer")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--installed",
        action="store_true",
        help="speed on the license files of the installed distributions instead of the corpus",
    )
    parser.add_argument(
        "--all-spdx",
        action="store_true",
        help="every SPDX license's canonical text once (needs npm) instead of the corpus",
    )
    parser.add_argument(
        "--no-cyseq",
        action="store_true",
        help="hide cyseq for this run: ScanCode aligns in pure Python, as without the extra",
    )
    args = parser.parse_args()
    if args.no_cyseq:
        sys.modules["cyseq"] = None  # type: ignore[assignment]  # its import now fails
    print(f"ScanCode's sequence alignment: {_alignment()}")
    if args.installed:
        run_installed(args.detectors.split(","), Console(width=160))
        return
    cache = Path(platformdirs.user_cache_dir("mlops-radar")) / "bench"
    if args.all_spdx:
        run_all_spdx(args.detectors.split(","), cache, Console(width=160))
        return
    texts = shipped_texts() if args.shipped else npm_texts(cache)
    cases = corpus(texts)
    before = os.getloadavg()[0]
    results = [run(name, cases) for name in args.detectors.split(",")]
    console = Console(width=160)
    show(results, cases, console)
    # Other work on the machine slows every detector alike: say how busy it was.
    print(
        f"load average: {before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
        f"{os.cpu_count()} CPUs"
    )
    if args.wrong:
        for r in results:
            for line in r.wrong:
                console.print(f"{r.detector}: {line}", markup=False, highlight=False)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
